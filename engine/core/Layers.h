#pragma once
// Layers whose route is a choice of the model that holds them: LibTorch's own kernels,
// or one of the hand-written CPU routes of engine/kernels (Winograd's 3x3
// convolutions, small maps as one product, transposed convolutions on oneDNN). Every
// route computes the same function with the same parameters (names, shapes,
// initialization), so checkpoints do not depend on the route; results differ by float
// rounding only. Which route each layer takes is set by ConvRoutes.h, by measurement
// or by the user's choice, never by a process-wide switch.
#include <torch/nn.h>

#include <optional>
#include <string>
#include <vector>

namespace pretext {

enum class ConvRoute {
    LibTorch,           // the module's own forward (oneDNN, cuDNN, ...)
    Winograd,           // F(4x4, 3x3), AVX2 and FMA
    Dense,              // maps no larger than the kernel, one matrix product
    ConvolutionKernels, // transposed convolutions through the convolution's kernels
};
std::string routeName(ConvRoute route);
std::optional<ConvRoute> parseRoute(const std::string& name);

// What every routed layer offers the route chooser.
class RoutedLayer {
public:
    virtual ~RoutedLayer() = default;
    ConvRoute route() const { return m_route; }
    void setRoute(ConvRoute route) { m_route = route; }
    // The program's routes that can compute this layer for an input like x (empty:
    // LibTorch's alone), best guess first.
    virtual std::vector<ConvRoute> fastRoutes(const torch::Tensor& x) const = 0;
    // The layer's function by `route` on the given parameters (the chooser times it on
    // copies, so the model's own gradients are never touched).
    virtual torch::Tensor forwardBy(ConvRoute route, const torch::Tensor& x,
                                    const torch::Tensor& weight,
                                    const torch::Tensor& bias) const = 0;
    virtual torch::Tensor layerWeight() const = 0;
    virtual torch::Tensor layerBias() const = 0;
    // What besides the parameters' shapes decides the layer's cost (kernel, stride,
    // padding), for remembering measurements.
    virtual std::string geometryKey() const = 0;
    // The last input the layer saw: its sizes and whether it was channels-last.
    const std::vector<int64_t>& lastInputShape() const { return m_lastShape; }
    bool lastInputChannelsLast() const { return m_lastChannelsLast; }

protected:
    void remember(const torch::Tensor& x);
    ConvRoute m_route = ConvRoute::LibTorch;

private:
    std::vector<int64_t> m_lastShape;
    bool m_lastChannelsLast = false;
};

// torch::nn::Conv2d (same options, parameters and initialization) whose forward pass
// takes the layer's route where that route applies to the input, else LibTorch's.
class RoutedConv2dImpl : public torch::nn::Conv2dImpl, public RoutedLayer {
public:
    using torch::nn::Conv2dImpl::Conv2dImpl;
    torch::Tensor forward(const torch::Tensor& x);
    std::vector<ConvRoute> fastRoutes(const torch::Tensor& x) const override;
    torch::Tensor forwardBy(ConvRoute route, const torch::Tensor& x, const torch::Tensor& w,
                            const torch::Tensor& b) const override;
    torch::Tensor layerWeight() const override { return weight; }
    torch::Tensor layerBias() const override { return options.bias() ? bias : torch::Tensor(); }
    std::string geometryKey() const override;
};
TORCH_MODULE(RoutedConv2d);

// A transposed convolution, as torch::nn::ConvTranspose2d (weight (in, out, k, k), bias
// (out), the same initialization), with LibTorch's route (conv_transpose2d: on the CPU
// in LibTorch 1.13 an im2col loop with one BLAS call per sample) or the convolution
// kernels' route (engine/kernels/UpConvRoute.cpp).
class UpConv2dImpl : public torch::nn::Module, public RoutedLayer {
public:
    UpConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel, int64_t stride,
                 int64_t padding);
    torch::Tensor forward(const torch::Tensor& x);
    std::vector<ConvRoute> fastRoutes(const torch::Tensor& x) const override;
    torch::Tensor forwardBy(ConvRoute route, const torch::Tensor& x, const torch::Tensor& w,
                            const torch::Tensor& b) const override;
    torch::Tensor layerWeight() const override { return weight; }
    torch::Tensor layerBias() const override { return bias; }
    std::string geometryKey() const override;
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

// Whether this build has the hand-written routes (PRETEXT_KERNELS), and whether this
// CPU can run Winograd's (AVX2 and FMA).
bool kernelsBuilt();
bool winogradOnThisCpu();

// A convolution's padding when given as numbers (not "same" or "valid"), else null.
const torch::ExpandingArray<2>* explicitPadding(const torch::nn::detail::ConvNdOptions<2>& options);

} // namespace pretext
