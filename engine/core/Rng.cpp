#include "Rng.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace pretext {

at::Generator makeGenerator(uint64_t seed) {
    return at::detail::createCPUGenerator(seed);
}

namespace {
std::mutex& globalRngMutex() {
    static std::mutex mutex;
    return mutex;
}
} // namespace

GlobalRngLock::GlobalRngLock() : m_lock(globalRngMutex()) {}

GlobalRngLock::GlobalRngLock(uint64_t seed) : m_lock(globalRngMutex()) {
    torch::manual_seed(seed);
}

} // namespace pretext
