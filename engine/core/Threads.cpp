#include "Threads.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <thread>

namespace pretext {

namespace {
using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();

struct BlasApi {
    const char* name;
    const char* setter;
    const char* getter;
};

// Looked up at run time so that the program neither links a particular BLAS nor
// fails when another one is installed.
constexpr BlasApi kBlasApis[] = {
    {"OpenBLAS", "openblas_set_num_threads", "openblas_get_num_threads"},
    {"BLIS", "bli_thread_set_num_threads", "bli_thread_get_num_threads"},
    {"MKL", "MKL_Set_Num_Threads", "MKL_Get_Max_Threads"},
};
} // namespace

ThreadSetup configureThreads(int torchThreads, int blasThreads) {
    ThreadSetup setup;
    if (torchThreads <= 0) {
        torchThreads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    for (const auto& api : kBlasApis) {
        auto set = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, api.setter));
        if (set == nullptr) {
            continue;
        }
        setup.blasName = api.name;
        if (blasThreads > 0) {
            set(blasThreads);
            setup.blasLimited = true;
        }
        if (auto get = reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, api.getter))) {
            setup.blasThreads = get();
        }
        break;
    }
    torch::set_num_threads(torchThreads);
    setup.torchThreads = torch::get_num_threads();
    return setup;
}

std::string describeThreads(const ThreadSetup& setup) {
    std::string text = std::to_string(setup.torchThreads) +
                       (setup.torchThreads == 1 ? " torch thread, " : " torch threads, ");
    if (setup.blasName.empty()) {
        return text + "BLAS pool not found";
    }
    text += setup.blasName + " ";
    text += setup.blasThreads > 0 ? std::to_string(setup.blasThreads) + (setup.blasThreads == 1 ? " thread" : " threads")
                                  : std::string("threads unknown");
    return text + (setup.blasLimited ? " (set by the program)" : " (left as found)");
}

} // namespace pretext
