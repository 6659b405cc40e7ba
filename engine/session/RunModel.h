#pragma once
// A run's trained model, opened for judging it (the probe, the k-NN accuracy, the
// embedding map): the run's config, its task and parameters, and the model of its
// latest checkpoint. Session-internal (it includes torch); the window never sees it.
#include "RunConfig.h"
#include "tasks/Task.h"

#include <QString>

#include <memory>

namespace pretext {

// A run's trained model, from its folder (config.json and the checkpoint) or from a
// checkpoint file (which carries its config). Throws std::runtime_error naming it.
struct RunModel {
    RunConfig config;
    std::unique_ptr<Task> task;
    ParamValues params;
    std::shared_ptr<TaskModelImpl> model;
    int64_t step = 0;
    int sizePx = 64;
};

// From a run folder (config.json and its checkpoint) or a checkpoint file (which carries
// its config). Throws std::runtime_error naming the folder or file and the problem.
RunModel openRunModel(const QString& runDir);

} // namespace pretext
