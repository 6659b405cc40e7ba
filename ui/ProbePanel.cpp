#include "ProbePanel.h"

#include "Appearance.h"

#include "ProbeRun.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <memory>

namespace {
QString percent(double v) {
    return QStringLiteral("%1%").arg(100.0 * v, 0, 'f', 1);
}

QTableWidgetItem* cell(const QString& text, const QString& tip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(tip);
    return item;
}
} // namespace

ProbePanel::ProbePanel(QWidget* parent) : QWidget(parent) {
    m_runLabel = new QLabel;
    m_runLabel->setWordWrap(true);
    m_labels = new QComboBox;
    m_labels->setEditable(true);
    m_labels->addItem(QStringLiteral("fashion-mnist"));
    m_labels->setToolTip(
        tr("Labelled images: 'fashion-mnist' (Debian's dataset-fashion-mnist), a folder of "
           "MNIST-layout IDX files, or a folder with one subfolder per class."));
    auto* browse = new QPushButton(tr("Folder…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Labelled images"));
        if (!dir.isEmpty()) {
            m_labels->setCurrentText(dir);
        }
    });
    auto spin = [this](int lo, int hi, int value, const QString& tip) {
        auto* s = new QSpinBox;
        s->setRange(lo, hi);
        s->setValue(value);
        s->setToolTip(tip);
        return s;
    };
    m_trainSize = spin(10, 60000, 5000,
                       tr("Labelled training images drawn with the seed (Goyal et al. used the "
                          "full labelled sets; fewer keep the probe quick)."));
    m_testSize = spin(10, 60000, 5000, tr("Test images drawn with the seed."));
    m_seed = spin(0, 1000000, 1, tr("Draws the splits and the random-weight baseline's weights."));
    m_trainSize->setObjectName(QStringLiteral("probeTrainSize"));
    m_testSize->setObjectName(QStringLiteral("probeTestSize"));
    m_probe = new QPushButton(tr("Probe"));
    m_probe->setObjectName(QStringLiteral("probeButton"));
    m_probe->setToolTip(
        tr("Freeze the run's encoder, fit a linear classifier on each stage's pooled "
           "features, and compare with random weights and raw pixels."));
    connect(m_probe, &QPushButton::clicked, this, &ProbePanel::startProbe);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0); // busy: the probe reports no fraction
    m_busy->setMaximumWidth(120);
    m_busy->hide();

    auto* labelsRow = new QHBoxLayout;
    labelsRow->addWidget(m_labels, 1);
    labelsRow->addWidget(browse);
    auto* sizes = new QHBoxLayout;
    sizes->addWidget(new QLabel(tr("train")));
    sizes->addWidget(m_trainSize);
    sizes->addWidget(new QLabel(tr("test")));
    sizes->addWidget(m_testSize);
    sizes->addWidget(new QLabel(tr("seed")));
    sizes->addWidget(m_seed);
    sizes->addStretch();
    sizes->addWidget(m_busy);
    sizes->addWidget(m_probe);
    auto* form = new QFormLayout;
    form->addRow(tr("Run:"), m_runLabel);
    form->addRow(tr("Labels:"), labelsRow);
    form->addRow(tr("Images:"), sizes);

    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("probeSummary"));
    m_table = new QTableWidget(0, 3);
    m_table->setObjectName(QStringLiteral("probeTable"));
    m_table->setHorizontalHeaderLabels({tr("features"), tr("trained"), tr("random")});
    m_table->horizontalHeaderItem(1)->setToolTip(
        tr("Test accuracy of the linear probe on this run's encoder"));
    m_table->horizontalHeaderItem(2)->setToolTip(
        tr("The same architecture with random weights, same splits"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_chart = new QCustomPlot;
    m_chart->setObjectName(QStringLiteral("probeChart"));
    m_chart->setMinimumHeight(160);
    m_chart->yAxis->setLabel(tr("test accuracy (%)"));
    // The legend in a row of its own above the bars, so that it never hides one.
    m_chart->legend->setVisible(true);
    m_chart->plotLayout()->insertRow(0);
    m_chart->plotLayout()->addElement(0, 0, m_chart->legend);
    m_chart->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_chart->plotLayout()->setRowStretchFactor(0, 0.001);
    stylePlot(m_chart, palette());
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    m_table->setMinimumWidth(250);
    split->setCollapsible(0, false);
    split->setSizes({260, 480});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    setRun({});
}

ProbePanel::~ProbePanel() {
    if (m_thread != nullptr) {
        m_cancel.cancel(); // the probe stops at its next chunk or solver step
        m_thread->wait();
        delete m_thread;
    }
}

void ProbePanel::setRun(const QString& runDir) {
    m_run = runDir;
    m_runLabel->setText(runDir.isEmpty() ? tr("choose a run in the Runs panel")
                                         : QDir::toNativeSeparators(runDir));
    QFile saved(QDir(runDir).filePath(QLatin1String(kProbeFile)));
    if (!runDir.isEmpty() && saved.open(QIODevice::ReadOnly)) {
        showResult(QJsonDocument::fromJson(saved.readAll()).object());
    } else {
        clearResult(runDir.isEmpty()
                        ? tr("The linear probe asks whether the pretext task taught the encoder "
                             "anything: choose a run, then Probe.")
                        : tr("This run has not been probed yet: press Probe."));
    }
    updateButtons();
}

void ProbePanel::setIdle(bool idle) {
    m_idle = idle;
    updateButtons();
}

void ProbePanel::updateButtons() {
    m_probe->setEnabled(!m_run.isEmpty() && m_idle && m_thread == nullptr);
    m_probe->setToolTip(m_idle ? m_probe->toolTip()
                               : tr("Stop training first: the probe needs the machine."));
}

void ProbePanel::clearResult(const QString& why) {
    m_result = {};
    m_summary->setText(why);
    m_table->setRowCount(0);
    m_chart->clearPlottables();
    m_chart->replot();
}

void ProbePanel::startProbe() {
    if (m_run.isEmpty() || m_thread != nullptr) {
        return;
    }
    pretext::ProbeRequest q;
    q.runDir = m_run;
    q.labels = m_labels->currentText().trimmed();
    q.trainSize = m_trainSize->value();
    q.testSize = m_testSize->value();
    q.seed = static_cast<quint64>(m_seed->value());
    m_cancel = pretext::CancelToken();
    q.cancel = m_cancel;
    auto outcome = std::make_shared<std::pair<QJsonObject, QString>>();
    m_thread = QThread::create([q, outcome] {
        try {
            outcome->first = pretext::probeRun(q);
        } catch (const std::exception& e) {
            outcome->second = QString::fromUtf8(e.what());
        }
    });
    m_thread->setObjectName(QStringLiteral("probe"));
    connect(m_thread, &QThread::finished, this, [this, outcome, runDir = q.runDir] {
        m_thread->deleteLater();
        m_thread = nullptr;
        m_busy->hide();
        updateButtons();
        if (!outcome->second.isEmpty()) {
            m_summary->setText(tr("The probe failed: %1").arg(outcome->second));
            Q_EMIT probeFinished(false, outcome->second);
            return;
        }
        QFile file(QDir(runDir).filePath(QLatin1String(kProbeFile)));
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            file.write(QJsonDocument(outcome->first).toJson(QJsonDocument::Indented));
        }
        if (runDir == m_run) {
            showResult(outcome->first);
        }
        Q_EMIT probeFinished(
            true, tr("Probe of %1 done in %2 s")
                      .arg(QFileInfo(runDir).fileName())
                      .arg(outcome->first.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 0));
    });
    m_busy->show();
    m_summary->setText(
        tr("Probing %1 on %2: features of %3 + %4 images, three stages, twice (trained and "
           "random weights), and raw pixels…")
            .arg(QFileInfo(m_run).fileName(), q.labels)
            .arg(q.trainSize)
            .arg(q.testSize));
    m_thread->start(QThread::LowPriority);
    updateButtons();
}

void ProbePanel::showResult(const QJsonObject& r) {
    m_result = r;
    const QJsonArray stages = r.value(QStringLiteral("stages")).toArray();
    const QJsonArray random = r.value(QStringLiteral("random_weights")).toArray();
    const QJsonObject raw = r.value(QStringLiteral("raw_pixels")).toObject();
    const double chance = r.value(QStringLiteral("chance")).toDouble();
    m_summary->setText(
        tr("%1 at step %2, probed on %3: %4 training and %5 test images at %6 px, seed %7 "
           "(chance %8). Best: stage %9.")
            .arg(r.value(QStringLiteral("task")).toString())
            .arg(r.value(QStringLiteral("checkpoint_step")).toInteger())
            .arg(r.value(QStringLiteral("labels")).toString())
            .arg(r.value(QStringLiteral("train_size")).toInteger())
            .arg(r.value(QStringLiteral("test_size")).toInteger())
            .arg(r.value(QStringLiteral("image_size_px")).toInt())
            .arg(r.value(QStringLiteral("seed")).toInteger())
            .arg(percent(chance))
            .arg(r.value(QStringLiteral("best_stage")).toInt()));
    m_table->setRowCount(static_cast<int>(stages.size()) + 1);
    QVector<double> ticks, trained, baseline;
    QVector<QString> names;
    for (int i = 0; i < stages.size(); ++i) {
        const QJsonObject s = stages[i].toObject(), b = random[i].toObject();
        const QString dims =
            tr("stage %1 (%2)").arg(i + 1).arg(s.value(QStringLiteral("dims")).toInt());
        auto tip = [](const QJsonObject& o) {
            return QObject::tr("training accuracy %1, L2 weight %2")
                .arg(percent(o.value(QStringLiteral("train_accuracy")).toDouble()))
                .arg(o.value(QStringLiteral("l2")).toDouble());
        };
        m_table->setItem(i, 0, cell(dims));
        m_table->setItem(i, 1,
                         cell(percent(s.value(QStringLiteral("accuracy")).toDouble()), tip(s)));
        m_table->setItem(i, 2,
                         cell(percent(b.value(QStringLiteral("accuracy")).toDouble()), tip(b)));
        ticks << i + 1;
        names << tr("stage %1").arg(i + 1);
        trained << 100.0 * s.value(QStringLiteral("accuracy")).toDouble();
        baseline << 100.0 * b.value(QStringLiteral("accuracy")).toDouble();
    }
    const int rawRow = static_cast<int>(stages.size());
    m_table->setItem(rawRow, 0,
                     cell(tr("raw pixels (%1)").arg(raw.value(QStringLiteral("dims")).toInt()),
                          tr("Feature dimensions in brackets")));
    m_table->setItem(rawRow, 1, cell(percent(raw.value(QStringLiteral("accuracy")).toDouble())));
    m_table->setItem(rawRow, 2, cell(QString()));

    m_chart->clearPlottables();
    m_chart->clearItems();
    auto* group = new QCPBarsGroup(m_chart);
    auto bars = [&](const QString& name, const QVector<double>& values, const QColor& color) {
        auto* b = new QCPBars(m_chart->xAxis, m_chart->yAxis);
        b->setName(name);
        b->setData(ticks, values);
        b->setWidth(0.35);
        b->setPen(QPen(color.darker(130)));
        b->setBrush(color);
        b->setBarsGroup(group);
    };
    bars(tr("this run's encoder"), trained, QColor(40, 120, 200));
    bars(tr("random weights"), baseline, QColor(150, 150, 150));
    auto level = [&](const QString& name, double value, Qt::PenStyle style, const QColor& color) {
        auto* g = m_chart->addGraph();
        g->setName(name);
        g->setData(QVector<double>{0.4, ticks.size() + 0.6}, QVector<double>{value, value});
        g->setPen(QPen(color, 2, style));
    };
    level(tr("raw pixels"), 100.0 * raw.value(QStringLiteral("accuracy")).toDouble(), Qt::DashLine,
          QColor(200, 90, 30));
    level(tr("chance"), 100.0 * chance, Qt::DotLine, QColor(120, 120, 120));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, names);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setRange(0.4, ticks.size() + 0.6);
    m_chart->yAxis->setRange(0, 100);
    m_chart->replot();
}

void ProbePanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        stylePlot(m_chart, palette());
    }
    QWidget::changeEvent(event);
}
