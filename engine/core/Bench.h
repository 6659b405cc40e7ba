#pragma once
// Throughput of one task on this machine: sample generation and training.
#include "Params.h"

#include <cstdint>
#include <string>

namespace pretext {

struct BenchOptions {
    std::string task = "inpainting";
    ParamValues params;
    int64_t sizePx = 64;
    int64_t batchSize = 32;
    int64_t steps = 30;       // timed training steps (after warm-up)
    int64_t warmupSteps = 3;
    std::string device = "auto";
    uint64_t seed = 1;
};

struct BenchResult {
    std::string device;
    int torchThreads = 0;
    std::string blas;
    bool video = false;              // a video task: frames, windows and tuples
    double demoImagesPerSec = 0;     // procedural demo images (or video frames) rendered
    double analyzeMs = 0;            // Task::analyze over the demo set, or planWindows
    int64_t analyzedCount = 0;
    double samplesPerSec = 0;        // pretext samples generated (makeBatch)
    double trainImagesPerSec = 0;
    double msPerStep = 0;
    double peakRssMb = 0;
    int64_t parameters = 0;
};

BenchResult runBench(const BenchOptions& options);
std::string formatBench(const BenchOptions& options, const BenchResult& result);

} // namespace pretext
