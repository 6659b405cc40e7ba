#pragma once
// Cutting images into jigsaw tiles and putting them back, with tensor ops that
// run on whatever device the images are on.
#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace pretext {

struct TileOptions {
    int grid = 3;              // N: the image is cut into N x N cells
    double gapFraction = 0.15; // part of each cell left out, so edges do not touch
    bool jitter = true;        // each tile at a random place inside its cell
    double grayFraction = 0.0; // fraction of tiles turned grey (removes colour cues)
    int channelJitterPx = 0;   // each colour channel shifted by up to this many pixels
};

struct TileGeometry {
    int64_t cellPx = 0;
    int64_t tilePx = 0;
    int64_t slackPx = 0; // cellPx - tilePx
};

// Throws std::invalid_argument when tiles would be smaller than minTilePx.
TileGeometry tileGeometry(int64_t imagePx, const TileOptions& options, int64_t minTilePx = 8);

// (B,3,S,S) -> (B,N²,3,t,t), tile i being cell i in row-major order.
torch::Tensor cutTiles(const torch::Tensor& images, const TileOptions& options,
                       at::Generator& generator);

// Position i of the result shows tile perms[b][i]: out[b][i] = tiles[b][perms[b][i]].
torch::Tensor scrambleTiles(const torch::Tensor& tiles, const torch::Tensor& perms);
// The inverse: given tiles scrambled by perms, restores the original order.
torch::Tensor unscrambleTiles(const torch::Tensor& scrambled, const torch::Tensor& perms);
torch::Tensor inversePermutations(const torch::Tensor& perms);

// Each tile to zero mean and unit variance over its pixels and channels. The
// standard deviation is floored at minStd (1% of the pixel range), so a flat tile
// stays (near) zero instead of blowing its rounding noise up to unit variance.
torch::Tensor normalizeTiles(const torch::Tensor& tiles, double minStd = 0.01);

// Lays tiles (B,N²,3,t,t) back on a (B,3,S,S) canvas, each centred in its cell.
torch::Tensor composeTiles(const torch::Tensor& tiles, int grid, int64_t imagePx,
                           double background = 0.12);
// A copy of the images with the cell boundaries drawn in white.
torch::Tensor drawGrid(const torch::Tensor& images, int grid);
// Per-tile min-max to [0,1], for showing normalized tiles.
torch::Tensor stretchTiles(const torch::Tensor& tiles);

} // namespace pretext
