#pragma once
// What the convolution-route suites check the same way: a layer's output and all its
// gradients by one route against LibTorch's own conv2d.
#include "Layers.h"

#include <QString>
#include <torch/torch.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace convcheck {

// Largest difference, relative to the reference's largest magnitude.
inline double relativeError(const torch::Tensor& mine, const torch::Tensor& theirs) {
    const double scale = std::max(theirs.abs().max().item<double>(), 1e-12);
    return (mine - theirs).abs().max().item<double>() / scale;
}

// The output of forward(x) with conv's parameters, then the input, weight and bias
// gradients (bias when the layer has one) of a loss whose gradient is not the same
// everywhere, so that every tap of the kernel matters.
inline std::vector<torch::Tensor>
outputAndGradients(torch::nn::Conv2dImpl& conv, const torch::Tensor& x,
                   const std::function<torch::Tensor(const torch::Tensor&)>& forward) {
    conv.zero_grad();
    const auto input = x.clone().requires_grad_(true);
    const auto y = forward(input);
    const auto target = torch::sin(torch::arange(y.numel(), torch::kFloat) * 0.37).view(y.sizes());
    (y * target).sum().backward();
    std::vector<torch::Tensor> out{y.detach(), input.grad(), conv.weight.grad().clone()};
    if (conv.options.bias()) {
        out.push_back(conv.bias.grad().clone());
    }
    return out;
}

// Empty when every tensor has the reference's shape and layout and lies within
// tolerance of it (relative), else what differs; `report` gets the errors either way.
inline QString compare(const std::vector<torch::Tensor>& mine,
                       const std::vector<torch::Tensor>& theirs, double tolerance,
                       QString& report) {
    const char* names[] = {"output", "input gradient", "weight gradient", "bias gradient"};
    if (mine.size() != theirs.size()) {
        return QStringLiteral("%1 tensors against %2").arg(mine.size()).arg(theirs.size());
    }
    // The output keeps the input's layout, as LibTorch's convolution does.
    if (mine[0].is_contiguous() != theirs[0].is_contiguous() ||
        mine[0].is_contiguous(at::MemoryFormat::ChannelsLast) !=
            theirs[0].is_contiguous(at::MemoryFormat::ChannelsLast)) {
        return QStringLiteral("the output's memory layout differs from conv2d's");
    }
    QString failure;
    for (size_t i = 0; i < mine.size(); ++i) {
        if (mine[i].sizes() != theirs[i].sizes()) {
            return QStringLiteral("%1: shape differs").arg(QLatin1String(names[i]));
        }
        const double e = relativeError(mine[i], theirs[i]);
        report += QStringLiteral(" %1 %2").arg(QLatin1String(names[i])).arg(e, 0, 'g', 2);
        if (!(e < tolerance) && failure.isEmpty()) {
            failure = QStringLiteral("%1: relative error %2").arg(QLatin1String(names[i])).arg(e);
        }
    }
    return failure;
}

// Whether the layer offers `route` for input x.
template <typename Layer>
bool offers(const Layer& layer, const torch::Tensor& x, pretext::ConvRoute route) {
    const auto routes = layer.fastRoutes(x);
    return std::find(routes.begin(), routes.end(), route) != routes.end();
}

} // namespace convcheck
