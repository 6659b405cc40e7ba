#pragma once
// sRGB <-> CIE L*a*b* (D65 white), written with tensor operations so the conversion
// runs on the training device inside the batch pipeline.
#include <torch/types.h>

namespace pretext {

// (B,3,H,W) sRGB in [0,1] -> (B,3,H,W) Lab: L in [0,100], a and b roughly [-110,110].
torch::Tensor rgbToLab(const torch::Tensor& rgb);
// (B,3,H,W) Lab -> sRGB, clamped to [0,1] (colours outside the gamut are clipped).
torch::Tensor labToRgb(const torch::Tensor& lab);
// Chroma sqrt(a² + b²) per pixel: (B,3,H,W) Lab -> (B,H,W).
torch::Tensor chroma(const torch::Tensor& lab);

} // namespace pretext
