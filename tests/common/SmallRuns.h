#pragma once
// Quick training runs the core suites share: small enough that a step takes
// milliseconds on a CPU, real enough to go through the whole trainer.
#include "Trainer.h"
#include "tasks/Registry.h"

// Rotation on a narrow small backbone, batch 4, LibTorch's convolutions: a quick step.
inline pretext::TrainConfig smallRotation() {
    pretext::TrainConfig cfg;
    cfg.task = "rotation";
    cfg.params =
        pretext::withDefaults(pretext::makeTask("rotation")->info(), {{"base_channels", 8}});
    cfg.batchSize = 4;
    cfg.convRoute = "libtorch";
    return cfg;
}
