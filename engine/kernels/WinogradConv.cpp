// The Winograd route as an autograd function: the forward pass and the input gradient
// (the same kind of 3x3 convolution, with the kernels turned and the channels swapped)
// by F(4x4, 3x3), the weight gradient by Winograd's kernel where the channel counts
// allow (input channels in 16s, output channels in 4s; in NCHW the channels past the
// last multiple of 16 go to oneDNN's kernel, elsewhere oneDNN's does it all). Results
// differ from the direct sum by float rounding only (tests/core/test_winograd.cpp).
#include "ConvKernels.h"

#include "Gemm.h"
#include "Winograd.h"

#include <torch/torch.h>

#include <stdexcept>

namespace pretext::kernels {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// u (36, rows, cols) of weight (K, C, 3, 3); flip: the input gradient's.
torch::Tensor transformedWeights(const torch::Tensor& weight, bool flip) {
    const auto w = weight.contiguous();
    const int64_t k = w.size(0), c = w.size(1);
    auto u = torch::empty({winograd::kPoints, winograd::paddedRows(flip ? c : k), flip ? k : c},
                          w.options());
    winograd::transformWeights(w.data_ptr<float>(), k, c, flip, u.data_ptr<float>());
    return u;
}

// The kernels' working memory: uninitialized (every float is written before it is
// read), from LibTorch's allocator like the tensors around it.
torch::Tensor scratchFor(int64_t floats) {
    return torch::empty({std::max<int64_t>(floats, 1)}, torch::kFloat);
}

// A channels-last map (not also an NCHW one, as maps of one pixel or one channel are).
bool channelsLastOnly(const torch::Tensor& x) {
    return !x.is_contiguous() && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

// y (N, outChannels, H, W) from x (N, C, H, W) and u (36, outChannels padded, C), on as
// many threads as LibTorch's own parallel loops; y in x's memory layout.
torch::Tensor winogradRun(const torch::Tensor& xIn, const torch::Tensor& u, int64_t outChannels,
                          const torch::Tensor& bias, bool channelsLast) {
    const auto format =
        channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const auto x = xIn.contiguous(format);
    const winograd::Shape s{x.size(0), x.size(1), outChannels, x.size(2), x.size(3)};
    auto y = torch::empty({s.batch, s.outChannels, s.height, s.width},
                          x.options().memory_format(format));
    const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
    const int64_t threads = teamSize();
    const auto scratch = scratchFor(threads * winograd::scratchFloats(s));
    (channelsLast ? winograd::convolveChannelsLast
                  : winograd::convolve)(s, x.data_ptr<float>(), u.data_ptr<float>(), b,
                                        y.data_ptr<float>(), threads, scratch.data_ptr<float>());
    return y;
}

// dW (K, C, 3, 3) of y = conv3x3(x, weight) from dL/dy = g (both in the layout given).
torch::Tensor winogradWeightGradient(const torch::Tensor& xIn, const torch::Tensor& g,
                                     const torch::Tensor& weight, bool channelsLast) {
    const auto x = xIn.contiguous(channelsLast ? at::MemoryFormat::ChannelsLast
                                               : at::MemoryFormat::Contiguous);
    const int64_t k = weight.size(0), c = weight.size(1);
    auto oneDnn = [&](const torch::Tensor& input, const torch::Tensor& w) {
        return std::get<1>(at::convolution_backward(g, input, w, at::OptionalIntArrayRef{}, {1, 1},
                                                    {1, 1}, {1, 1}, false, {0, 0}, 1,
                                                    {false, true, false}));
    };
    // NCHW inputs past a multiple of 16 channels (colorization's head: 16 channels and
    // the image) have their first 16s done by Winograd's kernel, reading x in place, and
    // the rest by oneDNN's.
    const int64_t split = c / 16 * 16;
    if (k % 4 != 0 || split == 0 || (channelsLast && split != c)) {
        return oneDnn(x, weight);
    }
    winograd::Shape s{x.size(0), split, k, x.size(2), x.size(3)};
    s.imageChannels = c;
    const int64_t threads = teamSize();
    const auto scratch = scratchFor(threads * winograd::weightGradientScratchFloats(s));
    auto dW = torch::empty({k, split, 3, 3}, weight.options());
    (channelsLast ? winograd::weightGradientChannelsLast
                  : winograd::weightGradient)(s, x.data_ptr<float>(), g.data_ptr<float>(), threads,
                                              scratch.data_ptr<float>(), dW.data_ptr<float>());
    if (split == c) {
        return dW;
    }
    return torch::cat(
        {dW, oneDnn(x.narrow(1, split, c - split), weight.narrow(1, split, c - split))}, 1);
}

struct WinogradFunction : public torch::autograd::Function<WinogradFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias) {
        ctx->save_for_backward({x, weight});
        const bool channelsLast = channelsLastOnly(x);
        ctx->saved_data["channelsLast"] = channelsLast;
        return winogradRun(x, transformedWeights(weight, false), weight.size(0), bias.contiguous(),
                           channelsLast);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& weight = saved[1];
        const bool channelsLast = ctx->saved_data["channelsLast"].toBool();
        const auto g = grads[0].contiguous(channelsLast ? at::MemoryFormat::ChannelsLast
                                                        : at::MemoryFormat::Contiguous);
        torch::Tensor gx, gw, gb;
        if (ctx->needs_input_grad(0)) {
            gx = winogradRun(g, transformedWeights(weight, true), weight.size(1), torch::Tensor(),
                             channelsLast);
        }
        if (ctx->needs_input_grad(1)) {
            gw = winogradWeightGradient(x, g, weight, channelsLast);
        }
        if (ctx->needs_input_grad(2)) {
            gb = g.sum({0, 2, 3});
        }
        return {gx, gw, gb};
    }
};
} // namespace

bool winogradSupported() {
    static const bool supported = winograd::cpuSupported();
    return supported;
}

bool winogradApplies(const ConvGeometry& g, const at::Tensor& x) {
    if (!(winogradSupported() && g.plain && x.device().is_cpu() &&
          x.scalar_type() == torch::kFloat && x.dim() == 4 && x.size(0) > 0 &&
          x.size(1) == g.inChannels && g.kernelH == 3 && g.kernelW == 3 && g.stride == 1 &&
          g.padding == 1)) {
        return false;
    }
    // Sides multiples of 4 (the kernels take other sides channels-last, with the last
    // tiles partly outside the map, but there the tiles' waste makes the route lose).
    // Any channel counts in NCHW (the transformed weights' rows padded to 4), multiples
    // of 8 channels-last.
    return x.size(2) % 4 == 0 && x.size(3) % 4 == 0 &&
           (channelsLastOnly(x) ? g.inChannels % 8 == 0 && g.outChannels % 8 == 0
                                : x.is_contiguous());
}

torch::Tensor winogradConv3x3(const torch::Tensor& x, const torch::Tensor& weight,
                              const torch::Tensor& bias) {
    if (!winogradSupported()) {
        throw std::logic_error("Winograd convolution: this CPU lacks AVX2 or FMA");
    }
    if (!channelsLastOnly(x) && (x.size(2) % 4 != 0 || x.size(3) % 4 != 0)) {
        throw std::invalid_argument(
            "Winograd convolution: an NCHW map's sides must be multiples of 4");
    }
    // A custom autograd function takes no undefined tensor: without a bias, a zero one
    // that needs no gradient.
    return WinogradFunction::apply(
        x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options()));
}

} // namespace pretext::kernels
