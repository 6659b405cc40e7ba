#pragma once
// Rearranging each sample's parts (tiles, frames) by its own index: shared by the
// jigsaw (tiles in a permuted order) and temporal order (frames of a tuple).
#include <torch/types.h>

#include <vector>

namespace pretext {

// x (B,N,...) and index (B,K) with entries in 0..N-1: out[b][k] = x[b][index[b][k]],
// (B,K,...) on x's device.
inline torch::Tensor takePerSample(const torch::Tensor& x, const torch::Tensor& index) {
    std::vector<int64_t> view{index.size(0), index.size(1)}, shape{index.size(0), index.size(1)};
    for (int64_t d = 2; d < x.dim(); ++d) {
        view.push_back(1);
        shape.push_back(x.size(d));
    }
    return x.gather(1, index.to(x.device(), torch::kLong).view(view).expand(shape));
}

} // namespace pretext
