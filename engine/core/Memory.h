#pragma once
// What the C library's allocator does with memory a training step frees. LibTorch's
// CPU tensors come from malloc, and a step frees and allocates the same few dozen
// blocks of megabytes again every time. With glibc's defaults a block over its mmap
// threshold is mapped fresh (and zero-filled by the kernel, page by page, on first
// touch) for every allocation, and the heap's top is handed back to the system when it
// passes the trim threshold: tens of thousands of page faults per step. Keeping freed
// memory for reuse removes them; `releaseFreedMemory` gives it back when a run ends.
// `pretext-workbench bench --malloc-defaults` measures the difference.
#include <cstdint>
#include <string>

namespace pretext {

struct MemorySetup {
    bool keepsFreedMemory = false; // the allocator was told to keep it (glibc)
    std::string description;       // for reports
};

// keep = false leaves the allocator as the C library and the environment set it (once
// told to keep memory it keeps it: glibc cannot be handed its own adjustment back).
// Call it before the first large allocation (start-up) for the full effect.
MemorySetup configureMemory(bool keep = true);

// The same setting as glibc's environment variable would give it to another process
// (GLIBC_TUNABLES=<this>): how the benchmark scripts hand it to the Python reference.
std::string glibcTunables();

// The last configureMemory's description ("not configured" before any).
std::string describeMemory();

// Returns freed memory the allocator holds to the system (after a run, when the
// process goes idle). Cheap when there is nothing to return.
void releaseFreedMemory();

// Minor page faults of this process so far (0 where not known).
int64_t minorPageFaults();

} // namespace pretext
