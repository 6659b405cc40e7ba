#pragma once
// A training run as both the GUI worker and the headless `train` command drive
// it: the core Trainer plus its run folder (config, metrics, checkpoints, previews).
#include "DataSource.h"
#include "InspectTypes.h"
#include "KnnMonitor.h"
#include "RunFolder.h"
#include "SessionTypes.h"
#include "Trainer.h"

#include <QElapsedTimer>
#include <memory>

namespace pretext {

// The held-out loss at an evaluation, and the training loss's moving average then.
struct EvaluationPoint {
    qint64 step = 0;
    double heldOut = 0.0;
    double train = 0.0;
};

struct SessionOptions {
    TrainSettings settings;
    int checkpointEverySteps = 250;
    int previewEverySteps = 100;
    int evaluateEverySteps = 25; // held-out loss and metrics; also at step 1 and at the end
    // Go on with the run in settings.runDir from its checkpoint (settings as its
    // config.json gives them, maxSteps the new total) instead of starting a new one.
    bool resume = false;
    // With resume: the learning rate was asked for (settings.learningRate); otherwise the
    // run goes on at the rate in force when its checkpoint was saved.
    bool learningRateGiven = false;
    // A distributed run (headless): this process's membership. Rank 0 alone writes the
    // run folder; the other ranks only read it (a resume's checkpoint).
    std::shared_ptr<Communicator> group;
};

class TrainingSession {
public:
    // Throws TrainingError with a message for a person (bad device, folder in use, a
    // checkpoint that does not match its manifest...).
    TrainingSession(const SessionOptions& options, const LoadedData& data);

    // One step; with `replay`, on the last step's batch again.
    TrainProgress step(bool replay = false);
    // One step as step mode shows it: the held-out samples before and after, the batch's
    // loss before and after its update, the update's size. `progress` gets the step's.
    StepReport stepWithReport(bool replay, TrainProgress* progress);
    // Held-out loss and metrics as heldout_* entries, and the task's histogram.
    void addEvaluation(TrainProgress& progress);
    ImageGrid snapshot();
    // Final checkpoint and preview; safe to call more than once.
    void finish();
    // A distributed run: the trainer joins options.group (a collective: every rank calls
    // it, after every rank has set up). Nothing in a single process.
    void joinGroup();
    // This process writes the run folder: a single process, or rank 0.
    bool writes() const { return !m_options.group || m_options.group->rank() == 0; }
    bool reachedMaxSteps() const;
    qint64 maxSteps() const { return m_options.settings.maxSteps; } // 0: until stopped

    QString runDir() const { return m_folder ? m_folder->path() : m_options.settings.runDir; }
    // The step the run started from: 0, or the checkpoint's step for a resumed run.
    qint64 startStep() const { return m_startStep; }
    // The step of the checkpoint on disk: -1 when none was saved yet.
    qint64 lastCheckpointStep() const { return m_lastSavedStep; }
    QString deviceName() const;
    // How the convolutions run, for the status bar ("auto: 7 of 12 layers ...").
    QString routeSummary() const;
    // The augmentation in force, for a person ("random resized crop 35–100% ...").
    QString augmentDescription() const;
    // How the training images are read ("streamed: ..."), empty for a cached tensor.
    QString pipelineDescription() const;
    // Files met during training that could not be used, so far.
    int skippedDuringTraining() const { return m_skippedSeen; }
    Trainer& trainer() { return *m_trainer; }

private:
    void saveCheckpoint();
    void savePreview();
    // Names the files the source skipped since the last step (progress note, run folder).
    void reportSkipped(TrainProgress& p);

    SessionOptions m_options;
    std::unique_ptr<Trainer> m_trainer;
    std::unique_ptr<RunFolder> m_folder;
    QElapsedTimer m_clock;
    double m_wallOffsetS = 0.0; // wall time the run had before a resume
    qint64 m_startStep = 0;
    QByteArray m_configJson; // config.json as written, also kept in each checkpoint
    double m_emaImagesPerSec = 0.0;
    qint64 m_lastSavedStep = -1;
    qint64 m_lastPreviewStep = -1;
    QStringList m_layerNames;                           // Trainer::layerNames, once asked for
    std::pair<double, double> m_lastUpdate{-1.0, -1.0}; // the last step's ‖Δθ‖, ‖θ‖
    int m_skippedSeen = 0;
    QList<EvaluationPoint> m_evals; // to name overfitting
    double m_trainLossEma = -1.0;
    // The live k-NN monitor, when the settings name one.
    std::unique_ptr<KnnMonitor> m_monitor;
    double m_knnReference = 0.0; // the random-init encoder's k-NN accuracy
    double m_knnSeconds = 0.0;   // what the last monitor evaluation cost
    int m_monitorEvery = 0;      // steps between monitor evaluations; 0: not chosen yet
    bool monitorDue(qint64 step);
    void addMonitor(QJsonObject& config) const;
};

// The overfitting warning for these evaluations, or empty: the held-out loss (averaged
// over three evaluations: a held-out set of a dozen images is noisy) has risen to 25%
// over its lowest and stayed above it at the last three evaluations, while the training
// loss fell by a fifth or more since that low.
QString overfittingWarning(const QList<EvaluationPoint>& evals, qint64 trainingSamples);

// The augmentation a setting means for this data: "auto" is crop and flip for images
// and videos from files, none for the built-in and IDX sets.
AugmentSpec resolveAugment(const QString& setting, const LoadedData& data);

// `group`: a distributed run's (its world size and backend go into the config).
QJsonObject describeRun(const TrainSettings& settings, Trainer& trainer, const LoadedData& data,
                        const Communicator* group = nullptr);

} // namespace pretext
