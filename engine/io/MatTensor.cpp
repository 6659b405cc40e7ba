#include "MatTensor.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pretext::io {

torch::Tensor matToTensor(const cv::Mat& image) {
    cv::Mat rgb;
    if (image.channels() == 1) {
        cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
    } else if (image.channels() == 4) {
        cv::cvtColor(image, rgb, cv::COLOR_BGRA2RGB);
    } else {
        cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
    }
    if (rgb.depth() != CV_8U) {
        rgb.convertTo(rgb, CV_8U);
    }
    rgb = rgb.isContinuous() ? rgb : rgb.clone();
    // from_blob borrows rgb's buffer; the float conversion makes the copy we keep.
    auto hwc = torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8);
    return hwc.permute({2, 0, 1}).to(torch::kFloat32).div_(255.0).contiguous();
}

cv::Mat tensorToMat(const torch::Tensor& chw) {
    auto hwc = chw.detach()
                   .to(torch::kCPU, torch::kFloat32)
                   .clamp(0.0, 1.0)
                   .mul(255.0)
                   .round()
                   .to(torch::kUInt8)
                   .permute({1, 2, 0})
                   .contiguous();
    cv::Mat rgb(static_cast<int>(hwc.size(0)), static_cast<int>(hwc.size(1)), CV_8UC3,
                hwc.data_ptr<uint8_t>());
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR); // copies out of the tensor's buffer
    return bgr;
}

cv::Mat squareResize(const cv::Mat& image, int sizePx) {
    const int side = std::min(image.cols, image.rows);
    const cv::Rect crop((image.cols - side) / 2, (image.rows - side) / 2, side, side);
    cv::Mat out;
    const int interp = side > sizePx ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(image(crop), out, cv::Size(sizePx, sizePx), 0, 0, interp);
    return out;
}

cv::Mat cropResize(const cv::Mat& src, const AugmentDraw& draw, int size) {
    const int x0 = std::clamp(static_cast<int>(std::lround(draw.x * src.cols)), 0, src.cols - 1);
    const int y0 = std::clamp(static_cast<int>(std::lround(draw.y * src.rows)), 0, src.rows - 1);
    const int w = std::clamp(static_cast<int>(std::lround(draw.w * src.cols)), 1, src.cols - x0);
    const int h = std::clamp(static_cast<int>(std::lround(draw.h * src.rows)), 1, src.rows - y0);
    cv::Mat out;
    const int interp = (w > size || h > size) ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(src(cv::Rect(x0, y0, w, h)), out, cv::Size(size, size), 0, 0, interp);
    if (draw.flip) {
        cv::flip(out, out, 1);
    }
    return out;
}

torch::Tensor matsToBatch(const std::vector<cv::Mat>& mats, int size) {
    auto batch = torch::empty({static_cast<int64_t>(mats.size()), size, size, 3}, torch::kUInt8);
    uint8_t* dst = batch.data_ptr<uint8_t>();
    const size_t bytes = static_cast<size_t>(size) * size * 3;
    for (size_t i = 0; i < mats.size(); ++i) {
        cv::Mat m = mats[i];
        if (m.channels() == 1) {
            cv::cvtColor(m, m, cv::COLOR_GRAY2BGR);
        }
        if (!m.isContinuous()) {
            m = m.clone();
        }
        std::memcpy(dst + i * bytes, m.data, bytes);
    }
    // BGR (H,W,C) bytes -> RGB (C,H,W) floats, once per batch.
    return batch.permute({0, 3, 1, 2}).flip({1}).to(torch::kFloat).div_(255.0).contiguous();
}

} // namespace pretext::io
