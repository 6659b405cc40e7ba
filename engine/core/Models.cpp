#include "Models.h"

#include "Layers.h"
#include "dist/SyncBatchNorm.h"

namespace pretext {

namespace nn = torch::nn;

namespace {
// Appends a stride-2 downsampling conv followed by a 3x3 conv at the new resolution.
// (Sequentials are kept flat: a Sequential cannot hold another one in LibTorch.)
void addDownStage(nn::Sequential& seq, int64_t in, int64_t out) {
    seq->push_back(RoutedConv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1)));
    seq->push_back(SyncableBatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
    seq->push_back(RoutedConv2d(nn::Conv2dOptions(out, out, 3).padding(1)));
    seq->push_back(SyncableBatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
}

void addUpStage(nn::Sequential& seq, int64_t in, int64_t out) {
    seq->push_back(UpConv2d(in, out, 4, 2, 1));
    seq->push_back(SyncableBatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
}
} // namespace

const std::vector<std::string>& backboneNames() {
    static const std::vector<std::string> names{"small", "resnet18", "resnet34", "resnet50"};
    return names;
}

std::optional<Backbone> parseBackbone(const std::string& name) {
    const auto& names = backboneNames();
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) {
            return static_cast<Backbone>(i);
        }
    }
    return std::nullopt;
}

std::string backboneName(Backbone backbone) {
    return backboneNames().at(static_cast<size_t>(backbone));
}

namespace {
ResNetSpec resnetSpec(Backbone backbone) {
    switch (backbone) {
    case Backbone::ResNet18:
        return {{2, 2, 2, 2}, false};
    case Backbone::ResNet34:
        return {{3, 4, 6, 3}, false};
    case Backbone::ResNet50:
        return {{3, 4, 6, 3}, true};
    case Backbone::Small:
        break;
    }
    throw std::logic_error("not a ResNet");
}
} // namespace

EncoderImpl::EncoderImpl(const EncoderOptions& options) : m_options(options) {
    if (options.backbone != Backbone::Small) {
        m_resnet = addResNet(*this, resnetSpec(options.backbone), options.inChannels,
                             options.smallInputStem);
        m_stageChannels = m_resnet->stageChannels;
        m_outputStride = m_resnet->outputStride;
        return;
    }
    const int64_t b = options.baseChannels;
    nn::Sequential layers;
    addDownStage(layers, options.inChannels, b);
    addDownStage(layers, b, 2 * b);
    addDownStage(layers, 2 * b, 4 * b);
    m_layers = register_module("layers", layers);
    m_stageChannels = {b, 2 * b, 4 * b};
    m_outputStride = 8;
}

std::string EncoderImpl::describe() const {
    if (!m_resnet) {
        return "small (" + std::to_string(m_options.baseChannels) + " base channels)";
    }
    return backboneName(m_options.backbone) +
           (m_options.smallInputStem ? " (small-input stem)" : " (ImageNet stem)");
}

int EncoderImpl::stageOf(const std::string& name) const {
    const std::string prefix = m_resnet ? "layer" : "layers.";
    if (name.compare(0, prefix.size(), prefix) != 0) {
        return 0;
    }
    const int index = std::atoi(name.c_str() + prefix.size());
    if (m_resnet) {
        return index; // layer1..layer4
    }
    const auto perStage = static_cast<int>(m_layers->size() / m_stageChannels.size());
    return index / perStage + 1;
}

torch::Tensor EncoderImpl::layout(torch::Tensor x) const {
    if (m_options.channelsLast && x.device().is_cpu()) {
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    }
    return x;
}

torch::Tensor EncoderImpl::forward(torch::Tensor x) {
    x = layout(std::move(x));
    torch::Tensor y;
    if (m_resnet) {
        y = resnetStem(*m_resnet, x);
        for (auto& layer : m_resnet->layers) {
            y = layer->forward(y);
        }
    } else {
        y = m_layers->forward(x);
    }
    return m_tap ? m_tap(y) : y;
}

std::vector<torch::Tensor> EncoderImpl::stageOutputs(torch::Tensor x) {
    x = layout(std::move(x));
    std::vector<torch::Tensor> stages;
    if (m_resnet) {
        x = resnetStem(*m_resnet, x);
        for (auto& layer : m_resnet->layers) {
            x = layer->forward(x);
            stages.push_back(x);
        }
    } else {
        const size_t perStage = m_layers->size() / m_stageChannels.size(); // six modules each
        size_t i = 0;
        for (auto& layer : *m_layers) {
            x = layer.forward(x);
            if (++i % perStage == 0) {
                stages.push_back(x);
            }
        }
    }
    if (m_tap && !stages.empty()) {
        stages.back() = m_tap(stages.back());
    }
    return stages;
}

int64_t EncoderImpl::flops(FeatureShape& shape) {
    if (!m_resnet) {
        return sequentialFlops(m_layers, shape);
    }
    // A ResNet is not one flat Sequential: one sample is run and its convolutions counted.
    const auto options = parameters().front().options();
    const bool training = is_training();
    eval();
    torch::Tensor out;
    {
        torch::NoGradGuard noGrad;
        out = forward(torch::zeros({1, shape.channels, shape.height, shape.width}, options));
    }
    train(training);
    shape = {out.size(1), out.size(2), out.size(3)};
    return convFlopsFromLastInputs(*this);
}

DecoderImpl::DecoderImpl(int64_t inChannels, int64_t baseChannels, int64_t outChannels,
                         int64_t skipChannels, OutputActivation activation, int upStages) {
    const int64_t b = baseChannels;
    nn::Sequential up;
    // Two stages at the end (to b, then to full resolution); the rest at 2b.
    addUpStage(up, inChannels, upStages > 2 ? 2 * b : b);
    for (int s = 1; s < upStages - 2; ++s) {
        addUpStage(up, 2 * b, 2 * b);
    }
    if (upStages > 2) {
        addUpStage(up, 2 * b, b);
    }
    // Full resolution is where the work is (64x64 at the default size): half the
    // channels there keep the step cheap.
    const int64_t full = std::max<int64_t>(8, b / 2);
    addUpStage(up, b, full);
    m_up = register_module("up", up);
    nn::Sequential head;
    head->push_back(RoutedConv2d(nn::Conv2dOptions(full + skipChannels, full, 3).padding(1)));
    head->push_back(nn::ReLU(nn::ReLUOptions(true)));
    head->push_back(RoutedConv2d(nn::Conv2dOptions(full, outChannels, 3).padding(1)));
    if (activation == OutputActivation::Tanh) {
        head->push_back(nn::Tanh());
    } else {
        head->push_back(nn::Sigmoid());
    }
    m_head = register_module("head", head);
}

torch::Tensor DecoderImpl::forward(torch::Tensor features, torch::Tensor skip) {
    return m_head->forward(torch::cat({m_up->forward(features), skip}, 1));
}

EncoderDecoderImpl::EncoderDecoderImpl(const EncoderOptions& options, int64_t outChannels,
                                       OutputActivation activation) {
    m_encoder = register_module("encoder", Encoder(options));
    m_decoder = register_module("decoder", Decoder(m_encoder->outChannels(), options.baseChannels,
                                                   outChannels, options.inChannels, activation,
                                                   strideSteps(m_encoder->outputStride())));
}

torch::Tensor EncoderDecoderImpl::forward(torch::Tensor x) {
    const int64_t stride = m_encoder->outputStride();
    if (x.size(-1) % stride != 0 || x.size(-2) % stride != 0) {
        throw std::invalid_argument("the " + m_encoder->describe() +
                                    " encoder reconstructs images whose size is a "
                                    "multiple of " +
                                    std::to_string(stride) + " px, not " +
                                    std::to_string(x.size(-2)) + "x" + std::to_string(x.size(-1)) +
                                    " (choose another size or stem)");
    }
    return m_decoder->forward(m_encoder->forward(x), x);
}

namespace {
int64_t convOutput(int64_t in, int64_t kernel, int64_t stride, int64_t padding) {
    return (in + 2 * padding - kernel) / stride + 1;
}
} // namespace

int64_t sequentialFlops(const nn::Sequential& seq, FeatureShape& shape) {
    int64_t flops = 0;
    for (const auto& child : seq->children()) {
        if (auto* conv = dynamic_cast<nn::Conv2dImpl*>(child.get())) {
            const auto& o = conv->options;
            const auto* padding = explicitPadding(o);
            if (padding == nullptr) {
                throw std::logic_error("FLOP count: only explicit convolution padding is handled");
            }
            const int64_t h =
                convOutput(shape.height, (*o.kernel_size())[0], (*o.stride())[0], (**padding)[0]);
            const int64_t w =
                convOutput(shape.width, (*o.kernel_size())[1], (*o.stride())[1], (**padding)[1]);
            flops += 2 * o.out_channels() * (o.in_channels() / o.groups()) * (*o.kernel_size())[0] *
                     (*o.kernel_size())[1] * h * w;
            shape = {o.out_channels(), h, w};
        } else if (auto* up = dynamic_cast<UpConv2dImpl*>(child.get())) {
            // Every input pixel meets the whole kernel once.
            flops += 2 * up->inChannels() * up->outChannels() * up->kernel() * up->kernel() *
                     shape.height * shape.width;
            shape = {up->outChannels(),
                     (shape.height - 1) * up->stride() - 2 * up->padding() + up->kernel(),
                     (shape.width - 1) * up->stride() - 2 * up->padding() + up->kernel()};
        } else if (dynamic_cast<nn::LinearImpl*>(child.get()) != nullptr) {
            throw std::logic_error("FLOP count: a Linear inside a Sequential is not handled");
        }
    }
    return flops;
}

int64_t linearFlops(const nn::Linear& layer) {
    return 2 * layer->options.in_features() * layer->options.out_features();
}

FeatureShape imageShape(const std::vector<int64_t>& sampleShape) {
    const auto n = sampleShape.size();
    if (n < 3) {
        throw std::invalid_argument("FLOP count: a sample shape needs channels, height and width");
    }
    return {sampleShape[n - 3], sampleShape[n - 2], sampleShape[n - 1]};
}

int64_t DecoderImpl::flops(FeatureShape& shape, int64_t skipChannels) const {
    int64_t flops = sequentialFlops(m_up, shape);
    shape.channels += skipChannels;
    return flops + sequentialFlops(m_head, shape);
}

int64_t EncoderDecoderImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    FeatureShape shape = imageShape(sampleShape);
    const int64_t skip = shape.channels;
    const int64_t encoder = m_encoder->flops(shape);
    return encoder + m_decoder->flops(shape, skip);
}

int64_t TaskModelImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    std::vector<int64_t> shape{1};
    shape.insert(shape.end(), sampleShape.begin(), sampleShape.end());
    const auto params = parameters();
    const auto options = params.empty() ? torch::TensorOptions() : params.front().options();
    const bool training = is_training();
    eval();
    {
        torch::NoGradGuard noGrad;
        forward(torch::zeros(shape, options.requires_grad(false)));
    }
    train(training);
    return convFlopsFromLastInputs(*this);
}

int64_t convFlopsFromLastInputs(nn::Module& root) {
    int64_t flops = 0;
    for (const auto& module : root.modules(/*include_self=*/false)) {
        if (auto* conv = dynamic_cast<RoutedConv2dImpl*>(module.get())) {
            const auto& in = conv->lastInputShape();
            if (in.size() != 4) {
                continue;
            }
            const auto& o = conv->options;
            const auto* padding = explicitPadding(o);
            if (padding == nullptr) {
                continue;
            }
            const int64_t kh = (*o.kernel_size())[0], kw = (*o.kernel_size())[1];
            const int64_t h = convOutput(in[2], kh, (*o.stride())[0], (**padding)[0]);
            const int64_t w = convOutput(in[3], kw, (*o.stride())[1], (**padding)[1]);
            // in[0]: the rows one sample became (tiles, frames).
            flops +=
                in[0] * 2 * o.out_channels() * (o.in_channels() / o.groups()) * kh * kw * h * w;
        } else if (auto* up = dynamic_cast<UpConv2dImpl*>(module.get())) {
            const auto& in = up->lastInputShape();
            if (in.size() == 4) {
                flops += in[0] * 2 * up->inChannels() * up->outChannels() * up->kernel() *
                         up->kernel() * in[2] * in[3];
            }
        } else if (auto* linear = dynamic_cast<nn::LinearImpl*>(module.get())) {
            flops += 2 * linear->options.in_features() * linear->options.out_features();
        }
    }
    return flops;
}

int strideSteps(int64_t stride) {
    int steps = 0;
    while ((int64_t{1} << steps) < stride) {
        ++steps;
    }
    return steps;
}

int64_t parameterCount(torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters()) {
        n += p.numel();
    }
    return n;
}

} // namespace pretext
