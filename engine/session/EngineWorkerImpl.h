#pragma once
// The engine worker's state, shared by its source files (EngineWorker.cpp, and
// EngineWorkerTeach.cpp for the teaching views). Engine thread only.
#include "DataSource.h"
#include "EngineWorker.h"
#include "Threads.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QElapsedTimer>

#include <map>
#include <memory>
#include <optional>

namespace pretext {

// Reconstructions (and gradient inspections) at most ~3 times a second.
constexpr qint64 kSnapshotIntervalMs = 300;

struct EngineWorker::Impl {
    std::unique_ptr<LoadedData> data;
    std::unique_ptr<TrainingSession> session;
    EngineState state = EngineState::Idle;
    QElapsedTimer sinceSnapshot;
    ThreadSetup threads;
    // Preview tasks live as long as the worker, so what they cache (permutation
    // sets) is made once, not at every parameter change.
    std::map<std::string, std::unique_ptr<Task>> previewTasks;
    // What each task made of the loaded data (Task::analyze), until other data loads.
    std::map<std::string, std::shared_ptr<const DataStats>> dataStats;
    // The last held-out samples and the model's output on them, kept past the run's
    // end so a display parameter can re-decode them without the model.
    struct LastResults {
        std::string task;
        Batch batch;
        torch::Tensor output;
        ParamValues params;
        qint64 step = 0;
    };
    std::optional<LastResults> last;
    // The gradient view (EngineWorkerTeach.cpp): inspect a step now and then, showing
    // this sample of its batch.
    bool inspecting = false;
    int inspectSample = 0;
    QElapsedTimer sinceInspection;

    Task* task(const std::string& name) {
        auto& t = previewTasks[name];
        if (!t) {
            t = makeTask(name);
        }
        return t.get();
    }
};

} // namespace pretext
