#include "Saliency.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace pretext {

namespace {
// The input as (N, K, C, H, W): image tasks have K = 1.
torch::Tensor asTiles(const torch::Tensor& input) {
    if (input.dim() == 4) {
        return input.unsqueeze(1);
    }
    if (input.dim() == 5) {
        return input;
    }
    throw std::invalid_argument("saliency: the input must be (N,C,H,W) or (N,K,C,H,W)");
}

// Patch origins along a side: every `stride`, and the last one flush with the edge.
std::vector<int64_t> origins(int64_t side, int64_t patch, int64_t stride) {
    std::vector<int64_t> o;
    const int64_t last = std::max<int64_t>(0, side - patch);
    for (int64_t at = 0; at < last; at += stride) {
        o.push_back(at);
    }
    o.push_back(last);
    return o;
}
} // namespace

torch::Tensor gradientTimesInput(const SaliencyForward& forward, const SaliencyObjective& objective,
                                 const torch::Tensor& input, int64_t rows) {
    auto x = input.detach().clone().set_requires_grad(true);
    const torch::Tensor loss = objective(forward(x));
    const auto grad = torch::autograd::grad({loss}, {x}, {}, false, false, true)[0];
    const int64_t n = std::min(rows, input.size(0));
    if (!grad.defined()) {
        return torch::zeros_like(asTiles(input).select(2, 0).narrow(0, 0, n)).to(torch::kCPU);
    }
    const auto g = asTiles(grad.detach()), v = asTiles(input.detach());
    return (g * v).sum(2).abs().narrow(0, 0, n).to(torch::kFloat).to(torch::kCPU);
}

torch::Tensor occlusionSaliency(const SaliencyForward& forward, const SaliencyObjective& objective,
                                const torch::Tensor& input, int64_t rows,
                                const OcclusionOptions& o) {
    torch::NoGradGuard noGrad;
    const auto tiles = asTiles(input); // (N,K,C,H,W)
    const int64_t n = std::min(rows, input.size(0));
    const int64_t k = tiles.size(1), h = tiles.size(3), w = tiles.size(4);
    const int64_t patch = std::clamp<int64_t>(o.patch, 1, std::min(h, w));
    const int64_t stride = std::max<int64_t>(1, o.stride);
    const auto ys = origins(h, patch, stride), xs = origins(w, patch, stride);
    const torch::Tensor base = forward(input);
    const double baseline = objective(base).item<double>();

    // Every variant: (row, tile, y, x) with that patch of that tile set to its mean.
    struct Variant {
        int64_t row, tile, y, x;
    };
    std::vector<Variant> variants;
    for (int64_t r = 0; r < n; ++r) {
        for (int64_t t = 0; t < k; ++t) {
            for (int64_t y : ys) {
                for (int64_t x : xs) {
                    variants.push_back({r, t, y, x});
                }
            }
        }
    }
    auto rise = torch::zeros({n, k, h, w}, torch::kDouble);
    auto cover = torch::zeros({n, k, h, w}, torch::kDouble);
    const int64_t chunk = std::max<int64_t>(1, o.chunk);
    for (size_t start = 0; start < variants.size(); start += static_cast<size_t>(chunk)) {
        o.cancel.throwIfCancelled();
        const size_t end = std::min(variants.size(), start + static_cast<size_t>(chunk));
        std::vector<torch::Tensor> occluded;
        for (size_t v = start; v < end; ++v) {
            const Variant& a = variants[v];
            auto row = tiles[a.row].clone(); // (K,C,H,W)
            auto tile = row[a.tile];         // (C,H,W), a view into row
            const auto mean = tile.mean({1, 2}, true);
            tile.narrow(1, a.y, patch)
                .narrow(2, a.x, patch)
                .copy_(mean.expand({tile.size(0), patch, patch}));
            occluded.push_back(input.dim() == 4 ? row.squeeze(0) : row);
        }
        const torch::Tensor outs = forward(torch::stack(occluded));
        for (size_t v = start; v < end; ++v) {
            const Variant& a = variants[v];
            auto out = base.clone();
            out[a.row].copy_(outs[static_cast<int64_t>(v - start)]);
            const double delta = objective(out).item<double>() - baseline;
            rise[a.row][a.tile].narrow(0, a.y, patch).narrow(1, a.x, patch).add_(delta);
            cover[a.row][a.tile].narrow(0, a.y, patch).narrow(1, a.x, patch).add_(1.0);
        }
    }
    // The objective is a mean over the batch's rows: scaled back to one row's own change.
    const double rowsInBatch = static_cast<double>(input.size(0));
    return (rise / cover.clamp_min(1.0) * rowsInBatch).to(torch::kFloat);
}

torch::Tensor gradCam(TaskModelImpl& model, const SaliencyObjective& objective,
                      const torch::Tensor& input, int64_t rows) {
    std::vector<torch::Tensor> seen; // the last stage's output, as often as it ran
    Encoder encoder = model.encoder();
    encoder->setLastStageTap([&seen](const torch::Tensor& a) {
        auto kept = a.requires_grad() ? a : a.detach().requires_grad_(true);
        seen.push_back(kept);
        return kept;
    });
    torch::Tensor loss;
    try {
        auto x = input.detach().clone().set_requires_grad(true);
        loss = objective(model.forward(x));
    } catch (...) {
        encoder->setLastStageTap({});
        throw;
    }
    encoder->setLastStageTap({});
    const auto tiles = asTiles(input);
    const int64_t n = tiles.size(0), k = tiles.size(1), h = tiles.size(3), w = tiles.size(4);
    if (seen.empty()) {
        return {};
    }
    std::vector<torch::Tensor> grads = torch::autograd::grad({loss}, seen, {}, false, false, true);
    std::vector<torch::Tensor> parts;
    for (size_t i = 0; i < seen.size(); ++i) {
        const auto g = grads[i].defined() ? grads[i] : torch::zeros_like(seen[i]);
        const auto alpha = g.mean({2, 3}, true);                               // (R,C,1,1)
        parts.push_back(torch::relu((alpha * seen[i].detach()).sum(1, true))); // (R,1,h',w')
    }
    const auto cam = torch::cat(parts); // rows in the order the encoder saw them
    if (cam.size(0) != n * k) {
        return {};
    }
    namespace F = torch::nn::functional;
    const auto up = F::interpolate(cam, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{h, w})
                                            .mode(torch::kBilinear)
                                            .align_corners(false));
    return up.view({n, k, h, w}).narrow(0, 0, std::min(rows, n)).to(torch::kFloat).to(torch::kCPU);
}

} // namespace pretext
