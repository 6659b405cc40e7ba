// The dense route: a convolution on a map so small that most kernel taps fall on the
// padding (a 3x3 kernel on a 2x2 map meets it with 4 of its 9 taps) as one matrix
// product. Every output position is a linear function of the whole input map,
// y (N, Po K) = x (N, Pi C) D, with D (Pi C, Po K) built from the kernel's C x K blocks
// tap by tap, zero where a pair of positions shares no tap: Po Pi C K multiply-adds per
// image against the direct kernel's Po kh kw C K. Rows and columns run position-major
// for channels-last maps and channel-major for NCHW ones, so x and y are used in place.
// D is built with tensor operations, so its gradient is the weight's; the products run
// on LibTorch's threads (Gemm.h). Checked against conv2d, values and all three
// gradients, by tests/core/test_dense_conv.cpp.
#include "ConvKernels.h"

#include "Gemm.h"

#include <torch/torch.h>

namespace pretext::kernels {

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

bool channelsLastOnly(const torch::Tensor& x) {
    return !x.is_contiguous() && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

struct DenseLayout {
    int64_t batch, channels, outChannels, height, width, outHeight, outWidth;
    bool channelsLast;
    int64_t inPositions() const { return height * width; }
    int64_t outPositions() const { return outHeight * outWidth; }
};

// For each (input position, output position), position-major, the tap that joins
// them, or taps (a zero block) where none does.
torch::Tensor tapTable(const DenseLayout& l, int64_t kh, int64_t kw, int64_t stride,
                       int64_t padding) {
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
torch::Tensor pairBlocks(const torch::Tensor& weight, const torch::Tensor& table,
                         const DenseLayout& l) {
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
    return l.channelsLast ? d.view({pi, c, po, k}).permute({0, 2, 1, 3})
                          : d.view({c, pi, k, po}).permute({1, 3, 0, 2});
}

// x (N, C, H, W) as the rows of the product, and y's rows back as (N, K, Ho, Wo),
// both in the layout's own memory order.
torch::Tensor rowsOf(const torch::Tensor& x, const DenseLayout& l) {
    return l.channelsLast ? x.permute({0, 2, 3, 1}).reshape({x.size(0), -1})
                          : x.reshape({x.size(0), -1});
}

torch::Tensor mapOf(const torch::Tensor& rows, const DenseLayout& l, int64_t channels, int64_t h,
                    int64_t w) {
    return l.channelsLast ? rows.view({l.batch, h, w, channels}).permute({0, 3, 1, 2})
                          : rows.view({l.batch, channels, h, w});
}

struct DenseConvFunction : public torch::autograd::Function<DenseConvFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t stride, int64_t padding) {
        const int64_t kh = weight.size(2), kw = weight.size(3);
        DenseLayout l{x.size(0),
                      x.size(1),
                      weight.size(0),
                      x.size(2),
                      x.size(3),
                      (x.size(2) + 2 * padding - kh) / stride + 1,
                      (x.size(3) + 2 * padding - kw) / stride + 1,
                      channelsLastOnly(x)};
        const auto table = tapTable(l, kh, kw, stride, padding);
        const auto d = denseMatrix(pairBlocks(weight, table, l), l);
        const auto rowBias = l.channelsLast ? bias.repeat({l.outPositions()})
                                            : bias.repeat_interleave(l.outPositions());
        ctx->save_for_backward({x, d, table});
        ctx->saved_data["layout"] =
            std::vector<int64_t>{l.batch,     l.channels, l.outChannels,  l.height, l.width,
                                 l.outHeight, l.outWidth, l.channelsLast, kh,       kw};
        return mapOf(parallelAddmm(rowBias, rowsOf(x, l), d), l, l.outChannels, l.outHeight,
                     l.outWidth);
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
            gw = taps.narrow(0, 0, kh * kw)
                     .view({kh, kw, l.channels, l.outChannels})
                     .permute({3, 2, 0, 1})
                     .contiguous();
        }
        if (ctx->needs_input_grad(2)) {
            gb =
                l.channelsLast
                    ? g.view({l.batch, l.outPositions(), l.outChannels}).sum(at::IntArrayRef{0, 1})
                    : g.view({l.batch, l.outChannels, l.outPositions()}).sum(at::IntArrayRef{0, 2});
        }
        return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
    }
};
} // namespace

bool denseApplies(const ConvGeometry& g, const at::Tensor& x) {
    if (!g.plain || !x.device().is_cpu() || x.scalar_type() != torch::kFloat || x.dim() != 4 ||
        x.size(0) == 0 || x.size(1) != g.inChannels) {
        return false;
    }
    return x.size(2) + 2 * g.padding >= g.kernelH && x.size(3) + 2 * g.padding >= g.kernelW &&
           x.size(2) * x.size(3) <= g.kernelH * g.kernelW &&
           (x.is_contiguous() || x.is_contiguous(at::MemoryFormat::ChannelsLast));
}

torch::Tensor denseConv2d(const torch::Tensor& x, const torch::Tensor& weight,
                          const torch::Tensor& bias, int64_t stride, int64_t padding) {
    return DenseConvFunction::apply(
        x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options()), stride,
        padding);
}

} // namespace pretext::kernels
