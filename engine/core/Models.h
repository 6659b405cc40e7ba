#pragma once
// Networks shared by the pretext tasks. The Encoder is the reusable part: every
// task puts its own head on it, and the linear probe later freezes it.
#include "ResNet.h"

#include <functional>
#include <optional>
#include <string>
#include <torch/nn.h>
#include <vector>

namespace pretext {

// Shape of one sample, channels and size, as it passes through a network.
struct FeatureShape {
    int64_t channels = 0;
    int64_t height = 0;
    int64_t width = 0;
};

// Floating-point operations of a forward pass, counting each multiply-add of the
// convolutions and linear layers as two (the usual convention; normalization,
// activations and pooling are left out). A flat Sequential advances `shape`.
int64_t sequentialFlops(const torch::nn::Sequential& seq, FeatureShape& shape);
int64_t linearFlops(const torch::nn::Linear& layer);

// The encoders a task can put its head on: the program's own small one, or a ResNet
// (ResNet.h) with torchvision's architecture and parameter names.
enum class Backbone { Small, ResNet18, ResNet34, ResNet50 };
// "small", "resnet18", "resnet34", "resnet50": the names of the `backbone` choice, in order.
const std::vector<std::string>& backboneNames();
std::optional<Backbone> parseBackbone(const std::string& name);
std::string backboneName(Backbone backbone);

struct EncoderOptions {
    Backbone backbone = Backbone::Small;
    int64_t inChannels = 3;
    int64_t baseChannels = 32; // small: doubles at each of the three stride-2 stages
    // ResNets: a 3x3 stride-1 first convolution and no max-pool (output stride 8), else
    // torchvision's 7x7 stride-2 convolution and max-pool (output stride 32).
    bool smallInputStem = true;
    // On the CPU, run in channels-last (NHWC) layout: oneDNN then needs no layout
    // conversion around each convolution and batch norm vectorizes over channels,
    // which pays off on many small maps (tiles, video frames) and costs on few large
    // ones (docs/performance.md).
    bool channelsLast = false;
};

// The encoder every task puts its head on, (B, in, S, S) -> (B, outChannels, S/stride,
// S/stride). Small: three stride-2 stages, 4*base channels out, stride 8. ResNet: its
// four layers are the stages, their modules registered here under torchvision's names.
class EncoderImpl : public torch::nn::Module {
public:
    explicit EncoderImpl(const EncoderOptions& options);
    torch::Tensor forward(torch::Tensor x);
    // The output of each stage (what the linear probe reads), in order.
    std::vector<torch::Tensor> stageOutputs(torch::Tensor x);
    int stageCount() const { return static_cast<int>(m_stageChannels.size()); }
    int64_t stageChannels(int stage) const { return m_stageChannels.at(stage); }
    // Forward FLOPs of one sample of `shape`, which becomes the output's shape.
    int64_t flops(FeatureShape& shape);
    int64_t outChannels() const { return m_stageChannels.back(); }
    int64_t inChannels() const { return m_options.inChannels; }
    int64_t outputStride() const { return m_outputStride; }
    const EncoderOptions& options() const { return m_options; }
    // The encoder's own CPU channels-last conversion of its input, on or off (the trainer's
    // channels-last setting overrides the task's choice).
    void setChannelsLast(bool on) { m_options.channelsLast = on; }
    // "resnet18 (small-input stem)", for a person.
    std::string describe() const;
    // The stage (1-based) a parameter or buffer of this encoder belongs to, by its name in
    // the encoder's state dict; 0 for the stem before the first stage.
    int stageOf(const std::string& name) const;
    // A tap on the last stage's output, in forward() and stageOutputs(): called with it,
    // what it returns flows on (Grad-CAM keeps the activations and their gradient). An
    // empty function removes it.
    using Tap = std::function<torch::Tensor(const torch::Tensor&)>;
    void setLastStageTap(Tap tap) { m_tap = std::move(tap); }

private:
    torch::Tensor layout(torch::Tensor x) const;

    EncoderOptions m_options;
    std::vector<int64_t> m_stageChannels;
    int64_t m_outputStride = 8;
    torch::nn::Sequential m_layers{nullptr}; // small
    std::optional<ResNetParts> m_resnet;
    Tap m_tap;
};
TORCH_MODULE(Encoder);

// Mirrors the encoder with transposed convolutions back to full size. The network's
// own input joins at full resolution before the last convolutions (a single skip),
// so visible pixels next to a hole reach the output directly and the bottleneck
// only has to carry what must be inferred. Output through a sigmoid, in [0,1]
// (images), or a tanh, in [-1,1] (signed targets such as scaled ab).
enum class OutputActivation { Sigmoid, Tanh };

class DecoderImpl : public torch::nn::Module {
public:
    // `upStages` stride-2 transposed convolutions undo the encoder's output stride.
    DecoderImpl(int64_t inChannels, int64_t baseChannels, int64_t outChannels, int64_t skipChannels,
                OutputActivation activation = OutputActivation::Sigmoid, int upStages = 3);
    torch::Tensor forward(torch::Tensor features, torch::Tensor skip);
    int64_t flops(FeatureShape& shape, int64_t skipChannels) const;

private:
    torch::nn::Sequential m_up{nullptr};
    torch::nn::Sequential m_head{nullptr};
};
TORCH_MODULE(Decoder);

// What every task's model is: an encoder plus a task head behind one forward().
class TaskModelImpl : public torch::nn::Module {
public:
    virtual torch::Tensor forward(torch::Tensor x) = 0;
    virtual Encoder encoder() = 0;
    // Forward-pass FLOPs of one sample of this input shape (without the batch axis), for
    // the benchmark. By default one sample is run through the model (eval mode, no
    // gradients, the mode restored) and its convolutions are counted from the inputs they
    // saw (all the rows one sample became: tiles, frames), each linear layer once; a
    // model whose linear layers run on several rows per sample counts itself.
    virtual int64_t forwardFlops(const std::vector<int64_t>& sampleShape);
};

class EncoderDecoderImpl : public TaskModelImpl {
public:
    EncoderDecoderImpl(const EncoderOptions& options, int64_t outChannels,
                       OutputActivation activation = OutputActivation::Sigmoid);
    torch::Tensor forward(torch::Tensor x) override;
    Encoder encoder() override { return m_encoder; }
    int64_t forwardFlops(const std::vector<int64_t>& sampleShape) override;

private:
    Encoder m_encoder{nullptr};
    Decoder m_decoder{nullptr};
};

int64_t parameterCount(torch::nn::Module& module);

// How many stride-2 steps make `stride` (a power of two).
int strideSteps(int64_t stride);

// FLOPs of the routed convolutions from the inputs they last saw (RoutedLayer).
int64_t convFlopsFromLastInputs(torch::nn::Module& module);

// (C, H, W) from the last three sizes of a sample shape.
FeatureShape imageShape(const std::vector<int64_t>& sampleShape);

} // namespace pretext
