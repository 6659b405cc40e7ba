// Transposed convolutions by oneDNN's convolution kernels. LibTorch 1.13 sends
// transposed convolutions on the CPU to an im2col loop over the batch with one BLAS
// call per sample (slow_conv_transpose2d). A transposed convolution is the input
// gradient of the ordinary convolution with the same weight, so the forward pass here
// is that convolution's backward-data kernel, and the backward pass is an ordinary
// convolution (input gradient) and the convolution's weight-gradient kernel with input
// and output swapped: all three on oneDNN. Checked against conv_transpose2d, values and
// gradients, by tests/core/test_models.cpp.
#include "ConvKernels.h"

#include <ATen/Context.h>
#include <torch/torch.h>

namespace pretext::kernels {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

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
            x.contiguous(), shape, weight, at::OptionalIntArrayRef{}, {stride, stride},
            {padding, padding}, {1, 1}, false, {0, 0}, 1, {true, false, false}));
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
                x.contiguous(), g, weight, at::OptionalIntArrayRef{}, {stride, stride},
                {padding, padding}, {1, 1}, false, {0, 0}, 1, {false, true, false}));
        }
        if (ctx->saved_data["bias"].toBool() && ctx->needs_input_grad(2)) {
            gb = g.sum({0, 2, 3});
        }
        return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
    }
};
} // namespace

bool upConvApplies(const at::Tensor& x) {
    return x.device().is_cpu() && x.scalar_type() == torch::kFloat && x.dim() == 4 &&
           at::hasMKLDNN() && at::globalContext().userEnabledMkldnn();
}

at::Tensor upConvByConvolution(const at::Tensor& x, const at::Tensor& weight,
                               const at::Tensor& bias, int64_t stride, int64_t padding) {
    return UpConvFunction::apply(x, weight, bias, stride, padding);
}

} // namespace pretext::kernels
