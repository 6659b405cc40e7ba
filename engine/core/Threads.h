#pragma once
// Thread pool control. Debian's LibTorch calls whatever libblas.so.3 is installed;
// an OpenBLAS pool and torch's own pool both sized to all cores oversubscribe the
// machine, so BLAS is held to one thread and torch gets the cores.
#include <string>

namespace pretext {

struct ThreadSetup {
    int torchThreads = 0;
    bool blasLimited = false; // an OpenBLAS/BLIS/MKL thread setter was found and called
    std::string blasName;
};

// torchThreads <= 0 means "all hardware threads".
ThreadSetup configureThreads(int torchThreads = 0);

} // namespace pretext
