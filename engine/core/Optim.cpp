#include "Optim.h"

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <sstream>
#include <type_traits>
#include <vector>

namespace pretext {

namespace {
// The optimizer's state is keyed by the parameter's TensorImpl: by its address
// printed as text up to LibTorch 2.0, by the address itself after.
template <typename Key> Key stateKey(const torch::Tensor& p) {
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << p.unsafeGetTensorImpl();
        return text.str();
    } else {
        return static_cast<Key>(p.unsafeGetTensorImpl());
    }
}

// The tensors of the parameters that have taken the same number of steps (all of
// them, unless some had no gradient at times), updated with the same scalars.
struct Bucket {
    std::vector<torch::Tensor> params, grads, expAvg, expAvgSq;
};
} // namespace

torch::Tensor MultiTensorAdam::step(LossClosure closure) {
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    auto& states = state();
    using Key = typename std::decay_t<decltype(states)>::key_type;
    for (auto& group : param_groups()) {
        auto& o = static_cast<torch::optim::AdamOptions&>(group.options());
        TORCH_CHECK(!o.amsgrad(), "MultiTensorAdam: amsgrad is not supported");
        std::map<int64_t, Bucket> buckets;
        for (auto& p : group.params()) {
            if (!p.grad().defined()) {
                continue;
            }
            TORCH_CHECK(!p.grad().is_sparse(),
                        "MultiTensorAdam: sparse gradients are not supported");
            auto& slot = states[stateKey<Key>(p)];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto& s = static_cast<torch::optim::AdamParamState&>(*slot);
            s.step(s.step() + 1);
            Bucket& b = buckets[s.step()];
            b.params.push_back(p);
            b.grads.push_back(p.grad());
            b.expAvg.push_back(s.exp_avg());
            b.expAvgSq.push_back(s.exp_avg_sq());
        }
        const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
        for (auto& [count, b] : buckets) {
            const double correction1 = 1 - std::pow(beta1, static_cast<double>(count));
            const double correction2 = 1 - std::pow(beta2, static_cast<double>(count));
            // The same operations, in the same order, as torch::optim::Adam::step.
            std::vector<torch::Tensor> grads =
                o.weight_decay() != 0 ? at::_foreach_add(b.grads, b.params, o.weight_decay())
                                      : b.grads;
            at::_foreach_mul_(b.expAvg, beta1);
            at::_foreach_add_(b.expAvg, grads, 1 - beta1);
            at::_foreach_mul_(b.expAvgSq, beta2);
            at::_foreach_addcmul_(b.expAvgSq, grads, grads, 1 - beta2);
            auto denom = at::_foreach_sqrt(b.expAvgSq);
            at::_foreach_div_(denom, std::sqrt(correction2));
            at::_foreach_add_(denom, o.eps());
            at::_foreach_addcdiv_(b.params, b.expAvg, denom, -o.lr() / correction1);
        }
    }
    return loss;
}

void MultiTensorAdam::clearGradients() {
    for (auto& group : param_groups()) {
        for (auto& p : group.params()) {
            p.mutable_grad().reset();
        }
    }
}

} // namespace pretext
