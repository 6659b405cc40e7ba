#include "Threads.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <sched.h>

#include <cmath>
#include <fstream>
#include <sstream>
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

namespace {
std::string firstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// CPUs of a quota and its period, rounded up; 0 for no quota.
int quotaCpus(double quota, double period) {
    if (quota <= 0 || period <= 0) {
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil(quota / period)));
}

// "max 100000" or "200000 100000" (cgroup v2's cpu.max).
int cpuMaxCpus(const std::string& text) {
    std::istringstream in(text);
    std::string quota;
    double period = 0;
    if (!(in >> quota >> period) || quota == "max") {
        return 0;
    }
    try {
        return quotaCpus(std::stod(quota), period);
    } catch (const std::exception&) {
        return 0;
    }
}
} // namespace

int cgroupCpuLimit(const std::string& cgroupRoot, const std::string& selfCgroup) {
    // cgroup v2: "0::/path" names the process's group.
    std::istringstream lines(selfCgroup);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("0::", 0) == 0) {
            const std::string group = line.substr(3);
            if (group != "/" && !group.empty()) {
                if (const int cpus = cpuMaxCpus(firstLine(cgroupRoot + group + "/cpu.max"))) {
                    return cpus;
                }
            }
        }
    }
    if (const int cpus = cpuMaxCpus(firstLine(cgroupRoot + "/cpu.max"))) {
        return cpus;
    }
    // cgroup v1.
    const std::string quota = firstLine(cgroupRoot + "/cpu/cpu.cfs_quota_us");
    const std::string period = firstLine(cgroupRoot + "/cpu/cpu.cfs_period_us");
    try {
        return quota.empty() || period.empty() ? 0 : quotaCpus(std::stod(quota), std::stod(period));
    } catch (const std::exception&) {
        return 0;
    }
}

int usableCpus() {
    int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        cpus = std::max(1, CPU_COUNT(&set));
    }
    std::ifstream self("/proc/self/cgroup");
    const std::string selfCgroup((std::istreambuf_iterator<char>(self)),
                                 std::istreambuf_iterator<char>());
    const int limit = cgroupCpuLimit("/sys/fs/cgroup", selfCgroup);
    return limit > 0 ? std::min(cpus, limit) : cpus;
}

ThreadSetup configureThreads(int torchThreads, int blasThreads) {
    ThreadSetup setup;
    if (torchThreads <= 0) {
        torchThreads = usableCpus();
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
    text += setup.blasThreads > 0 ? std::to_string(setup.blasThreads) +
                                        (setup.blasThreads == 1 ? " thread" : " threads")
                                  : std::string("threads unknown");
    return text + (setup.blasLimited ? " (set by the program)" : " (left as found)");
}

} // namespace pretext
