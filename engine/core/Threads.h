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

// torchThreads <= 0 means "all hardware threads"; blasThreads <= 0 leaves the BLAS
// pool as the library and the environment set it.
ThreadSetup configureThreads(int torchThreads = 0, int blasThreads = 1);

// "2 torch threads, OpenBLAS 1 thread", for reports.
std::string describeThreads(const ThreadSetup& setup);

} // namespace pretext
