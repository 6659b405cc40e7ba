#include "DataParallelBench.h"

#include "DemoData.h"
#include "Trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <sstream>

namespace pretext {

DataParallelFigures measureDataParallel(const BenchOptions& o, std::shared_ptr<Communicator> comm) {
    TrainConfig cfg;
    cfg.task = o.task;
    cfg.params = o.params;
    cfg.batchSize = o.batchSize;
    cfg.device = o.device;
    cfg.seed = o.seed;
    cfg.convRoute = o.convRoute;
    const int world = comm ? comm->worldSize() : 1;
    // Enough images that a global batch never wraps within the timed steps' epoch.
    const int count = static_cast<int>(
        std::max<int64_t>(256, o.batchSize * world * (o.steps + o.warmupSteps + 2)));
    Trainer trainer(cfg, makeDemoImages(std::min(count, 4096), static_cast<int>(o.sizePx), o.seed));
    trainer.joinGroup(comm);
    for (int64_t i = 0; i < o.warmupSteps; ++i) {
        trainer.step();
    }
    DataParallelFigures f;
    f.world = world;
    f.threads = torch::get_num_threads();
    f.globalBatch = trainer.config().batchSize * world;
    f.encoder = trainer.model().encoder()->describe();
    for (const auto& p : trainer.model().parameters()) {
        f.parameters += p.numel();
    }
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < o.steps; ++i) {
        trainer.step();
        const SyncFigures s = trainer.syncFigures();
        f.allReduceWaitMs += s.waitMs;
        f.allReduceSpanMs += s.spanMs;
        f.bytesPerStep = s.bytes;
        f.buckets = s.buckets;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double steps = static_cast<double>(o.steps);
    f.msPerStep = 1000.0 * seconds / steps;
    f.imagesPerSec = static_cast<double>(f.globalBatch) * steps / seconds;
    f.allReduceWaitMs /= steps;
    f.allReduceSpanMs /= steps;
    {
        const Batch batch = trainer.nextBatch(); // this rank's share of the next global batch
        trainer.trainQuietly(batch);
        const auto t0 = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < o.steps; ++i) {
            trainer.trainQuietly(batch);
        }
        trainer.lastLoss(); // the last step done (and finite) before the clock stops
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        f.modelMsPerStep = 1000.0 * s / steps;
        f.modelImagesPerSec = static_cast<double>(f.globalBatch) * steps / s;
    }
    if (comm && f.bytesPerStep > 0) {
        torch::Tensor flat = torch::zeros({f.bytesPerStep / 4}, torch::kFloat);
        torch::Tensor token = torch::zeros({1}, torch::kFloat);
        std::vector<double> times;
        for (int i = 0; i < 5; ++i) {
            comm->allreduceSum(token); // every rank here before the clock starts
            const auto t0 = std::chrono::steady_clock::now();
            comm->allreduceSum(flat);
            times.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
        }
        std::sort(times.begin(), times.end());
        f.allReduceAloneMs = times[times.size() / 2];
    }
    return f;
}

std::string dataParallelJson(const DataParallelFigures& f) {
    std::ostringstream j;
    j << "{\"world\":" << f.world << ",\"threads\":" << f.threads
      << ",\"global_batch\":" << f.globalBatch << ",\"images_per_s\":" << f.imagesPerSec
      << ",\"ms_per_step\":" << f.msPerStep << ",\"allreduce_wait_ms\":" << f.allReduceWaitMs
      << ",\"allreduce_span_ms\":" << f.allReduceSpanMs << ",\"bytes_per_step\":" << f.bytesPerStep
      << ",\"allreduce_alone_ms\":" << f.allReduceAloneMs << ",\"buckets\":" << f.buckets
      << ",\"parameters\":" << f.parameters << ",\"model_images_per_s\":" << f.modelImagesPerSec
      << ",\"model_ms_per_step\":" << f.modelMsPerStep << "}";
    return j.str();
}

namespace {
double field(const std::string& json, const std::string& name) {
    const auto at = json.find("\"" + name + "\":");
    return at == std::string::npos ? 0.0 : std::stod(json.substr(at + name.size() + 3));
}
} // namespace

DataParallelFigures parseDataParallelJson(const std::string& json) {
    DataParallelFigures f;
    f.world = static_cast<int>(field(json, "world"));
    f.threads = static_cast<int>(field(json, "threads"));
    f.globalBatch = static_cast<int64_t>(field(json, "global_batch"));
    f.imagesPerSec = field(json, "images_per_s");
    f.msPerStep = field(json, "ms_per_step");
    f.allReduceWaitMs = field(json, "allreduce_wait_ms");
    f.allReduceSpanMs = field(json, "allreduce_span_ms");
    f.bytesPerStep = static_cast<int64_t>(field(json, "bytes_per_step"));
    f.buckets = static_cast<int>(field(json, "buckets"));
    f.allReduceAloneMs = field(json, "allreduce_alone_ms");
    f.parameters = static_cast<int64_t>(field(json, "parameters"));
    f.modelImagesPerSec = field(json, "model_images_per_s");
    f.modelMsPerStep = field(json, "model_ms_per_step");
    return f;
}

} // namespace pretext
