#pragma once
// Layers with a faster CPU route than LibTorch's own, computing the same function
// with the same parameters (names, shapes and initialization), so checkpoints and
// results do not depend on which route ran.
#include <torch/nn.h>

namespace pretext {

// A transposed convolution, as torch::nn::ConvTranspose2d (weight (in, out, k, k),
// bias (out)). LibTorch 1.13 sends transposed convolutions on the CPU to an im2col
// loop over the batch with one BLAS call per sample (slow_conv_transpose2d), at a
// fifth of what its oneDNN convolution kernels reach. A transposed convolution is the
// input gradient of the ordinary convolution with the same weight, so the forward
// pass here is that convolution's backward-data kernel, and the backward pass is an
// ordinary convolution (input gradient) and the convolution's weight-gradient kernel
// with input and output swapped: all three run on oneDNN. Elsewhere (CUDA, builds
// without oneDNN, other dtypes) it calls conv_transpose2d.
class UpConv2dImpl : public torch::nn::Module {
public:
    UpConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel, int64_t stride,
                 int64_t padding);
    torch::Tensor forward(const torch::Tensor& x);
    int64_t inChannels() const { return weight.size(0); }
    int64_t outChannels() const { return weight.size(1); }
    int64_t kernel() const { return weight.size(2); }
    int64_t stride() const { return m_stride; }
    int64_t padding() const { return m_padding; }

    torch::Tensor weight;
    torch::Tensor bias;

private:
    int64_t m_stride;
    int64_t m_padding;
};
TORCH_MODULE(UpConv2d);

// Whether UpConv2d takes the oneDNN route for this input.
bool upConvUsesConvolutionKernels(const torch::Tensor& x);

// The plain route, for tests and for the benchmark's comparison.
torch::Tensor upConvReference(const torch::Tensor& x, const torch::Tensor& weight,
                              const torch::Tensor& bias, int64_t stride, int64_t padding);

// 3x3 convolutions (stride 1, padding 1) by Winograd's F(4x4, 3x3) (engine/core/
// Winograd.h): a quarter of the multiply-adds of the direct convolution that oneDNN
// (and so PyTorch) runs on the CPU. The forward pass, the input gradient (the same
// kind of convolution, with the kernels turned and the channels swapped) and the
// weight gradient take that route (the weight gradient for input channels in 16s and
// output channels in 4s: in NCHW the channels past the last multiple of 16 go to
// oneDNN's kernel, elsewhere oneDNN's does it all). Applies to float inputs on CPUs
// with AVX2 and FMA, maps whose sides are multiples of 4, NCHW with any channel counts
// or channels-last with multiples of 8 (the output keeps the input's layout);
// anything else runs the module's own forward(). Same
// parameters, same function; results differ from the direct sum by float rounding
// (tested, values and all three gradients).
bool winogradApplies(const torch::nn::Conv2dImpl& conv, const torch::Tensor& x);
// The layer function itself (weight (K, C, 3, 3), bias (K) or undefined), for inputs
// winogradApplies accepts and channels-last ones with sides of any length.
torch::Tensor winogradConv3x3(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);
// Convolutions on maps with no more positions than the kernel has taps (a 3x3 kernel
// on maps of 3x3 or less, 4x4 on 4x4) as one matrix product per batch: each output
// position is a linear function of the whole input map, and the matrix of that
// function, built from the kernel tap by tap, has no more entries than the direct
// kernel has multiply-adds per image (most taps of the direct kernel fall on the
// padding there). Float CPU inputs, NCHW or channels-last, zero padding,
// no groups or dilation; the product runs on LibTorch's threads (Gemm.h). Same
// parameters, same function, all three gradients (tested).
bool denseConvApplies(const torch::nn::Conv2dImpl& conv, const torch::Tensor& x);
torch::Tensor denseConv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                          int64_t stride, int64_t padding);

// Winograd's and the dense route: on by default; off makes conv2dForward always run
// the module's forward() (the benchmark's --direct-conv, to measure the routes against
// LibTorch's own convolutions).
void setFastConvolutions(bool enabled);
bool fastConvolutions();

// A Conv2d's forward pass by Winograd's route or the dense one where either applies,
// else the module's own.
torch::Tensor conv2dForward(torch::nn::Conv2dImpl& conv, const torch::Tensor& x);

// A convolution's padding when given as numbers (not "same" or "valid"), else null.
const torch::ExpandingArray<2>* explicitPadding(const torch::nn::detail::ConvNdOptions<2>& options);

// A flat Sequential's forward pass, its 3x3 convolutions through conv2dForward.
torch::Tensor sequentialForward(torch::nn::Sequential& seq, torch::Tensor x);

} // namespace pretext
