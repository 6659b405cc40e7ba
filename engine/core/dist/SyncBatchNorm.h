#pragma once
// BatchNorm2d as every model here builds it: LibTorch's computation under LibTorch's names
// (weight, bias, running_mean, running_var, num_batches_tracked; a class of its own, as
// LibTorch's BatchNorm2dImpl cannot be derived from outside libtorch), which a
// distributed run can switch to normalising with the
// statistics of the whole global batch (--sync-bn): the per-channel sums of every rank
// all-reduced in the forward pass, and the sums the input's gradient needs in backward.
#include "Communicator.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <ostream>

#include <memory>

namespace pretext {

class SyncableBatchNorm2dImpl : public torch::nn::Cloneable<SyncableBatchNorm2dImpl> {
public:
    explicit SyncableBatchNorm2dImpl(int64_t features, double eps = 1e-5, double momentum = 0.1);
    void reset() override;
    torch::Tensor forward(const torch::Tensor& input);
    void pretty_print(std::ostream& stream) const override;
    // From now on, in training mode, the statistics are the global batch's (null: local).
    void synchronise(std::shared_ptr<Communicator> comm) { m_comm = std::move(comm); }
    bool synchronised() const { return m_comm != nullptr; }

    // torch::nn::BatchNorm2d's, under its names.
    torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

private:
    int64_t m_features;
    double m_eps;
    double m_momentum;
    std::shared_ptr<Communicator> m_comm;
};
TORCH_MODULE(SyncableBatchNorm2d);

// Switches every SyncableBatchNorm2d in `module` to the global batch's statistics;
// returns how many there are.
int synchroniseBatchNorm(torch::nn::Module& module, const std::shared_ptr<Communicator>& comm);

} // namespace pretext
