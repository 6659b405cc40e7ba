#include "Layers.h"

#include <torch/torch.h>

#include <ATen/Context.h>

namespace pretext {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y = conv_transpose2d(x, w, b) as the backward-data pass of conv2d(·, w).
struct UpConvFunction : public torch::autograd::Function<UpConvFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t stride, int64_t padding) {
        ctx->save_for_backward({x, weight});
        ctx->saved_data["stride"] = stride;
        ctx->saved_data["padding"] = padding;
        ctx->saved_data["bias"] = bias.defined();
        const int64_t k = weight.size(2);
        const int64_t h = (x.size(2) - 1) * stride - 2 * padding + k;
        const int64_t w = (x.size(3) - 1) * stride - 2 * padding + k;
        // Only the sizes of the convolution's "input" are read by the kernel.
        const auto shape = torch::empty({x.size(0), weight.size(1), h, w}, x.options());
        auto y = std::get<0>(at::convolution_backward(
            x.contiguous(), shape, weight, at::OptionalIntArrayRef{}, {stride, stride}, {padding, padding},
            {1, 1}, false, {0, 0}, 1, {true, false, false}));
        if (bias.defined()) {
            y.add_(bias.view({1, -1, 1, 1}));
        }
        return y;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& weight = saved[1];
        const int64_t stride = ctx->saved_data["stride"].toInt();
        const int64_t padding = ctx->saved_data["padding"].toInt();
        const auto g = grads[0].contiguous();
        torch::Tensor gx, gw, gb;
        if (ctx->needs_input_grad(0)) {
            gx = torch::conv2d(g, weight, {}, stride, padding);
        }
        if (ctx->needs_input_grad(1)) {
            gw = std::get<1>(at::convolution_backward(
                x.contiguous(), g, weight, at::OptionalIntArrayRef{}, {stride, stride}, {padding, padding},
                {1, 1}, false, {0, 0}, 1, {false, true, false}));
        }
        if (ctx->saved_data["bias"].toBool() && ctx->needs_input_grad(2)) {
            gb = g.sum({0, 2, 3});
        }
        return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
    }
};
} // namespace

bool upConvUsesConvolutionKernels(const torch::Tensor& x) {
    return x.device().is_cpu() && x.scalar_type() == torch::kFloat && x.dim() == 4 &&
           at::hasMKLDNN() && at::globalContext().userEnabledMkldnn();
}

torch::Tensor upConvReference(const torch::Tensor& x, const torch::Tensor& weight,
                              const torch::Tensor& bias, int64_t stride, int64_t padding) {
    return torch::conv_transpose2d(x, weight, bias, stride, padding);
}

UpConv2dImpl::UpConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel,
                           int64_t stride, int64_t padding)
    : m_stride(stride), m_padding(padding) {
    // Initialized by LibTorch's own module, so the weights (and every result that
    // depends on them) are those a ConvTranspose2d would start from.
    torch::nn::ConvTranspose2d init(
        torch::nn::ConvTranspose2dOptions(inChannels, outChannels, kernel)
            .stride(stride)
            .padding(padding));
    weight = register_parameter("weight", init->weight.detach().clone());
    bias = register_parameter("bias", init->bias.detach().clone());
}

torch::Tensor UpConv2dImpl::forward(const torch::Tensor& x) {
    if (upConvUsesConvolutionKernels(x)) {
        return UpConvFunction::apply(x, weight, bias, m_stride, m_padding);
    }
    return upConvReference(x, weight, bias, m_stride, m_padding);
}

} // namespace pretext
