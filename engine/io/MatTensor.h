#pragma once
// The one place where OpenCV images and tensors meet.
#include "Augment.h"

#include <opencv2/core.hpp>
#include <torch/types.h>

#include <vector>

namespace pretext::io {

// 8-bit BGR (or grey) image -> (3,H,W) float RGB in [0,1]; owns its memory.
torch::Tensor matToTensor(const cv::Mat& image);
// (3,H,W) float in [0,1] -> 8-bit BGR image.
cv::Mat tensorToMat(const torch::Tensor& chw);
// Centre square crop, then area resampling to size_px x size_px.
cv::Mat squareResize(const cv::Mat& image, int sizePx);
// The crop of `draw` (fractions of the image) taken from `image`, resized to size x size
// (area resampling when shrinking, bilinear otherwise) and flipped as drawn.
cv::Mat cropResize(const cv::Mat& image, const AugmentDraw& draw, int size);
// 8-bit BGR images of size x size -> (N,3,size,size) float RGB in [0,1]: the one copy a
// batch of decoded samples makes.
torch::Tensor matsToBatch(const std::vector<cv::Mat>& mats, int size);

} // namespace pretext::io
