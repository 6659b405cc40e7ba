#pragma once
// Thread pool control. Debian's LibTorch calls whatever libblas.so.3 is installed;
// an OpenBLAS pool and torch's own pool both sized to all cores oversubscribe the
// machine (each spins while the other works), so BLAS is held to one thread and torch
// gets the cores. `pretext-workbench bench --blas-threads N` measures the difference.
#include <string>

namespace pretext {

struct ThreadSetup {
    int torchThreads = 0;
    bool blasLimited = false; // an OpenBLAS/BLIS/MKL thread setter was found and called
    std::string blasName;     // the BLAS found, when one was
    int blasThreads = 0;      // its pool size afterwards (0: not known)
};

// The CPUs this process may actually run on: its affinity mask, further limited by a
// cgroup CPU quota when one is set (a container given 2 CPUs on a 64-core host gets 2,
// where std::thread::hardware_concurrency() says 64). At least 1.
int usableCpus();
// A cgroup CPU quota in whole CPUs (rounded up) found under `cgroupRoot`: cgroup v2's
// cpu.max of the process's own group or the root, else v1's cpu.cfs_quota_us over
// cpu.cfs_period_us; 0 when none is set. `selfCgroup` is /proc/self/cgroup's text.
int cgroupCpuLimit(const std::string& cgroupRoot, const std::string& selfCgroup);

// torchThreads <= 0 means "every usable CPU" (usableCpus); blasThreads <= 0 leaves the BLAS
// pool as the library and the environment set it.
ThreadSetup configureThreads(int torchThreads = 0, int blasThreads = 1);

// "2 torch threads, OpenBLAS 1 thread", for reports.
std::string describeThreads(const ThreadSetup& setup);

} // namespace pretext
