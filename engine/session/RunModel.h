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

// An encoder from a state dict file (StateDict.h: one `export` wrote, or a PyTorch
// model's, a torchvision ResNet's fc.* ignored) under a linear-probe task of its own:
// `backbone` and `stem` by name, or empty/"auto" to take what the file looks like;
// `inputNorm` says how images in [0, 1] are fed to it: "imagenet" (torchvision's mean
// and deviation), "symmetric" (x * 2 - 1) or "unit" (as they are). Throws
// std::runtime_error naming the file and the problem.
RunModel openStateDictModel(const QString& path, const QString& backbone, const QString& stem,
                            const QString& inputNorm, int sizePx);

} // namespace pretext
