#pragma once
// Data augmentation as the self-supervised papers use it: a random resized crop
// (scale and aspect ranges, as torchvision's RandomResizedCrop), a horizontal flip,
// and an optional colour jitter. Every sample's draw is a pure function of the run's
// seed and the sample's key (its place in the stream of samples), so a batch is the
// same whichever thread decodes it and whenever a run is resumed.
//
// The geometry is drawn here in fractions of the source image; whoever holds the
// pixels applies it: engine/io on decoded files (at full resolution), cropAndFlip()
// below on tensors (the demo set, IDX images, cached video frames).
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pretext {

struct AugmentSpec {
    bool crop = false;      // random resized crop; off: the centre square
    double minScale = 0.35; // crop area as a fraction of the image's, lower bound
    double maxScale = 1.0;
    double minRatio = 3.0 / 4.0; // crop width / height
    double maxRatio = 4.0 / 3.0;
    bool flip = false;   // horizontal flip with probability 1/2
    double jitter = 0.0; // colour jitter strength: brightness, contrast and saturation
                         // each scaled by a factor in [1 - jitter, 1 + jitter]; 0 = off
    bool any() const { return crop || flip || jitter > 0.0; }
};

// "off", "crop-flip" or "crop-flip-jitter" (jitter 0.4), as the settings and
// config.json name them; nullopt-like: `ok` false for anything else.
AugmentSpec augmentPreset(const std::string& name, bool* ok = nullptr);
std::string augmentName(const AugmentSpec& spec);
// One line for a person: "random resized crop 35–100 % of the area, flip".
std::string describeAugment(const AugmentSpec& spec);

// One sample's draw: the crop box in fractions of the source's width and height, the
// flip, and the jitter factors (1 when off).
struct AugmentDraw {
    double x = 0.0, y = 0.0, w = 1.0, h = 1.0;
    bool flip = false;
    float brightness = 1.0f, contrast = 1.0f, saturation = 1.0f;
};

// The draw for sample `key` of a run seeded `seed`, for a source `width` x `height`
// pixels. With the crop off it is the centre square (what the cached set always was).
AugmentDraw drawAugment(const AugmentSpec& spec, uint64_t seed, uint64_t key, int64_t width,
                        int64_t height);

// The crops and flips of `draws` (one per sample) taken from images (B,3,H,W) or clips
// (B,L,3,H,W, one draw shared by a clip's frames), resized to size x size (bilinear,
// antialiased when shrinking). Float, any device.
torch::Tensor cropAndFlip(const torch::Tensor& images, const std::vector<AugmentDraw>& draws,
                          int64_t size);

// Brightness, contrast and saturation of `draws` applied to images (B,3,H,W) or clips
// (B,L,3,H,W) in [0,1]; the result is clamped to [0,1]. Returns the input when every
// factor is 1.
torch::Tensor colourJitter(const torch::Tensor& images, const std::vector<AugmentDraw>& draws);

} // namespace pretext
