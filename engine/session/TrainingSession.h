#pragma once
// A training run as both the GUI worker and the headless `train` command drive
// it: the core Trainer plus its run folder (config, metrics, checkpoints, previews).
#include "DataSource.h"
#include "RunFolder.h"
#include "SessionTypes.h"
#include "Trainer.h"

#include <QElapsedTimer>
#include <memory>

namespace pretext {

struct SessionOptions {
    TrainSettings settings;
    int checkpointEverySteps = 250;
    int previewEverySteps = 100;
    int evaluateEverySteps = 25; // held-out loss and metrics; also at step 1 and at the end
};

class TrainingSession {
public:
    // Throws TrainingError with a message for a person (bad device, folder in use...).
    TrainingSession(const SessionOptions& options, const LoadedData& data);

    TrainProgress step();
    // Held-out loss and metrics as heldout_* entries, and the task's histogram.
    void addEvaluation(TrainProgress& progress);
    ImageGrid snapshot();
    // Final checkpoint and preview; safe to call more than once.
    void finish();
    bool reachedMaxSteps() const;

    QString runDir() const { return m_folder->path(); }
    QString deviceName() const;
    Trainer& trainer() { return *m_trainer; }

private:
    void saveCheckpoint();
    void savePreview();

    SessionOptions m_options;
    std::unique_ptr<Trainer> m_trainer;
    std::unique_ptr<RunFolder> m_folder;
    QElapsedTimer m_clock;
    double m_emaImagesPerSec = 0.0;
    qint64 m_lastSavedStep = -1;
    qint64 m_lastPreviewStep = -1;
};

QJsonObject describeRun(const TrainSettings& settings, const Trainer& trainer,
                        const LoadedData& data);

} // namespace pretext
