#include "Augment.h"

#include "Rng.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace pretext {

namespace {
// SplitMix64's finaliser: a key and a seed become an independent stream's seed.
uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

constexpr double kJitterPreset = 0.4; // torchvision's ColorJitter(0.4, 0.4, 0.4) in SimCLR/MoCo
} // namespace

AugmentSpec augmentPreset(const std::string& name, bool* ok) {
    AugmentSpec spec;
    bool known = true;
    if (name == "crop-flip" || name == "crop-flip-jitter") {
        spec.crop = true;
        spec.flip = true;
        spec.jitter = name == "crop-flip-jitter" ? kJitterPreset : 0.0;
    } else if (name != "off") {
        known = false;
    }
    if (ok) {
        *ok = known;
    }
    return spec;
}

std::string augmentName(const AugmentSpec& spec) {
    if (!spec.any()) {
        return "off";
    }
    return spec.jitter > 0.0 ? "crop-flip-jitter" : "crop-flip";
}

std::string describeAugment(const AugmentSpec& spec) {
    if (!spec.any()) {
        return "no augmentation (centre square of each image)";
    }
    std::ostringstream out;
    std::vector<std::string> parts;
    if (spec.crop) {
        out << "random resized crop " << std::lround(100 * spec.minScale) << "\u2013"
            << std::lround(100 * spec.maxScale) << "% of the area";
        parts.push_back(out.str());
    }
    if (spec.flip) {
        parts.push_back("horizontal flip");
    }
    if (spec.jitter > 0.0) {
        std::ostringstream j;
        j << "colour jitter \u00b1" << std::lround(100 * spec.jitter) << "%";
        parts.push_back(j.str());
    }
    std::string text;
    for (const auto& p : parts) {
        text += (text.empty() ? "" : ", ") + p;
    }
    return text;
}

AugmentDraw drawAugment(const AugmentSpec& spec, uint64_t seed, uint64_t key, int64_t width,
                        int64_t height) {
    AugmentDraw d;
    const double W = static_cast<double>(std::max<int64_t>(1, width));
    const double H = static_cast<double>(std::max<int64_t>(1, height));
    PortableRng rng(mix(seed ^ mix(key + 0x51ED2701ULL)));
    // The centre square: what an un-augmented sample shows.
    const double side = std::min(W, H);
    d.w = side / W;
    d.h = side / H;
    d.x = (1.0 - d.w) / 2.0;
    d.y = (1.0 - d.h) / 2.0;
    if (spec.crop) {
        // As torchvision's RandomResizedCrop: ten tries at an area and a log-uniform
        // aspect ratio that fit, else the centre crop at the nearest allowed ratio.
        const double area = W * H;
        const double logLo = std::log(spec.minRatio), logHi = std::log(spec.maxRatio);
        bool found = false;
        for (int attempt = 0; attempt < 10 && !found; ++attempt) {
            const double target = area * rng.uniform(spec.minScale, spec.maxScale);
            const double ratio = std::exp(rng.uniform(logLo, logHi));
            const double cw = std::round(std::sqrt(target * ratio));
            const double ch = std::round(std::sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= W && ch <= H) {
                const double x0 = std::floor(rng.uniform() * (W - cw + 1));
                const double y0 = std::floor(rng.uniform() * (H - ch + 1));
                d = AugmentDraw{x0 / W, y0 / H, cw / W, ch / H};
                found = true;
            }
        }
        if (!found) {
            const double ratio = std::clamp(W / H, spec.minRatio, spec.maxRatio);
            const double cw = ratio < W / H ? std::round(H * ratio) : W;
            const double ch = ratio > W / H ? std::round(W / ratio) : H;
            d = AugmentDraw{(W - cw) / 2.0 / W, (H - ch) / 2.0 / H, cw / W, ch / H};
        }
    }
    if (spec.flip) {
        d.flip = rng.uniform() < 0.5;
    }
    if (spec.jitter > 0.0) {
        // A stream of its own: the factors do not depend on the image's size.
        PortableRng colour(mix(seed ^ mix(key + 0xC01002ULL)));
        d.brightness = static_cast<float>(colour.uniform(1.0 - spec.jitter, 1.0 + spec.jitter));
        d.contrast = static_cast<float>(colour.uniform(1.0 - spec.jitter, 1.0 + spec.jitter));
        d.saturation = static_cast<float>(colour.uniform(1.0 - spec.jitter, 1.0 + spec.jitter));
    }
    return d;
}

torch::Tensor cropAndFlip(const torch::Tensor& images, const std::vector<AugmentDraw>& draws,
                          int64_t size) {
    namespace F = torch::nn::functional;
    const bool clips = images.dim() == 5;
    const int64_t H = images.size(-2), W = images.size(-1);
    std::vector<torch::Tensor> out;
    out.reserve(draws.size());
    for (size_t i = 0; i < draws.size(); ++i) {
        const AugmentDraw& d = draws[i];
        const int64_t x0 = std::clamp<int64_t>(std::lround(d.x * W), 0, W - 1);
        const int64_t y0 = std::clamp<int64_t>(std::lround(d.y * H), 0, H - 1);
        const int64_t cw = std::clamp<int64_t>(std::lround(d.w * W), 1, W - x0);
        const int64_t ch = std::clamp<int64_t>(std::lround(d.h * H), 1, H - y0);
        // (L,3,H,W) for a clip, (1,3,H,W) for an image.
        auto x =
            clips ? images[static_cast<int64_t>(i)] : images[static_cast<int64_t>(i)].unsqueeze(0);
        x = x.narrow(-2, y0, ch).narrow(-1, x0, cw);
        if (ch != size || cw != size) {
            const bool shrink = ch > size || cw > size;
            x = F::interpolate(x, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{size, size})
                                      .mode(torch::kBilinear)
                                      .align_corners(false)
                                      .antialias(shrink));
        }
        if (d.flip) {
            x = x.flip({-1});
        }
        out.push_back(clips ? x : x.squeeze(0));
    }
    return torch::stack(out).clamp_(0.0, 1.0);
}

torch::Tensor colourJitter(const torch::Tensor& images, const std::vector<AugmentDraw>& draws) {
    const bool any = std::any_of(draws.begin(), draws.end(), [](const AugmentDraw& d) {
        return d.brightness != 1.0f || d.contrast != 1.0f || d.saturation != 1.0f;
    });
    if (!any) {
        return images;
    }
    const auto n = static_cast<int64_t>(draws.size());
    std::vector<float> b(draws.size()), c(draws.size()), s(draws.size());
    for (size_t i = 0; i < draws.size(); ++i) {
        b[i] = draws[i].brightness;
        c[i] = draws[i].contrast;
        s[i] = draws[i].saturation;
    }
    // One factor per sample, broadcast over (3,H,W) or (L,3,H,W).
    std::vector<int64_t> shape(static_cast<size_t>(images.dim()), 1);
    shape[0] = n;
    const auto factor = [&](const std::vector<float>& v) {
        return torch::tensor(v, torch::kFloat).view(shape).to(images.device());
    };
    const int64_t channel = images.dim() - 3;
    const auto grey = [&](const torch::Tensor& x) {
        // ITU-R BT.601 luma, as torchvision's rgb_to_grayscale.
        return (0.299 * x.select(channel, 0) + 0.587 * x.select(channel, 1) +
                0.114 * x.select(channel, 2))
            .unsqueeze(channel);
    };
    auto x = (images * factor(b)).clamp(0.0, 1.0);
    std::vector<int64_t> meanDims;
    for (int64_t d = channel; d < images.dim(); ++d) {
        meanDims.push_back(d);
    }
    const auto mean = grey(x).mean(meanDims, true);
    x = (mean + factor(c) * (x - mean)).clamp(0.0, 1.0);
    const auto g = grey(x);
    return (g + factor(s) * (x - g)).clamp(0.0, 1.0);
}

} // namespace pretext
