#include "DemoVideo.h"

#include "DemoData.h"
#include "Rng.h"

#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

namespace pretext {

namespace {

enum class Shape { Disc, Square, Triangle, Ring };

struct Track {
    std::vector<float> x, y, angle; // centre in pixels, angle in radians, per frame
};

// Moves a shape for `frames` frames: constant speed, reflected at the edges, turning
// at its own rate; while `paused[t]` nothing moves.
Track simulate(PortableRng& rng, int frames, double size, double radius,
               const std::vector<bool>& paused) {
    Track t;
    double x = rng.uniform(radius, size - radius), y = rng.uniform(radius, size - radius);
    const double speed = rng.uniform(1.5, 3.0) * size / 64.0;
    const double heading = rng.uniform(0.0, 2 * kPi);
    double vx = speed * std::cos(heading), vy = speed * std::sin(heading);
    double angle = rng.uniform(0.0, 2 * kPi);
    const double spin = rng.uniform(0.03, 0.09); // always clockwise on screen
    for (int f = 0; f < frames; ++f) {
        t.x.push_back(static_cast<float>(x));
        t.y.push_back(static_cast<float>(y));
        t.angle.push_back(static_cast<float>(angle));
        if (paused[static_cast<size_t>(f)]) {
            continue;
        }
        x += vx;
        y += vy;
        if (x < radius || x > size - radius) {
            vx = -vx;
            x = std::clamp(x, radius, size - radius);
        }
        if (y < radius || y > size - radius) {
            vy = -vy;
            y = std::clamp(y, radius, size - radius);
        }
        angle += spin;
    }
    return t;
}

// Coverage in [0,1] of one shape over all frames (F,S,S), edges anti-aliased over a pixel.
torch::Tensor coverage(Shape shape, const Track& track, double radius, int size,
                       torch::Tensor* marker) {
    const auto frames = static_cast<int64_t>(track.x.size());
    auto coords = torch::arange(size, torch::kFloat).add(0.5);
    auto gx = coords.view({1, 1, size}), gy = coords.view({1, size, 1});
    auto cx = torch::tensor(track.x).view({frames, 1, 1});
    auto cy = torch::tensor(track.y).view({frames, 1, 1});
    auto a = torch::tensor(track.angle).view({frames, 1, 1});
    auto dx = gx - cx, dy = gy - cy;
    auto u = torch::cos(a) * dx + torch::sin(a) * dy; // shape's own axes
    auto w = -torch::sin(a) * dx + torch::cos(a) * dy;
    const auto r = static_cast<float>(radius);
    torch::Tensor distance; // signed, negative inside
    switch (shape) {
    case Shape::Disc:
        distance = torch::sqrt(dx * dx + dy * dy) - r;
        break;
    case Shape::Square:
        distance = torch::max(u.abs(), w.abs()) - r * 0.8f;
        break;
    case Shape::Triangle: {
        distance = torch::full_like(u, -1e9);
        for (int k = 0; k < 3; ++k) {
            const double phi = kPi / 2 + k * 2 * kPi / 3;
            distance = torch::max(distance, u * static_cast<float>(std::cos(phi)) +
                                                w * static_cast<float>(std::sin(phi)));
        }
        distance = distance - r * 0.5f;
        break;
    }
    case Shape::Ring:
        distance = (torch::sqrt(dx * dx + dy * dy) - r * 0.75f).abs() - r * 0.25f;
        break;
    }
    if (marker) {
        // A dot off the centre, so that turning is visible even on a disc or a ring.
        auto mu = u - r * 0.5f;
        *marker = (0.5f - (torch::sqrt(mu * mu + w * w) - r * 0.28f)).clamp(0.0, 1.0);
    }
    return (0.5f - distance).clamp(0.0, 1.0);
}

torch::Tensor color(PortableRng& rng) {
    const double hueDeg = rng.uniform(0.0, 360.0);
    const double v = rng.uniform(0.55, 1.0), s = rng.uniform(0.5, 1.0);
    const auto rgb = hsvColor(hueDeg, s, v);
    return torch::tensor({rgb[0], rgb[1], rgb[2]}, torch::kFloat).view({1, 3, 1, 1});
}

torch::Tensor renderVideo(PortableRng& rng, int frames, int size) {
    // Still background: a two-colour gradient with faint stripes.
    auto ramp = torch::linspace(0.0, 1.0, size).view({1, 1, size, 1});
    auto top = color(rng).mul(0.45), bottom = color(rng).mul(0.45);
    auto stripes = torch::sin(torch::arange(size, torch::kFloat).mul(rng.uniform(0.3, 0.8)))
                       .mul(0.04)
                       .view({1, 1, 1, size});
    auto video =
        (top * (1 - ramp) + bottom * ramp + stripes).expand({frames, 3, size, size}).clone();
    // Pauses: a few stretches where every shape holds still.
    std::vector<bool> paused(static_cast<size_t>(frames), false);
    const int pauses = rng.integer(2, 3);
    for (int p = 0; p < pauses; ++p) {
        const int length = rng.integer(frames / 16, frames / 9);
        const int start = rng.integer(0, frames - length);
        for (int f = start; f < start + length; ++f) {
            paused[static_cast<size_t>(f)] = true;
        }
    }
    const int shapes = rng.integer(3, 4);
    for (int k = 0; k < shapes; ++k) { // later shapes pass in front of earlier ones
        const auto shape = static_cast<Shape>(rng.integer(0, 3));
        const double radius = rng.uniform(0.11, 0.2) * size;
        const Track track = simulate(rng, frames, size, radius, paused);
        torch::Tensor marker;
        auto cover = coverage(shape, track, radius, size, &marker).unsqueeze(1);
        video = video * (1 - cover) + color(rng) * cover;
        auto dot = (marker.unsqueeze(1) * cover).clamp(0.0, 1.0);
        video = video * (1 - dot) + color(rng).mul(0.35) * dot;
    }
    return video.clamp(0.0, 1.0);
}

} // namespace

VideoFrames makeDemoVideo(int videos, int framesPerVideo, int sizePx, uint64_t seed) {
    VideoFrames set;
    for (int v = 0; v < videos; ++v) {
        PortableRng rng(seed * 7919ULL + static_cast<uint64_t>(v) * 104729ULL + 17ULL);
        appendVideo(set, renderVideo(rng, framesPerVideo, sizePx),
                    "demo video " + std::to_string(v + 1));
    }
    return set;
}

} // namespace pretext
