#include "Memory.h"

#include <sys/resource.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pretext {

namespace {
std::string g_description = "malloc not configured";
bool g_kept = false;

// glibc's largest allowed mmap threshold on 64-bit systems (HEAP_MAX_SIZE / 2): blocks
// up to 32 MB come from the heap and are reused; larger ones are still mapped.
constexpr int kMmapThreshold = 32 * 1024 * 1024;
// Freed memory at the heap's top is kept up to this much before it is handed back.
constexpr int kTrimThreshold = 1024 * 1024 * 1024;
} // namespace

std::string glibcTunables() {
    return "glibc.malloc.mmap_threshold=" + std::to_string(kMmapThreshold) +
           ":glibc.malloc.trim_threshold=" + std::to_string(kTrimThreshold);
}

MemorySetup configureMemory(bool keep) {
    MemorySetup setup;
    if (g_kept) { // glibc's own adjustment, once stopped, cannot be started again
        setup.keepsFreedMemory = true;
        setup.description = g_description;
        return setup;
    }
#if defined(__GLIBC__)
    if (keep) {
        // Setting either value by hand also stops glibc's own adjustment of them.
        setup.keepsFreedMemory = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 &&
                                 mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
    }
    setup.description = setup.keepsFreedMemory
                            ? "malloc keeps freed blocks up to 32 MB (set by the program)"
                            : "malloc as found";
#else
    (void)keep;
    setup.description = "malloc as found";
#endif
    g_description = setup.description;
    g_kept = setup.keepsFreedMemory;
    return setup;
}

std::string describeMemory() {
    return g_description;
}

void releaseFreedMemory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

int64_t minorPageFaults() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        return 0;
    }
    return static_cast<int64_t>(usage.ru_minflt);
}

} // namespace pretext
