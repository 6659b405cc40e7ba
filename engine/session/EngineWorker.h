#pragma once
// The engine thread's object: owns the loaded images, the model, the optimizer and
// the device. Move it to a QThread; call its slots through queued connections or
// QMetaObject::invokeMethod; it answers with signals. requestStop() alone may be
// called directly from any thread. No torch types here: the UI includes this.
#include "InspectTypes.h"
#include "SessionTypes.h"

#include <QObject>
#include <atomic>
#include <memory>

namespace pretext {

struct LoadedData;

class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Thread-safe: the loop sees it at the next batch boundary.
    void requestStop();
    // Thread-safe: a video being decoded stops within a few frames; the data loaded
    // before stays.
    void requestCancelLoad();

public Q_SLOTS:
    // The demo images, and the demo video with them when `withVideo`; without it the
    // video is made when a video task first needs it (its preview, or training), so
    // that the window shows an image task's preview sooner.
    void loadDemo(int sizePx, quint64 seed, bool withVideo = true);
    // Images over `maxMegapixels` (read from their headers) are skipped and named.
    // `pipeline` (auto | cache | stream), `decodeThreads` (0: half the CPUs) and
    // `cacheMb` say how training reads them (ImagePipelineSettings).
    void loadPaths(const QStringList& paths, int sizePx, int maxMegapixels = 64,
                   const QString& pipeline = QStringLiteral("auto"), int decodeThreads = 0,
                   int cacheMb = 512);
    // Video files: every `stride`-th frame, cached under `budgetMb` when they fit (or as
    // `pipeline` says), else read clip by clip by `decodeThreads` threads.
    void loadVideos(const QStringList& paths, int sizePx, int stride, int budgetMb,
                    int maxMegapixels = 64, const QString& pipeline = QStringLiteral("auto"),
                    int decodeThreads = 0);
    // `augment` as TrainSettings::augment; with `showOriginal` the images are shown
    // before augmentation too.
    void requestPreview(const QString& task, const QVariantMap& params, quint64 seed, int count,
                        const QString& augment = QStringLiteral("off"), bool showOriginal = false);
    void startTraining(const pretext::TrainSettings& settings);
    // Loads what a config's "data" describes (demo set, image files or videos).
    void loadDescribed(const QJsonObject& description);
    // Goes on with the run in `runDir` from its checkpoint, with its own settings, to
    // `maxSteps` (0: until stopped); first loads the run's data when other data is loaded.
    // learningRate > 0 replaces the run's own (a run that diverged goes on lower).
    void resumeTraining(const QString& runDir, qint64 maxSteps, double learningRate = 0.0);
    void pause();
    void resume();
    // Paused: one step on the next batch, or on the last step's batch again (replay),
    // answered with stepReported and, when inspecting, inspectionReady.
    void stepOnce();
    void replayBatch();
    // The gradient view: while on, a step now and then (and every step in step mode)
    // has its ∂L/∂output checked against the closed form, showing `sample` of its batch.
    // A change while paused inspects the last batch again at once.
    void setInspecting(bool on, int sample);
    void stop();
    void setLearningRate(double lr);
    // A display parameter (a decoding temperature): applied to the running run, and
    // the last held-out outputs are re-decoded with it at once, even after the run.
    void setDisplayParam(const QString& name, double value);
    // A run folder followed (written by another process): its latest checkpoint's
    // outputs on the first `count` images loaded here, as snapshotReady.
    void reconstructFromCheckpoint(const QString& runDir, int count = 6);

Q_SIGNALS:
    void dataLoaded(const pretext::DataSummary& summary);
    void loadProgress(int done, int total);
    void videoLoadProgress(qint64 framesDone, qint64 framesExpected);
    // The user cancelled a video load; the data loaded before stays (not an error).
    void loadCancelled();
    void previewReady(const pretext::ImageGrid& grid);
    // startStep: 0 for a new run, the checkpoint's step for a resumed one; convRoutes:
    // how the convolutions run (RoutePlan::summary).
    void trainingStarted(const QString& runDir, const QString& device, qint64 startStep,
                         const QString& convRoutes);
    void progress(const pretext::TrainProgress& progress);
    void snapshotReady(const pretext::ImageGrid& grid);
    void stateChanged(pretext::EngineState state);
    void trainingFinished(const QString& reason, const QString& runDir);
    // The loss or a gradient became NaN or infinite (before trainingFinished "error"):
    // the message, the run, the step of its checkpoint on disk (-1: none), the rate
    // that diverged and the run's step limit.
    void trainingDiverged(const QString& message, const QString& runDir, qint64 checkpointStep,
                          double learningRate, qint64 maxSteps);
    void errorOccurred(const QString& message);
    void inspectionReady(const pretext::InspectionView& inspection);
    void stepReported(const pretext::StepReport& report);

private:
    void runLoop();
    void beginSession(const struct SessionOptions& options);
    // Loads `description` unless the data loaded already is that; false on failure.
    bool ensureData(const QJsonObject& description, bool withDemoVideo);
    // The demo video, made now if the task trains on video and the demo set was loaded
    // without it; false when that failed (reported).
    bool ensureDemoVideo(const std::string& task);
    enum class StepMode { Run, Once, Replay };
    bool trainOneStep(StepMode mode = StepMode::Run);
    // Asks the next step for a gradient inspection when one is due (always in step mode).
    void prepareInspection(bool stepMode);
    void emitInspection();
    void finishTraining(const QString& reason);
    void setState(EngineState state);
    void emitSnapshot();
    // Takes what a load produced; when it holds nothing, says why (`nothingLoaded`,
    // followed by the skipped files) and keeps the previous data.
    void adoptLoaded(std::unique_ptr<LoadedData> loaded, const QString& nothingLoaded);

    struct Impl;
    std::unique_ptr<Impl> d;
    std::atomic<bool> m_stopRequested{false};
    std::atomic<bool> m_cancelLoad{false};
};

void registerEngineTypes();

} // namespace pretext
