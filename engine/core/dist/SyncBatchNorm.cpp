#include "SyncBatchNorm.h"

#include <torch/torch.h>

namespace pretext {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y = (x − μ) / √(σ² + ε) · γ + β with μ and σ² over every rank's batch. Backward: with
// x̂ the normalised input and N the global count per channel,
//   ∂L/∂x = γ / √(σ² + ε) · (∂L/∂y − mean(∂L/∂y) − x̂ · mean(∂L/∂y · x̂)),
// the means over all ranks (one more all-reduce); γ's and β's gradients are this rank's
// sums, which the gradient all-reduce then averages like every other parameter's.
struct SyncBatchNormFunction : public torch::autograd::Function<SyncBatchNormFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 torch::Tensor runningMean, torch::Tensor runningVar,
                                 double momentum, double eps, Communicator* comm) {
        const int64_t c = x.size(1);
        const auto xf = x.to(torch::kFloat);
        auto stats =
            torch::cat({xf.sum({0, 2, 3}), (xf * xf).sum({0, 2, 3}),
                        torch::full({1}, static_cast<double>(x.numel() / c), xf.options())});
        comm->allreduceSum(stats);
        const auto count = stats[2 * c].item<double>();
        const auto mean = stats.narrow(0, 0, c) / count;
        const auto var = (stats.narrow(0, c, c) / count - mean * mean).clamp_min(0.0);
        const auto invstd = (var + eps).rsqrt();
        {
            torch::NoGradGuard noGrad;
            runningMean.mul_(1.0 - momentum).add_(mean.to(runningMean.dtype()) * momentum);
            const double unbiased = count > 1 ? count / (count - 1) : 1.0;
            runningVar.mul_(1.0 - momentum).add_(var.to(runningVar.dtype()) * unbiased * momentum);
        }
        const auto shape = std::vector<int64_t>{1, c, 1, 1};
        const auto xhat = (xf - mean.view(shape)) * invstd.view(shape);
        ctx->save_for_backward({xhat, weight, invstd});
        ctx->saved_data["count"] = count;
        ctx->saved_data["comm"] = reinterpret_cast<int64_t>(comm);
        return (xhat * weight.view(shape) + bias.view(shape)).to(x.dtype());
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& xhat = saved[0];
        const auto& weight = saved[1];
        const auto& invstd = saved[2];
        const double count = ctx->saved_data["count"].toDouble();
        auto* comm = reinterpret_cast<Communicator*>(ctx->saved_data["comm"].toInt());
        const auto dy = grads[0].to(torch::kFloat);
        const int64_t c = xhat.size(1);
        const auto sumDy = dy.sum({0, 2, 3});
        const auto sumDyXhat = (dy * xhat).sum({0, 2, 3});
        auto both = torch::cat({sumDy, sumDyXhat});
        comm->allreduceSum(both);
        const auto shape = std::vector<int64_t>{1, c, 1, 1};
        const auto meanDy = (both.narrow(0, 0, c) / count).view(shape);
        const auto meanDyXhat = (both.narrow(0, c, c) / count).view(shape);
        const auto dx = (dy - meanDy - xhat * meanDyXhat) * (invstd * weight).view(shape);
        return {dx.to(grads[0].dtype()), sumDyXhat,       sumDy,           torch::Tensor(),
                torch::Tensor(),         torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};
} // namespace

SyncableBatchNorm2dImpl::SyncableBatchNorm2dImpl(int64_t features, double eps, double momentum)
    : m_features(features), m_eps(eps), m_momentum(momentum) {
    reset();
}

void SyncableBatchNorm2dImpl::reset() {
    weight = register_parameter("weight", torch::ones({m_features}));
    bias = register_parameter("bias", torch::zeros({m_features}));
    running_mean = register_buffer("running_mean", torch::zeros({m_features}));
    running_var = register_buffer("running_var", torch::ones({m_features}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(0, torch::kLong));
}

void SyncableBatchNorm2dImpl::pretty_print(std::ostream& stream) const {
    stream << "BatchNorm2d(" << m_features << ", eps=" << m_eps << ", momentum=" << m_momentum
           << (m_comm ? ", synchronised" : "") << ")";
}

torch::Tensor SyncableBatchNorm2dImpl::forward(const torch::Tensor& input) {
    if (is_training()) {
        torch::NoGradGuard noGrad;
        num_batches_tracked.add_(1);
    }
    if (!m_comm || !is_training()) { // as torch::nn::BatchNorm2d computes it
        return torch::batch_norm(input, weight, bias, running_mean, running_var, is_training(),
                                 m_momentum, m_eps, at::globalContext().userEnabledCuDNN());
    }
    return SyncBatchNormFunction::apply(input, weight, bias, running_mean, running_var, m_momentum,
                                        m_eps, m_comm.get());
}

int synchroniseBatchNorm(torch::nn::Module& module, const std::shared_ptr<Communicator>& comm) {
    int count = 0;
    for (const auto& m : module.modules()) {
        if (auto* bn = dynamic_cast<SyncableBatchNorm2dImpl*>(m.get())) {
            bn->synchronise(comm);
            ++count;
        }
    }
    return count;
}

} // namespace pretext
