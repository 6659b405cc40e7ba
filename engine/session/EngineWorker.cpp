#include "EngineWorker.h"
#include "EngineWorkerImpl.h"

#include "DataSource.h"
#include "Errors.h"
#include "Memory.h"
#include "Preview.h"
#include "RunConfig.h"
#include "TaskCatalog.h"
#include "TensorImage.h"
#include "Threads.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QElapsedTimer>
#include <QThread>
#include <torch/torch.h>

#include <optional>

namespace pretext {

void registerEngineTypes() {
    qRegisterMetaType<ImageGrid>();
    qRegisterMetaType<DataSummary>();
    qRegisterMetaType<TrainSettings>();
    qRegisterMetaType<TrainProgress>();
    qRegisterMetaType<EngineState>();
    qRegisterMetaType<InspectionView>();
    qRegisterMetaType<StepReport>();
}

EngineWorker::EngineWorker(QObject* parent) : QObject(parent), d(std::make_unique<Impl>()) {
    registerEngineTypes();
    // Before any tensor work: BLAS held to one thread, torch's pool on every core,
    // whatever OMP_NUM_THREADS or OPENBLAS_NUM_THREADS the environment holds.
    d->threads = configureThreads();
    // Freed tensor memory kept for the next step instead of mapped afresh (Memory.h).
    configureMemory();
}

EngineWorker::~EngineWorker() = default;

void EngineWorker::requestStop() {
    m_stopRequested = true;
}

void EngineWorker::requestCancelLoad() {
    m_cancelLoad = true;
}

void EngineWorker::setState(EngineState state) {
    if (d->state != state) {
        d->state = state;
        Q_EMIT stateChanged(state);
    }
}

// Every slot runs in the engine thread; exceptions end here, never cross threads.
void EngineWorker::loadDemo(int sizePx, quint64 seed, bool withVideo) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("Stop training before loading other data."));
        return;
    }
    try {
        setState(EngineState::Loading);
        d->data = std::make_unique<LoadedData>(loadDemoData(sizePx, seed, 0, withVideo));
        d->dataStats.clear();
        Q_EMIT dataLoaded(summarize(*d->data));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("The demo set could not be made: %1").arg(QString::fromStdString(describeError(e))));
    }
    setState(EngineState::Idle);
}

void EngineWorker::loadPaths(const QStringList& paths, int sizePx, int maxMegapixels,
                             const QString& pipeline, int decodeThreads, int cacheMb) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("Stop training before loading other data."));
        return;
    }
    try {
        setState(EngineState::Loading);
        adoptLoaded(
            std::make_unique<LoadedData>(loadImageFiles(
                paths, sizePx, [this](int done, int total) { Q_EMIT loadProgress(done, total); },
                maxMegapixels, ImagePipelineSettings{decodeThreads, pipeline, cacheMb})),
            tr("Nothing could be loaded from %1").arg(paths.join(QStringLiteral(", "))));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("Loading failed: %1").arg(QString::fromStdString(describeError(e))));
    }
    setState(EngineState::Idle);
}

void EngineWorker::loadVideos(const QStringList& paths, int sizePx, int stride, int budgetMb,
                              int maxMegapixels, const QString& pipeline, int decodeThreads) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("Stop training before loading other data."));
        return;
    }
    m_cancelLoad = false;
    try {
        setState(EngineState::Loading);
        QElapsedTimer sinceProgress; // invalid until the first report, which goes out at once
        bool cancelled = false;
        auto loaded = std::make_unique<LoadedData>(loadVideoFiles(
            paths, {sizePx, stride, budgetMb, maxMegapixels, pipeline, decodeThreads},
            [&](qint64 done, qint64 total) {
                if (!sinceProgress.isValid() || sinceProgress.elapsed() >= 50) { // ~20 updates/s
                    Q_EMIT videoLoadProgress(done, total);
                    sinceProgress.start();
                }
                return !m_cancelLoad.load();
            },
            &cancelled));
        if (cancelled) {
            Q_EMIT loadCancelled();
            Q_EMIT dataLoaded(d->data ? summarize(*d->data) : DataSummary{});
        } else {
            adoptLoaded(
                std::move(loaded),
                tr("No video could be loaded from %1").arg(paths.join(QStringLiteral(", "))));
        }
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("Loading failed: %1").arg(QString::fromStdString(describeError(e))));
    }
    m_cancelLoad = false;
    setState(EngineState::Idle);
}

void EngineWorker::adoptLoaded(std::unique_ptr<LoadedData> loaded, const QString& nothingLoaded) {
    if (loaded->images.size(0) > 0) {
        d->data = std::move(loaded);
        d->dataStats.clear();
        Q_EMIT dataLoaded(summarize(*d->data));
        return;
    }
    const QString why = loaded->skipped.isEmpty()
                            ? tr("no image or video files (png, jpg, bmp, webp, tif; avi, mp4, "
                                 "mkv, ...) were found")
                            : formatSkipped(loaded->skipped);
    Q_EMIT errorOccurred(tr("%1:\n%2").arg(nothingLoaded, why));
    // The previous data stays loaded; report the failure in the summary too.
    DataSummary failed = d->data ? summarize(*d->data) : DataSummary{};
    failed.skipped = loaded->skipped;
    Q_EMIT dataLoaded(failed);
}

void EngineWorker::requestPreview(const QString& task, const QVariantMap& params, quint64 seed,
                                  int count, const QString& augment, bool showOriginal) {
    if (!d->data || d->data->images.size(0) == 0) {
        return;
    }
    try {
        const std::string name = task.toStdString();
        Task* t = d->task(name);
        if (!t) {
            Q_EMIT errorOccurred(tr("Unknown task '%1'").arg(task));
            return;
        }
        if (!ensureDemoVideo(name)) {
            return;
        }
        auto& stats = d->dataStats[name];
        if (!stats) {
            stats = t->analyze(d->data->images);
        }
        const PreviewAugment a{resolveAugment(augment, *d->data), showOriginal};
        const ImageGrid grid =
            makePreview(*t, *d->data, toParamValues(params), seed, count, stats, a);
        Q_EMIT previewReady(grid);
    } catch (const std::exception& e) {
        // Parameters being edited are often briefly inconsistent: say why in the
        // preview itself rather than in a dialog at every keystroke.
        ImageGrid empty;
        empty.note = tr("No preview: %1").arg(QString::fromStdString(describeError(e)));
        Q_EMIT previewReady(empty);
    }
}

void EngineWorker::startTraining(const TrainSettings& settings) {
    SessionOptions options;
    options.settings = settings;
    beginSession(options);
}

bool EngineWorker::ensureData(const QJsonObject& description, bool withDemoVideo) {
    if (d->data && d->data->description == description &&
        (!withDemoVideo || d->data->video || description.value("source").toString() != "demo")) {
        return true;
    }
    m_cancelLoad = false;
    setState(EngineState::Loading);
    bool ok = false;
    try {
        QElapsedTimer sinceProgress;
        auto loaded = std::make_unique<LoadedData>(
            loadDescribedData(description, withDemoVideo, [&](qint64 done, qint64 total) {
                if (!sinceProgress.isValid() || sinceProgress.elapsed() >= 50) {
                    Q_EMIT videoLoadProgress(done, total);
                    sinceProgress.start();
                }
                return !m_cancelLoad.load();
            }));
        d->data = std::move(loaded);
        d->dataStats.clear();
        Q_EMIT dataLoaded(summarize(*d->data));
        ok = true;
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("The data could not be loaded: %1").arg(QString::fromStdString(describeError(e))));
        Q_EMIT dataLoaded(d->data ? summarize(*d->data) : DataSummary{});
    }
    m_cancelLoad = false;
    setState(EngineState::Idle);
    return ok;
}

bool EngineWorker::ensureDemoVideo(const std::string& task) {
    Task* t = d->task(task);
    // Never while a run trains on the data held now.
    if (d->session || t == nullptr || !t->info().video || !d->data || d->data->video ||
        d->data->description.value(QStringLiteral("source")).toString() != QLatin1String("demo")) {
        return true;
    }
    setState(EngineState::Loading);
    bool ok = true;
    try {
        addDemoVideo(*d->data); // the images and what was learned of them stay
        Q_EMIT dataLoaded(summarize(*d->data));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The demo video could not be made: %1")
                                 .arg(QString::fromStdString(describeError(e))));
        ok = false;
    }
    setState(EngineState::Idle);
    return ok;
}

void EngineWorker::loadDescribed(const QJsonObject& description) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("Stop training before loading other data."));
        return;
    }
    ensureData(description, description.value("source").toString() == "demo");
}

void EngineWorker::resumeTraining(const QString& runDir, qint64 maxSteps, double learningRate) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("A run is already going; stop it first."));
        return;
    }
    RunConfig config;
    QString error;
    if (!readRunSettings(runDir, &config, &error)) {
        Q_EMIT errorOccurred(tr("The run cannot be resumed: %1").arg(error));
        return;
    }
    const auto task = makeTask(config.settings.task.toStdString());
    if (!ensureData(config.data, task && task->info().video)) {
        return;
    }
    SessionOptions options;
    options.settings = config.settings;
    options.settings.maxSteps = maxSteps;
    if (learningRate > 0) {
        options.settings.learningRate = learningRate;
        options.learningRateGiven = true;
    }
    options.resume = true;
    beginSession(options);
}

void EngineWorker::beginSession(const SessionOptions& options) {
    if (d->session) {
        Q_EMIT errorOccurred(tr("A run is already going; stop it first."));
        return;
    }
    if (!d->data || d->data->images.size(0) == 0) {
        Q_EMIT errorOccurred(tr("Load images (or the demo set) before training."));
        return;
    }
    if (!ensureDemoVideo(options.settings.task.toStdString())) {
        return;
    }
    try {
        d->session = std::make_unique<TrainingSession>(options, *d->data);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred((options.resume ? tr("The run could not be resumed: %1")
                                             : tr("Training could not start: %1"))
                                 .arg(QString::fromStdString(describeError(e))));
        return;
    }
    m_stopRequested = false;
    d->last.reset();
    d->session->trainer().setRecordLayerNorms(true); // the gradient view's per-layer plot
    QString device = d->session->deviceName();
    if (device == QLatin1String("cpu")) {
        device +=
            tr(" (%1 threads%2)")
                .arg(d->threads.torchThreads)
                .arg(d->threads.blasLimited
                         ? tr(", %1 held to 1").arg(QString::fromStdString(d->threads.blasName))
                         : QString());
    }
    Q_EMIT trainingStarted(d->session->runDir(), device, d->session->startStep(),
                           d->session->routeSummary());
    emitSnapshot();
    setState(EngineState::Running);
    QMetaObject::invokeMethod(this, &EngineWorker::runLoop, Qt::QueuedConnection);
}

// One step per event-loop turn, so queued commands (pause, lr, preview) are
// handled between batches and the stop flag is seen at every batch boundary.
void EngineWorker::runLoop() {
    if (!d->session || d->state != EngineState::Running) {
        return;
    }
    if (m_stopRequested || QThread::currentThread()->isInterruptionRequested()) {
        finishTraining(QStringLiteral("stopped"));
        return;
    }
    if (!trainOneStep()) {
        return;
    }
    if (d->session->reachedMaxSteps()) {
        finishTraining(QStringLiteral("finished"));
        return;
    }
    QMetaObject::invokeMethod(this, &EngineWorker::runLoop, Qt::QueuedConnection);
}

bool EngineWorker::trainOneStep(StepMode mode) {
    try {
        if (mode == StepMode::Run) {
            prepareInspection(false);
            Q_EMIT progress(d->session->step());
        } else {
            prepareInspection(true);
            TrainProgress p;
            const StepReport report = d->session->stepWithReport(mode == StepMode::Replay, &p);
            Q_EMIT progress(p);
            Q_EMIT stepReported(report);
        }
        emitInspection();
        if (mode == StepMode::Run && d->sinceSnapshot.elapsed() >= kSnapshotIntervalMs) {
            emitSnapshot();
        }
        return true;
    } catch (const NonFiniteError& e) {
        const QString runDir = d->session->runDir();
        const qint64 checkpoint = d->session->lastCheckpointStep();
        const qint64 maxSteps = d->session->maxSteps();
        d->session.reset(); // the diverged model is dropped; the checkpoint on disk stays
        setState(EngineState::Idle);
        Q_EMIT trainingDiverged(QString::fromStdString(e.what()), runDir, checkpoint,
                                e.learningRate(), maxSteps);
        Q_EMIT trainingFinished(QStringLiteral("error"), runDir);
        return false;
    } catch (const std::exception& e) {
        const QString runDir = d->session->runDir();
        Q_EMIT errorOccurred(
            tr("Training stopped: %1").arg(QString::fromStdString(describeError(e))));
        // Keep what was learned before the failure: the last good checkpoint stays.
        d->session.reset();
        setState(EngineState::Idle);
        Q_EMIT trainingFinished(QStringLiteral("error"), runDir);
        return false;
    }
}

void EngineWorker::emitSnapshot() {
    if (d->session) {
        Q_EMIT snapshotReady(d->session->snapshot());
        d->sinceSnapshot.start();
        Trainer& trainer = d->session->trainer();
        d->last = Impl::LastResults{trainer.config().task, trainer.heldOutBatch().to(torch::kCPU),
                                    trainer.lastHeldOutOutput(), trainer.config().params,
                                    trainer.stepCount()};
    }
}

void EngineWorker::finishTraining(const QString& reason) {
    const QString runDir = d->session->runDir();
    QString finalReason = reason;
    try {
        emitSnapshot();
        d->session->finish();
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The run's final files could not be written: %1")
                                 .arg(QString::fromStdString(describeError(e))));
        finalReason = QStringLiteral("error");
    }
    d->session.reset();
    releaseFreedMemory(); // what the run's steps kept goes back while the window idles
    m_stopRequested = false;
    setState(EngineState::Idle);
    Q_EMIT trainingFinished(finalReason, runDir);
}

void EngineWorker::pause() {
    if (d->state == EngineState::Running) {
        setState(EngineState::Paused);
        emitSnapshot();
    }
}

void EngineWorker::resume() {
    if (d->state == EngineState::Paused) {
        setState(EngineState::Running);
        QMetaObject::invokeMethod(this, &EngineWorker::runLoop, Qt::QueuedConnection);
    }
}

void EngineWorker::stepOnce() {
    if (d->state == EngineState::Paused && trainOneStep(StepMode::Once)) {
        emitSnapshot();
    }
}

void EngineWorker::replayBatch() {
    if (d->state == EngineState::Paused && trainOneStep(StepMode::Replay)) {
        emitSnapshot();
    }
}

void EngineWorker::stop() {
    m_stopRequested = true;
    // A running loop stops at its next turn; a paused run has no loop turning.
    if (d->session && d->state == EngineState::Paused) {
        finishTraining(QStringLiteral("stopped"));
    }
}

void EngineWorker::setDisplayParam(const QString& name, double value) {
    const std::string key = name.toStdString();
    // Only a parameter the task declares as a display choice; others wait for the next run.
    try {
        if (d->session && isDisplayParam(d->session->trainer().task().info(), key)) {
            d->session->trainer().setDisplayParam(key, value);
        }
        if (!d->last || !d->last->output.defined()) {
            return;
        }
        Task* task = d->task(d->last->task);
        if (!task || !isDisplayParam(task->info(), key)) {
            return;
        }
        torch::NoGradGuard noGrad;
        d->last->params[key] = value;
        Q_EMIT snapshotReady(toImageGrid(
            task->resultColumns(d->last->batch, d->last->output, d->last->params), d->last->step));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("%1 could not be applied: %2").arg(name, QString::fromStdString(describeError(e))));
    }
}

void EngineWorker::setLearningRate(double lr) {
    if (d->session) {
        d->session->trainer().setLearningRate(lr);
    }
}

} // namespace pretext
