#pragma once
// Permutation sets for jigsaw puzzles (Noroozi & Favaro): chosen greedily so that
// every new permutation is as far as possible, in Hamming distance, from those
// already chosen; deterministic from the seed.
#include <cstdint>
#include <vector>

namespace pretext {

struct PermutationSet {
    int tiles = 0;                       // N²
    std::vector<std::vector<int>> perms; // perms[k][i]: the original tile shown at position i
    double minHamming = 0.0;             // over all pairs
    double meanHamming = 0.0;
};

// Largest set size allowed for `tiles` tiles: tiles! (saturating).
uint64_t factorial(int n);

// Greedy max-min Hamming selection (ties broken by the larger summed distance, then
// by a seeded order). All tiles! candidates for up to 9 tiles, a seeded sample of
// 40,000 beyond. Throws std::invalid_argument when count > tiles! or count < 1.
PermutationSet makePermutationSet(int tiles, int count, uint64_t seed);
// `count` distinct permutations drawn uniformly: the baseline the greedy set must beat.
PermutationSet randomPermutationSet(int tiles, int count, uint64_t seed);

int hammingDistance(const std::vector<int>& a, const std::vector<int>& b);

} // namespace pretext
