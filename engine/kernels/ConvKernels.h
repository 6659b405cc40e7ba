#pragma once
// The one interface between the engine core and the hand-written CPU routes of this
// folder. Each route computes exactly what LibTorch's own layer computes, with the same
// parameters, as an autograd function (forward, input gradient, weight and bias
// gradients); the core decides per layer, by measurement, which route a layer takes
// (engine/core/ConvRoutes.h). Nothing here is required: a build without this target
// (-DPRETEXT_KERNELS=OFF) runs every layer by LibTorch.
//
// Checked by tests/core/test_winograd.cpp and tests/core/test_dense_conv.cpp: every
// route's output and gradients against torch::conv2d / conv_transpose2d, in both
// memory layouts, for the shapes the models use and awkward ones around them.
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace pretext::kernels {

// A convolution's geometry as the routes need it. `plain` says the rest is ordinary:
// the same stride and padding on both axes, zero padding, no dilation, no groups.
struct ConvGeometry {
    int64_t inChannels = 0;
    int64_t outChannels = 0;
    int64_t kernelH = 0;
    int64_t kernelW = 0;
    int64_t stride = 1;
    int64_t padding = 0;
    bool plain = false;
};

// Winograd's F(4x4, 3x3) (Winograd.h): compiled in, and the CPU has AVX2 and FMA.
bool winogradSupported();
// 3x3, stride 1, padding 1 convolutions of float CPU maps: NCHW with sides multiples of
// 4, or channels-last with channel counts multiples of 8.
bool winogradApplies(const ConvGeometry& g, const at::Tensor& x);
at::Tensor winogradConv3x3(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias);

// Convolutions on maps with no more positions than the kernel has taps, as one matrix
// product per batch (DenseConv.cpp). Float CPU maps, NCHW or channels-last.
bool denseApplies(const ConvGeometry& g, const at::Tensor& x);
at::Tensor denseConv2d(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                       int64_t stride, int64_t padding);

// Transposed convolutions (weight (in, out, k, k)) by oneDNN's convolution kernels
// (UpConvRoute.cpp): float CPU maps, where LibTorch was built with oneDNN.
bool upConvApplies(const at::Tensor& x);
at::Tensor upConvByConvolution(const at::Tensor& x, const at::Tensor& weight,
                               const at::Tensor& bias, int64_t stride, int64_t padding);

} // namespace pretext::kernels
