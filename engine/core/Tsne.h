#pragma once
// t-SNE (van der Maaten & Hinton 2008) with the Barnes-Hut approximation (van der
// Maaten 2014): affinities from each point's 3·perplexity nearest neighbours, the
// repulsion of far groups of points taken from a quadtree's cells. A few thousand
// points take seconds, not the minutes of the exact O(N²) method.
#include "Cancel.h"

#include <torch/types.h>

#include <cstdint>

namespace pretext {

struct TsneOptions {
    double perplexity = 30.0;
    int iterations = 750;
    // The first iterations pull neighbours together harder ("early exaggeration"),
    // so that clusters form before they spread.
    int exaggerationIterations = 250;
    double exaggeration = 12.0;
    double theta = 0.5;        // a cell counts as one point when its size / distance < theta
    double learningRate = 0.0; // 0: max(N / exaggeration, 50) (Belkina et al. 2019)
    int64_t maxInputDims = 50; // wider inputs are first reduced by PCA, as is customary
    CancelToken cancel;        // checked every iteration
};

// A 2-D map (N,2) of `x` (N,D) float CPU, N >= 4. Starts from the data's first two
// principal components scaled small, or from `init` (N,2) when given (a previous map
// of the same points: then the exaggeration phase is skipped and half the iterations
// are run, so the map continues rather than starts over). Deterministic for equal
// input, whatever the number of threads. Throws Cancelled.
torch::Tensor tsne(const torch::Tensor& x, const TsneOptions& options = {},
                   const torch::Tensor& init = {});

} // namespace pretext
