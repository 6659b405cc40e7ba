#pragma once
// Weighted k-nearest-neighbour accuracy of features (the monitor of instance
// discrimination, Wu et al. 2018): features L2-normalised, each query's k most similar
// bank features (cosine similarity) vote for their class with weight exp(s / T), and
// the class with the largest vote is the prediction. No training, so it can judge an
// encoder every few hundred steps while it learns.
#include <torch/types.h>

#include <cstdint>
#include <utility>

namespace pretext {

struct KnnOptions {
    int64_t k = 20;
    double temperature = 0.07;
    int64_t chunk = 1024; // queries compared at once (memory: chunk x bank floats)
};

// bank (N,D) with labels (N) int64, queries (M,D) with labels (M); classes > labels.
// Top-1 accuracy in [0,1].
double knnAccuracy(const torch::Tensor& bank, const torch::Tensor& bankLabels,
                   const torch::Tensor& queries, const torch::Tensor& queryLabels, int64_t classes,
                   const KnnOptions& options = {});

// The `k` rows of `bank` (N,D, rows L2-normalised by the caller, once) most similar to
// `query` (D) by cosine similarity, most similar first, leaving out row `exclude` (-1: none):
// (indices int64, similarities). Brute force, one matrix-vector product: 50,000 x 128 features take
// about a millisecond (bench --embedding), far below what an index would save.
std::pair<torch::Tensor, torch::Tensor> nearestNeighbours(const torch::Tensor& bank,
                                                          const torch::Tensor& query, int64_t k,
                                                          int64_t exclude = -1);

} // namespace pretext
