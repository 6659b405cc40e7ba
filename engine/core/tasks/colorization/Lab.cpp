#include "tasks/colorization/Lab.h"

#include <torch/torch.h>

namespace pretext {

namespace {
// Linear sRGB -> XYZ (IEC 61966-2-1, D65), rows X, Y, Z.
const double kRgbToXyz[3][3] = {
    {0.412453, 0.357580, 0.180423}, {0.212671, 0.715160, 0.072169}, {0.019334, 0.119193, 0.950227}};
const double kWhite[3] = {0.950456, 1.0, 1.088754}; // D65 reference white
constexpr double kEpsilon = 216.0 / 24389.0;        // (6/29)³
constexpr double kKappa = 24389.0 / 27.0;

// Linear sRGB -> XYZ scaled by the white point (rows divided by X_n, Y_n, Z_n), so one
// product gives X/X_n, Y/Y_n, Z/Z_n; its inverse goes back.
torch::Tensor matrix(const torch::Tensor& like, bool inverse) {
    auto m = torch::empty({3, 3}, torch::kDouble);
    auto acc = m.accessor<double, 2>();
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) {
            acc[i][j] = kRgbToXyz[i][j] / kWhite[i];
        }
    }
    if (inverse) {
        m = m.inverse();
    }
    return m.to(like.options());
}

// Applies a 3x3 matrix over the channel axis of (B,3,H,W).
torch::Tensor mix(const torch::Tensor& m, const torch::Tensor& x) {
    return torch::einsum("ij,bjhw->bihw", {m, x});
}

torch::Tensor labF(const torch::Tensor& t) {
    // In-place steps on fresh tensors: fewer passes over memory than chained operators.
    auto cube = t.clamp_min(kEpsilon).pow_(1.0 / 3.0);
    return torch::where(t > kEpsilon, cube, t.mul(kKappa / 116.0).add_(16.0 / 116.0));
}
} // namespace

torch::Tensor rgbToLab(const torch::Tensor& rgb) {
    TORCH_CHECK(rgb.dim() == 4 && rgb.size(1) == 3, "rgbToLab expects (B,3,H,W)");
    auto c = rgb.clamp(0.0, 1.0);
    auto curve = c.clamp_min(0.04045).add_(0.055).div_(1.055).pow_(2.4);
    auto linear = torch::where(c <= 0.04045, c.div(12.92), curve);
    auto xyz = mix(matrix(rgb, false), linear);
    // L = 116 f_y − 16, a = 500 (f_x − f_y), b = 200 (f_y − f_z): one more 3x3 product.
    auto toLab =
        torch::tensor({0.0, 116.0, 0.0, 500.0, -500.0, 0.0, 0.0, 200.0, -200.0}, torch::kDouble)
            .view({3, 3})
            .to(rgb.options());
    auto lab = mix(toLab, labF(xyz));
    lab.select(1, 0).sub_(16.0);
    return lab;
}

torch::Tensor labToRgb(const torch::Tensor& lab) {
    TORCH_CHECK(lab.dim() == 4 && lab.size(1) == 3, "labToRgb expects (B,3,H,W)");
    auto l = lab.select(1, 0);
    auto fy = (l + 16.0) / 116.0;
    auto fx = fy + lab.select(1, 1) / 500.0;
    auto fz = fy - lab.select(1, 2) / 200.0;
    auto inverseF = [](const torch::Tensor& f) {
        auto cube = f.pow(3);
        return torch::where(cube > kEpsilon, cube, (116.0 * f - 16.0) / kKappa);
    };
    auto y = torch::where(l > kKappa * kEpsilon, fy.pow(3), l / kKappa);
    auto xyz = torch::stack({inverseF(fx), y, inverseF(fz)}, 1);
    auto linear = mix(matrix(lab, true), xyz).clamp(0.0, 1.0);
    return torch::where(linear <= 0.0031308, 12.92 * linear,
                        1.055 * linear.clamp_min(0.0031308).pow(1.0 / 2.4) - 0.055);
}

torch::Tensor chroma(const torch::Tensor& lab) {
    return lab.narrow(1, 1, 2).pow(2).sum(1).sqrt();
}

} // namespace pretext
