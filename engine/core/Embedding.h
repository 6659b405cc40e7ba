#pragma once
// What the embedding map needs besides t-SNE (Tsne.h): principal components, how well
// labelled points separate (the silhouette), and the similarity-preserving alignment
// of one map onto another (so a map recomputed at a later checkpoint moves only where
// the features changed, not by a rotation or a mirror of the whole).
#include <torch/types.h>

#include <cstdint>

namespace pretext {

struct PcaResult {
    torch::Tensor points;   // (N, dims) float, the centred data on the leading components
    double explained = 0.0; // fraction of the total variance those components hold
};

// The `dims` leading principal components of `x` (N,D) (float, CPU). Each component's
// sign is fixed (its largest loading positive), so equal data give equal maps.
PcaResult pca(const torch::Tensor& x, int64_t dims = 2);

// Mean silhouette of labelled points (Rousseeuw 1987) under Euclidean distance: for each
// point, (b - a) / max(a, b) with a its mean distance to its own class and b the
// smallest mean distance to another class; 1 for tight, far-apart classes, about 0
// when they overlap. Points of a class of one are left out. `x` (N,D), `labels` (N)
// int64; N up to a few thousand (distances are computed in blocks, all of them).
double silhouette(const torch::Tensor& x, const torch::Tensor& labels);

// `moving` (N,2) rotated, mirrored if that fits better, scaled and shifted to lie as
// close as it can to `reference` (N,2), point for point (orthogonal Procrustes).
torch::Tensor alignTo(const torch::Tensor& moving, const torch::Tensor& reference);

} // namespace pretext
