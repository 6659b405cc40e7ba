#include "tasks/inpainting/Masks.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace pretext {

namespace F = torch::nn::functional;

namespace {

torch::Tensor centerMask(int64_t b, int64_t h, int64_t w, double fraction) {
    auto m = torch::ones({b, 1, h, w});
    const int64_t hh = std::clamp<int64_t>(std::llround(h * fraction), 0, h);
    const int64_t hw = std::clamp<int64_t>(std::llround(w * fraction), 0, w);
    const int64_t top = (h - hh) / 2, left = (w - hw) / 2;
    using torch::indexing::Slice;
    m.index_put_({Slice(), Slice(), Slice(top, top + hh), Slice(left, left + hw)}, 0.0);
    return m;
}

torch::Tensor blockMasks(int64_t b, int64_t h, int64_t w, const MaskOptions& o,
                         at::Generator& gen) {
    auto m = torch::ones({b, 1, h, w});
    const int n = std::max(1, o.blockCount);
    const double lo = std::min(o.blockMinFraction, o.blockMaxFraction);
    const double hi = std::max(o.blockMinFraction, o.blockMaxFraction);
    auto r = torch::rand({b, n, 4}, gen, torch::kFloat64);
    auto ra = r.accessor<double, 3>();
    using torch::indexing::Slice;
    for (int64_t i = 0; i < b; ++i) {
        for (int j = 0; j < n; ++j) {
            const int64_t bh =
                std::max<int64_t>(1, std::llround(h * (lo + (hi - lo) * ra[i][j][0])));
            const int64_t bw =
                std::max<int64_t>(1, std::llround(w * (lo + (hi - lo) * ra[i][j][1])));
            const int64_t top = static_cast<int64_t>(ra[i][j][2] * (h - bh + 1));
            const int64_t left = static_cast<int64_t>(ra[i][j][3] * (w - bw + 1));
            m.index_put_({i, 0, Slice(top, top + bh), Slice(left, left + bw)}, 0.0);
        }
    }
    return m;
}

// Hides exactly the k entries of each row of `scores` with the lowest scores.
torch::Tensor hideLowest(const torch::Tensor& scores, int64_t k) {
    auto visible = torch::ones_like(scores);
    if (k > 0) {
        auto order = scores.argsort(static_cast<int64_t>(1), false);
        visible.scatter_(1, order.narrow(1, 0, k), 0.0);
    }
    return visible;
}

torch::Tensor freeFormMasks(int64_t b, int64_t h, int64_t w, const MaskOptions& o,
                            at::Generator& gen) {
    const int64_t cells = std::max(2, o.smoothCells);
    auto coarse = torch::rand({b, 1, cells, cells}, gen);
    // Bicubic upsampling of a coarse random grid gives smooth, blobby regions;
    // thresholding at each image's own quantile hits the coverage exactly.
    auto smooth = F::interpolate(coarse, F::InterpolateFuncOptions()
                                             .size(std::vector<int64_t>{h, w})
                                             .mode(torch::kBicubic)
                                             .align_corners(false));
    const int64_t k = std::llround(std::clamp(o.coverage, 0.0, 1.0) * h * w);
    return hideLowest(smooth.view({b, h * w}), k).view({b, 1, h, w});
}

torch::Tensor patchMasks(int64_t b, int64_t h, int64_t w, const MaskOptions& o,
                         at::Generator& gen) {
    const int64_t p = std::max(1, o.patchPx);
    const int64_t gh = (h + p - 1) / p, gw = (w + p - 1) / p;
    const int64_t k = std::llround(std::clamp(o.patchRatio, 0.0, 1.0) * gh * gw);
    auto grid = hideLowest(torch::rand({b, gh * gw}, gen), k).view({b, 1, gh, gw});
    auto full = grid.repeat_interleave(p, 2).repeat_interleave(p, 3);
    using torch::indexing::Slice;
    return full.index({Slice(), Slice(), Slice(0, h), Slice(0, w)}).contiguous();
}

} // namespace

torch::Tensor makeMasks(int64_t batch, int64_t height, int64_t width, const MaskOptions& options,
                        at::Generator& generator) {
    switch (options.type) {
    case MaskType::Center:
        return centerMask(batch, height, width, options.centerFraction);
    case MaskType::Blocks:
        return blockMasks(batch, height, width, options, generator);
    case MaskType::FreeForm:
        return freeFormMasks(batch, height, width, options, generator);
    case MaskType::Patches:
        return patchMasks(batch, height, width, options, generator);
    }
    return centerMask(batch, height, width, options.centerFraction);
}

torch::Tensor holeBorder(const torch::Tensor& mask, int64_t borderPx) {
    if (borderPx <= 0) {
        return torch::zeros_like(mask);
    }
    const int64_t k = 2 * borderPx + 1;
    auto nearVisible = F::max_pool2d(mask, F::MaxPool2dFuncOptions(k).stride(1).padding(borderPx));
    return (1.0 - mask) * nearVisible;
}

} // namespace pretext
