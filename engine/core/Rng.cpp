#include "Rng.h"

#include <ATen/CPUGeneratorImpl.h>

namespace pretext {

at::Generator makeGenerator(uint64_t seed) {
    return at::detail::createCPUGenerator(seed);
}

} // namespace pretext
