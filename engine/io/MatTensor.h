#pragma once
// The one place where OpenCV images and tensors meet.
#include <opencv2/core.hpp>
#include <torch/types.h>

namespace pretext::io {

// 8-bit BGR (or grey) image -> (3,H,W) float RGB in [0,1]; owns its memory.
torch::Tensor matToTensor(const cv::Mat& image);
// (3,H,W) float in [0,1] -> 8-bit BGR image.
cv::Mat tensorToMat(const torch::Tensor& chw);
// Centre square crop, then area resampling to size_px x size_px.
cv::Mat squareResize(const cv::Mat& image, int sizePx);

} // namespace pretext::io
