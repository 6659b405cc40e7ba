#include "tasks/colorization/AbBins.h"

#include "tasks/colorization/Lab.h"

#include <torch/torch.h>

namespace pretext {

namespace {
// Grid cell (row a, column b) of each ab value, both in [0, kCells).
torch::Tensor cellIndex(const torch::Tensor& ab) {
    auto cell = (ab / AbGamut::kGrid).round().clamp(-AbGamut::kHalfCells, AbGamut::kHalfCells) +
                AbGamut::kHalfCells;
    cell = cell.to(torch::kLong);
    return cell.select(1, 0) * AbGamut::kCells + cell.select(1, 1);
}

// The six edges of the cube that carry the most saturated colours (one channel 0, one
// 1: red-yellow-green-cyan-blue-magenta), finely: they trace the outline of the
// gamut's projection, where a coarse sampling could miss a sliver of a cell.
torch::Tensor hueEdges(int samples) {
    auto t = torch::linspace(0.0, 1.0, samples, torch::kDouble);
    auto zero = torch::zeros_like(t), one = torch::ones_like(t);
    std::vector<torch::Tensor> edges;
    for (int full = 0; full < 3; ++full) {
        for (int empty = 0; empty < 3; ++empty) {
            if (full == empty) {
                continue;
            }
            std::vector<torch::Tensor> channels(3);
            channels[full] = one;
            channels[empty] = zero;
            channels[3 - full - empty] = t;
            edges.push_back(torch::stack(channels, 1));
        }
    }
    return torch::cat(edges, 0);
}
torch::Tensor gaussianKernel(const torch::Tensor& centers, double sigma) {
    auto c = centers.to(torch::kDouble);
    return torch::exp(-torch::cdist(c, c).pow(2) / (2.0 * sigma * sigma));
}
} // namespace

torch::Tensor rgbCubeSurface(int levels) {
    auto v = torch::linspace(0.0, 1.0, levels, torch::kDouble);
    auto grid = torch::meshgrid({v, v}, "ij");
    auto u = grid[0].flatten(), w = grid[1].flatten();
    std::vector<torch::Tensor> faces;
    for (int axis = 0; axis < 3; ++axis) {
        for (double side : {0.0, 1.0}) {
            std::vector<torch::Tensor> channels(3);
            channels[axis] = torch::full_like(u, side);
            channels[(axis + 1) % 3] = u;
            channels[(axis + 2) % 3] = w;
            faces.push_back(torch::stack(channels, 1));
        }
    }
    return torch::cat(faces, 0);
}

AbGamut deriveAbGamut(int levels) {
    torch::NoGradGuard noGrad;
    auto colors = torch::cat({rgbCubeSurface(levels), hueEdges(levels * 256)}, 0);
    auto lab = rgbToLab(colors.view({-1, 3, 1, 1})).view({-1, 3});
    auto cells = cellIndex(lab.narrow(1, 1, 2).view({-1, 2, 1, 1})).flatten();
    const int64_t cellCount = static_cast<int64_t>(AbGamut::kCells) * AbGamut::kCells;
    auto hit = torch::bincount(cells, {}, cellCount) > 0;

    AbGamut g;
    g.inGamut = hit;
    auto binCells = hit.nonzero().flatten(); // ascending cell index: sorted by a, then b
    auto a = (binCells.div(AbGamut::kCells, "floor") - AbGamut::kHalfCells).to(torch::kFloat);
    auto b = (binCells.remainder(AbGamut::kCells) - AbGamut::kHalfCells).to(torch::kFloat);
    g.centers = torch::stack({a, b}, 1) * AbGamut::kGrid;

    // Every grid cell, in gamut or not, points at its nearest bin (itself when in gamut),
    // so predictions or rounding outside the gamut still land on a bin.
    auto all = torch::arange(cellCount, torch::kLong);
    auto cellAb = torch::stack({(all.div(AbGamut::kCells, "floor") - AbGamut::kHalfCells),
                                (all.remainder(AbGamut::kCells) - AbGamut::kHalfCells)},
                               1)
                      .to(torch::kFloat) *
                  AbGamut::kGrid;
    g.cellToBin = torch::cdist(cellAb, g.centers).argmin(1);
    g.smoothing = gaussianKernel(g.centers, AbGamut::kSmoothingSigma);

    auto lattice = torch::arange(-AbGamut::kFineHalf, AbGamut::kFineHalf + 1, torch::kFloat);
    auto mesh = torch::meshgrid({lattice, lattice}, "ij");
    auto nodes = torch::stack({mesh[0].flatten(), mesh[1].flatten()}, 1);
    const int64_t k = std::min<int64_t>(AbGamut::kCandidates, g.count());
    g.candidates = std::get<1>(torch::cdist(nodes, g.centers).topk(k, 1, false, true));
    return g;
}

const AbGamut& abGamut() {
    static const AbGamut gamut = deriveAbGamut();
    return gamut;
}

torch::Tensor quantizeAb(const AbGamut& gamut, const torch::Tensor& ab) {
    const auto table = gamut.cellToBin.to(ab.device());
    return table.index({cellIndex(ab)});
}

SoftEncoding softEncode(const AbGamut& gamut, const torch::Tensor& ab, int64_t k, double sigma) {
    const int64_t b = ab.size(0), h = ab.size(2), w = ab.size(3);
    TORCH_CHECK(k <= gamut.candidates.size(1), "softEncode: at most ", gamut.candidates.size(1),
                " bins");
    auto points = ab.permute({0, 2, 3, 1}).reshape({-1, 2}).to(torch::kFloat);
    const int64_t fine = 2 * AbGamut::kFineHalf + 1;
    auto node = (points.round().clamp(-AbGamut::kFineHalf, AbGamut::kFineHalf) + AbGamut::kFineHalf)
                    .to(torch::kLong);
    auto candidates = gamut.candidates.to(ab.device())
                          .index_select(0, node.select(1, 0) * fine + node.select(1, 1)); // (P,C)
    auto centers = gamut.centers.to(ab.device()).index({candidates});                     // (P,C,2)
    auto d2 = (points.unsqueeze(1) - centers).pow(2).sum(2);
    auto nearest = d2.topk(k, 1, /*largest=*/false, /*sorted=*/true);
    auto bins = candidates.gather(1, std::get<1>(nearest));
    auto weights = torch::softmax(-std::get<0>(nearest) / (2.0 * sigma * sigma), 1);
    auto layout = [&](const torch::Tensor& t) {
        return t.view({b, h, w, k}).permute({0, 3, 1, 2}).contiguous();
    };
    return {layout(bins), layout(weights)};
}

torch::Tensor abHistogram(const AbGamut& gamut, const torch::Tensor& lab) {
    auto bins = quantizeAb(gamut, lab.narrow(1, 1, 2)).flatten();
    return torch::bincount(bins.to(torch::kCPU), {}, gamut.count()).to(torch::kDouble);
}

Rebalancing rebalanceWeights(const AbGamut& gamut, const torch::Tensor& counts, double lambda,
                             double sigma) {
    const auto kernel = sigma == AbGamut::kSmoothingSigma && gamut.smoothing.defined()
                            ? gamut.smoothing
                            : gaussianKernel(gamut.centers, sigma);
    auto p = counts.to(torch::kDouble);
    const double total = p.sum().item<double>();
    // No data yet: a uniform prior, so every weight is 1.
    p = total > 0 ? p / total : torch::full_like(p, 1.0 / static_cast<double>(p.numel()));
    auto smoothed = kernel.matmul(p);
    smoothed = smoothed / smoothed.sum().clamp_min(1e-12);
    const double q = static_cast<double>(gamut.count());
    auto w = 1.0 / ((1.0 - lambda) * smoothed + lambda / q);
    w = w / (smoothed * w).sum();
    return {smoothed, w};
}

torch::Tensor annealedMean(const AbGamut& gamut, const torch::Tensor& logits, double temperature) {
    auto probs = torch::softmax(logits / std::max(temperature, 1e-3), 1);
    return torch::einsum("bqhw,qc->bchw",
                         {probs, gamut.centers.to(logits.device(), logits.scalar_type())});
}

} // namespace pretext
