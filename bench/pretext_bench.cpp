// The core-only benchmark: LibTorch alone, synthetic (procedural) data, any device.
// Prints per task: sample generation, training and model-step throughput, FLOPs, and
// the machine's convolution and matrix-product ceiling; --json writes the figures.
#include "Bench.h"
#include "Memory.h"
#include "Threads.h"
#include "tasks/Registry.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {
const char* kUsage =
    "pretext-bench [--task NAME|all] [--size PX] [--batch B] [--steps N] [--warmup N]\n"
    "              [--device auto|cpu|cuda] [--threads N] [--blas-threads N] "
    "[--param NAME=VALUE]... [--json FILE] "
    "[--no-ceiling]\n"
    "              [--backbone small|resnet18|resnet34|resnet50] [--precision fp32|bf16|fp16|amp]\n"
    "              [--per-tensor-adam] [--malloc-defaults] [--conv-route auto|libtorch|fast] "
    "[--conv-rounds R]\n";

// NAME=NUMBER, or NAME=CHOICE for a choice parameter of `task` (backbone=resnet18).
bool parseParam(const std::string& text, const std::string& task, pretext::ParamValues& params) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        return false;
    }
    const std::string name = text.substr(0, eq), value = text.substr(eq + 1);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (!value.empty() && end != nullptr && *end == '\0') {
        params[name] = v;
        return true;
    }
    const auto first = pretext::benchTasks(task);
    if (first.empty()) {
        return false;
    }
    for (const auto& spec : pretext::makeTask(first.front())->info().params) {
        for (size_t k = 0; spec.name == name && k < spec.choices.size(); ++k) {
            if (spec.choices[k] == value) {
                params[name] = static_cast<double>(k);
                return true;
            }
        }
    }
    return false;
}
} // namespace

int main(int argc, char** argv) {
    pretext::BenchOptions options;
    std::string task = pretext::defaultTaskName(), json;
    std::vector<std::string> params; // read once the task is known
    bool ceilingWanted = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (arg == "--no-ceiling") {
            ceilingWanted = false;
            continue;
        }
        if (arg == "--per-tensor-adam") {
            options.perTensorAdam = true;
            continue;
        }
        if (arg == "--malloc-defaults") {
            options.keepFreedMemory = false;
            continue;
        }
        if (arg == "--no-loaders") { // accepted for the app's bench options; no loaders here
            continue;
        }
        const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
        if (next == nullptr) {
            std::cerr << "pretext-bench: " << arg << " needs a value\n" << kUsage;
            return 2;
        }
        if (arg == "--task") {
            task = next;
        } else if (arg == "--size") {
            options.sizePx = std::atoi(next);
        } else if (arg == "--batch") {
            options.batchSize = std::atoi(next);
        } else if (arg == "--steps") {
            options.steps = std::atoi(next);
        } else if (arg == "--warmup") {
            options.warmupSteps = std::max(0, std::atoi(next)); // untimed steps per block
        } else if (arg == "--device") {
            options.device = next;
        } else if (arg == "--threads") {
            options.torchThreads = std::atoi(next);
        } else if (arg == "--conv-route") {
            options.convRoute = next;
        } else if (arg == "--conv-rounds") {
            options.convRounds = std::atoi(next);
        } else if (arg == "--blas-threads") {
            options.blasThreads = std::atoi(next);
        } else if (arg == "--json") {
            json = next;
        } else if (arg == "--param" || arg == "--backbone") {
            params.push_back(arg == "--param" ? next : "backbone=" + std::string(next));
        } else if (arg == "--precision") {
            options.precision = next;
        } else {
            std::cerr << "pretext-bench: unknown option " << arg << "\n" << kUsage;
            return 2;
        }
        ++i;
    }
    try {
        for (const auto& text : params) {
            if (!parseParam(text, task, options.params)) {
                std::cerr << "pretext-bench: --param wants NAME=NUMBER or NAME=CHOICE of the "
                             "task, not '"
                          << text << "'\n";
                return 2;
            }
        }
        pretext::configureThreads(options.torchThreads, options.blasThreads);
        pretext::configureMemory(options.keepFreedMemory);
        pretext::MachineCeiling ceiling;
        if (ceilingWanted) {
            ceiling = pretext::measureCeiling(options.device);
            std::cout << pretext::formatCeiling(ceiling) << std::flush;
        }
        std::vector<pretext::BenchResult> results;
        for (const auto& name : pretext::benchTasks(task)) {
            options.task = name;
            results.push_back(pretext::runBench(options));
            std::cout << pretext::formatBench(options, results.back(),
                                              ceilingWanted ? &ceiling : nullptr)
                      << std::flush;
        }
        if (!json.empty()) {
            std::ofstream file(json);
            file << pretext::benchJson(options, results, ceilingWanted ? &ceiling : nullptr);
            if (!file) {
                std::cerr << "pretext-bench: " << json << " could not be written\n";
                return 1;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "pretext-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
