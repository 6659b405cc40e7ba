#include "tasks/jigsaw/Puzzles.h"

#include "tasks/PerSample.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace pretext {

using torch::indexing::Slice;

TileGeometry tileGeometry(int64_t imagePx, const TileOptions& o, int64_t minTilePx) {
    TileGeometry g;
    g.cellPx = imagePx / std::max(1, o.grid);
    const auto gap =
        static_cast<int64_t>(std::llround(std::clamp(o.gapFraction, 0.0, 0.9) * g.cellPx));
    g.tilePx = g.cellPx - gap;
    g.slackPx = gap;
    if (g.tilePx < minTilePx) {
        throw std::invalid_argument("jigsaw tiles would be " + std::to_string(g.tilePx) +
                                    " px (a " + std::to_string(o.grid) + "x" +
                                    std::to_string(o.grid) + " grid on " + std::to_string(imagePx) +
                                    " px images); they need at least " + std::to_string(minTilePx) +
                                    " px: use a larger image size, a smaller grid or gap");
    }
    return g;
}

torch::Tensor cutTiles(const torch::Tensor& images, const TileOptions& o, at::Generator& gen) {
    const auto device = images.device();
    const int64_t b = images.size(0), s = images.size(2);
    const int64_t n = o.grid, cells = n * n;
    const TileGeometry g = tileGeometry(s, o);
    auto longOpts = torch::TensorOptions().dtype(torch::kLong);
    // Where each tile starts inside its cell: random with jitter, centred without.
    torch::Tensor offset = o.jitter
                               ? torch::randint(0, g.slackPx + 1, {b, cells, 1, 2}, gen, longOpts)
                               : torch::full({b, cells, 1, 2}, g.slackPx / 2, longOpts);
    // Per-channel shifts (Noroozi's colour jitter), shared by no two channels.
    torch::Tensor shift = torch::zeros({b, cells, 3, 2}, longOpts);
    if (o.channelJitterPx > 0) {
        shift = torch::randint(-o.channelJitterPx, o.channelJitterPx + 1, {b, cells, 3, 2}, gen,
                               longOpts);
    }
    auto cellIndex = torch::arange(cells, longOpts);
    auto origin = torch::stack({cellIndex.div(n, "floor"), cellIndex.remainder(n)}, 1) * g.cellPx;
    auto start = (origin.view({1, cells, 1, 2}) + offset + shift).to(device); // (B,N²,3,2)
    auto steps = torch::arange(g.tilePx, longOpts.device(device));
    auto rows = (start.select(3, 0).unsqueeze(3) + steps).clamp(0, s - 1); // (B,N²,3,t)
    auto cols = (start.select(3, 1).unsqueeze(3) + steps).clamp(0, s - 1);
    auto hwc = images.permute({0, 2, 3, 1}); // (B,S,S,3)
    auto bi = torch::arange(b, longOpts.device(device)).view({b, 1, 1, 1, 1});
    auto ci = torch::arange(3, longOpts.device(device)).view({1, 1, 3, 1, 1});
    auto tiles = hwc.index({bi, rows.unsqueeze(4), cols.unsqueeze(3), ci}); // (B,N²,3,t,t)
    if (o.grayFraction > 0.0) {
        auto gray = (torch::rand({b, cells, 1, 1, 1}, gen) < o.grayFraction).to(device);
        tiles = torch::where(gray, tiles.mean(2, true).expand_as(tiles), tiles);
    }
    return tiles.contiguous();
}

torch::Tensor scrambleTiles(const torch::Tensor& tiles, const torch::Tensor& perms) {
    return takePerSample(tiles, perms);
}

torch::Tensor inversePermutations(const torch::Tensor& perms) {
    return perms.argsort(static_cast<int64_t>(1), false);
}

torch::Tensor unscrambleTiles(const torch::Tensor& scrambled, const torch::Tensor& perms) {
    return scrambleTiles(scrambled, inversePermutations(perms.to(torch::kLong)));
}

torch::Tensor normalizeTiles(const torch::Tensor& tiles, double minStd) {
    auto centred = tiles - tiles.mean({2, 3, 4}, true);
    auto std = centred.pow(2).mean({2, 3, 4}, true).sqrt();
    return centred / std.clamp_min(minStd);
}

torch::Tensor composeTiles(const torch::Tensor& tiles, int grid, int64_t imagePx,
                           double background) {
    const int64_t b = tiles.size(0), t = tiles.size(3);
    const int64_t cell = imagePx / grid, pad = (cell - t) / 2;
    auto canvas = torch::full({b, 3, imagePx, imagePx}, background, tiles.options());
    for (int64_t i = 0; i < grid * grid; ++i) {
        const int64_t y = (i / grid) * cell + pad, x = (i % grid) * cell + pad;
        canvas.index_put_({Slice(), Slice(), Slice(y, y + t), Slice(x, x + t)}, tiles.select(1, i));
    }
    return canvas;
}

torch::Tensor drawGrid(const torch::Tensor& images, int grid) {
    auto out = images.clone();
    const int64_t s = images.size(2), cell = s / grid;
    for (int64_t k = 1; k < grid; ++k) {
        out.index_put_({Slice(), Slice(), k * cell, Slice()}, 1.0);
        out.index_put_({Slice(), Slice(), Slice(), k * cell}, 1.0);
    }
    return out;
}

torch::Tensor stretchTiles(const torch::Tensor& tiles) {
    auto flat = tiles.flatten(2);
    auto lo = std::get<0>(flat.min(2, true)).unsqueeze(3).unsqueeze(4);
    auto hi = std::get<0>(flat.max(2, true)).unsqueeze(3).unsqueeze(4);
    return (tiles - lo) / (hi - lo).clamp_min(1e-6);
}

} // namespace pretext
