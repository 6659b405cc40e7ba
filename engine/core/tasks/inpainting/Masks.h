#pragma once
// Inpainting mask generators. A mask m is (B,1,H,W) float on the CPU with 1 where
// the pixel is visible and 0 where it is hidden; the network sees x ⊙ m.
#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace pretext {

enum class MaskType { Center = 0, Blocks = 1, FreeForm = 2, Patches = 3 };

struct MaskOptions {
    MaskType type = MaskType::Center;
    double centerFraction = 0.5; // side of the central hole / side of the image
    int blockCount = 4;
    double blockMinFraction = 0.15; // block side range, as a fraction of the image side
    double blockMaxFraction = 0.35;
    double coverage = 0.3;    // free-form: fraction of pixels hidden
    int smoothCells = 5;      // free-form: noise grid size; fewer cells, larger blobs
    int patchPx = 8;          // MAE-style patch side
    double patchRatio = 0.75; // fraction of patches hidden
};

torch::Tensor makeMasks(int64_t batch, int64_t height, int64_t width, const MaskOptions& options,
                        at::Generator& generator);

// Hidden pixels that lie within border_px of a visible one: the rim of the hole
// (Context Encoders weights this overlap region higher). Same shape as m.
torch::Tensor holeBorder(const torch::Tensor& mask, int64_t borderPx);

} // namespace pretext
