#pragma once
// The residual networks of He et al. (2016) as torchvision builds them (ResNet v1.5:
// the stride of a bottleneck on its 3x3 convolution), module for module and name for
// name, so that an encoder's state dict is a torchvision state dict without `fc.*`.
// A "small input" stem (a 3x3 stride-1 first convolution and no max-pool, as used for
// CIFAR-size images) keeps the maps of small images large enough to learn from.
#include "Layers.h"
#include "dist/SyncBatchNorm.h"

#include <torch/nn.h>

#include <string>
#include <vector>

namespace pretext {

class BasicBlockImpl : public torch::nn::Module {
public:
    static constexpr int64_t kExpansion = 1;
    BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride);
    torch::Tensor forward(torch::Tensor x);

private:
    RoutedConv2d conv1{nullptr}, conv2{nullptr};
    SyncableBatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

class BottleneckImpl : public torch::nn::Module {
public:
    static constexpr int64_t kExpansion = 4;
    BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride);
    torch::Tensor forward(torch::Tensor x);

private:
    RoutedConv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    SyncableBatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

struct ResNetSpec {
    std::vector<int64_t> blocks; // per stage (layer1..layer4)
    bool bottleneck = false;
};

// The modules of a ResNet without its classifier, registered on `owner` under
// torchvision's names (conv1, bn1, layer1..layer4); the caller runs them.
struct ResNetParts {
    RoutedConv2d conv1{nullptr};
    SyncableBatchNorm2d bn1{nullptr};
    bool maxPool = true;
    std::vector<torch::nn::Sequential> layers;
    std::vector<int64_t> stageChannels; // output channels of layer1..layer4
    int64_t outputStride = 32;          // input size / last map size
};
ResNetParts addResNet(torch::nn::Module& owner, const ResNetSpec& spec, int64_t inChannels,
                      bool smallInputStem);

// conv1, bn1, relu and (ImageNet stem) max-pool.
torch::Tensor resnetStem(ResNetParts& parts, const torch::Tensor& x);

} // namespace pretext
