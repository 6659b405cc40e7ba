#include "Bench.h"

#include "DemoData.h"
#include "DemoVideo.h"
#include "Rng.h"
#include "Threads.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace pretext {

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double peakRssMb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream in(line.substr(6));
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
    }
    return 0.0;
}

void synchronize(const torch::Device& device) {
    if (device.is_cuda()) {
        // A tiny copy to the host waits for every queued kernel on the device.
        torch::zeros({1}, torch::TensorOptions().device(device)).cpu();
    }
}
} // namespace

BenchResult runBench(const BenchOptions& o) {
    BenchResult r;
    const ThreadSetup threads = configureThreads();
    r.torchThreads = threads.torchThreads;
    r.blas = threads.blasLimited ? threads.blasName + " (1 thread)" : "not controlled";

    auto task = makeTask(o.task);
    if (!task) {
        throw std::runtime_error("unknown task '" + o.task + "'");
    }
    const ParamValues params = withDefaults(task->info(), o.params);
    TrainConfig cfg;
    cfg.task = o.task;
    cfg.params = o.params;
    cfg.batchSize = o.batchSize;
    cfg.seed = o.seed;
    cfg.device = o.device;
    std::unique_ptr<Trainer> made;
    auto t0 = Clock::now();
    if (task->info().video) {
        // Tuples from windows of the demo video: rendering, planning, gathering, shuffling.
        r.video = true;
        const VideoFrames video = makeDemoVideo(kDemoVideoCount, kDemoVideoFrames,
                                                static_cast<int>(o.sizePx), o.seed);
        r.demoImagesPerSec = video.frameCount() / secondsSince(t0);
        t0 = Clock::now();
        const WindowPlan plan = planWindows(video, task->windows(params));
        r.analyzeMs = 1000.0 * secondsSince(t0);
        r.analyzedCount = video.frameCount();
        const auto starts = plan.trainStarts();
        if (starts.size(0) == 0) {
            throw std::runtime_error("no window of the demo video reaches the motion threshold");
        }
        BatchContext ctx{params, makeGenerator(o.seed), video.frames.mean({0, 2, 3}), o.seed, nullptr};
        const int64_t genBatches = 40;
        t0 = Clock::now();
        for (int64_t i = 0; i < genBatches; ++i) {
            auto pick = torch::randint(0, starts.size(0), {o.batchSize}, ctx.generator, torch::kLong);
            task->makeBatch(gatherWindows(video.frames, starts.index_select(0, pick), plan.length), ctx);
        }
        r.samplesPerSec = genBatches * o.batchSize / secondsSince(t0);
        made = std::make_unique<Trainer>(cfg, video);
    } else {
        auto images = makeDemoImages(kDemoImageCount, static_cast<int>(o.sizePx), o.seed);
        r.demoImagesPerSec = kDemoImageCount / secondsSince(t0);
        t0 = Clock::now();
        auto stats = task->analyze(images); // once per data set (colorization's ab histogram)
        r.analyzeMs = 1000.0 * secondsSince(t0);
        r.analyzedCount = kDemoImageCount;
        BatchContext ctx{params, makeGenerator(o.seed), images.mean({0, 2, 3}), o.seed, stats};
        task->makeBatch(images.narrow(0, 0, 1), ctx); // builds once-per-run tables before timing
        const int64_t genBatches = 40;
        t0 = Clock::now();
        for (int64_t i = 0; i < genBatches; ++i) {
            auto batch = task->makeBatch(images.narrow(0, (i * o.batchSize) % (kDemoImageCount - o.batchSize), o.batchSize), ctx);
        }
        r.samplesPerSec = genBatches * o.batchSize / secondsSince(t0);
        made = std::make_unique<Trainer>(cfg, images);
    }
    Trainer& trainer = *made;
    r.device = trainer.device().str();
    r.parameters = parameterCount(trainer.model());
    for (int64_t i = 0; i < o.warmupSteps; ++i) {
        trainer.step();
    }
    synchronize(trainer.device());
    t0 = Clock::now();
    for (int64_t i = 0; i < o.steps; ++i) {
        trainer.step();
    }
    synchronize(trainer.device());
    const double s = secondsSince(t0);
    r.msPerStep = 1000.0 * s / o.steps;
    r.trainImagesPerSec = o.steps * o.batchSize / s;
    r.peakRssMb = peakRssMb();
    return r;
}

std::string formatBench(const BenchOptions& o, const BenchResult& r) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << "task " << o.task << ", " << o.sizePx << " px, batch " << o.batchSize << ", device "
        << r.device << ", torch threads " << r.torchThreads << ", BLAS " << r.blas << "\n"
        << "  model parameters        " << r.parameters << "\n"
        << (r.video ? "  demo video rendered     " : "  demo images rendered    ")
        << r.demoImagesPerSec << (r.video ? " frames/s\n" : " images/s\n")
        << (r.video ? "  windows planned         " : "  data set analysed       ") << r.analyzeMs
        << " ms (" << r.analyzedCount << (r.video ? " frames" : " images") << ", once per load)\n"
        << (r.video ? "  tuples made             " : "  pretext samples made    ")
        << r.samplesPerSec << (r.video ? " tuples/s\n" : " images/s\n")
        << "  training                " << r.trainImagesPerSec
        << (r.video ? " tuples/s (" : " images/s (")
        << r.msPerStep << " ms per step, " << o.steps << " steps)\n"
        << "  peak resident memory    " << r.peakRssMb << " MB\n";
    return out.str();
}

} // namespace pretext
