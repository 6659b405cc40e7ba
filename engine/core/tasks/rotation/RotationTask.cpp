#include "tasks/rotation/RotationTask.h"

#include "tasks/Backbones.h"
#include "tasks/ParamHelpers.h"

#include <torch/torch.h>

namespace pretext {

namespace F = torch::nn::functional;
using Kind = ParamSpec::Kind;

namespace {
const char* const kAngles[] = {"0°", "90°", "180°", "270°"};

// [0,1] images to the network's range, and back.
torch::Tensor toInput(const torch::Tensor& images) {
    return images * 2.0 - 1.0;
}
torch::Tensor fromInput(const torch::Tensor& input) {
    return ((input + 1.0) * 0.5).clamp(0.0, 1.0);
}
} // namespace

RotationTask::RotationTask() {
    m_info.name = "rotation";
    m_info.title = "Rotation";
    m_info.mathIntro = "Each image is turned by 0&deg;, 90&deg;, 180&deg; or 270&deg;; the network "
                       "predicts the turn.";
    m_info.mathForm = "classes";
    m_info.lossFormula = "L = −(1/4) Σ_r log p(r | rot_r(x)), r ∈ {0°, 90°, 180°, 270°}";
    m_info.learningRate = 1e-3;
    m_info.encoderInput = "RGB, each channel in [-1, 1] (x * 2 - 1 for x in [0, 1])";
    m_info.plottedMetrics = {"accuracy"};
    m_info.metricPlotTitle = "Rotation accuracy (chance 25%)";
    m_info.params = {
        spec("base_channels", "Model width", Kind::Int, 8, 128, 32, 8,
             "Channels of the first encoder stage (Gidaris et al. used a NIN and AlexNet)"),
    };
    addBackboneParams(m_info.params);
}

Batch RotationTask::makeBatch(const torch::Tensor& images, BatchContext&) const {
    const int64_t b = images.size(0);
    std::vector<torch::Tensor> turned;
    for (int r = 0; r < kRotations; ++r) {
        turned.push_back(torch::rot90(images, r, {2, 3}));
    }
    Batch batch;
    batch.original = images;
    batch.input = toInput(torch::cat(turned));
    batch.target = torch::arange(kRotations,
                                 torch::TensorOptions().dtype(torch::kLong).device(images.device()))
                       .repeat_interleave(b);
    return batch;
}

std::shared_ptr<TaskModelImpl> RotationTask::makeModel(const ParamValues& p) const {
    return std::make_shared<RotationNetImpl>(encoderOptions(p, 3), kRotations);
}

torch::Tensor RotationTask::objective(const torch::Tensor& output, const Batch& batch,
                                      const ParamValues&) const {
    return F::cross_entropy(output, batch.target);
}

torch::Tensor RotationTask::confusion(const torch::Tensor& logits, const torch::Tensor& target) {
    const auto predicted = logits.argmax(1).to(torch::kCPU);
    const auto cells = target.to(torch::kCPU) * kRotations + predicted;
    return torch::bincount(cells, {}, kRotations * kRotations).view({kRotations, kRotations});
}

LossOutput RotationTask::loss(const torch::Tensor& output, const Batch& batch,
                              const ParamValues& params) const {
    LossOutput out;
    out.loss = objective(output, batch, params);
    torch::NoGradGuard noGrad;
    const auto c = confusion(output, batch.target).to(torch::kDouble);
    const auto perRotation = c.diagonal() / c.sum(1).clamp_min(1.0);
    out.metrics["accuracy"] =
        c.diagonal().sum().item<double>() / std::max(1.0, c.sum().item<double>());
    for (int r = 0; r < kRotations; ++r) {
        out.metrics[std::string("accuracy_") + std::to_string(90 * r)] =
            perRotation[r].item<double>();
    }
    // The confusion matrix off its diagonal (the diagonal is the accuracy per rotation):
    // 90° and 270° taken for each other is another failure than upside down not seen.
    for (int t = 0; t < kRotations; ++t) {
        for (int p = 0; p < kRotations; ++p) {
            if (p != t) {
                out.histogram.push_back(c[t][p].item<double>());
                out.histogramLabels.push_back(std::string(kAngles[t]) + "→" + kAngles[p]);
            }
        }
    }
    out.histogramTitle = "held-out mistakes";
    out.histogramAxis = "true rotation → predicted";
    return out;
}

torch::Tensor RotationTask::probeInput(const torch::Tensor& images, const ParamValues&) const {
    return toInput(images);
}

std::vector<VisualColumn> RotationTask::previewColumns(const Batch& batch) const {
    const auto input = fromInput(batch.input.to(torch::kCPU));
    const int64_t b = batch.original.size(0);
    std::vector<VisualColumn> columns;
    for (int r = 0; r < kRotations; ++r) {
        columns.push_back(
            {std::string("turned ") + kAngles[r] + " (class " + std::to_string(r) + ")",
             input.narrow(0, r * b, b).contiguous()});
    }
    return columns;
}

std::vector<VisualColumn> RotationTask::resultColumns(const Batch& batch,
                                                      const torch::Tensor& output,
                                                      const ParamValues&) const {
    auto columns = previewColumns(batch);
    const auto probs = torch::softmax(output.to(torch::kCPU, torch::kFloat), 1);
    const auto best = probs.argmax(1);
    const int64_t b = batch.original.size(0);
    for (int r = 0; r < kRotations; ++r) {
        columns[r].title = std::string("turned ") + kAngles[r];
        for (int64_t i = 0; i < b; ++i) {
            const int64_t k = r * b + i;
            const int64_t p = best[k].item<int64_t>();
            columns[r].captions.push_back(
                std::string(kAngles[p]) + (p == r ? " ✓ " : " ✗ ") +
                std::to_string(static_cast<int>(std::lround(100 * probs[k][p].item<double>()))) +
                "%");
        }
    }
    return columns;
}

RotationNetImpl::RotationNetImpl(const EncoderOptions& options, int64_t classes) {
    m_encoder = register_module("encoder", Encoder(options));
    m_fc1 = register_module("fc1", torch::nn::Linear(m_encoder->outChannels() * 4, 256));
    m_fc2 = register_module("fc2", torch::nn::Linear(256, classes));
}

torch::Tensor RotationNetImpl::forward(torch::Tensor images) {
    auto features =
        F::adaptive_avg_pool2d(m_encoder->forward(images), F::AdaptiveAvgPool2dFuncOptions(2))
            .flatten(1);
    return m_fc2->forward(torch::relu(m_fc1->forward(features)));
}

int64_t RotationNetImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    FeatureShape image = imageShape(sampleShape);
    return m_encoder->flops(image) + linearFlops(m_fc1) + linearFlops(m_fc2);
}

std::vector<std::string> RotationTask::classLabels(const Batch& /*batch*/, int64_t classes) const {
    std::vector<std::string> labels;
    for (int64_t k = 0; k < classes; ++k) {
        labels.push_back(std::to_string(90 * k) + "°");
    }
    return labels;
}

} // namespace pretext
