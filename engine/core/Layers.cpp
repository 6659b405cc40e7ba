#include "Layers.h"

#include "Gemm.h"
#include "Winograd.h"

#include <torch/torch.h>

#include <ATen/Context.h>
#include <torch/version.h>

#include <atomic>
#include <variant>

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

// u (36, rows, cols) of weight (K, C, 3, 3); flip: the input gradient's.
torch::Tensor transformedWeights(const torch::Tensor& weight, bool flip) {
    const auto w = weight.contiguous();
    const int64_t k = w.size(0), c = w.size(1);
    auto u = torch::empty({winograd::kPoints, winograd::paddedRows(flip ? c : k), flip ? k : c}, w.options());
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

// y (N, outChannels, H, W) from x (N, C, H, W) and u (36, outChannels padded, C), on as many
// threads as LibTorch's own parallel loops; y in x's memory layout (NCHW unless x is
// channels-last).
torch::Tensor winogradRun(const torch::Tensor& xIn, const torch::Tensor& u, int64_t outChannels,
                          const torch::Tensor& bias, bool channelsLast) {
    const auto format = channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const auto x = xIn.contiguous(format);
    const winograd::Shape s{x.size(0), x.size(1), outChannels, x.size(2), x.size(3)};
    auto y = torch::empty({s.batch, s.outChannels, s.height, s.width}, x.options().memory_format(format));
    const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
    const int64_t threads = teamSize();
    const auto scratch = scratchFor(threads * winograd::scratchFloats(s));
    (channelsLast ? winograd::convolveChannelsLast : winograd::convolve)(
        s, x.data_ptr<float>(), u.data_ptr<float>(), b, y.data_ptr<float>(), threads, scratch.data_ptr<float>());
    return y;
}

// dW (K, C, 3, 3) of y = conv3x3(x, weight) from dL/dy = g (both in the layout given):
// Winograd's where the channels allow, oneDNN's weight-gradient kernel elsewhere.
torch::Tensor winogradWeightGradient(const torch::Tensor& xIn, const torch::Tensor& g, const torch::Tensor& weight,
                                     bool channelsLast) {
    const auto x = xIn.contiguous(channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
    const int64_t k = weight.size(0), c = weight.size(1);
    auto oneDnn = [&](const torch::Tensor& input, const torch::Tensor& w) {
        return std::get<1>(at::convolution_backward(g, input, w, at::OptionalIntArrayRef{}, {1, 1}, {1, 1}, {1, 1},
                                                    false, {0, 0}, 1, {false, true, false}));
    };
    // The kernels take input channels in 16s and output channels in 4s. NCHW inputs past
    // a multiple of 16 (colorization's head: 16 channels and the image) have their first
    // 16s done by Winograd's kernel, reading x in place, and the rest by oneDNN's.
    const int64_t split = c / 16 * 16;
    if (k % 4 != 0 || split == 0 || (channelsLast && split != c)) {
        return oneDnn(x, weight);
    }
    winograd::Shape s{x.size(0), split, k, x.size(2), x.size(3)};
    s.imageChannels = c;
    const int64_t threads = teamSize();
    const auto scratch = scratchFor(threads * winograd::weightGradientScratchFloats(s));
    auto dW = torch::empty({k, split, 3, 3}, weight.options());
    (channelsLast ? winograd::weightGradientChannelsLast : winograd::weightGradient)(
        s, x.data_ptr<float>(), g.data_ptr<float>(), threads, scratch.data_ptr<float>(), dW.data_ptr<float>());
    if (split == c) {
        return dW;
    }
    return torch::cat({dW, oneDnn(x.narrow(1, split, c - split), weight.narrow(1, split, c - split))}, 1);
}

struct WinogradFunction : public torch::autograd::Function<WinogradFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias) {
        ctx->save_for_backward({x, weight});
        const bool channelsLast = channelsLastOnly(x);
        ctx->saved_data["channelsLast"] = channelsLast;
        return winogradRun(x, transformedWeights(weight, false), weight.size(0), bias.contiguous(), channelsLast);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& weight = saved[1];
        const bool channelsLast = ctx->saved_data["channelsLast"].toBool();
        const auto g = grads[0].contiguous(channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
        torch::Tensor gx, gw, gb;
        if (ctx->needs_input_grad(0)) {
            gx = winogradRun(g, transformedWeights(weight, true), weight.size(1), torch::Tensor(), channelsLast);
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

// A convolution on a map so small that most kernel taps fall on the padding (a 3x3
// kernel on a 2x2 map: 4 of 9) as one matrix product: every output position is a
// linear function of the whole input map, y (N, Po K) = x (N, Pi C) D with D
// (Pi C, Po K) made of the kernel's C x K blocks, tap by tap, zero where a pair of
// positions shares no tap. Po Pi C K multiply-adds per image against the direct
// kernel's Po kh kw C K. Rows and columns run position-major for channels-last
// inputs and channel-major for NCHW ones, so x and y are used in place.
struct DenseLayout {
    int64_t batch, channels, outChannels, height, width, outHeight, outWidth;
    bool channelsLast;
    int64_t inPositions() const { return height * width; }
    int64_t outPositions() const { return outHeight * outWidth; }
};

// For each (input position, output position), position-major, the tap that joins
// them, or taps (a zero block) where none does.
torch::Tensor tapTable(const DenseLayout& l, int64_t kh, int64_t kw, int64_t stride, int64_t padding) {
    auto table = torch::empty({l.inPositions() * l.outPositions()}, torch::kLong);
    auto* t = table.data_ptr<int64_t>();
    for (int64_t iy = 0; iy < l.height; ++iy) {
        for (int64_t ix = 0; ix < l.width; ++ix) {
            for (int64_t oy = 0; oy < l.outHeight; ++oy) {
                for (int64_t ox = 0; ox < l.outWidth; ++ox) {
                    const int64_t ty = iy - oy * stride + padding, tx = ix - ox * stride + padding;
                    *t++ = ty >= 0 && ty < kh && tx >= 0 && tx < kw ? ty * kw + tx : kh * kw;
                }
            }
        }
    }
    return table;
}

// The blocks of D, one (C, K) block per pair of positions: (Pi, Po, C, K).
torch::Tensor pairBlocks(const torch::Tensor& weight, const torch::Tensor& table, const DenseLayout& l) {
    const int64_t k = weight.size(0), c = weight.size(1);
    auto taps = weight.permute({2, 3, 1, 0}).reshape({-1, c, k});
    taps = torch::cat({taps, torch::zeros({1, c, k}, taps.options())});
    return taps.index_select(0, table).view({l.inPositions(), l.outPositions(), c, k});
}

// D from its blocks, and back.
torch::Tensor denseMatrix(const torch::Tensor& blocks, const DenseLayout& l) {
    const auto d = l.channelsLast ? blocks.permute({0, 2, 1, 3}) : blocks.permute({2, 0, 3, 1});
    return d.reshape({l.inPositions() * l.channels, l.outPositions() * l.outChannels});
}

torch::Tensor blocksOf(const torch::Tensor& d, const DenseLayout& l) {
    const int64_t pi = l.inPositions(), po = l.outPositions(), c = l.channels, k = l.outChannels;
    return l.channelsLast ? d.view({pi, c, po, k}).permute({0, 2, 1, 3}) : d.view({c, pi, k, po}).permute({1, 3, 0, 2});
}

// x (N, C, H, W) as the rows of the product, and y's rows back as (N, K, Ho, Wo),
// both in the layout's own memory order.
torch::Tensor rowsOf(const torch::Tensor& x, const DenseLayout& l) {
    return l.channelsLast ? x.permute({0, 2, 3, 1}).reshape({x.size(0), -1}) : x.reshape({x.size(0), -1});
}

torch::Tensor mapOf(const torch::Tensor& rows, const DenseLayout& l, int64_t channels, int64_t h, int64_t w) {
    return l.channelsLast ? rows.view({l.batch, h, w, channels}).permute({0, 3, 1, 2})
                          : rows.view({l.batch, channels, h, w});
}

struct DenseConvFunction : public torch::autograd::Function<DenseConvFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                                 const torch::Tensor& bias, int64_t stride, int64_t padding) {
        const int64_t kh = weight.size(2), kw = weight.size(3);
        DenseLayout l{x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3),
                      (x.size(2) + 2 * padding - kh) / stride + 1, (x.size(3) + 2 * padding - kw) / stride + 1,
                      channelsLastOnly(x)};
        const auto table = tapTable(l, kh, kw, stride, padding);
        const auto d = denseMatrix(pairBlocks(weight, table, l), l);
        const auto rowBias = l.channelsLast ? bias.repeat({l.outPositions()}) : bias.repeat_interleave(l.outPositions());
        ctx->save_for_backward({x, d, table});
        ctx->saved_data["layout"] = std::vector<int64_t>{l.batch, l.channels, l.outChannels, l.height, l.width,
                                                         l.outHeight, l.outWidth, l.channelsLast, kh, kw};
        return mapOf(parallelAddmm(rowBias, rowsOf(x, l), d), l, l.outChannels, l.outHeight, l.outWidth);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& d = saved[1];
        const auto& table = saved[2];
        const auto v = ctx->saved_data["layout"].toIntVector();
        const DenseLayout l{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] != 0};
        const int64_t kh = v[8], kw = v[9];
        const auto g = rowsOf(grads[0], l);
        torch::Tensor gx, gw, gb;
        if (ctx->needs_input_grad(0)) {
            gx = mapOf(parallelMm(g, d.t()), l, l.channels, l.height, l.width);
        }
        if (ctx->needs_input_grad(1)) {
            const auto blocks = blocksOf(parallelMm(rowsOf(x, l).t(), g), l)
                                    .reshape({-1, l.channels, l.outChannels});
            auto taps = torch::zeros({kh * kw + 1, l.channels, l.outChannels}, blocks.options());
            taps.index_add_(0, table, blocks);
            gw = taps.narrow(0, 0, kh * kw).view({kh, kw, l.channels, l.outChannels}).permute({3, 2, 0, 1}).contiguous();
        }
        if (ctx->needs_input_grad(2)) {
            gb = l.channelsLast ? g.view({l.batch, l.outPositions(), l.outChannels}).sum(at::IntArrayRef{0, 1})
                                : g.view({l.batch, l.outChannels, l.outPositions()}).sum(at::IntArrayRef{0, 2});
        }
        return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
    }
};

std::atomic<bool> g_fastConvolutions{true};

} // namespace

const torch::ExpandingArray<2>* explicitPadding(const torch::nn::detail::ConvNdOptions<2>& options) {
    // LibTorch 2.1 replaced c10::variant (the type of a convolution's padding option)
    // with std::variant.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
    return std::get_if<torch::ExpandingArray<2>>(&options.padding());
#else
    return c10::get_if<torch::ExpandingArray<2>>(&options.padding());
#endif
}

void setFastConvolutions(bool enabled) {
    g_fastConvolutions = enabled;
}

bool fastConvolutions() {
    return g_fastConvolutions;
}

bool winogradApplies(const torch::nn::Conv2dImpl& conv, const torch::Tensor& x) {
    static const bool cpu = winograd::cpuSupported();
    const auto& o = conv.options;
    if (!(g_fastConvolutions && cpu && x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
          conv.weight.scalar_type() == torch::kFloat && x.dim() == 4 && x.size(0) > 0)) {
        return false;
    }
    // Sides multiples of 4: the kernels take other sides too (channels-last), with the
    // last tiles partly outside the map, but oneDNN measured faster there (32 channels
    // at 9x9, the jigsaw encoder's: 5.0 against 5.3 ms forward). Any channel counts in
    // NCHW (the transformed weights' rows padded to 4), multiples of 8 channels-last.
    const bool layout = x.size(2) % 4 == 0 && x.size(3) % 4 == 0 &&
                        (channelsLastOnly(x) ? o.in_channels() % 8 == 0 && o.out_channels() % 8 == 0
                                             : x.is_contiguous());
    return layout && (*o.kernel_size())[0] == 3 && (*o.kernel_size())[1] == 3 &&
           (*o.stride())[0] == 1 && (*o.stride())[1] == 1 && (*o.dilation())[0] == 1 &&
           (*o.dilation())[1] == 1 && o.groups() == 1 && explicitPadding(o) != nullptr &&
           (**explicitPadding(o))[0] == 1 && (**explicitPadding(o))[1] == 1 &&
           o.padding_mode().index() == 0 /* kZeros */ && x.size(1) == o.in_channels();
}

torch::Tensor winogradConv3x3(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    if (!channelsLastOnly(x) && (x.size(2) % 4 != 0 || x.size(3) % 4 != 0)) {
        throw std::invalid_argument("Winograd convolution: an NCHW map's sides must be multiples of 4");
    }
    // A custom autograd function takes no undefined tensor: without a bias, a zero one
    // that needs no gradient.
    return WinogradFunction::apply(x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options()));
}

bool denseConvApplies(const torch::nn::Conv2dImpl& conv, const torch::Tensor& x) {
    const auto& o = conv.options;
    const auto* padding = explicitPadding(o);
    if (!g_fastConvolutions || !x.device().is_cpu() || x.scalar_type() != torch::kFloat ||
        conv.weight.scalar_type() != torch::kFloat || x.dim() != 4 || x.size(0) == 0 ||
        x.size(1) != o.in_channels() || o.groups() != 1 || padding == nullptr ||
        o.padding_mode().index() != 0 /* kZeros */) {
        return false;
    }
    const int64_t kh = (*o.kernel_size())[0], kw = (*o.kernel_size())[1];
    const int64_t p = (**padding)[0], stride = (*o.stride())[0];
    return (**padding)[1] == p && (*o.stride())[1] == stride && (*o.dilation())[0] == 1 &&
           (*o.dilation())[1] == 1 && x.size(2) + 2 * p >= kh && x.size(3) + 2 * p >= kw &&
           x.size(2) * x.size(3) <= kh * kw &&
           (x.is_contiguous() || x.is_contiguous(at::MemoryFormat::ChannelsLast));
}

torch::Tensor denseConv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                          int64_t stride, int64_t padding) {
    return DenseConvFunction::apply(x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options()),
                                    stride, padding);
}

torch::Tensor conv2dForward(torch::nn::Conv2dImpl& conv, const torch::Tensor& x) {
    const auto bias = conv.options.bias() ? conv.bias : torch::Tensor();
    if (winogradApplies(conv, x)) {
        return winogradConv3x3(x, conv.weight, bias);
    }
    if (denseConvApplies(conv, x)) {
        return denseConv2d(x, conv.weight, bias, (*conv.options.stride())[0], (**explicitPadding(conv.options))[0]);
    }
    return conv.forward(x);
}

torch::Tensor sequentialForward(torch::nn::Sequential& seq, torch::Tensor x) {
    for (auto& layer : *seq) {
        if (auto* conv = layer.ptr()->as<torch::nn::Conv2dImpl>()) {
            x = conv2dForward(*conv, x);
        } else {
            x = layer.forward(x);
        }
    }
    return x;
}

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
