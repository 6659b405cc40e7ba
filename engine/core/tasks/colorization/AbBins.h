#pragma once
// The quantized ab plane of Zhang, Isola & Efros (2016): a grid of 10 over a and b,
// kept where sRGB can reach; soft encoding of ground truth over the nearest bins,
// class rebalancing from the data's bin distribution, and annealed-mean decoding.
#include <torch/types.h>

#include <vector>

namespace pretext {

struct AbGamut {
    static constexpr double kGrid = 10.0; // bin spacing in Lab units
    static constexpr int kHalfCells = 11; // grid centres from -110 to 110 on each axis
    static constexpr int kCells = 2 * kHalfCells + 1;
    torch::Tensor centers;   // (Q,2) float: a, b of each in-gamut bin, sorted by a then b
    torch::Tensor cellToBin; // (kCells²) int64: grid cell -> nearest in-gamut bin
    torch::Tensor inGamut;   // (kCells²) bool: the cell is itself a bin
    torch::Tensor smoothing; // (Q,Q) double: exp(−|c_q − c_r|² / 2σ²) for σ = kSmoothingSigma
    static constexpr double kSmoothingSigma = 5.0;
    // For soft encoding: the kCandidates nearest bins of every point of a 1-unit lattice
    // over ±kFineHalf. Any ab within half a unit of a lattice point has its 5 nearest
    // bins among them (on the grid of 10 the 5th and 13th nearest are > 1.5 apart).
    static constexpr int kFineHalf = 115;
    static constexpr int kCandidates = 12;
    torch::Tensor candidates; // ((2·kFineHalf+1)², kCandidates) int64
    int64_t count() const { return centers.size(0); }
};

// Colours on the six faces of the RGB cube, `levels` values per edge: (6·levels², 3) double.
torch::Tensor rgbCubeSurface(int levels);

// The bins reachable from sRGB: colours on the surface of the RGB cube (`levels` values
// per edge, and the six most saturated edges 256 times finer) are converted to Lab and
// their ab rounded to the grid; a bin is kept when some colour lands in its cell. (The
// gamut's projection onto the ab plane is the projection of its surface.)
AbGamut deriveAbGamut(int levels = 64);
// The default gamut, derived once and shared (immutable).
const AbGamut& abGamut();

// (B,2,H,W) ab -> (B,H,W) int64 index of the nearest bin.
torch::Tensor quantizeAb(const AbGamut& gamut, const torch::Tensor& ab);

struct SoftEncoding {
    torch::Tensor bins;    // (B,K,H,W) int64, nearest first
    torch::Tensor weights; // (B,K,H,W) float, Gaussian in distance, summing to 1 over K
};
// Soft targets over the K nearest bins (K ≤ kCandidates) with a Gaussian kernel of
// width sigma; the nearest are found among the lattice candidates, not all Q bins.
SoftEncoding softEncode(const AbGamut& gamut, const torch::Tensor& ab, int64_t k = 5,
                        double sigma = 5.0);

// (B,3,H,W) Lab pixels -> (Q) double counts per nearest bin.
torch::Tensor abHistogram(const AbGamut& gamut, const torch::Tensor& lab);

struct Rebalancing {
    torch::Tensor smoothed; // (Q) double: p̃, the empirical distribution smoothed by a Gaussian
    torch::Tensor weights;  // (Q) double: w ∝ ((1−λ) p̃ + λ/Q)⁻¹ with Σ p̃ w = 1
};
Rebalancing rebalanceWeights(const AbGamut& gamut, const torch::Tensor& counts, double lambda,
                             double sigma = 5.0);

// Annealed mean: ab = Σ_q softmax(logits / T)_q c_q. (B,Q,H,W) -> (B,2,H,W).
// T = 1 is the distribution's mean, T -> 0 its mode.
torch::Tensor annealedMean(const AbGamut& gamut, const torch::Tensor& logits, double temperature);

} // namespace pretext
