#include "LossScaler.h"

#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

LossScaler::LossScaler(LossScaleOptions options)
    : m_options(options), m_scale(options.initialScale) {
    if (!(m_scale > 0.0) || !(m_options.growthFactor > 1.0) || !(m_options.backoffFactor > 0.0) ||
        !(m_options.backoffFactor < 1.0) || m_options.growthInterval < 1) {
        throw std::invalid_argument("loss scaling: the scale must be positive, growth above 1, "
                                    "backoff between 0 and 1, the interval at least 1");
    }
}

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) const {
    torch::NoGradGuard noGrad;
    const double inverse = 1.0 / m_scale;
    std::vector<torch::Tensor> sums;
    for (const auto& p : parameters) {
        torch::Tensor g = p.grad();
        if (!g.defined()) {
            continue;
        }
        // inf and NaN survive a sum; finite float32 gradients of a network do not add up
        // to 3e38, so one sum per tensor is the check.
        sums.push_back(g.sum(torch::kFloat));
        g.mul_(inverse);
    }
    if (sums.empty()) {
        return true;
    }
    return torch::stack(sums).sum().isfinite().item<bool>();
}

bool LossScaler::update(bool finite) {
    if (!finite) {
        m_scale *= m_options.backoffFactor;
        m_cleanInARow = 0;
        ++m_skippedInARow;
        ++m_skippedTotal;
        return false;
    }
    m_skippedInARow = 0;
    if (++m_cleanInARow >= m_options.growthInterval) {
        m_scale *= m_options.growthFactor;
        m_cleanInARow = 0;
    }
    return true;
}

torch::Tensor LossScaler::state() const {
    return torch::tensor({m_scale, static_cast<double>(m_cleanInARow)}, torch::kDouble);
}

void LossScaler::loadState(const torch::Tensor& state) {
    if (state.numel() != 2 || !(state[0].item<double>() > 0.0)) {
        throw std::invalid_argument("the checkpoint's loss scale is not a scale and a count");
    }
    m_scale = state[0].item<double>();
    m_cleanInARow = static_cast<int64_t>(state[1].item<double>());
    m_skippedInARow = 0;
}

} // namespace pretext
