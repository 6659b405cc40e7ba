#pragma once
// Throughput of a task's default model on this machine: pretext sample generation,
// training as the app trains, the model step alone, its FLOPs, and the machine's own
// ceiling (a large convolution and a large matrix product) to set them against.
#include "Params.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pretext {

struct BenchOptions {
    std::string task; // empty: the registry's default task
    ParamValues params;
    int64_t sizePx = 64;
    int64_t batchSize = 32;
    int64_t steps = 30; // timed training steps (after warm-up)
    int64_t warmupSteps = 3;
    std::string device = "auto";
    uint64_t seed = 1;
    int torchThreads = 0;        // <= 0: all hardware threads
    int blasThreads = 1;         // <= 0: leave the BLAS pool as found
    bool perTensorAdam = false;  // TrainConfig::perTensorAdam
    bool keepFreedMemory = true; // configureMemory (false: malloc as the C library sets it)
    // TrainConfig::convRoute: auto (each layer measured), libtorch (every convolution as
    // PyTorch runs it) or fast (the program's routes wherever they apply).
    std::string convRoute = "auto";
    // > 0: after the model step, this many rounds of it with the routes the run chose
    // and then with LibTorch's own, in this one process (what the choice is worth,
    // measured where the machine's drift between processes does not count).
    int64_t convRounds = 0;
    std::string precision = "fp32"; // TrainConfig::precision
};

struct BenchResult {
    std::string task;
    std::string device;
    std::string threads; // describeThreads()
    std::string memory;  // describeMemory()
    int torchThreads = 0;
    int blasThreads = 0;
    bool video = false;               // a video task: frames, windows and tuples
    ParamValues params;               // with the task's defaults filled in
    std::vector<int64_t> sampleShape; // one sample of the model's input
    std::vector<int64_t> outputShape; // and of its output
    double learningRate = 0;
    double demoImagesPerSec = 0; // procedural demo images (or video frames) rendered
    double analyzeMs = 0;        // Task::analyze over the demo set, or planWindows
    int64_t analyzedCount = 0;
    double samplesPerSec = 0;     // pretext samples generated (makeBatch)
    double trainImagesPerSec = 0; // full steps as the app runs them
    double msPerStep = 0;
    // The same steps with what the window's Gradients tab asks for: the gradient norm of
    // every layer read back each step, and a gradient inspection every 10th step.
    double inspectedMsPerStep = 0;
    double modelImagesPerSec = 0; // forward, loss, backward, Adam on one fixed batch
    double modelMsPerStep = 0;
    double modelPageFaultsPerStep = 0; // minor page faults of the process per timed model step
    std::string routeSummary;          // RoutePlan::summary of the run's convolutions
    std::string routeTable;            // and its table, one line per layer
    int64_t convRounds = 0;            // BenchOptions::convRounds: medians of the rounds
    double convFastMs = 0;             // model step with the routes the run chose
    double convDirectMs = 0;           // and with LibTorch's own convolutions
    double convRatio = 0;              // LibTorch's over the chosen, median of the rounds' ratios
    int64_t forwardFlops = 0;          // per sample
    int64_t samplesPerImage = 1;       // model inputs made from one image (rotation: 4)
    double peakRssMb = 0;
    int64_t parameters = 0;
    std::string precision;  // the one taken (amp resolved)
    std::string deviceName; // deviceLabel: a GPU's name and memory
    double peakGpuMb = -1;  // CUDA: the most memory a timed model step took; else -1

    // Training FLOPs per sample: forward plus a backward pass of about twice that.
    double trainFlops() const {
        return 3.0 * static_cast<double>(forwardFlops) * static_cast<double>(samplesPerImage);
    }
    double modelGflops() const { return trainFlops() * modelImagesPerSec / 1e9; }
};

struct MachineCeiling {
    std::string device;
    double convGflops = 0; // 3x3 convolution, forward
    std::string convShape;
    double matmulGflops = 0; // square matrix product
    std::string matmulShape;
};

BenchResult runBench(const BenchOptions& options);
MachineCeiling measureCeiling(const std::string& device);

// Task names of "all", in the registry's order.
std::vector<std::string> benchTasks(const std::string& choice);

std::string formatBench(const BenchOptions& options, const BenchResult& result,
                        const MachineCeiling* ceiling = nullptr);
std::string formatCeiling(const MachineCeiling& ceiling);
std::string benchJson(const BenchOptions& options, const std::vector<BenchResult>& results,
                      const MachineCeiling* ceiling);

} // namespace pretext
