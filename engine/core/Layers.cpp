#include "Layers.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <stdexcept>
#include <variant>

#if PRETEXT_HAVE_KERNELS
#include "ConvKernels.h"
#endif

namespace pretext {

namespace {
struct RouteNameEntry {
    ConvRoute route;
    const char* name;
};
constexpr RouteNameEntry kRouteNames[] = {
    {ConvRoute::LibTorch, "libtorch"},
    {ConvRoute::Winograd, "winograd"},
    {ConvRoute::Dense, "dense"},
    {ConvRoute::ConvolutionKernels, "convolution-kernels"},
};

#if PRETEXT_HAVE_KERNELS
kernels::ConvGeometry geometryOf(const torch::nn::detail::ConvNdOptions<2>& o,
                                 const torch::Tensor& weight) {
    kernels::ConvGeometry g;
    const auto* padding = explicitPadding(o);
    g.inChannels = o.in_channels();
    g.outChannels = o.out_channels();
    g.kernelH = (*o.kernel_size())[0];
    g.kernelW = (*o.kernel_size())[1];
    g.stride = (*o.stride())[0];
    g.padding = padding != nullptr ? (**padding)[0] : 0;
    g.plain = padding != nullptr && (**padding)[1] == g.padding && (*o.stride())[1] == g.stride &&
              (*o.dilation())[0] == 1 && (*o.dilation())[1] == 1 && o.groups() == 1 &&
              o.padding_mode().index() == 0 /* kZeros */ && weight.scalar_type() == torch::kFloat;
    return g;
}
#endif
} // namespace

std::string routeName(ConvRoute route) {
    for (const auto& e : kRouteNames) {
        if (e.route == route) {
            return e.name;
        }
    }
    return "libtorch";
}

std::optional<ConvRoute> parseRoute(const std::string& name) {
    for (const auto& e : kRouteNames) {
        if (name == e.name) {
            return e.route;
        }
    }
    return std::nullopt;
}

void RoutedLayer::remember(const torch::Tensor& x) {
    m_lastShape = x.sizes().vec();
    m_lastChannelsLast = !x.is_contiguous() && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

bool kernelsBuilt() {
    return PRETEXT_HAVE_KERNELS != 0;
}

bool winogradOnThisCpu() {
#if PRETEXT_HAVE_KERNELS
    return kernels::winogradSupported();
#else
    return false;
#endif
}

const torch::ExpandingArray<2>*
explicitPadding(const torch::nn::detail::ConvNdOptions<2>& options) {
    // LibTorch 2.1 replaced c10::variant (the type of a convolution's padding option)
    // with std::variant.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
    return std::get_if<torch::ExpandingArray<2>>(&options.padding());
#else
    return c10::get_if<torch::ExpandingArray<2>>(&options.padding());
#endif
}

std::vector<ConvRoute> RoutedConv2dImpl::fastRoutes(const torch::Tensor& x) const {
    std::vector<ConvRoute> routes;
#if PRETEXT_HAVE_KERNELS
    const auto g = geometryOf(options, weight);
    if (kernels::winogradApplies(g, x)) {
        routes.push_back(ConvRoute::Winograd);
    }
    if (kernels::denseApplies(g, x)) {
        routes.push_back(ConvRoute::Dense);
    }
#else
    (void)x;
#endif
    return routes;
}

torch::Tensor RoutedConv2dImpl::forwardBy(ConvRoute route, const torch::Tensor& x,
                                          const torch::Tensor& w, const torch::Tensor& b) const {
#if PRETEXT_HAVE_KERNELS
    const auto g = geometryOf(options, w);
    if (route == ConvRoute::Winograd && kernels::winogradApplies(g, x)) {
        return kernels::winogradConv3x3(x, w, b);
    }
    if (route == ConvRoute::Dense && kernels::denseApplies(g, x)) {
        return kernels::denseConv2d(x, w, b, g.stride, g.padding);
    }
#else
    (void)route;
#endif
    // LibTorch's own, as Conv2dImpl::forward computes it for zero padding given as numbers
    // (the only layers the program's routes are offered for, and so timed against).
    const auto* padding = explicitPadding(options);
    if (padding == nullptr || options.padding_mode().index() != 0 /* kZeros */) {
        throw std::logic_error("RoutedConv2d::forwardBy: only for zero padding given as numbers");
    }
    return torch::conv2d(x, w, b, *options.stride(), *padding, *options.dilation(),
                         options.groups());
}

std::string RoutedConv2dImpl::geometryKey() const {
    const auto* padding = explicitPadding(options);
    std::string key =
        "conv k" + std::to_string((*options.kernel_size())[0]) + "x" +
        std::to_string((*options.kernel_size())[1]) + " s" +
        std::to_string((*options.stride())[0]) + "x" + std::to_string((*options.stride())[1]) +
        " d" + std::to_string((*options.dilation())[0]) + " g" + std::to_string(options.groups()) +
        " m" + std::to_string(options.padding_mode().index());
    if (padding != nullptr) {
        key += " p" + std::to_string((**padding)[0]) + "x" + std::to_string((**padding)[1]);
    }
    return key;
}

torch::Tensor RoutedConv2dImpl::forward(const torch::Tensor& x) {
    remember(x);
    if (m_route != ConvRoute::LibTorch) {
        const auto offered = fastRoutes(x);
        if (std::find(offered.begin(), offered.end(), m_route) != offered.end()) {
            return forwardBy(m_route, x, weight, layerBias());
        }
    }
    return torch::nn::Conv2dImpl::forward(x);
}

UpConv2dImpl::UpConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel, int64_t stride,
                           int64_t padding)
    : m_stride(stride), m_padding(padding) {
    // Initialized by LibTorch's own module, so the weights (and every result that
    // depends on them) are those a ConvTranspose2d would start from.
    torch::nn::ConvTranspose2d init(
        torch::nn::ConvTranspose2dOptions(inChannels, outChannels, kernel)
            .stride(stride)
            .padding(padding));
    weight = register_parameter("weight", init->weight.detach().clone());
    bias = register_parameter("bias", init->bias.detach().clone());
}

std::vector<ConvRoute> UpConv2dImpl::fastRoutes(const torch::Tensor& x) const {
#if PRETEXT_HAVE_KERNELS
    if (kernels::upConvApplies(x)) {
        return {ConvRoute::ConvolutionKernels};
    }
#else
    (void)x;
#endif
    return {};
}

torch::Tensor UpConv2dImpl::forwardBy(ConvRoute route, const torch::Tensor& x,
                                      const torch::Tensor& w, const torch::Tensor& b) const {
#if PRETEXT_HAVE_KERNELS
    if (route == ConvRoute::ConvolutionKernels && kernels::upConvApplies(x)) {
        return kernels::upConvByConvolution(x, w, b, m_stride, m_padding);
    }
#else
    (void)route;
#endif
    return torch::conv_transpose2d(x, w, b, m_stride, m_padding);
}

std::string UpConv2dImpl::geometryKey() const {
    return "up k" + std::to_string(kernel()) + " s" + std::to_string(m_stride) + " p" +
           std::to_string(m_padding);
}

torch::Tensor UpConv2dImpl::forward(const torch::Tensor& x) {
    remember(x);
    return forwardBy(m_route, x, weight, bias);
}

} // namespace pretext
