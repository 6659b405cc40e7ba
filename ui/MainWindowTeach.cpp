// The teaching and debugging views of the main window: the math of the task with a
// batch's numbers, the gradient inspector and step mode, as tabs beside the curves.
#include "MainWindow.h"

#include "CurvePlot.h"
#include "DataPanel.h"
#include "DisplayControls.h"
#include "GradientPanel.h"
#include "Handout.h"
#include "ImageGridView.h"
#include "MathPanel.h"
#include "Presets.h"
#include "RunsPanel.h"
#include "SaliencyPanel.h"
#include "ShortcutPanel.h"
#include "StepPanel.h"
#include "TaskPanel.h"
#include "TaskText.h"
#include "TrainingPanel.h"

#include "ViewSwitcher.h"
#include <QAction>
#include <QJsonObject>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>

using pretext::EngineState;
using pretext::EngineWorker;

void MainWindow::buildTeachTabs() {
    m_math = new MathPanel;
    m_math->setObjectName(QStringLiteral("mathPanel"));
    m_gradients = new GradientPanel;
    m_gradients->setObjectName(QStringLiteral("gradientPanel"));
    m_stepPanel = new StepPanel;
    m_stepPanel->setObjectName(QStringLiteral("stepPanel"));
    const QString inspect = tr("Inspect");
    m_curveTabs->addView(m_math, tr("Math"), inspect,
                         tr("The task's loss and gradient, with this step's numbers"));
    m_curveTabs->addView(m_gradients, tr("Gradients"), inspect,
                         tr("∂L/∂output on a sample, and the gradient norm of every layer"));
    m_curveTabs->addView(m_stepPanel, tr("Step mode"), inspect,
                         tr("One step at a time: the batch, the loss, what changed"));
    m_shortcuts = new ShortcutPanel;
    m_shortcuts->setObjectName(QStringLiteral("shortcutPanel"));
    m_curveTabs->addView(m_shortcuts, tr("Shortcuts"), inspect,
                         tr("Shortcut diagnostics: the same task with and without a cue, side "
                            "by side"));
    m_saliency = new SaliencyPanel;
    m_saliency->setObjectName(QStringLiteral("saliencyPanel"));
    m_curveTabs->addView(m_saliency, tr("Saliency"), inspect,
                         tr("Which pixels the model's prediction rests on: gradient × input and "
                            "occlusion, per tile for jigsaw"));
}

void MainWindow::buildTeachActions(QMenu* train) {
    m_replayAction = train->addAction(tr("&Replay This Batch"), QKeySequence(Qt::Key_F8),
                                      m_stepPanel->replayButton(), &QPushButton::click);
    m_replayAction->setEnabled(false);
}

void MainWindow::connectTeach() {
    auto taskToMath = [this] { m_math->setTask(m_task->currentInfo()); };
    taskToMath();
    connect(m_task, &TaskPanel::taskChanged, this, taskToMath);
    connect(m_worker, &EngineWorker::inspectionReady, m_math, &MathPanel::showInspection);
    connect(m_worker, &EngineWorker::inspectionReady, m_gradients, &GradientPanel::showInspection);
    connect(m_worker, &EngineWorker::progress, m_gradients, &GradientPanel::showProgress);
    connect(m_worker, &EngineWorker::stepReported, m_stepPanel, &StepPanel::showReport);
    connect(m_worker, &EngineWorker::stateChanged, m_stepPanel, &StepPanel::setState);
    connect(m_worker, &EngineWorker::stepReported, this,
            [this] { m_replayAction->setEnabled(m_state == EngineState::Paused); });
    connect(m_worker, &EngineWorker::stateChanged, this, [this](EngineState s) {
        m_replayAction->setEnabled(s == EngineState::Paused &&
                                   m_stepPanel->replayButton()->isEnabled());
    });
    connect(m_worker, &EngineWorker::trainingStarted, this, [this] {
        m_gradients->clear();
        m_stepPanel->clear();
    });
    connect(m_stepPanel, &StepPanel::pauseRequested, m_worker, &EngineWorker::pause);
    connect(m_stepPanel, &StepPanel::stepRequested, m_worker, &EngineWorker::stepOnce);
    connect(m_stepPanel, &StepPanel::replayRequested, m_worker, &EngineWorker::replayBatch);
    connect(m_task, &TaskPanel::presetChosen, this, [this](const QString& id) {
        QString error;
        if (!applyPreset(id, &error)) {
            showError(error);
        }
    });
    connect(m_shortcuts, &ShortcutPanel::diagnosticFinished, m_runs, [this] { m_runs->refresh(); });
    connect(m_worker, &EngineWorker::dataLoaded, m_shortcuts, &ShortcutPanel::setLoadedData);
    connect(m_gradients, &GradientPanel::sampleChanged, this, &MainWindow::updateInspecting);
    connect(m_curveTabs, &ViewSwitcher::currentChanged, this, &MainWindow::updateInspecting);
    updateInspecting();
}

// Gradient inspections cost a little: asked for only while a view that shows them is open.
void MainWindow::updateInspecting() {
    QWidget* current = m_curveTabs->currentWidget();
    const bool on = current == m_math || current == m_gradients || current == m_stepPanel;
    callWorker(
        [on, sample = m_gradients->sample()](EngineWorker* w) { w->setInspecting(on, sample); });
}

bool MainWindow::applyPreset(const QString& id, QString* error) {
    const pretext::Preset* preset = pretext::findPreset(id);
    if (preset == nullptr) {
        *error = tr("There is no preset '%1'.").arg(id);
        return false;
    }
    if (m_state != EngineState::Idle) {
        *error = tr("Stop training before choosing a preset.");
        m_task->showPreset(QString());
        return false;
    }
    // The task's options as the preset gives them, every other one at its default; the
    // training options it names; the seed and device stay the user's.
    const pretext::TrainSettings& p = preset->config.settings;
    m_task->selectTask(p.task);
    m_task->resetParams();
    pretext::TrainSettings s = currentSettings();
    s.task = p.task;
    s.params = taskParams();
    for (auto it = p.params.cbegin(); it != p.params.cend(); ++it) {
        s.params.insert(it.key(), it.value());
    }
    s.learningRate = p.learningRate;
    s.batchSize = p.batchSize;
    s.maxSteps = p.maxSteps;
    applySettings(s);
    // The data it was tuned on (the demo set at a size and count, or Fashion-MNIST for
    // rotation: the demo shapes have no "up"), unless the user's own files are loaded:
    // those stay, at the preset's size.
    const QJsonObject& data = preset->config.data;
    const int size = data.value(QStringLiteral("size_px")).toInt(0);
    if (!m_sourcePaths.isEmpty()) {
        if (size > 0 && size != m_data->sizePx()) {
            m_data->setSizePx(size); // reloads the files at the preset's size
        }
    } else if (!data.isEmpty()) {
        m_data->setSizePx(size > 0 ? size : m_data->sizePx(), false);
        callWorker([data](EngineWorker* w) { w->loadDescribed(data); });
    }
    m_task->showPreset(id);
    statusBar()->showMessage(tr("Preset: %1").arg(preset->title), 8000);
    return true;
}

bool MainWindow::exportHandout(const QString& path, QString* error) const {
    const pretext::HandoutText text = pretext::handoutText(m_task->currentInfo(), taskParams(),
                                                           m_task->seed(), m_preview->grid().note);
    return pretext::writeHandout(m_preview->grid(), text, path, error);
}
