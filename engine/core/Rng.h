#pragma once
// Seeded random sources: a CPU torch generator for tensor ops and a portable
// integer stream for procedural data, so a seed means the same thing everywhere.
#include <ATen/core/Generator.h>
#include <cstdint>
#include <mutex>
#include <random>

namespace pretext {

at::Generator makeGenerator(uint64_t seed);

// Torch's global generator initialises a model's weights (Task::makeModel), and every
// thread shares it: a run starting on the engine thread while another thread builds a
// model (a probe's random-weight baseline, the embedding map's checkpoint) would draw
// from it between the seed and the last weight. Whoever seeds it or draws from it
// holds this lock for as long; the seeding form seeds it once locked.
class GlobalRngLock {
public:
    GlobalRngLock();
    explicit GlobalRngLock(uint64_t seed);

private:
    std::unique_lock<std::mutex> m_lock;
};

// std::mt19937_64 is specified bit for bit; the distributions of <random> are not,
// so uniform values are derived by hand.
class PortableRng {
public:
    explicit PortableRng(uint64_t seed) : m_engine(seed) {}
    double uniform() { return static_cast<double>(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int integer(int lo, int hiInclusive) {
        return lo + static_cast<int>(uniform() * (hiInclusive - lo + 1) * 0.999999999);
    }

private:
    std::mt19937_64 m_engine;
};

} // namespace pretext
