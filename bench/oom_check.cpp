// A device check of the out-of-memory path with a real GPU: fills the device's memory
// in 1 GiB blocks until allocation fails, gives back a few, then trains with doubling
// batch sizes until a step runs out of memory, and shows what the trainer does: the
// step done again with half the batch, training going on, or a clear stop.
//   pretext-oom-check [--free-gib N] [--size PX] [--task NAME]
#include "DemoData.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace pretext;

int main(int argc, char** argv) {
    int freeGib = 4, sizePx = 128;
    std::string task = pretext::defaultTaskName();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--free-gib") {
            freeGib = std::atoi(argv[i + 1]);
        } else if (arg == "--size") {
            sizePx = std::atoi(argv[i + 1]);
        } else if (arg == "--task") {
            task = argv[i + 1];
        }
    }
    if (!torch::cuda::is_available()) {
        std::cout << "pretext-oom-check: needs a CUDA device (the CPU path is tested with "
                     "--inject-fault)\n";
        return 0;
    }
    std::vector<torch::Tensor> blocks;
    try {
        for (;;) {
            blocks.push_back(
                torch::empty({int64_t{1} << 30}, torch::dtype(torch::kByte).device(torch::kCUDA)));
        }
    } catch (const c10::OutOfMemoryError&) {
    }
    const size_t held = blocks.size();
    blocks.resize(held > static_cast<size_t>(freeGib) ? held - freeGib : 0);
    std::cout << "device memory filled with " << held << " GiB; " << held - blocks.size()
              << " GiB given back for training\n";
    const torch::Tensor images = makeDemoImages(512, sizePx, 1);
    for (int64_t batch = 8; batch <= 65536; batch *= 2) {
        TrainConfig cfg;
        cfg.task = task;
        cfg.batchSize = batch;
        cfg.device = "cuda";
        try {
            Trainer trainer(cfg, images);
            const auto start = std::chrono::steady_clock::now();
            StepResult r = trainer.step();
            torch::cuda::synchronize();
            std::cout << "batch " << batch << ": step 1, loss " << r.loss << ", "
                      << std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - start)
                             .count()
                      << " ms\n";
            if (!r.note.empty()) {
                std::cout << "  note: " << r.note << "\n";
                r = trainer.step();
                std::cout << "  step 2 with batch " << trainer.config().batchSize << ": loss "
                          << r.loss << (r.note.empty() ? "" : ", note: " + r.note) << "\n";
                std::cout << "RESULT: out of memory caught, the step done again with half the "
                             "batch, training went on\n";
                return 0;
            }
        } catch (const TrainingError& e) {
            std::cout << "batch " << batch << ": " << e.what() << "\n";
            std::cout << "RESULT: out of memory caught, the run stopped with a message\n";
            return 0;
        }
    }
    std::cout << "RESULT: no batch size ran out of memory\n";
    return 1;
}
