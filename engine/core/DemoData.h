#pragma once
// The built-in procedural image set: deterministic from a seed, no file needed.
// Gradients, textures, overlapping shapes and occluding bars give a network
// structure that continues under a hole, so inpainting has something to learn;
// colours that follow the kind of shape give colorization something to learn.
#include <torch/types.h>

#include <array>
#include <cstdint>

namespace pretext {

constexpr int kDemoImageCount = 512;
// π, for drawing the demo images and video.
constexpr double kPi = 3.14159265358979323846;

// Returns (count, 3, size_px, size_px) float32 in [0, 1].
torch::Tensor makeDemoImages(int count, int size_px, uint64_t seed);

// RGB in [0,1] of a hue in degrees, a saturation and a value (the procedural data's colours).
std::array<float, 3> hsvColor(double hueDeg, double s, double v);

} // namespace pretext
