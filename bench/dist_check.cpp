// A device check of data-parallel training where a GPU is at hand (the suite's test_dist
// runs the same on the CPU): two ranks in this process, one thread each, train the same
// run on their shares of each global batch over c10d, and after every step their
// parameters must be bit-identical. Run with CUDA tensors it checks what no CPU test can:
// Gloo reducing CUDA tensors (both ranks may share one GPU), NCCL (two GPUs: rank r on
// cuda:r; a build with -DPRETEXT_WITH_NCCL=ON), and mixed precision with loss scaling
// across ranks. Prints each rank's figures and exits 1 on any mismatch or failure.
//   pretext-dist-check [--device cpu|cuda] [--backend gloo|nccl] [--precision P]
//                      [--backbone small|resnet18|...] [--size PX] [--batch B] [--steps N]
#include "DemoData.h"
#include "DeviceInfo.h"
#include "Trainer.h"
#include "dist/Communicator.h"
#include "dist/FreePort.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace pretext;

namespace {
struct Options {
    std::string device = "cpu", backend = "gloo", precision = "fp32", backbone = "small";
    int sizePx = 32, batch = 8, steps = 5;
};

std::vector<torch::Tensor> parameters(Trainer& t) {
    std::vector<torch::Tensor> out;
    for (const auto& p : t.model().parameters()) {
        out.push_back(p.detach().to(torch::kCPU).clone());
    }
    return out;
}
} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i], value = argv[i + 1];
        if (arg == "--device") {
            o.device = value;
        } else if (arg == "--backend") {
            o.backend = value;
        } else if (arg == "--precision") {
            o.precision = value;
        } else if (arg == "--backbone") {
            o.backbone = value;
        } else if (arg == "--size") {
            o.sizePx = std::atoi(value.c_str());
        } else if (arg == "--batch") {
            o.batch = std::atoi(value.c_str());
        } else if (arg == "--steps") {
            o.steps = std::atoi(value.c_str());
        } else {
            std::cerr << "pretext-dist-check: unknown option " << arg << "\n";
            return 2;
        }
    }
    if (o.device == "cuda" && !torch::cuda::is_available()) {
        std::cout << "pretext-dist-check: no CUDA device here; nothing checked\n";
        return 0;
    }
    const bool ownGpu = o.backend == "nccl"; // NCCL wants one GPU per rank
    if (ownGpu && torch::cuda::device_count() < 2) {
        std::cout << "pretext-dist-check: NCCL needs two GPUs (one per rank); this machine "
                     "has "
                  << torch::cuda::device_count() << "; nothing checked\n";
        return 0;
    }
    const auto task = makeTask("rotation");
    ParamValues params = withDefaults(task->info(), {});
    const auto& choices = [&] {
        for (const auto& spec : task->info().params) {
            if (spec.name == "backbone") {
                return spec.choices;
            }
        }
        return std::vector<std::string>{};
    }();
    for (size_t k = 0; k < choices.size(); ++k) {
        if (choices[k] == o.backbone) {
            params["backbone"] = static_cast<double>(k);
        }
    }
    const torch::Tensor images = makeDemoImages(256, o.sizePx, 1);
    const int port = freeLoopbackPort();
    std::array<std::string, 2> errors;
    std::array<std::vector<std::vector<torch::Tensor>>, 2> states; // per step
    std::array<double, 2> msPerStep{};
    std::array<std::string, 2> descriptions;
    std::mutex printing;
    auto rank = [&](int r) {
        try {
            DistSettings s;
            s.rank = r;
            s.worldSize = 2;
            s.localRank = r;
            s.localWorldSize = 2;
            s.masterPort = port;
            s.timeoutS = 60;
            s.backend = o.backend;
            const std::string device =
                o.device == "cuda" ? "cuda:" + std::to_string(ownGpu ? r : 0) : o.device;
            TrainConfig cfg;
            cfg.task = "rotation";
            cfg.params = params;
            cfg.batchSize = o.batch;
            cfg.device = device;
            cfg.precision = o.precision;
            cfg.seed = 1;
            cfg.convRoute = "libtorch";
            Trainer trainer(cfg, images);
            auto comm = Communicator::join(s, trainer.device());
            trainer.joinGroup(comm);
            descriptions[static_cast<size_t>(r)] =
                comm->describe() + " on " + deviceLabel(trainer.device()) + ", " +
                trainer.config().precision + ", " + trainer.model().encoder()->describe();
            const auto start = std::chrono::steady_clock::now();
            for (int step = 0; step < o.steps; ++step) {
                const StepResult result = trainer.step();
                states[static_cast<size_t>(r)].push_back(parameters(trainer));
                if (!result.note.empty()) {
                    const std::lock_guard<std::mutex> lock(printing);
                    std::cout << "rank " << r << ": " << result.note << "\n";
                }
            }
            msPerStep[static_cast<size_t>(r)] =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count() /
                o.steps;
        } catch (const std::exception& e) {
            errors[static_cast<size_t>(r)] = e.what();
        }
    };
    std::thread a(rank, 0), b(rank, 1);
    a.join();
    b.join();
    bool ok = true;
    for (int r = 0; r < 2; ++r) {
        if (!errors[static_cast<size_t>(r)].empty()) {
            std::cout << "rank " << r << " failed: " << errors[static_cast<size_t>(r)] << "\n";
            ok = false;
        } else {
            std::cout << descriptions[static_cast<size_t>(r)] << ": "
                      << msPerStep[static_cast<size_t>(r)] << " ms per step\n";
        }
    }
    if (ok) {
        for (int step = 0; step < o.steps; ++step) {
            const auto& p0 = states[0][static_cast<size_t>(step)];
            const auto& p1 = states[1][static_cast<size_t>(step)];
            for (size_t i = 0; i < p0.size(); ++i) {
                if (!torch::equal(p0[i], p1[i])) {
                    std::cout << "step " << step + 1 << ": parameter " << i
                              << " differs between the ranks (max "
                              << (p0[i] - p1[i]).abs().max().item<double>() << ")\n";
                    ok = false;
                    break;
                }
            }
        }
    }
    std::cout << (ok ? "ok: " : "FAILED: ") << o.steps << " steps, " << o.backend << " on "
              << o.device << ", " << o.precision << ": the ranks' parameters "
              << (ok ? "bit-identical after every step\n" : "not checked to the end\n");
    return ok ? 0 : 1;
}
