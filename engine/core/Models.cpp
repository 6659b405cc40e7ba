#include "Models.h"

namespace pretext {

namespace nn = torch::nn;

namespace {
// Appends a stride-2 downsampling conv followed by a 3x3 conv at the new resolution.
// (Sequentials are kept flat: a Sequential cannot hold another one in LibTorch.)
void addDownStage(nn::Sequential& seq, int64_t in, int64_t out) {
    seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1)));
    seq->push_back(nn::BatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
    seq->push_back(nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1)));
    seq->push_back(nn::BatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
}

void addUpStage(nn::Sequential& seq, int64_t in, int64_t out) {
    seq->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1)));
    seq->push_back(nn::BatchNorm2d(out));
    seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
}
} // namespace

EncoderImpl::EncoderImpl(const EncoderOptions& options)
    : m_options(options), m_outChannels(options.baseChannels * 4) {
    const int64_t b = options.baseChannels;
    nn::Sequential layers;
    addDownStage(layers, options.inChannels, b);
    addDownStage(layers, b, 2 * b);
    addDownStage(layers, 2 * b, 4 * b);
    m_layers = register_module("layers", layers);
}

torch::Tensor EncoderImpl::forward(torch::Tensor x) { return m_layers->forward(x); }

DecoderImpl::DecoderImpl(int64_t inChannels, int64_t baseChannels, int64_t outChannels,
                         int64_t skipChannels, OutputActivation activation) {
    const int64_t b = baseChannels;
    nn::Sequential up;
    addUpStage(up, inChannels, 2 * b);
    addUpStage(up, 2 * b, b);
    // Full resolution is where the work is (64x64 at the default size): half the
    // channels there keep the step cheap.
    const int64_t full = std::max<int64_t>(8, b / 2);
    addUpStage(up, b, full);
    m_up = register_module("up", up);
    nn::Sequential head;
    head->push_back(nn::Conv2d(nn::Conv2dOptions(full + skipChannels, full, 3).padding(1)));
    head->push_back(nn::ReLU(nn::ReLUOptions(true)));
    head->push_back(nn::Conv2d(nn::Conv2dOptions(full, outChannels, 3).padding(1)));
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
    m_decoder = register_module(
        "decoder", Decoder(m_encoder->outChannels(), options.baseChannels, outChannels,
                           options.inChannels, activation));
}

torch::Tensor EncoderDecoderImpl::forward(torch::Tensor x) {
    return m_decoder->forward(m_encoder->forward(x), x);
}

int64_t parameterCount(torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters()) {
        n += p.numel();
    }
    return n;
}

} // namespace pretext
