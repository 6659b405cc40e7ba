#pragma once
// The engine's sRGB -> Lab conversion timed against OpenCV's cv::cvtColor on the same
// pixels, in the same run: the peer figure of the colorization benchmark.
#include <torch/types.h>

namespace pretext::io {

struct LabConversionTiming {
    double megapixels = 0;      // pixels converted per pass, in millions
    double oursMpxPerSec = 0;   // rgbToLab on the CPU tensor (B,3,H,W)
    double openCvMpxPerSec = 0; // cv::cvtColor(COLOR_RGB2Lab) on the same float pixels
};

// images: (N,3,H,W) float in [0,1] on the CPU. Each converter runs `passes` times.
LabConversionTiming timeLabConversion(const torch::Tensor& images, int passes = 5);

} // namespace pretext::io
