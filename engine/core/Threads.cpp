#include "Threads.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <thread>

namespace pretext {

namespace {
using SetThreadsFn = void (*)(int);

// Looks the setter up at run time so that the program neither links a particular
// BLAS nor fails when another one is installed.
bool callSetter(const char* symbol, int threads) {
    auto fn = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, symbol));
    if (fn == nullptr) {
        return false;
    }
    fn(threads);
    return true;
}
} // namespace

ThreadSetup configureThreads(int torchThreads) {
    ThreadSetup setup;
    if (torchThreads <= 0) {
        torchThreads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    const std::pair<const char*, const char*> setters[] = {
        {"openblas_set_num_threads", "OpenBLAS"},
        {"bli_thread_set_num_threads", "BLIS"},
        {"MKL_Set_Num_Threads", "MKL"},
    };
    for (const auto& [symbol, name] : setters) {
        if (callSetter(symbol, 1)) {
            setup.blasLimited = true;
            setup.blasName = name;
            break;
        }
    }
    torch::set_num_threads(torchThreads);
    setup.torchThreads = torch::get_num_threads();
    return setup;
}

} // namespace pretext
