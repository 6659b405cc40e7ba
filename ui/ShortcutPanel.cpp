#include "ShortcutPanel.h"

#include "Appearance.h"
#include "DiagnosticWorker.h"
#include "ImageGridView.h"
#include "Presets.h"
#include "RunJob.h"
#include "SaliencyRun.h"
#include "TaskText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

using pretext::DiagnosticWorker;

namespace {
enum Column { Variant, Step, HeldOutLoss, HeldOutAccuracy, Probe, RandomProbe, RunFolder, Columns };

const QColor kVariantColors[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                                 QColor(148, 103, 189)};

QCustomPlot* makePlot(const QString& label) {
    auto* plot = new QCustomPlot;
    plot->xAxis->setLabel(QObject::tr("step"));
    plot->yAxis->setLabel(label);
    plot->legend->setVisible(false); // the variants are named above the plots, in colour
    plot->setMinimumHeight(160);
    return plot;
}
} // namespace

ShortcutPanel::ShortcutPanel(QWidget* parent) : QWidget(parent) {
    m_combo = new QComboBox;
    m_combo->setObjectName(QStringLiteral("diagnosticCombo"));
    for (const auto& diagnostic : pretext::builtInDiagnostics()) {
        m_combo->addItem(pretext::presetText(diagnostic.title), diagnostic.id);
    }
    m_steps = new QSpinBox;
    m_steps->setObjectName(QStringLiteral("diagnosticSteps"));
    m_steps->setRange(10, 100000);
    m_steps->setValue(300);
    m_steps->setSuffix(tr(" steps"));
    m_steps->setToolTip(tr("Steps for each variant; they train in turn, one step each"));
    m_probe = new QCheckBox(tr("Probe afterwards"));
    m_probe->setChecked(true);
    m_probe->setToolTip(
        tr("A linear probe on frozen features (Fashion-MNIST, 2,000 training and 1,000 "
           "test images): did the variant that took the shortcut learn less?"));
    m_data = new QComboBox;
    m_data->setObjectName(QStringLiteral("diagnosticData"));
    m_data->addItem(tr("Demo set"));
    m_data->setToolTip(
        tr("What the variants train on: the demo set the diagnostics were measured on, or "
           "the data loaded in the window (photographs show the cues the demo set lacks: "
           "vignetting, chromatic aberration), at the diagnostic's image size"));
    m_data->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_data->setMinimumContentsLength(10);
    m_run = new QPushButton(tr("Run side by side"));
    m_run->setObjectName(QStringLiteral("diagnosticRun"));
    m_run->setToolTip(tr("Trains every variant together, each into its own run folder"));
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (m_running) {
            m_worker->requestStop();
            m_run->setEnabled(false);
            return;
        }
        start(m_combo->currentData().toString(), m_steps->value(), m_probe->isChecked());
    });
    connect(m_combo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ShortcutPanel::describe);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_data, 1);
    controls->addWidget(m_steps);
    controls->addWidget(m_probe);
    controls->addWidget(m_run);

    m_explain = new QLabel;
    m_explain->setWordWrap(true);
    m_legend = new QLabel; // one line for both plots: the curves stay clear
    m_legend->setObjectName(QStringLiteral("diagnosticLegend"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("diagnosticStatus"));
    m_status->setWordWrap(true);
    m_loss = makePlot(tr("held-out loss"));
    m_loss->setObjectName(QStringLiteral("diagnosticLoss"));
    m_accuracy = makePlot(tr("held-out accuracy"));
    m_accuracy->setObjectName(QStringLiteral("diagnosticAccuracy"));
    auto* plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(m_loss);
    plots->addWidget(m_accuracy);
    plots->setStretchFactor(0, 1);
    plots->setStretchFactor(1, 1);
    m_table = new QTableWidget(0, Columns);
    m_table->setObjectName(QStringLiteral("diagnosticResults"));
    m_table->setHorizontalHeaderLabels({tr("Variant"), tr("Step"), tr("Loss"), tr("Accuracy"),
                                        tr("Probe"), tr("Random encoder"), tr("Run folder")});
    m_table->horizontalHeaderItem(HeldOutLoss)->setToolTip(tr("Held-out loss of the pretext task"));
    m_table->horizontalHeaderItem(HeldOutAccuracy)
        ->setToolTip(tr("Held-out accuracy of the pretext task"));
    m_table->horizontalHeaderItem(Probe)->setToolTip(
        tr("Linear probe accuracy on Fashion-MNIST, encoder frozen"));
    m_table->horizontalHeaderItem(RandomProbe)
        ->setToolTip(tr("The same probe on a randomly initialised encoder"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RunFolder, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setTextElideMode(Qt::ElideLeft); // a long run folder keeps its name
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMaximumHeight(110);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_combo);
    layout->addLayout(controls);
    layout->addWidget(m_explain);
    layout->addWidget(m_legend);
    m_saliencyJob = new RunJob(QStringLiteral("diagnostic saliency"), this);
    m_saliency = new ImageGridView;
    m_saliency->setObjectName(QStringLiteral("diagnosticSaliency"));
    m_stack = new QStackedWidget;
    m_stack->addWidget(plots);
    m_stack->addWidget(m_saliency);
    m_saliencyButton = new QPushButton(tr("Saliency"));
    m_saliencyButton->setObjectName(QStringLiteral("diagnosticSaliencyButton"));
    m_saliencyButton->setToolTip(
        tr("Where each variant's model looks: its samples as it sees them and the occlusion "
           "map of its loss (the rise when a square is hidden), side by side"));
    connect(m_saliencyButton, &QPushButton::clicked, this, &ShortcutPanel::toggleSaliency);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_saliencyButton, 0, Qt::AlignTop);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_table);
    layout->addLayout(statusRow);
    updateSaliencyButton();

    m_worker = new DiagnosticWorker;
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("diagnostics"));
    connect(m_worker, &DiagnosticWorker::started, this, &ShortcutPanel::onStarted);
    connect(m_worker, &DiagnosticWorker::progress, this, &ShortcutPanel::onProgress);
    connect(m_worker, &DiagnosticWorker::finished, this, &ShortcutPanel::onFinished);
    connect(m_worker, &DiagnosticWorker::errorOccurred, this,
            [this](const QString& message) { m_status->setText(message); });
    connect(m_worker, &DiagnosticWorker::probeStarted, this, [this](int variant) {
        m_status->setText(
            tr("Probing the encoder of “%1”…").arg(m_table->item(variant, Variant)->text()));
    });
    connect(m_worker, &DiagnosticWorker::probed, this,
            [this](int variant, double accuracy, double random, double chance) {
                m_table->setItem(variant, Probe,
                                 new QTableWidgetItem(QString::number(accuracy, 'f', 3)));
                m_table->setItem(
                    variant, RandomProbe,
                    new QTableWidgetItem(
                        tr("%1 (chance %2)").arg(random, 0, 'f', 3).arg(chance, 0, 'f', 2)));
            });
    m_thread.start();
    describe();
    restyle();
}

ShortcutPanel::~ShortcutPanel() {
    m_worker->requestStop();
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void ShortcutPanel::describe() {
    const pretext::ShortcutDiagnostic* d =
        pretext::findDiagnostic(m_combo->currentData().toString());
    m_explain->setText(d ? pretext::presetText(d->explain) : QString());
}

void ShortcutPanel::setLoadedData(const pretext::DataSummary& summary) {
    const bool offered = summary.count > 0 && !summary.description.isEmpty();
    const bool chosen = m_data->currentIndex() == 1; // stays chosen for the new data
    while (m_data->count() > 1) {
        m_data->removeItem(1);
    }
    if (offered) {
        m_data->addItem(tr("Loaded: %1 (%n images)", nullptr, summary.count).arg(summary.label),
                        summary.description);
        m_data->setItemData(1, summary.label, Qt::ToolTipRole);
        m_data->setCurrentIndex(chosen ? 1 : 0);
    }
}

void ShortcutPanel::start(const QString& id, int steps, bool probe, int probeTrain, int probeTest) {
    if (m_running) {
        return;
    }
    m_running = true;
    m_run->setText(tr("Stop"));
    const QJsonObject data = m_data->currentData().toJsonObject();
    m_status->setText(data.isEmpty() ? tr("Loading the demo set…")
                                     : tr("Loading %1…").arg(m_data->currentText()));
    const QString workspace = m_workspace.isEmpty() ? QDir::tempPath() : m_workspace;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, id, steps, workspace, probe, probeTrain, probeTest, data] {
            w->run(id, steps, workspace, probe, probeTrain, probeTest, data);
        },
        Qt::QueuedConnection);
}

void ShortcutPanel::onStarted(const QStringList& variantLabels, const QStringList& runDirs) {
    QStringList labels;
    for (const QString& label : variantLabels) {
        labels << pretext::presetText(label);
    }
    m_labels = labels;
    m_stack->setCurrentIndex(0); // the curves, while they train
    m_runDirs = runDirs;
    updateSaliencyButton();
    m_loss->clearGraphs();
    m_accuracy->clearGraphs();
    QStringList named;
    for (int i = 0; i < labels.size(); ++i) {
        named << QStringLiteral("<span style=\"color:%1\">━━●━━</span>&nbsp;%2")
                     .arg(kVariantColors[i % 4].name(), labels[i].toHtmlEscaped());
    }
    m_legend->setText(named.join(QStringLiteral("&nbsp;&nbsp;&nbsp;&nbsp;")));
    m_table->setRowCount(static_cast<int>(labels.size()));
    for (int i = 0; i < labels.size(); ++i) {
        const QColor color = kVariantColors[i % 4];
        for (QCustomPlot* plot : {m_loss, m_accuracy}) {
            QCPGraph* g = plot->addGraph();
            g->setName(labels[i]);
            g->setPen(QPen(color, 2));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        }
        auto* name = new QTableWidgetItem(labels[i]);
        name->setForeground(color);
        m_table->setItem(i, Variant, name);
        for (int c = Step; c < RunFolder; ++c) {
            m_table->setItem(i, c, new QTableWidgetItem(QStringLiteral("—")));
        }
        m_table->setItem(i, RunFolder,
                         new QTableWidgetItem(QDir::toNativeSeparators(runDirs.value(i))));
    }
    m_status->setText(
        tr("Training %1 variants side by side, one step of each in turn.").arg(labels.size()));
}

void ShortcutPanel::onProgress(int variant, const pretext::TrainProgress& p) {
    if (variant >= m_loss->graphCount()) {
        return;
    }
    m_table->item(variant, Step)->setText(QString::number(p.step));
    const auto loss = p.metrics.constFind(QStringLiteral("heldout_loss"));
    if (loss == p.metrics.cend()) {
        return; // the held-out figures come every few steps
    }
    m_loss->graph(variant)->addData(static_cast<double>(p.step), loss->toDouble());
    m_table->item(variant, HeldOutLoss)->setText(QString::number(loss->toDouble(), 'f', 4));
    const auto accuracy = p.metrics.constFind(QStringLiteral("heldout_accuracy"));
    if (accuracy != p.metrics.cend()) {
        m_accuracy->graph(variant)->addData(static_cast<double>(p.step), accuracy->toDouble());
        m_table->item(variant, HeldOutAccuracy)
            ->setText(QString::number(accuracy->toDouble(), 'f', 3));
    }
    m_accuracy->setVisible(accuracy != p.metrics.cend());
    for (QCustomPlot* plot : {m_loss, m_accuracy}) {
        plot->rescaleAxes();
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ShortcutPanel::onFinished(const QString& reason) {
    m_running = false;
    m_run->setText(tr("Run side by side"));
    m_run->setEnabled(true);
    if (reason == QLatin1String("finished")) {
        m_status->setText(
            tr("Done. The runs are in the Runs panel (select them to compare every curve)."));
    } else if (reason == QLatin1String("stopped")) {
        m_status->setText(tr("Stopped; what was trained is kept in the run folders."));
    }
    updateSaliencyButton();
    Q_EMIT diagnosticFinished(reason, m_runDirs);
}

bool ShortcutPanel::showingSaliency() const {
    return m_stack->currentWidget() == m_saliency;
}

void ShortcutPanel::updateSaliencyButton() {
    m_saliencyButton->setText(showingSaliency() ? tr("Curves") : tr("Saliency"));
    m_saliencyButton->setEnabled(showingSaliency() ||
                                 (!m_running && !m_saliencyJob->busy() && !m_runDirs.isEmpty()));
}

void ShortcutPanel::toggleSaliency() {
    if (showingSaliency()) {
        m_stack->setCurrentIndex(0);
        updateSaliencyButton();
        return;
    }
    if (m_running || m_saliencyJob->busy() || m_runDirs.isEmpty()) {
        return;
    }
    const QStringList runDirs = m_runDirs;
    m_saliencyJob->run<QList<pretext::SaliencyResult>>(
        [runDirs](const pretext::CancelToken& cancel) {
            QList<pretext::SaliencyResult> results;
            for (const QString& dir : runDirs) {
                pretext::SaliencyRequest q;
                q.runDir = dir;
                q.count = 4;
                q.cancel = cancel;
                results << pretext::saliencyRun(q);
            }
            return results;
        },
        [this](const QList<pretext::SaliencyResult>& results, const QString& error) {
            if (!error.isEmpty()) {
                m_status->setText(tr("The saliency could not be computed: %1").arg(error));
                updateSaliencyButton();
                return;
            }
            // Per variant: its samples as its model sees them, and their occlusion maps.
            pretext::ImageGrid grid;
            for (int v = 0; v < results.size(); ++v) {
                const pretext::ImageGrid& g = results[v].grid;
                const QString label = m_labels.value(v, QString::number(v + 1));
                grid.columnTitles << tr("%1: seen").arg(label) << tr("%1: occlusion").arg(label);
                for (int r = 0; r < g.rows.size(); ++r) {
                    if (grid.rows.size() <= r) {
                        grid.rows.append(QList<QImage>());
                    }
                    grid.rows[r] << g.rows[r].value(0) << g.rows[r].value(2);
                }
            }
            m_saliency->setGrid(grid);
            m_stack->setCurrentWidget(m_saliency);
            m_status->setText(tr("Occlusion: brighter where hiding a square raises the loss "
                                 "more; the same held-out images for every variant."));
            updateSaliencyButton();
        });
    m_saliencyButton->setEnabled(false);
    m_status->setText(tr("Computing the saliency of each variant…"));
}

void ShortcutPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
    }
}

void ShortcutPanel::restyle() {
    stylePlot(m_loss, palette());
    stylePlot(m_accuracy, palette());
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_accuracy->replot(QCustomPlot::rpQueuedReplot);
}
