#pragma once
// The linear probe (Goyal et al. 2019, at workbench scale): freeze an encoder, take
// each stage's features, global-average pooled, and fit a linear softmax classifier
// with L2 regularization on labelled training images; report top-1 accuracy on test
// images. Beside it, the papers' two baselines on the same splits: the same
// architecture with random weights, and raw pixels.
#include "Cancel.h"
#include "Models.h"
#include "tasks/Task.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace pretext {

struct ProbeOptions {
    // The L2 weight is chosen from these on a validation part of the training split
    // (the classifier is then fitted again on the whole training split).
    std::vector<double> l2Grid = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1};
    double validationFraction = 0.2;
    int iterations = 100; // L-BFGS iterations per fit (full batch)
    uint64_t seed = 1;
    // Checked between chunks of features and at every solver evaluation: a cancelled
    // probe unwinds with Cancelled within a fraction of a second.
    CancelToken cancel;
};

struct ProbeFit {
    int64_t dims = 0;
    double l2 = 0;
    double trainAccuracy = 0;
    double testAccuracy = 0;
};

// Fits W, b on (trainX, trainY) (features standardized with the training mean and
// deviation) and measures accuracy on both splits. Labels are int64 in [0, classes).
ProbeFit fitLinearProbe(const torch::Tensor& trainX, const torch::Tensor& trainY,
                        const torch::Tensor& testX, const torch::Tensor& testY, int64_t classes,
                        const ProbeOptions& options = {});

// Each encoder stage's output for `images` (N,3,h,w in [0,1], CPU), resized to
// `sizePx` and turned into what the encoder saw in training (Task::probeInput),
// global-average pooled: one (N, C_stage) CPU tensor per stage. In chunks, in eval mode.
std::vector<torch::Tensor> encoderFeatures(TaskModelImpl& model, const Task& task,
                                           const ParamValues& params, const torch::Tensor& images,
                                           int64_t sizePx, const torch::Device& device,
                                           int64_t chunk = 256, const CancelToken& cancel = {});

// Raw pixels, flattened: one channel when the images are gray, sides above `maxSide`
// area-averaged down to it.
torch::Tensor rawPixelFeatures(const torch::Tensor& images, int64_t maxSide = 32);

struct LabelledImages {
    torch::Tensor images; // (N,3,h,w) float in [0,1], CPU
    torch::Tensor labels; // (N) int64
};

struct ProbeReport {
    std::vector<ProbeFit> stages;       // the encoder under test, per stage
    std::vector<ProbeFit> randomStages; // the same architecture, random weights
    ProbeFit rawPixels;
    int64_t classes = 0;
    double seconds = 0;
};

// The whole protocol for one encoder: its stages, the random-weight model's stages
// (`randomModel`, built by the caller from the same seed), raw pixels; same splits.
ProbeReport probeEncoder(TaskModelImpl& model, TaskModelImpl& randomModel, const Task& task,
                         const ParamValues& params, int64_t sizePx, const LabelledImages& train,
                         const LabelledImages& test, int64_t classes, const torch::Device& device,
                         const ProbeOptions& options = {});

// The model stored in a checkpoint written by Trainer::checkpointBytes, for this
// task and these parameters; *step is the step it was saved at. Throws
// TrainingError (a std::runtime_error, for a person) for another task's checkpoint or a model that
// does not fit the parameters.
std::shared_ptr<TaskModelImpl> modelFromCheckpoint(const Task& task, const ParamValues& params,
                                                   const std::string& bytes,
                                                   int64_t* step = nullptr);

// The task's model at the random initialisation `seed` gives (the baselines' "random
// weights"), drawn under GlobalRngLock so that no other thread's draw interleaves.
std::shared_ptr<TaskModelImpl> randomInitModel(const Task& task, const ParamValues& params,
                                               uint64_t seed);

// The run's config (JSON text) a checkpoint carries; empty when it carries none.
// Throws TrainingError for a file that is no checkpoint of this program.
std::string checkpointConfig(const std::string& bytes);

} // namespace pretext
