#pragma once
// The main window assembles the panels, owns the engine thread, and wires the
// panels' requests to the engine worker and the worker's answers to the panels.
#include "EngineWorker.h"
#include "SessionTypes.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QThread>
#include <QTimer>

namespace pretext {
class RunFollower;
}
class DataPanel;
class DisplayControls;
class FigureStrip;
class ImageGridView;
class CurvePlot;
class HistogramPlot;
class TaskPanel;
class TrainingPanel;
class RunsPanel;
class RunComparison;
class ProbePanel;
class EmbeddingPanel;
class SaliencyPanel;
class MathPanel;
class GradientPanel;
class StepPanel;
class ShortcutPanel;
class ViewSwitcher;
class QAction;
class QGroupBox;
class QCheckBox;
class QLabel;
class QDockWidget;
class QMenu;

namespace pretext {
class EngineWorker;
}

class EngineStatus;
class RecentFiles;
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Opens `paths` (images or folders), or the built-in demo set when empty.
    explicit MainWindow(const QStringList& paths = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts a run as soon as the first data set has loaded (the --train flag).
    void setStartWhenLoaded(bool start) { m_startWhenLoaded = start; }
    // Chooses the pretext task by registry name; false for an unknown one.
    bool selectTask(const QString& name);
    // Sets a parameter of the current task, "name=value" (choices by name); on failure
    // returns false with the reason in *error.
    bool applyParam(const QString& assignment, QString* error);
    void setMaxSteps(int steps);
    pretext::EngineState engineState() const { return m_state; }
    CurvePlot* lossPlot() const { return m_lossPlot; }
    CurvePlot* accuracyPlot() const { return m_accuracyPlot; }
    CurvePlot* knnPlot() const { return m_knnPlot; }
    HistogramPlot* errorHistogram() const { return m_histogram; }
    ImageGridView* previewView() const { return m_preview; }
    ImageGridView* reconstructionView() const { return m_reconstruction; }
    FigureStrip* previewFigures() const { return m_figures; }
    DisplayControls* displayControls() const { return m_display; }
    TrainingPanel* trainingPanel() const { return m_training; }
    TaskPanel* taskPanel() const { return m_task; }
    DataPanel* dataPanel() const { return m_data; }
    RunsPanel* runsPanel() const { return m_runs; }
    RunComparison* comparison() const { return m_comparison; }
    ViewSwitcher* curveTabs() const { return m_curveTabs; }
    ProbePanel* probePanel() const { return m_probe; }
    EmbeddingPanel* embeddingPanel() const { return m_embedding; }
    SaliencyPanel* saliencyPanel() const { return m_saliency; }
    MathPanel* mathPanel() const { return m_math; }
    GradientPanel* gradientPanel() const { return m_gradients; }
    StepPanel* stepPanel() const { return m_stepPanel; }
    ShortcutPanel* shortcutPanel() const { return m_shortcuts; }
    // The folder new runs are written to and the Runs panel lists; remembered for the
    // next start unless `remember` is false (the --workspace flag).
    QString workspace() const { return m_workspace; }
    void setWorkspace(const QString& dir, bool remember = true);
    // A grid (the preview or the held-out results) as a PNG sheet.
    bool exportGrid(ImageGridView* view, const QString& path, QString* error) const;
    // The preview's samples as a printable A4 handout with the task, its loss and the
    // settings: PDF or PNG by the path's ending.
    bool exportHandout(const QString& path, QString* error) const;
    // Applies a config's settings to the panels and loads its data when it names other data.
    bool loadConfig(const QString& path, QString* error);
    bool saveConfig(const QString& path, QString* error) const;
    // A built-in preset (Presets.h): the task, its options (the rest at their defaults),
    // the training options it names, and the image size it was tuned at.
    bool applyPreset(const QString& id, QString* error);
    // The task, its parameters and the training options as last used: kept when the
    // window closes, brought back at the next start (not for screenshots).
    void rememberOptions() const;
    bool restoreLastOptions();
    // Selects every listed run, overlaying their curves (the --compare flag).
    void compareAllRuns();

public Q_SLOTS:
    void openImages();
    void openFolder();
    void openVideos();
    void loadPaths(const QStringList& paths);
    void loadDemo();
    void startTraining();
    void stopTraining();
    // Goes on with a run from its checkpoint (the Runs panel's Resume).
    // learningRate > 0 replaces the run's own.
    void resumeRun(const QString& runDir, double learningRate = 0.0);
    // Writes the run's encoder for PyTorch (EncoderExport.h) and says where, or why not.
    // True when both files were written.
    bool exportEncoderTo(const QString& runDir, const QString& path);
    // Shows a run folder that another process writes, live and read-only: its curves,
    // its saved held-out previews, its checkpoint for the probe and the other views
    // (File ▸ Follow Run Folder…, --follow). False, with the reason shown, when it
    // cannot be followed.
    bool followRun(const QString& runDir);
    void stopFollowing();
    // The folder followed now; empty when none.
    QString followedRun() const;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    pretext::TrainSettings currentSettings() const;
    void buildCentralArea();
    void buildDocks();
    void buildMenus();
    void connectEngine();
    // Runs, configs and exports (MainWindowRuns.cpp).
    QDockWidget* buildRunsDock();
    void buildRunMenus(QMenu* file);
    void connectFollower();
    void showFollowStatus();
    void connectRuns();
    // Math, gradients and step mode (MainWindowTeach.cpp).
    void buildTeachTabs();
    void buildTeachActions(QMenu* train);
    void connectTeach();
    void updateInspecting();
    void applySettings(const pretext::TrainSettings& settings);
    // A resumed run's curves up to its checkpoint, so the plot shows the whole run.
    void prefillCurves(const QString& runDir);
    void schedulePreview();
    // Empties the live plots and sets them up for the task in the task panel.
    void preparePlots();
    // The task form's parameters and the live view's display parameters together.
    QVariantMap taskParams() const;
    void showError(const QString& message);
    // After a NaN or infinite loss or gradient: resume from the checkpoint (or start
    // again) with a tenth of the learning rate, on the user's word.
    void offerLowerRate(const QString& message, const QString& runDir, qint64 checkpointStep,
                        double learningRate);
    void updateState(pretext::EngineState state);
    void showProgress(const pretext::TrainProgress& progress);
    template <typename Fn> void callWorker(Fn&& fn);

    QThread m_thread;
    pretext::EngineWorker* m_worker = nullptr;
    pretext::EngineState m_state = pretext::EngineState::Idle;
    bool m_hasData = false;
    bool m_startWhenLoaded = false;
    QStringList m_sourcePaths; // what is loaded; empty for the demo set
    QString m_device;
    QString m_workspace;
    QJsonObject m_dataDescription; // of the data loaded, for Save Config

    DataPanel* m_data = nullptr;
    RunsPanel* m_runs = nullptr;
    RunComparison* m_comparison = nullptr;
    ProbePanel* m_probe = nullptr;
    EmbeddingPanel* m_embedding = nullptr;
    SaliencyPanel* m_saliency = nullptr;
    QString m_trainingRunDir; // the run the engine trains, while it does
    MathPanel* m_math = nullptr;
    GradientPanel* m_gradients = nullptr;
    StepPanel* m_stepPanel = nullptr;
    ShortcutPanel* m_shortcuts = nullptr;
    ViewSwitcher* m_curveTabs = nullptr;
    TaskPanel* m_task = nullptr;
    TrainingPanel* m_training = nullptr;
    CurvePlot* m_lossPlot = nullptr;
    CurvePlot* m_accuracyPlot = nullptr;
    CurvePlot* m_knnPlot = nullptr;
    HistogramPlot* m_histogram = nullptr;
    QGroupBox* m_accuracyBox = nullptr;
    QGroupBox* m_knnBox = nullptr;
    QStringList m_plottedMetrics; // the running task's metrics for the second plot
    QWidget* m_histogramBox = nullptr;
    ImageGridView* m_preview = nullptr;
    ImageGridView* m_reconstruction = nullptr;
    FigureStrip* m_figures = nullptr;
    DisplayControls* m_display = nullptr;
    EngineStatus* m_status = nullptr;
    RecentFiles* m_recent = nullptr;
    QLabel* m_previewNote = nullptr;
    QLabel* m_runWarning = nullptr;      // above the curves: overfitting, while it holds
    QCheckBox* m_showOriginal = nullptr; // the preview shows images before augmentation
    QTimer m_previewTimer;
    QTimer m_statusTimer;
    pretext::TrainProgress m_lastProgress;
    bool m_progressPending = false;
    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_replayAction = nullptr;
    pretext::RunFollower* m_follower = nullptr; // a run written elsewhere, followed
    QAction* m_stopFollowingAction = nullptr;
};

// Runs fn(worker) in the engine thread, after the requests queued before it.
template <typename Fn> void MainWindow::callWorker(Fn&& fn) {
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, fn = std::forward<Fn>(fn)]() { fn(w); }, Qt::QueuedConnection);
}
