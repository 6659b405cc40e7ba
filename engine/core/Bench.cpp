#include "Bench.h"

#include "ConvRoutes.h"
#include "DemoData.h"
#include "DemoVideo.h"
#include "DeviceInfo.h"
#include "Memory.h"
#include "Rng.h"
#include "Threads.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <limits>
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

// Linux: "5" to clear_refs starts the peak over, so each task reports its own.
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

void synchronize(const torch::Device& device) {
    if (device.is_cuda()) {
        // A tiny copy to the host waits for every queued kernel on the device.
        torch::zeros({1}, torch::TensorOptions().device(device)).cpu();
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

// Seconds per call: the fastest of three timed blocks after a warm-up, so that a
// moment of interference from elsewhere on the machine does not count (the Python
// reference times the same way).
template <typename Fn>
double timedSeconds(int warmup, int reps, const torch::Device& device, Fn&& fn) {
    for (int i = 0; i < warmup; ++i) {
        fn();
    }
    const int blocks = reps >= 3 ? 3 : 1;
    const int perBlock = std::max(1, reps / blocks);
    double best = std::numeric_limits<double>::infinity();
    for (int b = 0; b < blocks; ++b) {
        synchronize(device);
        const auto t0 = Clock::now();
        for (int i = 0; i < perBlock; ++i) {
            fn();
        }
        synchronize(device);
        best = std::min(best, secondsSince(t0) / perBlock);
    }
    return best;
}

// Renders the demo data and generates pretext samples from it on the training device,
// as the trainer does, timed; returns the trainer over the same data.
std::unique_ptr<Trainer> prepare(const BenchOptions& o, const Task& task, const TrainConfig& cfg,
                                 BenchResult& r) {
    const ParamValues& params = r.params;
    const int64_t genBatches = 40;
    const torch::Device device = resolveDevice(o.device);
    auto t0 = Clock::now();
    if (task.info().video) {
        // Tuples from windows of the demo video: rendering, planning, gathering, shuffling.
        r.video = true;
        const VideoFrames video =
            makeDemoVideo(kDemoVideoCount, kDemoVideoFrames, static_cast<int>(o.sizePx), o.seed);
        r.demoImagesPerSec = video.frameCount() / secondsSince(t0);
        t0 = Clock::now();
        const WindowPlan plan = planWindows(video, task.windows(params));
        r.analyzeMs = 1000.0 * secondsSince(t0);
        r.analyzedCount = video.frameCount();
        const auto starts = plan.trainStarts();
        if (starts.size(0) == 0) {
            throw std::runtime_error("no window of the demo video reaches the motion threshold");
        }
        BatchContext ctx{params, makeGenerator(o.seed), video.frames.mean({0, 2, 3}), o.seed,
                         nullptr};
        const auto frames = video.frames.to(device);
        const auto deviceStarts = starts.to(device);
        synchronize(device);
        t0 = Clock::now();
        for (int64_t i = 0; i < genBatches; ++i) {
            auto pick =
                torch::randint(0, starts.size(0), {o.batchSize}, ctx.generator, torch::kLong);
            task.makeBatch(
                gatherWindows(frames, deviceStarts.index_select(0, pick.to(device)), plan.length),
                ctx);
        }
        synchronize(device);
        r.samplesPerSec = genBatches * o.batchSize / secondsSince(t0);
        return std::make_unique<Trainer>(cfg, video);
    }
    auto images = makeDemoImages(kDemoImageCount, static_cast<int>(o.sizePx), o.seed);
    r.demoImagesPerSec = kDemoImageCount / secondsSince(t0);
    t0 = Clock::now();
    auto stats = task.analyze(images); // once per data set (colorization's ab histogram)
    r.analyzeMs = 1000.0 * secondsSince(t0);
    r.analyzedCount = kDemoImageCount;
    BatchContext ctx{params, makeGenerator(o.seed), images.mean({0, 2, 3}), o.seed, stats};
    const auto onDevice = images.to(device);
    task.makeBatch(onDevice.narrow(0, 0, 1), ctx); // builds once-per-run tables before timing
    synchronize(device);
    t0 = Clock::now();
    for (int64_t i = 0; i < genBatches; ++i) {
        task.makeBatch(
            onDevice.narrow(0, (i * o.batchSize) % (kDemoImageCount - o.batchSize), o.batchSize),
            ctx);
    }
    synchronize(device);
    r.samplesPerSec = genBatches * o.batchSize / secondsSince(t0);
    return std::make_unique<Trainer>(cfg, images);
}

std::string jsonString(const std::string& s) {
    std::ostringstream out;
    out << '"';
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out << '\\' << c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << static_cast<int>(c)
                << std::dec;
        } else {
            out << c;
        }
    }
    out << '"';
    return out.str();
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) {
        text += (i ? "x" : "") + std::to_string(shape[i]);
    }
    return text;
}
} // namespace

std::vector<std::string> benchTasks(const std::string& choice) {
    if (choice == "all") {
        return taskNames();
    }
    return {choice};
}

BenchResult runBench(const BenchOptions& options) {
    BenchOptions o = options;
    if (o.task.empty()) {
        o.task = defaultTaskName();
    }
    BenchResult r;
    const ThreadSetup threads = configureThreads(o.torchThreads, o.blasThreads);
    r.threads = describeThreads(threads);
    r.memory = configureMemory(o.keepFreedMemory).description;
    r.torchThreads = threads.torchThreads;
    r.blasThreads = threads.blasThreads;
    r.task = o.task;
    resetPeakRss();

    auto task = makeTask(o.task);
    if (!task) {
        throw std::runtime_error("unknown task '" + o.task + "'");
    }
    r.params = withDefaults(task->info(), o.params);
    r.learningRate = task->info().learningRate;
    TrainConfig cfg;
    cfg.task = o.task;
    cfg.params = o.params;
    cfg.batchSize = o.batchSize;
    cfg.learningRate = task->info().learningRate;
    cfg.seed = o.seed;
    cfg.device = o.device;
    cfg.perTensorAdam = o.perTensorAdam;
    cfg.convRoute = o.convRoute;
    cfg.precision = o.precision;
    const auto made = prepare(o, *task, cfg, r);
    Trainer& trainer = *made;
    r.device = trainer.device().str();
    r.deviceName = deviceLabel(trainer.device());
    r.precision = trainer.config().precision;
    r.params = trainer.config().params; // with the automatic stem made definite
    r.parameters = parameterCount(trainer.model());
    r.routeSummary = trainer.routePlan().summary();
    r.routeTable = trainer.routePlan().table();

    // As the app trains: a fresh batch each step, the loss and metrics read back.
    const double full = timedSeconds(static_cast<int>(o.warmupSteps), static_cast<int>(o.steps),
                                     trainer.device(), [&] { trainer.step(); });
    r.msPerStep = 1000.0 * full;
    r.trainImagesPerSec = o.batchSize / full;
    trainer.setRecordLayerNorms(true);
    int64_t stepsTaken = 0;
    const double inspected = timedSeconds(static_cast<int>(o.warmupSteps),
                                          static_cast<int>(o.steps), trainer.device(), [&] {
                                              if (++stepsTaken % 10 == 0) {
                                                  trainer.inspectNextStep(0);
                                              }
                                              trainer.step();
                                              trainer.takeInspection();
                                          });
    trainer.setRecordLayerNorms(false);
    r.inspectedMsPerStep = 1000.0 * inspected;

    // The model step alone, on one batch, nothing read back until the end: what the
    // Python reference times.
    const Batch batch = trainer.nextBatch();
    r.sampleShape.assign(batch.input.sizes().begin() + 1, batch.input.sizes().end());
    r.forwardFlops = trainer.model().forwardFlops(r.sampleShape);
    r.samplesPerImage =
        std::max<int64_t>(1, batch.input.size(0) / std::max<int64_t>(1, batch.original.size(0)));
    {
        torch::NoGradGuard noGrad;
        trainer.model().eval(); // no batch-norm statistics updated (training sets train())
        const auto output = trainer.model().forward(
            batch.input.narrow(0, 0, std::min<int64_t>(2, batch.input.size(0))));
        r.outputShape.assign(output.sizes().begin() + 1, output.sizes().end());
    }
    int64_t modelSteps = 0;
    takePeakMemory(trainer.device());              // the peak from here on: the model steps
    int64_t faultsAfterWarmup = minorPageFaults(); // counted over the timed steps only
    const double model = timedSeconds(static_cast<int>(o.warmupSteps), static_cast<int>(o.steps),
                                      trainer.device(), [&] {
                                          if (modelSteps++ == o.warmupSteps) {
                                              faultsAfterWarmup = minorPageFaults();
                                          }
                                          trainer.trainQuietly(batch);
                                      });
    // Counted before the rounds below, whose switching between routes is not a model step.
    const int64_t modelFaults = minorPageFaults() - faultsAfterWarmup;
    if (const auto memory = takePeakMemory(trainer.device())) {
        r.peakGpuMb = memory->peakAllocatedMb;
    }
    if (o.convRounds > 0) {
        const auto chosen = trainer.routePlan();
        std::vector<double> winograd, direct, ratio;
        for (int64_t round = 0; round < o.convRounds; ++round) {
            double seconds[2];
            for (int i = 0; i < 2; ++i) {
                if (i == 0) {
                    applyRoutes(trainer.model(), chosen.routes(), chosen.mode);
                } else {
                    useLibTorchRoutes(trainer.model());
                }
                seconds[i] =
                    timedSeconds(1, 3, trainer.device(), [&] { trainer.trainQuietly(batch); });
            }
            winograd.push_back(seconds[0]);
            direct.push_back(seconds[1]);
            ratio.push_back(seconds[1] / seconds[0]);
        }
        applyRoutes(trainer.model(), chosen.routes(), chosen.mode);
        r.convRounds = o.convRounds;
        r.convFastMs = 1000.0 * median(winograd);
        r.convDirectMs = 1000.0 * median(direct);
        r.convRatio = median(ratio);
    }
    trainer.lastLoss(); // stops here if the loss went non-finite
    r.modelPageFaultsPerStep =
        static_cast<double>(modelFaults) /
        static_cast<double>(std::max<int64_t>(1, modelSteps - o.warmupSteps));
    r.modelMsPerStep = 1000.0 * model;
    r.modelImagesPerSec = o.batchSize / model;
    r.peakRssMb = peakRssMb();
    return r;
}

MachineCeiling measureCeiling(const std::string& deviceChoice) {
    MachineCeiling c;
    const torch::Device device = resolveDevice(deviceChoice);
    c.device = device.str();
    torch::NoGradGuard noGrad;
    const auto options = torch::TensorOptions().device(device);
    // Large enough to keep every core (or the GPU) busy, small enough for a few seconds.
    const int64_t b = device.is_cuda() ? 128 : 32, ch = device.is_cuda() ? 256 : 128, s = 32;
    auto x = torch::randn({b, ch, s, s}, options);
    auto w = torch::randn({ch, ch, 3, 3}, options);
    const double conv = timedSeconds(2, 5, device, [&] { torch::conv2d(x, w, {}, 1, 1); });
    c.convGflops = 2.0 * b * ch * ch * 9 * s * s / conv / 1e9;
    c.convShape = std::to_string(b) + "x" + std::to_string(ch) + "x" + std::to_string(s) + "x" +
                  std::to_string(s) + ", 3x3, " + std::to_string(ch) + " out";
    const int64_t n = device.is_cuda() ? 8192 : 2048;
    auto m1 = torch::randn({n, n}, options);
    auto m2 = torch::randn({n, n}, options);
    const double mm = timedSeconds(1, 4, device, [&] { torch::mm(m1, m2); });
    c.matmulGflops = 2.0 * n * n * n / mm / 1e9;
    c.matmulShape = std::to_string(n) + "x" + std::to_string(n);
    return c;
}

std::string formatCeiling(const MachineCeiling& c) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << "machine ceiling on " << c.device << ": convolution " << c.convGflops << " GFLOP/s ("
        << c.convShape << "), matrix product " << c.matmulGflops << " GFLOP/s (" << c.matmulShape
        << ")\n";
    return out.str();
}

std::string formatBench(const BenchOptions& o, const BenchResult& r,
                        const MachineCeiling* ceiling) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    const char* unit = r.video ? " tuples/s" : " images/s";
    out << "task " << r.task << ", " << o.sizePx << " px, batch " << o.batchSize << ", device "
        << r.deviceName << ", " << r.threads << ", "
        << (r.precision == "fp32" ? std::string() : r.precision + " autocast, ") << "Adam "
        << (o.perTensorAdam ? "per tensor (LibTorch's)" : "multi-tensor") << ", " << r.memory
        << "\n"
        << "  convolution routes      " << r.routeSummary << "\n"
        << r.routeTable << "  model parameters        " << r.parameters << " (input "
        << shapeText(r.sampleShape) << " per sample)\n"
        << "  model FLOPs             " << r.forwardFlops / 1e6 << " MFLOP forward per sample, "
        << r.trainFlops() / 1e6 << " per training image"
        << (r.samplesPerImage > 1 ? " (" + std::to_string(r.samplesPerImage) + " samples per image)"
                                  : std::string())
        << "\n"
        << (r.video ? "  demo video rendered     " : "  demo images rendered    ")
        << r.demoImagesPerSec << (r.video ? " frames/s\n" : " images/s\n")
        << (r.video ? "  windows planned         " : "  data set analysed       ") << r.analyzeMs
        << " ms (" << r.analyzedCount << (r.video ? " frames" : " images") << ", once per load)\n"
        << (r.video ? "  tuples made             " : "  pretext samples made    ")
        << r.samplesPerSec << unit << " (" << r.samplesPerSec / r.trainImagesPerSec
        << "x what training takes)\n"
        << "  training                " << r.trainImagesPerSec << unit << " (" << r.msPerStep
        << " ms per step, " << o.steps << " steps, each with a new batch and the loss read)\n"
        << "  with the Gradients tab  " << r.inspectedMsPerStep << " ms per step (" << std::showpos
        << 100.0 * (r.inspectedMsPerStep / std::max(1e-9, r.msPerStep) - 1.0) << std::noshowpos
        << "% against the line above: layer norms read every step, an inspection every 10th)\n"
        << "  model step alone        " << r.modelImagesPerSec << unit << " (" << r.modelMsPerStep
        << " ms per step on one batch), " << r.modelGflops() << " GFLOP/s";
    if (ceiling != nullptr && ceiling->convGflops > 0) {
        out << " = " << 100.0 * r.modelGflops() / ceiling->convGflops
            << "% of the convolution ceiling";
    }
    out << ", " << static_cast<int64_t>(r.modelPageFaultsPerStep + 0.5) << " page faults per step";
    if (r.convRounds > 0) {
        out << "\n  routes against LibTorch model step " << r.convFastMs
            << " ms with the chosen routes, " << r.convDirectMs
            << " ms with LibTorch's own (medians of " << r.convRounds
            << " alternating rounds in this process); LibTorch's / chosen " << std::setprecision(2)
            << r.convRatio << std::setprecision(1);
    }
    out << "\n  peak resident memory    " << r.peakRssMb << " MB\n";
    if (r.peakGpuMb >= 0.0) {
        out << "  peak GPU memory         " << r.peakGpuMb
            << " MB in tensors during a model step (the caching allocator's peak)\n";
    }
    return out.str();
}

std::string benchJson(const BenchOptions& o, const std::vector<BenchResult>& results,
                      const MachineCeiling* ceiling) {
    std::ostringstream out;
    out.precision(10);
    out << "{\n  \"program\": \"pretext-workbench\",\n  \"version\": "
        << jsonString(PRETEXT_VERSION) << ",\n  \"torch\": " << jsonString(TORCH_VERSION)
        << ",\n  \"size_px\": " << o.sizePx << ",\n  \"batch\": " << o.batchSize
        << ",\n  \"steps\": " << o.steps << ",\n  \"warmup_steps\": " << o.warmupSteps
        << ",\n  \"optimizer\": "
        << jsonString(o.perTensorAdam ? "adam-per-tensor" : "adam-multi-tensor");
    out << ",\n  \"conv_route\": " << jsonString(o.convRoute);
    out << ",\n  \"malloc\": " << jsonString(o.keepFreedMemory ? "keeps-freed" : "defaults")
        << ",\n  \"malloc_tunables\": "
        << jsonString(glibcTunables()); // the same, for another process
    if (ceiling != nullptr) {
        out << ",\n  \"ceiling\": {\"device\": " << jsonString(ceiling->device)
            << ", \"conv_gflops\": " << ceiling->convGflops
            << ", \"conv_shape\": " << jsonString(ceiling->convShape)
            << ", \"matmul_gflops\": " << ceiling->matmulGflops
            << ", \"matmul_shape\": " << jsonString(ceiling->matmulShape) << "}";
    }
    out << ",\n  \"tasks\": [";
    for (size_t i = 0; i < results.size(); ++i) {
        const BenchResult& r = results[i];
        auto task = makeTask(r.task);
        out << (i ? "," : "") << "\n    {\"task\": " << jsonString(r.task)
            << ", \"device\": " << jsonString(r.device)
            << ", \"device_name\": " << jsonString(r.deviceName)
            << ", \"precision\": " << jsonString(r.precision)
            << ", \"threads\": " << jsonString(r.threads)
            << ", \"torch_threads\": " << r.torchThreads << ", \"blas_threads\": " << r.blasThreads
            << ", \"memory\": " << jsonString(r.memory) << ",\n     \"params\": {";
        bool first = true;
        for (const auto& spec : task->info().params) {
            const double v = r.params.at(spec.name);
            out << (first ? "" : ", ") << jsonString(spec.name) << ": ";
            if (spec.kind == ParamSpec::Kind::Choice) {
                out << jsonString(spec.choices.at(static_cast<size_t>(v)));
            } else {
                out << v;
            }
            first = false;
        }
        out << "},\n     \"sample_shape\": [";
        for (size_t k = 0; k < r.sampleShape.size(); ++k) {
            out << (k ? ", " : "") << r.sampleShape[k];
        }
        out << "], \"output_shape\": [";
        for (size_t k = 0; k < r.outputShape.size(); ++k) {
            out << (k ? ", " : "") << r.outputShape[k];
        }
        out << "], \"learning_rate\": " << r.learningRate << ", \"parameters\": " << r.parameters
            << ", \"forward_flops\": " << r.forwardFlops
            << ", \"samples_per_image\": " << r.samplesPerImage
            << ",\n     \"samples_per_s\": " << r.samplesPerSec
            << ", \"train_images_per_s\": " << r.trainImagesPerSec
            << ", \"ms_per_step\": " << r.msPerStep
            << ", \"inspected_ms_per_step\": " << r.inspectedMsPerStep
            << ", \"model_images_per_s\": " << r.modelImagesPerSec
            << ", \"model_ms_per_step\": " << r.modelMsPerStep
            << ", \"peak_gpu_mb\": " << r.peakGpuMb << ", \"model_gflops\": " << r.modelGflops()
            << ", \"model_page_faults_per_step\": " << r.modelPageFaultsPerStep
            << ", \"conv_routes\": " << jsonString(r.routeSummary)
            << ", \"conv_rounds\": " << r.convRounds << ", \"conv_fast_ms\": " << r.convFastMs
            << ", \"conv_direct_ms\": " << r.convDirectMs << ", \"conv_ratio\": " << r.convRatio
            << ", \"peak_rss_mb\": " << r.peakRssMb << "}";
    }
    out << "\n  ]\n}\n";
    return out.str();
}

} // namespace pretext
