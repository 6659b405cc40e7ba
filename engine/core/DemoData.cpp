#include "DemoData.h"

#include "Rng.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace pretext {

namespace {

using Color = std::array<float, 3>;

} // namespace

std::array<float, 3> hsvColor(double hueDeg, double s, double v) {
    const double h = std::fmod(std::fmod(hueDeg, 360.0) + 360.0, 360.0) / 60.0;
    const int sector = static_cast<int>(h) % 6;
    const double f = h - std::floor(h);
    const double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    const double table[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
    return {static_cast<float>(table[sector][0]), static_cast<float>(table[sector][1]),
            static_cast<float>(table[sector][2])};
}

namespace {

// Any hue, mixed with grey so that colors vary in hue and brightness.
Color randomColor(PortableRng& rng) {
    const double h = rng.uniform() * 360.0;
    const double s = rng.uniform(0.35, 1.0);
    return hsvColor(h, s, rng.uniform(0.25, 1.0));
}

// A colour of one family: a hue with a little jitter, varied saturation and brightness.
Color familyColor(PortableRng& rng, double hueDeg, double sMin = 0.5, double vMin = 0.35) {
    const double h = hueDeg + rng.uniform(-12.0, 12.0);
    const double s = rng.uniform(sMin, 1.0);
    return hsvColor(h, s, rng.uniform(vMin, 1.0));
}

Color lerp(const Color& a, const Color& b, float t) {
    return {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t};
}

class Canvas {
public:
    explicit Canvas(int size) : m_size(size), m_px(static_cast<size_t>(size) * size) {}
    int size() const { return m_size; }
    Color& at(int x, int y) { return m_px[static_cast<size_t>(y) * m_size + x]; }
    // Calls paint(u, v) -> optional color for each pixel centre in [0,1]^2 coordinates.
    template <typename Fn> void paint(Fn&& fn) {
        for (int y = 0; y < m_size; ++y) {
            for (int x = 0; x < m_size; ++x) {
                const float u = (x + 0.5f) / m_size, v = (y + 0.5f) / m_size;
                fn(u, v, at(x, y));
            }
        }
    }
    void writeTo(float* chw) const {
        const size_t plane = m_px.size();
        for (size_t i = 0; i < plane; ++i) {
            for (int c = 0; c < 3; ++c) {
                chw[c * plane + i] = std::clamp(m_px[i][c], 0.0f, 1.0f);
            }
        }
    }

private:
    int m_size;
    std::vector<Color> m_px;
};

// Colours follow the kind of thing, as in photographs (sky is blue, grass green), so
// that colorization has something to learn from shape and texture; some kinds have
// two usual colours (apples are red or green), which is where predicting a mean fails.
void drawBackground(Canvas& canvas, PortableRng& rng) {
    // Pale sky at one end, green or brown ground at the other.
    const Color a = familyColor(rng, 205.0, 0.25, 0.6);
    const Color b = familyColor(rng, rng.uniform() < 0.5 ? 100.0 : 30.0, 0.4, 0.3);
    const double angle = rng.uniform(0, 2 * kPi);
    const float dx = static_cast<float>(std::cos(angle)), dy = static_cast<float>(std::sin(angle));
    const int texture = rng.integer(0, 3); // 0 none, 1 stripes, 2 checker, 3 waves
    const float freq = static_cast<float>(rng.uniform(3.0, 9.0));
    const float amp = static_cast<float>(rng.uniform(0.03, 0.12));
    const double tAngle = rng.uniform(0, kPi);
    const float tx = static_cast<float>(std::cos(tAngle)),
                ty = static_cast<float>(std::sin(tAngle));
    canvas.paint([&](float u, float v, Color& px) {
        const float t = std::clamp(0.5f + (u - 0.5f) * dx + (v - 0.5f) * dy, 0.0f, 1.0f);
        px = lerp(a, b, t);
        float mod = 0.0f;
        if (texture == 1) {
            mod = std::sin(2 * float(kPi) * freq * (u * tx + v * ty)) > 0 ? amp : -amp;
        } else if (texture == 2) {
            const int cx = static_cast<int>(u * freq), cy = static_cast<int>(v * freq);
            mod = ((cx + cy) % 2 == 0) ? amp : -amp;
        } else if (texture == 3) {
            mod = amp * std::sin(2 * float(kPi) * freq * u + 3 * std::sin(2 * float(kPi) * v));
        }
        for (auto& c : px) {
            c += mod;
        }
    });
}

void drawShape(Canvas& canvas, PortableRng& rng) {
    const int kind = rng.integer(0, 3); // circle, rectangle, triangle, ring
    // Circles red or green, rectangles blue, triangles yellow-orange, rings magenta or
    // cyan; one shape in eight any colour at all.
    static const double hues[4][2] = {{0.0, 120.0}, {225.0, 225.0}, {45.0, 45.0}, {300.0, 180.0}};
    const double hue = hues[kind][rng.uniform() < 0.5 ? 0 : 1];
    const Color fill = rng.uniform() < 0.125 ? randomColor(rng) : familyColor(rng, hue);
    const Color shade = {fill[0] * 0.45f, fill[1] * 0.45f, fill[2] * 0.45f};
    const float cx = static_cast<float>(rng.uniform(0.15, 0.85));
    const float cy = static_cast<float>(rng.uniform(0.15, 0.85));
    const float r = static_cast<float>(rng.uniform(0.1, 0.3));
    const float w = static_cast<float>(rng.uniform(0.1, 0.35)),
                h = static_cast<float>(rng.uniform(0.1, 0.35));
    const double rot = rng.uniform(0, kPi);
    const float cr = static_cast<float>(std::cos(rot)), sr = static_cast<float>(std::sin(rot));
    // Triangle vertices around the centre.
    std::array<std::array<float, 2>, 3> tri;
    for (int i = 0; i < 3; ++i) {
        const double a = rot + i * 2 * kPi / 3 + rng.uniform(-0.3, 0.3);
        tri[i] = {cx + r * 1.3f * static_cast<float>(std::cos(a)),
                  cy + r * 1.3f * static_cast<float>(std::sin(a))};
    }
    auto edge = [](const std::array<float, 2>& p, const std::array<float, 2>& q, float u, float v) {
        return (q[0] - p[0]) * (v - p[1]) - (q[1] - p[1]) * (u - p[0]);
    };
    canvas.paint([&](float u, float v, Color& px) {
        const float du = u - cx, dv = v - cy;
        bool inside = false;
        float shadeT = 0.0f;
        if (kind == 0) {
            const float d = std::sqrt(du * du + dv * dv);
            inside = d < r;
            shadeT = d / r; // radial shading
        } else if (kind == 1) {
            const float ru = du * cr + dv * sr, rv = -du * sr + dv * cr;
            inside = std::abs(ru) < w && std::abs(rv) < h;
            shadeT = (rv / h + 1) * 0.5f;
        } else if (kind == 2) {
            const float e0 = edge(tri[0], tri[1], u, v), e1 = edge(tri[1], tri[2], u, v);
            const float e2 = edge(tri[2], tri[0], u, v);
            inside = (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0);
        } else {
            const float d = std::sqrt(du * du + dv * dv);
            inside = d < r && d > r * 0.55f;
        }
        if (inside) {
            px = lerp(fill, shade, std::clamp(shadeT, 0.0f, 1.0f) * 0.6f);
        }
    });
}

void drawOccluder(Canvas& canvas, PortableRng& rng) {
    const float grey = static_cast<float>(rng.uniform(0.05, 0.95)); // bars are neutral
    const Color c = {grey, grey, grey};
    const double angle = rng.uniform(0, kPi);
    const float nx = static_cast<float>(std::cos(angle)), ny = static_cast<float>(std::sin(angle));
    const float offset = static_cast<float>(rng.uniform(-0.3, 0.3));
    const float half = static_cast<float>(rng.uniform(0.02, 0.06));
    canvas.paint([&](float u, float v, Color& px) {
        if (std::abs((u - 0.5f) * nx + (v - 0.5f) * ny - offset) < half) {
            px = c;
        }
    });
}

} // namespace

torch::Tensor makeDemoImages(int count, int size_px, uint64_t seed) {
    auto out = torch::empty({count, 3, size_px, size_px}, torch::kFloat32);
    float* data = out.data_ptr<float>();
    const size_t perImage = static_cast<size_t>(3) * size_px * size_px;
    for (int i = 0; i < count; ++i) {
        // One stream per image: image i is the same whatever the count.
        PortableRng rng(seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(i) + 1);
        Canvas canvas(size_px);
        drawBackground(canvas, rng);
        const int shapes = rng.integer(1, 4);
        for (int s = 0; s < shapes; ++s) {
            drawShape(canvas, rng);
        }
        if (rng.uniform() < 0.35) {
            drawOccluder(canvas, rng);
        }
        canvas.writeTo(data + perImage * i);
    }
    return out;
}

} // namespace pretext
