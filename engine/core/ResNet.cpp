#include "ResNet.h"

namespace pretext {

namespace nn = torch::nn;

namespace {
RoutedConv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding) {
    return RoutedConv2d(
        nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

// torchvision's: a 1x1 convolution and batch norm on the shortcut where the shape changes.
nn::Sequential shortcut(int64_t in, int64_t out, int64_t stride) {
    if (stride == 1 && in == out) {
        return nullptr;
    }
    return nn::Sequential(conv(in, out, 1, stride, 0), SyncableBatchNorm2d(out));
}

// torchvision's initialisation: He normal (fan out) for the convolutions, BN at 1 and 0.
void initialise(nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& m : module.modules(/*include_self=*/false)) {
        if (auto* c = dynamic_cast<nn::Conv2dImpl*>(m.get())) {
            nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
        } else if (auto* bn = dynamic_cast<SyncableBatchNorm2dImpl*>(m.get())) {
            nn::init::ones_(bn->weight);
            nn::init::zeros_(bn->bias);
        }
    }
}
} // namespace

BasicBlockImpl::BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", conv(inPlanes, planes, 3, stride, 1));
    bn1 = register_module("bn1", SyncableBatchNorm2d(planes));
    conv2 = register_module("conv2", conv(planes, planes, 3, 1, 1));
    bn2 = register_module("bn2", SyncableBatchNorm2d(planes));
    if (auto s = shortcut(inPlanes, planes * kExpansion, stride)) {
        downsample = register_module("downsample", s);
    }
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
    auto out = torch::relu(bn1->forward(conv1->forward(x)));
    out = bn2->forward(conv2->forward(out));
    out += downsample ? downsample->forward(x) : x;
    return torch::relu(out);
}

BottleneckImpl::BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", conv(inPlanes, planes, 1, 1, 0));
    bn1 = register_module("bn1", SyncableBatchNorm2d(planes));
    conv2 = register_module("conv2", conv(planes, planes, 3, stride, 1));
    bn2 = register_module("bn2", SyncableBatchNorm2d(planes));
    conv3 = register_module("conv3", conv(planes, planes * kExpansion, 1, 1, 0));
    bn3 = register_module("bn3", SyncableBatchNorm2d(planes * kExpansion));
    if (auto s = shortcut(inPlanes, planes * kExpansion, stride)) {
        downsample = register_module("downsample", s);
    }
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x) {
    auto out = torch::relu(bn1->forward(conv1->forward(x)));
    out = torch::relu(bn2->forward(conv2->forward(out)));
    out = bn3->forward(conv3->forward(out));
    out += downsample ? downsample->forward(x) : x;
    return torch::relu(out);
}

ResNetParts addResNet(nn::Module& owner, const ResNetSpec& spec, int64_t inChannels,
                      bool smallInputStem) {
    ResNetParts parts;
    parts.maxPool = !smallInputStem;
    parts.conv1 = owner.register_module("conv1", smallInputStem ? conv(inChannels, 64, 3, 1, 1)
                                                                : conv(inChannels, 64, 7, 2, 3));
    parts.bn1 = owner.register_module("bn1", SyncableBatchNorm2d(64));
    const int64_t expansion =
        spec.bottleneck ? BottleneckImpl::kExpansion : BasicBlockImpl::kExpansion;
    int64_t in = 64;
    int64_t stride = smallInputStem ? 1 : 4;
    for (size_t s = 0; s < spec.blocks.size(); ++s) {
        const int64_t planes = int64_t{64} << s;
        const int64_t first = s == 0 ? 1 : 2;
        nn::Sequential layer;
        for (int64_t b = 0; b < spec.blocks[s]; ++b) {
            if (spec.bottleneck) {
                layer->push_back(Bottleneck(in, planes, b == 0 ? first : 1));
            } else {
                layer->push_back(BasicBlock(in, planes, b == 0 ? first : 1));
            }
            in = planes * expansion;
        }
        stride *= first;
        parts.layers.push_back(owner.register_module("layer" + std::to_string(s + 1), layer));
        parts.stageChannels.push_back(in);
    }
    parts.outputStride = stride;
    initialise(owner);
    return parts;
}

torch::Tensor resnetStem(ResNetParts& parts, const torch::Tensor& x) {
    auto y = torch::relu(parts.bn1->forward(parts.conv1->forward(x)));
    if (parts.maxPool) {
        y = torch::max_pool2d(y, {3, 3}, {2, 2}, {1, 1});
    }
    return y;
}

} // namespace pretext
