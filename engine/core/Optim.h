#pragma once
// Adam with LibTorch's own state, options and checkpoint format, stepping all
// parameters together: each update is a handful of multi-tensor (_foreach_) operations
// instead of eight kernels per parameter tensor. On a GPU a small model's step is
// dominated by kernel launches, and this is what PyTorch's own Adam does there; on the
// CPU the same operations run tensor by tensor and give the same numbers as
// torch::optim::Adam, bit for bit.
#include <torch/optim/adam.h>

namespace pretext {

class MultiTensorAdam : public torch::optim::Adam {
public:
    using torch::optim::Adam::Adam;

    torch::Tensor step(LossClosure closure = nullptr) override;

    // Drops the gradients instead of zeroing them (no kernel per parameter; the next
    // backward pass writes fresh ones), as PyTorch's zero_grad() does by default.
    void clearGradients();
};

} // namespace pretext
