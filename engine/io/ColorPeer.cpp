#include "ColorPeer.h"

#include "tasks/colorization/Lab.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <chrono>

namespace pretext::io {

LabConversionTiming timeLabConversion(const torch::Tensor& images, int passes) {
    using Clock = std::chrono::steady_clock;
    torch::NoGradGuard noGrad;
    auto rgb = images.to(torch::kCPU, torch::kFloat).contiguous();
    // OpenCV wants interleaved pixels: one tall (N·H, W) three-channel image. The layout
    // change is done once, outside the timing, in OpenCV's favour.
    auto hwc = rgb.permute({0, 2, 3, 1}).contiguous();
    const int rows = static_cast<int>(rgb.size(0) * rgb.size(2));
    const int cols = static_cast<int>(rgb.size(3));
    cv::Mat src(rows, cols, CV_32FC3, hwc.data_ptr<float>());
    cv::Mat dst;
    LabConversionTiming t;
    t.megapixels = static_cast<double>(rows) * cols / 1e6;
    rgbToLab(rgb.narrow(0, 0, 1)); // warm-up
    cv::cvtColor(src.rowRange(0, 1), dst, cv::COLOR_RGB2Lab);

    auto start = Clock::now();
    for (int i = 0; i < passes; ++i) {
        auto lab = rgbToLab(rgb);
    }
    t.oursMpxPerSec =
        passes * t.megapixels / std::chrono::duration<double>(Clock::now() - start).count();
    start = Clock::now();
    for (int i = 0; i < passes; ++i) {
        cv::cvtColor(src, dst, cv::COLOR_RGB2Lab);
    }
    t.openCvMpxPerSec =
        passes * t.megapixels / std::chrono::duration<double>(Clock::now() - start).count();
    return t;
}

} // namespace pretext::io
