// Prints sample-generation and training throughput of a task on this machine.
// Usage: pretext-bench [--task NAME] [--size PX] [--batch B] [--steps N] [--device auto|cpu|cuda]
#include "Bench.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    pretext::BenchOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
        if (arg == "--help" || arg == "-h") {
            std::cout << "pretext-bench [--task NAME] [--size PX] [--batch B] [--steps N] "
                         "[--device auto|cpu|cuda]\n";
            return 0;
        }
        if (next == nullptr) {
            std::cerr << "pretext-bench: " << arg << " needs a value\n";
            return 2;
        }
        if (arg == "--task") {
            options.task = next;
        } else if (arg == "--size") {
            options.sizePx = std::atoi(next);
        } else if (arg == "--batch") {
            options.batchSize = std::atoi(next);
        } else if (arg == "--steps") {
            options.steps = std::atoi(next);
        } else if (arg == "--device") {
            options.device = next;
        } else {
            std::cerr << "pretext-bench: unknown option " << arg << "\n";
            return 2;
        }
        ++i;
    }
    try {
        std::cout << pretext::formatBench(options, pretext::runBench(options));
    } catch (const std::exception& e) {
        std::cerr << "pretext-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
