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

} // namespace pretext
