#pragma once
// The training loop of one run: a task, its model and optimizer on one device,
// the cached images, and a fixed held-out batch for reconstructions. It knows
// nothing of threads or files; the session layer drives it and writes run folders.
#include "tasks/Task.h"

#include "Augment.h"
#include "ConvRoutes.h"
#include "Inspect.h"
#include "LossScaler.h"
#include "Optim.h"
#include "SampleSource.h"
#include "dist/GradientSync.h"

#include <torch/serialize/input-archive.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace pretext {

// Faults made on purpose, to test how a run meets them on any machine: at the given
// step (counted from 1; 0 = never) the loss becomes NaN, a gradient becomes NaN while
// the loss stays finite, or the step runs out of memory (`oomAttempts` times in a row:
// 1 lets the retry with half the batch succeed, 2 makes it fail too). In a distributed
// run, one rank can die at a step (its process killed) or hang there.
struct FaultInjection {
    int64_t nanLossAtStep = 0;
    int64_t nanGradientAtStep = 0;
    int64_t outOfMemoryAtStep = 0;
    int oomAttempts = 1;
    int64_t rankFaultAtStep = 0;
    int faultyRank = -1;
    bool rankHangs = false; // else it is killed
    bool any() const {
        return nanLossAtStep > 0 || nanGradientAtStep > 0 || outOfMemoryAtStep > 0 ||
               rankFaultAtStep > 0;
    }
};
// "nan-loss@STEP", "nan-grad@STEP", "oom@STEP", "oom-twice@STEP", "kill-rankR@STEP" or
// "hang-rankR@STEP", comma-separated; an empty string injects nothing. False, with *error for a
// person, on anything else.
bool parseFaultInjection(const std::string& spec, FaultInjection* faults, std::string* error);

struct TrainConfig {
    std::string task;   // registry name; empty: the registry's default task
    ParamValues params; // missing entries take the task's defaults
    int64_t batchSize = 32;
    double learningRate = 2e-3;
    uint64_t seed = 1;
    std::string device = "auto"; // auto | cpu | cuda
    int64_t heldOutCount = 6;    // held-out samples shown in the reconstruction panel
    // LibTorch's Adam, one parameter tensor at a time, instead of MultiTensorAdam (the
    // same numbers; kept to measure the difference).
    bool perTensorAdam = false;
    // How the convolutions choose their route (ConvRoutes.h): "auto" measures each layer
    // at the start of the run, "libtorch" and "fast" force one side. `convRoutes`, when
    // not empty, gives each layer's route as a run recorded it (a resume), unmeasured.
    std::string convRoute = "auto";
    std::map<std::string, std::string> convRoutes;
    // Augmentation of the training samples (Augment.h); held-out samples never are.
    // Colour jitter is dropped for a task whose TaskInfo::colourJitter is false.
    AugmentSpec augment;
    FaultInjection faults;
    // A state dict file (StateDict.h) the encoder starts from instead of its random
    // initialisation; empty: none (the session leaves it empty on a resume).
    std::string initEncoder;
    // Gradients of this many batches summed (each loss divided by it) before one update:
    // an effective batch of accumulate * batchSize.
    int64_t accumulate = 1;
    // "fp32"; "bf16": forward passes under autocast to bfloat16 (CPU and CUDA); "fp16":
    // to float16 with dynamic loss scaling (CUDA only); "amp": bf16 where the device
    // computes it (the CPU, CUDA from compute capability 8.0), else fp16. The trainer's
    // config() holds the one taken.
    std::string precision = "fp32";
    // Memory layout: "on" keeps the whole model's 4-D weights and its inputs channels-last
    // (NHWC, what tensor cores want under mixed precision); "off" none, not even a task's
    // own CPU choice (jigsaw and temporal order convert their encoder's input); "auto":
    // on for CUDA with bf16 or fp16, else the task's choice. config() holds the one taken
    // ("on", "off", or "task").
    std::string channelsLast = "auto";
    // Dynamic loss scaling (LossScaler.h): on by itself with fp16. Set alone, it scales
    // a float32 run the same way: the CPU has no float16 autocast, so tests check the
    // skipped updates and the scale's course there.
    bool lossScaling = false;
    // In a distributed run (joinGroup): BatchNorm normalises with the statistics of the
    // whole global batch instead of each rank's share (SyncBatchNorm.h).
    bool syncBatchNorm = false;
};

struct StepResult {
    int64_t step = 0; // steps done after this one
    double loss = 0.0;
    std::map<std::string, double> metrics;
    double stepMs = 0.0;
    // Set when the step ran out of memory and went on with half the batch (the batch
    // size stays halved from then on), or when loss scaling skipped its update: what
    // happened, for a person.
    std::string note;
    // Loss scaling found overflowed gradients: the step was counted, its update skipped
    // and the scale lowered (expected now and then with fp16; `note` says so).
    bool updateSkipped = false;
    // While Trainer::setRecordLayerNorms is on: ‖∂L/∂θ‖₂ per layer (Trainer::layerNames).
    std::vector<double> layerGradientNorms;
    // While Trainer::setMeasureUpdates is on: ‖Δθ‖₂ of this step's update and ‖θ‖₂ before it.
    double updateNorm = -1.0;
    double parameterNorm = -1.0;
};

// The model on the held-out images, in eval mode without gradients.
struct Evaluation {
    double loss = 0.0;
    std::map<std::string, double> metrics;
    std::vector<double> histogram;
    std::string histogramTitle;
    std::string histogramAxis;
    std::vector<std::string> histogramLabels;
};

// Thrown for a run that cannot go on (NaN loss, bad config); the message is for a person.
class TrainingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The loss or a gradient stopped being a finite number. The step was not applied: the
// model is as it was after the step before, and nothing was saved from it.
class NonFiniteError : public TrainingError {
public:
    NonFiniteError(const std::string& message, int64_t step, double learningRate)
        : TrainingError(message), m_step(step), m_learningRate(learningRate) {}
    int64_t step() const { return m_step; }
    double learningRate() const { return m_learningRate; }
    // What the message suggests: a tenth of the rate that diverged.
    double suggestedLearningRate() const { return m_learningRate / 10.0; }

private:
    int64_t m_step;
    double m_learningRate;
};

// Opens checkpoint bytes (Trainer::checkpointBytes) on `device`; with `task` given,
// refuses another task's. Throws TrainingError (for a person) for anything else.
void openCheckpoint(torch::serialize::InputArchive& archive, const std::string& bytes,
                    const torch::Device& device, const std::string& task = {});
// Loads an opened checkpoint's model into `model`; TrainingError when it does not fit.
void loadCheckpointModel(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                         const std::string& task);

// "auto" picks CUDA when LibTorch sees it; "cuda" (or "cuda:N", a rank's own GPU)
// without a GPU throws TrainingError.
torch::Device resolveDevice(const std::string& choice);

class Trainer {
public:
    // images: (N,3,H,W) float in [0,1] on the CPU. A video task refuses still images.
    Trainer(TrainConfig config, const torch::Tensor& images);
    // A video task trains on windows of these frames; an image task on the frames.
    Trainer(TrainConfig config, const VideoFrames& video);
    // Whichever the task trains on: windows of `video` for a video task (refused when
    // null), `images` otherwise.
    Trainer(TrainConfig config, const torch::Tensor& images, const VideoFrames* video);
    // An image task trains on samples a source decodes as they are needed (files
    // streamed or cached by engine/io); the trainer draws the order and the
    // augmentation, and tells the source what comes next.
    Trainer(TrainConfig config, std::shared_ptr<SampleSource> source);

    StepResult step();
    // The parts of a step, for benchmarks and for stepping on one batch again: the
    // next training batch (the sampling stream advances), and one optimizer step on
    // a given batch, reading the loss and metrics back, or not (trainQuietly: the
    // step's work is only queued, nothing waits for the device; lastLoss() reads it
    // when it is wanted and checks it then).
    Batch nextBatch();
    StepResult trainOn(const Batch& batch);
    void trainQuietly(const Batch& batch);
    double lastLoss();
    // Model outputs on a few fixed held-out samples, for the reconstruction panel.
    std::vector<VisualColumn> heldOutResults();
    // The samples behind heldOutResults() and the model's last output on them (CPU),
    // so a display choice can be re-decoded after the run without the model.
    const Batch& heldOutBatch() const { return m_heldOut; }
    const torch::Tensor& lastHeldOutOutput() const { return m_lastHeldOutOutput; }
    // Changes a display parameter (ParamSpec::display) of the running task.
    void setDisplayParam(const std::string& name, double value);
    // Loss and metrics on the whole held-out set (up to 128 images kept out of
    // training; a set under 64 images is too small to split and is judged on itself).
    Evaluation evaluate();
    // Samples evaluate() judges: the held-out part, or the whole set when it is too small.
    int64_t heldOutSamples() const { return m_evalBatch.original.size(0); }
    double heldOutLoss() { return evaluate().loss; }

    // Teaching and debugging views. The next step keeps autograd's ∂L/∂output and checks
    // it against the closed form, showing sample `sample`; takeInspection() hands the
    // result over once (empty until such a step ran).
    void inspectNextStep(int64_t sample) { m_inspectSample = std::max<int64_t>(0, sample); }
    std::optional<GradientInspection> takeInspection();
    void setRecordLayerNorms(bool on) { m_recordLayerNorms = on; }
    void setMeasureUpdates(bool on) { m_measureUpdates = on; }
    // The weighted layers (convolutions, linear maps) in the order of
    // StepResult::layerGradientNorms.
    std::vector<std::string> layerNames();
    // The batch of the last step, and one more step on it (step mode's "replay"): the
    // sampling stream does not advance.
    const Batch& lastBatch() const { return m_lastBatch; }
    StepResult replayLastBatch();

    // The route each convolution takes, and how it was chosen (ConvRoutes.h).
    const RoutePlan& routePlan() const { return m_routePlan; }
    // Chooses the routes again for the training batch's shapes (the bench's rounds).
    const RoutePlan& chooseRoutes(RouteMode mode);

    // Data-parallel training (dist/): from here on this trainer is one rank of `comm`'s
    // run. The parameters and buffers become rank 0's (broadcast now, and the buffers at
    // every step, as PyTorch's DDP does); each step takes this rank's share of a global
    // batch of batchSize × worldSize drawn from the order all ranks share (the epoch
    // position counts global samples, so a checkpoint resumes with any world size);
    // gradients are averaged over the ranks by bucketed all-reduces during backward; the
    // loss and metrics a step reports are means over all ranks. Call after loadCheckpoint
    // and before the first step; a world of one changes nothing.
    void joinGroup(std::shared_ptr<Communicator> comm, double bucketMb = 25.0);
    Communicator* group() const { return m_comm.get(); }
    // The last step's gradient all-reduce (zeros in a single process).
    SyncFigures syncFigures() const { return m_sync ? m_sync->figures() : SyncFigures{}; }

    void setLearningRate(double lr);
    int64_t stepCount() const { return m_step; }
    const TrainConfig& config() const { return m_config; }
    torch::Device device() const { return m_device; }
    TaskModelImpl& model() { return *m_model; }
    const Task& task() const { return *m_task; }
    // Samples the task trains on: images (colorization skips grayscale ones), or for a
    // video task the windows that reach its motion threshold.
    int64_t usableImages() const { return m_usableImages; }
    const DataStats* dataStats() const { return m_stats.get(); }
    // The source the samples come from, when not a cached tensor (null otherwise).
    SampleSource* source() const { return m_source.get(); }
    // The input pipeline that decodes samples during training (image files, or video
    // clips read from the files), for its description and the files it skipped; null
    // when the samples are a cached tensor.
    const InputReport* input() const {
        return m_source ? static_cast<const InputReport*>(m_source.get()) : m_clipReader.get();
    }
    // Epochs begun (1 during the first) and samples drawn in the current one.
    int64_t epoch() const { return m_epoch; }
    int64_t epochPosition() const { return m_cursor; }
    // Training samples per epoch.
    int64_t epochSize() const;

    // Everything a run needs to go on exactly where it stopped, as bytes (LibTorch
    // archive): model, optimizer, step, the sampling generator's state, the epoch's
    // order and position in it, the task's name and `configJson` (the run's config).
    std::string checkpointBytes(const std::string& configJson = {});
    // Restores a checkpoint of the same task and model; throws TrainingError (for a
    // person) when it is another task's, or not a checkpoint of this program.
    // Returns the config it was saved with.
    std::string loadCheckpoint(const std::string& bytes);
    // The learning rate in force when the loaded checkpoint was saved (a rate changed
    // during the run is not in its config); empty for checkpoints of older versions.
    std::optional<double> savedLearningRate() const { return m_savedLearningRate; }

private:
    // One optimizer step on this loss's gradients. With `checked`, the gradients are
    // checked first and a non-finite one stops the run before it reaches the weights.
    // With `result`, the layer norms and update size asked for are recorded in it.
    // The model's forward pass under the run's precision, its output in float32.
    torch::Tensor forward(const torch::Tensor& input);
    // Resolves TrainConfig::channelsLast and lays the model out by it.
    void applyMemoryLayout();
    void applyGradients(const torch::Tensor& loss, bool checked = false,
                        StepResult* result = nullptr);
    void checkGradients();
    void injectGradientFault();
    // With loss scaling: unscales the gradients and says whether the update may go ahead
    // (else the step is counted, the update skipped and the scale halved).
    bool unscaleGradients(StepResult* result);
    // Drops the gradients (after an out-of-memory error cut a step short).
    void clearGradients();
    // The step at these indices, read back; inside trainOn's out-of-memory handling.
    StepResult trainOnIndices(const torch::Tensor& indices);
    // Splits the data into training and held-out samples; returns the held-out ones.
    torch::Tensor setUpImages(const torch::Tensor& images);
    // `sample`: frames at training size the data mean is taken from when the video is
    // read clip by clip.
    torch::Tensor setUpWindows(const VideoFrames& video, const torch::Tensor& sample);
    // Clips of the training windows at these indices, read by m_clipReader; a clip that
    // cannot be read is replaced by the next training window of a readable video.
    torch::Tensor readTrainingClips(const torch::Tensor& indices);
    torch::Tensor nextIndices();
    // Model inputs shaped like a training batch's, from the held-out set.
    torch::Tensor batchShapedInput() const;
    // Training samples at these indices (drawn at m_keyBase onward): images, or clips
    // of the training windows, augmented as the config says.
    torch::Tensor samples(const torch::Tensor& indices);
    // The common part of the constructors once the held-out samples are known.
    void finishSetUp(const torch::Tensor& evalSamples);
    std::vector<AugmentDraw> draws(int64_t count, int64_t width, int64_t height) const;
    // Tells the source which samples the next batch will take (within this epoch).
    void prefetchNext();
    // This rank's share of a global batch, and where it starts in the global batch.
    int64_t rankShare(int64_t epochSamples) const;
    int64_t rankOffset(int64_t share) const { return m_comm ? m_comm->rank() * share : 0; }
    // A distributed step begins: the buffers from rank 0.
    void beginDistributedStep();
    // Means over the ranks of the loss and the metrics (a distributed run), in place.
    void averageOverRanks(double* loss, std::map<std::string, double>* metrics);

    TrainConfig m_config;
    std::unique_ptr<Task> m_task;
    torch::Device m_device;
    torch::Tensor m_train;       // images or video frames, on m_device
    torch::Tensor m_trainStarts; // video tasks: first frame of each training window (m_device;
                                 // the CPU when m_clipReader reads them)
    std::shared_ptr<ClipReader> m_clipReader; // video tasks on a set read clip by clip
    int64_t m_windowLength = 0;               // video tasks: frames per window
    torch::Tensor m_mean;                     // (3) per-channel data-set mean
    Batch m_heldOut;                          // a few samples to show, on m_device, masks fixed
    Batch m_evalBatch;                        // the held-out set, fixed for the run
    torch::Tensor m_lastLoss;                 // of the last quiet step, on the device
    torch::Tensor m_accumulatedLoss;          // mean over the accumulated batches of the last step
    torch::Tensor m_lastHeldOutOutput;
    std::shared_ptr<const DataStats> m_stats;
    int64_t m_usableImages = 0;
    std::shared_ptr<TaskModelImpl> m_model;
    std::unique_ptr<torch::optim::Adam> m_optimizer;
    MultiTensorAdam* m_multiTensorAdam = nullptr; // m_optimizer, unless perTensorAdam
    RoutePlan m_routePlan;
    std::optional<double> m_savedLearningRate; // of the last loadCheckpoint
    BatchContext m_context;
    std::shared_ptr<SampleSource> m_source; // when samples are decoded on demand
    torch::Tensor m_sourceIndex; // the source's training indices the task can use, or undefined
    torch::Tensor m_order;       // current epoch's permutation (CPU)
    // Draws the epoch orders. In one process it is m_context.generator itself (the tasks'
    // draws and the orders share one stream); in a distributed run it is its own, the same
    // on every rank, and each rank's tasks draw from a stream of their own.
    torch::Generator m_orderGenerator;
    std::shared_ptr<Communicator> m_comm;
    std::unique_ptr<GradientSync> m_sync;
    std::unique_ptr<LossScaler> m_scaler; // fp16 (or TrainConfig::lossScaling)
    int64_t m_cursor = 0;
    int64_t m_epoch = 0;    // epochs begun
    uint64_t m_keyBase = 0; // augmentation key of the batch being drawn's first sample
    int64_t m_step = 0;
    Batch m_lastBatch;            // of the last step, for a replay
    int64_t m_inspectSample = -1; // >= 0: inspect the next step
    std::optional<GradientInspection> m_inspection;
    bool m_recordLayerNorms = false;
    bool m_measureUpdates = false;
    LayerGroups m_layers;  // filled when first needed
    int m_oomInjected = 0; // out-of-memory faults injected so far at faults.outOfMemoryAtStep
};

} // namespace pretext
