#include "RunComparison.h"

#include "CurvePlot.h"
#include "RunHistory.h"
#include "TaskText.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

QColor runColor(int index) {
    // Tableau's ten, as plotting tools people know use them.
    static const QColor colors[] = {
        QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34),  QColor(23, 190, 207)};
    return colors[index % 10];
}

RunComparison::RunComparison(QWidget* parent) : QWidget(parent) {
    m_metric = new QComboBox;
    m_metric->setObjectName(QStringLiteral("compareMetric"));
    m_metric->addItem(pretext::metricText(QStringLiteral("loss")), QStringLiteral("loss"));
    connect(m_metric, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { draw(); });
    m_note = new QLabel(placeholder());
    m_note->setWordWrap(true);
    m_plot = new CurvePlot(tr("loss"), Qt::AlignTop | Qt::AlignRight);
    m_plot->plot()->setObjectName(QStringLiteral("comparePlot"));
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Curve")));
    row->addWidget(m_metric);
    row->addWidget(m_note, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(row);
    layout->addWidget(m_plot, 1);
}

QString RunComparison::placeholder() const {
    return tr(
        "Select runs in the Runs panel (Ctrl/Shift+click for several) to overlay their curves.");
}

void RunComparison::showRuns(const QStringList& runPaths) {
    m_runs = runPaths;
    // Each run's metrics.csv is read once here; choosing another column redraws from these.
    m_loaded.clear();
    QStringList columns{QStringLiteral("loss")};
    for (const QString& path : runPaths) {
        Loaded run;
        run.name = QDir(path).dirName();
        if (pretext::readRunCurves(QDir(path).filePath(QStringLiteral("metrics.csv")), &run.curves,
                                   &run.error)) {
            for (const QString& c : run.curves.metrics.keys()) {
                if (!columns.contains(c)) {
                    columns << c;
                }
            }
        }
        m_loaded.push_back(std::move(run));
    }
    const QString current = metric();
    {
        const QSignalBlocker block(m_metric);
        m_metric->clear();
        for (const QString& c : columns) {
            m_metric->addItem(pretext::metricText(c), c);
        }
        m_metric->setCurrentIndex(std::max(0, static_cast<int>(columns.indexOf(current))));
    }
    draw();
}

void RunComparison::setMetric(const QString& column) {
    const int i = m_metric->findData(column);
    if (i >= 0) {
        m_metric->setCurrentIndex(i);
    }
}

QString RunComparison::metric() const {
    return m_metric->currentData().toString();
}

void RunComparison::draw() {
    const QString column = metric();
    m_plot->clear();
    m_plot->setValueLabel(pretext::metricText(column));
    QStringList problems;
    int drawn = 0;
    for (int i = 0; i < m_loaded.size(); ++i) {
        const Loaded& run = m_loaded[i];
        if (!run.error.isEmpty()) {
            problems << run.error;
            continue;
        }
        const QVector<double>& values =
            column == QLatin1String("loss") ? run.curves.loss : run.curves.metrics.value(column);
        if (values.isEmpty()) {
            problems << tr("%1 has no %2").arg(run.name, column);
            continue;
        }
        m_plot->setSeries(run.name, run.curves.steps, run.curves.wallS, values, runColor(i));
        ++drawn;
    }
    m_plot->resetView();
    if (m_runs.isEmpty()) {
        m_note->setText(placeholder());
    } else {
        m_note->setText(problems.isEmpty() ? tr("%n run(s) overlaid", "", drawn)
                                           : tr("%n run(s) overlaid; ", "", drawn) +
                                                 problems.join(QStringLiteral("; ")));
    }
}
