#include "tasks/jigsaw/Permutations.h"

#include "Rng.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>

namespace pretext {

namespace {

constexpr size_t kSampledCandidates = 40000;

std::vector<int> randomPermutation(int n, PortableRng& rng) {
    std::vector<int> p(n);
    std::iota(p.begin(), p.end(), 0);
    for (int i = n - 1; i > 0; --i) { // Fisher-Yates with the portable stream
        std::swap(p[i], p[rng.integer(0, i)]);
    }
    return p;
}

void fillStatistics(PermutationSet& set) {
    const size_t k = set.perms.size();
    double sum = 0.0;
    int minimum = set.tiles;
    size_t pairs = 0;
    for (size_t a = 0; a < k; ++a) {
        for (size_t b = a + 1; b < k; ++b) {
            const int d = hammingDistance(set.perms[a], set.perms[b]);
            minimum = std::min(minimum, d);
            sum += d;
            ++pairs;
        }
    }
    set.minHamming = pairs ? minimum : 0.0;
    set.meanHamming = pairs ? sum / static_cast<double>(pairs) : 0.0;
}

void checkCount(int tiles, int count) {
    if (tiles < 2 || tiles > 25) {
        throw std::invalid_argument("a puzzle needs 2 to 25 tiles, not " + std::to_string(tiles));
    }
    if (count < 1 || static_cast<uint64_t>(count) > factorial(tiles)) {
        throw std::invalid_argument("a permutation set of " + std::to_string(tiles) +
                                    " tiles holds 1 to " + std::to_string(factorial(tiles)) +
                                    " permutations (tiles!), not " + std::to_string(count));
    }
}

} // namespace

uint64_t factorial(int n) {
    uint64_t f = 1;
    for (int i = 2; i <= n; ++i) {
        if (f > UINT64_MAX / static_cast<uint64_t>(i)) {
            return UINT64_MAX;
        }
        f *= static_cast<uint64_t>(i);
    }
    return f;
}

int hammingDistance(const std::vector<int>& a, const std::vector<int>& b) {
    int d = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        d += a[i] != b[i];
    }
    return d;
}

PermutationSet makePermutationSet(int tiles, int count, uint64_t seed) {
    checkCount(tiles, count);
    PortableRng rng(seed ^ 0x6A1C5A77ULL);
    // Candidates as a flat byte table, in a seeded order so that ties fall randomly.
    std::vector<uint8_t> table;
    size_t candidates = 0;
    if (tiles <= 9) {
        std::vector<int> p(tiles);
        std::iota(p.begin(), p.end(), 0);
        do {
            table.insert(table.end(), p.begin(), p.end());
            ++candidates;
        } while (std::next_permutation(p.begin(), p.end()));
        for (size_t i = candidates - 1; i > 0; --i) {
            const size_t j = static_cast<size_t>(rng.uniform() * static_cast<double>(i + 1));
            std::swap_ranges(table.begin() + i * tiles, table.begin() + (i + 1) * tiles,
                             table.begin() + std::min(j, i) * tiles);
        }
    } else {
        std::set<std::vector<int>> seen;
        while (seen.size() < kSampledCandidates) {
            auto p = randomPermutation(tiles, rng);
            if (seen.insert(p).second) {
                table.insert(table.end(), p.begin(), p.end());
            }
        }
        candidates = seen.size();
    }
    std::vector<uint8_t> minDist(candidates, static_cast<uint8_t>(tiles + 1));
    std::vector<uint32_t> sumDist(candidates, 0);
    std::vector<bool> taken(candidates, false);
    PermutationSet set;
    set.tiles = tiles;
    size_t chosen = 0; // the first pick is the first candidate of the seeded order
    for (int k = 0; k < count; ++k) {
        taken[chosen] = true;
        const uint8_t* c = &table[chosen * tiles];
        set.perms.emplace_back(c, c + tiles);
        if (k + 1 == count) {
            break;
        }
        size_t best = 0;
        bool found = false;
        for (size_t i = 0; i < candidates; ++i) {
            const uint8_t* q = &table[i * tiles];
            uint8_t d = 0;
            for (int t = 0; t < tiles; ++t) {
                d += q[t] != c[t];
            }
            minDist[i] = std::min(minDist[i], d);
            sumDist[i] += d;
            if (!taken[i] && (!found || minDist[i] > minDist[best] ||
                              (minDist[i] == minDist[best] && sumDist[i] > sumDist[best]))) {
                best = i;
                found = true;
            }
        }
        chosen = best;
    }
    fillStatistics(set);
    return set;
}

PermutationSet randomPermutationSet(int tiles, int count, uint64_t seed) {
    checkCount(tiles, count);
    PortableRng rng(seed ^ 0x2F0A1E55ULL);
    std::set<std::vector<int>> seen;
    PermutationSet set;
    set.tiles = tiles;
    while (static_cast<int>(set.perms.size()) < count) {
        auto p = randomPermutation(tiles, rng);
        if (seen.insert(p).second) {
            set.perms.push_back(p);
        }
    }
    fillStatistics(set);
    return set;
}

} // namespace pretext
