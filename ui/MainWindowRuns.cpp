// The main window's runs, configs and exports: the Runs dock, File menu entries,
// resume, and what they write. Kept apart from MainWindow.cpp by concern.
#include "MainWindow.h"
#include "ShortcutPanel.h"

#include "CurvePlot.h"
#include "DisplayControls.h"
#include "EmbeddingPanel.h"
#include "EncoderExport.h"
#include "EngineWorker.h"
#include "ImageGridView.h"
#include "ImageSheet.h"
#include "ProbePanel.h"
#include "RunComparison.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "RunHistory.h"
#include "RunReport.h"
#include "RunsPanel.h"
#include "SaliencyPanel.h"
#include "TaskPanel.h"
#include "TrainingPanel.h"

#include "ViewSwitcher.h"
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QUrl>

#include <cmath>

using pretext::EngineState;
using pretext::EngineWorker;

QDockWidget* MainWindow::buildRunsDock() {
    m_runs = new RunsPanel;
    auto* dock = new QDockWidget(tr("Runs"), this);
    dock->setObjectName(QStringLiteral("runsDock"));
    dock->setWidget(m_runs);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    return dock;
}

void MainWindow::connectRuns() {
    connectFollower();
    QSettings settings;
    setWorkspace(settings.value(QStringLiteral("runs/workspace"), pretext::defaultRunsWorkspace())
                     .toString(),
                 false);
    connect(m_runs, &RunsPanel::workspaceChanged, this,
            [this](const QString& dir) { setWorkspace(dir); });
    connect(m_runs, &RunsPanel::selectionChanged, this, [this](const QStringList& paths) {
        // A new choice of runs brings the comparison forward; a refresh of the same
        // runs (a run starting or ending) only redraws it.
        const bool chosen = paths != m_comparison->runs();
        m_comparison->showRuns(paths);
        m_probe->setRun(paths.value(0));
        if (!paths.isEmpty()) {
            m_embedding->setRun(paths.value(0));
            m_saliency->setRun(paths.value(0));
        }
        if (chosen && !paths.isEmpty() && m_curveTabs->currentWidget() != m_probe) {
            m_curveTabs->setCurrentWidget(m_comparison);
        }
    });
    connect(m_runs, &RunsPanel::resumeRequested, this,
            [this](const QString& runDir) { resumeRun(runDir); });
    connect(m_runs, &RunsPanel::reportRequested, this, [this](const QString& runDir) {
        QString path, error;
        if (!writeRunReport(runDir, &path, &error)) {
            showError(tr("The report could not be written: %1").arg(error));
            return;
        }
        statusBar()->showMessage(tr("Report written: %1").arg(QDir::toNativeSeparators(path)),
                                 10000);
        QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    });
    connect(m_runs, &RunsPanel::exportRequested, this, [this](const QString& runDir) {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export encoder"), QDir(runDir).filePath(QStringLiteral("encoder.pt")),
            tr("PyTorch state dict (*.pt *.pth)"));
        if (!path.isEmpty()) {
            exportEncoderTo(runDir, path);
        }
    });
    // A run appears in the list when it starts and shows its figures when it ends.
    connect(m_worker, &EngineWorker::trainingStarted, m_runs, &RunsPanel::refresh);
    connect(m_worker, &EngineWorker::trainingFinished, m_runs, &RunsPanel::refresh);
    connect(m_worker, &EngineWorker::trainingDiverged, this, &MainWindow::offerLowerRate);
    connect(m_worker, &EngineWorker::stateChanged, this, [this](pretext::EngineState s) {
        m_runs->setIdle(s == pretext::EngineState::Idle);
        m_probe->setIdle(s == pretext::EngineState::Idle);
    });
    // The embedding map follows the run that trains, made again at its checkpoints.
    connect(m_worker, &EngineWorker::trainingStarted, this, [this](const QString& runDir) {
        m_trainingRunDir = runDir;
        m_embedding->setRun(runDir);
        m_saliency->setRun(runDir);
    });
    connect(m_worker, &EngineWorker::progress, this, [this](const pretext::TrainProgress& p) {
        if (p.checkpointed) {
            m_embedding->checkpointWritten(m_trainingRunDir);
            m_saliency->checkpointWritten(m_trainingRunDir);
        }
    });
    connect(m_worker, &EngineWorker::trainingFinished, this,
            [this](const QString&, const QString& runDir) {
                m_embedding->checkpointWritten(runDir);
                m_saliency->checkpointWritten(runDir);
                m_trainingRunDir.clear();
            });
    connect(m_embedding, &EmbeddingPanel::mapFinished, this,
            [this](bool ok, const QString& message) {
                statusBar()->showMessage(
                    ok ? message : tr("The embedding map failed: %1").arg(message), 10000);
            });
    connect(m_saliency, &SaliencyPanel::finished, this, [this](bool ok, const QString& message) {
        statusBar()->showMessage(ok ? message : tr("The saliency failed: %1").arg(message), 10000);
    });
    connect(m_probe, &ProbePanel::probeFinished, this, [this](bool ok, const QString& message) {
        if (ok) {
            statusBar()->showMessage(message, 10000);
        } else {
            showError(tr("The probe failed: %1").arg(message));
        }
    });
}

void MainWindow::setWorkspace(const QString& dir, bool remember) {
    m_workspace = dir;
    QDir().mkpath(dir);
    if (remember) {
        QSettings().setValue(QStringLiteral("runs/workspace"), dir);
    }
    if (m_runs->workspace() != dir) {
        m_runs->setWorkspace(dir);
    }
    if (m_shortcuts) {
        m_shortcuts->setWorkspace(dir);
    }
}

void MainWindow::compareAllRuns() {
    QStringList paths;
    for (const pretext::RunSummary& run : m_runs->runs()) {
        paths << run.path;
    }
    m_runs->selectRuns(paths);
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("runsDock"))) {
        dock->raise();
    }
}

bool MainWindow::exportGrid(ImageGridView* view, const QString& path, QString* error) const {
    if (view->grid().isEmpty()) {
        *error = tr("There is nothing to export yet: the grid is empty.");
        return false;
    }
    const QString title = view == m_preview
                              ? tr("%1, preview").arg(m_task->taskName())
                              : tr("%1, step %2").arg(m_task->taskName()).arg(view->grid().step);
    if (!pretext::renderSheet(view->grid(), title).save(path, "PNG")) {
        *error = tr("%1 could not be written").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return true;
}

void MainWindow::applySettings(const pretext::TrainSettings& s) {
    m_task->selectTask(s.task);
    m_task->setSeed(s.seed);
    for (auto it = s.params.cbegin(); it != s.params.cend(); ++it) {
        if (!m_task->setParam(it.key(), it.value().toDouble())) {
            m_display->setValue(it.key(), it.value().toDouble());
        }
    }
    m_training->applySettings(s);
}

bool MainWindow::loadConfig(const QString& path, QString* error) {
    pretext::RunConfig config;
    if (!pretext::readRunConfig(path, &config, error)) {
        return false;
    }
    if (m_state != EngineState::Idle) {
        *error = tr("Stop training before loading a config.");
        return false;
    }
    applySettings(config.settings);
    if (!config.data.isEmpty() && config.data != m_dataDescription) {
        const QStringList paths = [&] {
            QStringList p;
            for (const QJsonValue& v : config.data.value(QStringLiteral("paths")).toArray()) {
                p << v.toString();
            }
            return p;
        }();
        m_sourcePaths = paths;
        callWorker([data = config.data](EngineWorker* w) { w->loadDescribed(data); });
    }
    statusBar()->showMessage(tr("Config loaded from %1").arg(QDir::toNativeSeparators(path)), 8000);
    return true;
}

pretext::TrainSettings MainWindow::currentSettings() const {
    pretext::TrainSettings settings;
    settings.task = m_task->taskName();
    settings.params = taskParams();
    settings.seed = m_task->seed();
    m_training->fillSettings(settings);
    return settings;
}

bool MainWindow::saveConfig(const QString& path, QString* error) const {
    const QByteArray bytes =
        QJsonDocument(pretext::runConfigJson(currentSettings(), m_dataDescription))
            .toJson(QJsonDocument::Indented);
    return pretext::writeFileAtomically(path, bytes, error);
}

void MainWindow::rememberOptions() const {
    QSettings().setValue(
        QStringLiteral("session/options"),
        QJsonDocument(pretext::runConfigJson(currentSettings())).toJson(QJsonDocument::Compact));
}

bool MainWindow::restoreLastOptions() {
    const QJsonObject json =
        QJsonDocument::fromJson(QSettings().value(QStringLiteral("session/options")).toByteArray())
            .object();
    pretext::RunConfig config;
    QString error;
    // Options saved by another version may no longer parse: then the defaults stay.
    if (json.isEmpty() || !pretext::parseRunConfig(json, &config, &error)) {
        return false;
    }
    applySettings(config.settings);
    return true;
}

bool MainWindow::exportEncoderTo(const QString& runDir, const QString& path) {
    pretext::ExportRequest q;
    q.runDir = runDir;
    q.outPath = path;
    QApplication::setOverrideCursor(Qt::WaitCursor); // a checkpoint read, a file written: ~1 s
    QString error;
    QJsonObject json;
    try {
        json = pretext::exportEncoder(q);
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    QApplication::restoreOverrideCursor();
    if (!error.isEmpty()) {
        showError(tr("The encoder could not be exported: %1").arg(error));
        return false;
    }
    statusBar()->showMessage(tr("Encoder exported (%1, step %2): %3 and its .json")
                                 .arg(json.value(QStringLiteral("encoder")).toString())
                                 .arg(json.value(QStringLiteral("steps")).toInt())
                                 .arg(QDir::toNativeSeparators(path)),
                             15000);
    return true;
}

void MainWindow::resumeRun(const QString& runDir, double learningRate) {
    if (m_state != EngineState::Idle) {
        showError(tr("Stop the current run before resuming another."));
        return;
    }
    stopFollowing();
    pretext::RunConfig config;
    QString error;
    if (!pretext::readRunSettings(runDir, &config, &error)) {
        showError(tr("The run cannot be resumed: %1").arg(error));
        return;
    }
    const pretext::RunSummary summary = pretext::summarizeRun(runDir);
    // The Training panel's step limit when it lies beyond the run's step, else on
    // until stopped.
    const qint64 target = m_training->maxSteps() > summary.steps ? m_training->maxSteps() : 0;
    config.settings.maxSteps = target;
    if (learningRate > 0) {
        config.settings.learningRate = learningRate;
    }
    applySettings(config.settings);
    preparePlots();
    callWorker([runDir, target, learningRate](EngineWorker* w) {
        w->resumeTraining(runDir, target, learningRate);
    });
}

// Non-modal, like every message here: the window stays usable and tests never block.
void MainWindow::offerLowerRate(const QString& message, const QString& runDir,
                                qint64 checkpointStep, double learningRate) {
    const double lower = learningRate / 10.0;
    QString text = message;
    if (!text.isEmpty()) {
        text[0] = text[0].toUpper(); // the engine's messages start in lower case
    }
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Training diverged"), text,
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("divergedBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    QPushButton* again = nullptr;
    if (checkpointStep >= 0) {
        box->setInformativeText(
            tr("Resume from step %1 with the learning rate lowered from %2 to %3?")
                .arg(checkpointStep)
                .arg(learningRate)
                .arg(lower));
        again = box->addButton(tr("Resume with %1").arg(lower), QMessageBox::AcceptRole);
        connect(again, &QPushButton::clicked, this,
                [this, runDir, lower] { resumeRun(runDir, lower); });
    } else {
        box->setInformativeText(tr("Start a new run with the learning rate lowered from %1 to %2?")
                                    .arg(learningRate)
                                    .arg(lower));
        again = box->addButton(tr("Start again with %1").arg(lower), QMessageBox::AcceptRole);
        connect(again, &QPushButton::clicked, this, [this, lower] {
            m_training->setLearningRate(lower);
            startTraining();
        });
    }
    again->setObjectName(QStringLiteral("lowerRateButton"));
    box->addButton(QMessageBox::Close);
    statusBar()->showMessage(message.section(QLatin1Char(';'), 0, 0), 10000);
    box->show();
}

void MainWindow::prefillCurves(const QString& runDir) {
    pretext::RunCurves curves;
    QString error;
    if (!pretext::readRunCurves(QDir(runDir).filePath(QStringLiteral("metrics.csv")), &curves,
                                &error)) {
        return;
    }
    for (int i = 0; i < curves.rows(); ++i) {
        pretext::TrainProgress p;
        p.step = static_cast<qint64>(curves.steps[i]);
        p.wallTimeS = curves.wallS[i];
        p.loss = curves.loss[i];
        for (auto it = curves.metrics.cbegin(); it != curves.metrics.cend(); ++it) {
            if (!std::isnan(it.value()[i])) {
                p.metrics.insert(it.key(), it.value()[i]);
            }
        }
        showProgress(p);
    }
}
