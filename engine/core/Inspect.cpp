#include "Inspect.h"

#include <torch/torch.h>

#include <cmath>

namespace pretext {

namespace F = torch::nn::functional;

const char* lossFormName(LossForm form) {
    switch (form) {
    case LossForm::MaskedMse:
        return "masked-mse";
    case LossForm::Mse:
        return "mse";
    case LossForm::SoftClasses:
        return "soft-classes";
    case LossForm::Classes:
        return "classes";
    case LossForm::Positions:
        return "positions";
    case LossForm::Binary:
        return "binary";
    case LossForm::None:
        break;
    }
    return "none";
}

namespace {

// A few entries of one sample spread over `where` (a bool mask of its entries, C,H,W).
std::vector<int64_t> spreadEntries(const torch::Tensor& where, int count) {
    auto flat = where.reshape({-1}).nonzero().flatten();
    std::vector<int64_t> picked;
    const int64_t n = flat.size(0);
    for (int i = 0; i < count && n > 0; ++i) {
        const int64_t k = (2 * i + 1) * n / (2 * count);
        picked.push_back(flat[std::min(k, n - 1)].item<int64_t>());
    }
    return picked;
}

// Puts the model in train mode (batch statistics, as training computes the loss) and,
// on leaving, its running statistics and mode back as they were.
class TrainModeKeepingStats {
public:
    explicit TrainModeKeepingStats(torch::nn::Module& model)
        : m_model(model), m_wasTraining(model.is_training()) {
        torch::NoGradGuard noGrad;
        for (const auto& b : model.buffers()) {
            m_buffers.push_back(b.detach().clone());
        }
        model.train();
    }
    ~TrainModeKeepingStats() {
        torch::NoGradGuard noGrad;
        size_t i = 0;
        for (auto& b : m_model.buffers()) {
            b.copy_(m_buffers[i++]);
        }
        m_model.train(m_wasTraining);
    }
    TrainModeKeepingStats(const TrainModeKeepingStats&) = delete;
    TrainModeKeepingStats& operator=(const TrainModeKeepingStats&) = delete;

private:
    torch::nn::Module& m_model;
    bool m_wasTraining;
    std::vector<torch::Tensor> m_buffers;
};

// Sample s of a batch whose per-sample tensors all have `rows` rows (the image tasks).
Batch sliceBatch(const Batch& batch, int64_t s, int64_t rows) {
    auto cut = [&](const torch::Tensor& t) {
        return t.defined() && t.dim() > 0 && t.size(0) == rows ? t.narrow(0, s, 1) : t;
    };
    Batch out{cut(batch.original), cut(batch.input), cut(batch.target), cut(batch.mask), {}};
    for (const auto& [name, tensor] : batch.extras) {
        out.extras[name] = cut(tensor);
    }
    return out;
}

std::string permutationCaption(const torch::Tensor& perm) {
    std::string s = "π =";
    for (int64_t i = 0; i < perm.size(0); ++i) {
        s += " " + std::to_string(perm[i].item<int64_t>());
    }
    return s;
}

} // namespace

ClosedForm genericClosedForm(const torch::Tensor& output, const Batch& batch) {
    ClosedForm c;
    if (batch.extras.count("positions")) {
        c.form = LossForm::Binary;
        c.count = static_cast<double>(output.numel());
        auto y = batch.target.to(torch::kFloat).view(output.sizes());
        c.gradient = (torch::sigmoid(output) - y) / c.count;
    } else if (output.dim() == 3 && batch.extras.count("perms")) {
        c.form = LossForm::Positions;
        c.count = static_cast<double>(output.size(0));
        auto onehot = F::one_hot(batch.extras.at("perms"), output.size(2)).to(torch::kFloat);
        c.gradient = (torch::softmax(output, 2) - onehot) / c.count;
    } else if (output.dim() == 2 && batch.target.defined() &&
               batch.target.scalar_type() == torch::kLong) {
        // Cross-entropy's ∂/∂logits = (softmax − one-hot) / rows.
        c.form = LossForm::Classes;
        c.count = static_cast<double>(output.size(0));
        auto onehot = F::one_hot(batch.target, output.size(1)).to(torch::kFloat);
        c.gradient = (torch::softmax(output, 1) - onehot) / c.count;
    }
    return c;
}

ClosedForm maskedMseClosedForm(const torch::Tensor& output, const torch::Tensor& target,
                               const torch::Tensor& weight) {
    // ∂/∂x̂ of Σ w (x̂ − x)² / Σ w is 2 w (x̂ − x) / Σ w.
    ClosedForm c;
    c.form = LossForm::MaskedMse;
    const auto total = weight.sum().clamp_min(1.0);
    c.gradient = 2.0 * weight * (output - target) / total;
    c.count = total.item<double>();
    return c;
}

ClosedForm mseClosedForm(const torch::Tensor& output, const torch::Tensor& target) {
    ClosedForm c;
    c.form = LossForm::Mse;
    c.count = static_cast<double>(output.numel());
    c.gradient = 2.0 * (output - target) / c.count;
    return c;
}

ClosedForm closedFormGradient(const Task& task, const torch::Tensor& outputIn, const Batch& batch,
                              const ParamValues& params) {
    torch::NoGradGuard noGrad;
    return task.closedForm(outputIn.detach().to(torch::kFloat), batch, params);
}

GradientInspection inspectGradient(const Task& task, const torch::Tensor& outputIn,
                                   const torch::Tensor& autogradIn, const Batch& batch,
                                   const ParamValues& params, int64_t sample) {
    torch::NoGradGuard noGrad;
    const auto output = outputIn.detach();
    const auto autograd = autogradIn.detach().to(torch::kFloat);
    const ClosedForm closed = closedFormGradient(task, output, batch, params);
    GradientInspection in;
    in.task = task.info().name;
    in.form = closed.form;
    in.count = closed.count;
    in.rows = output.size(0);
    in.sample = std::max<int64_t>(0, std::min(sample, in.rows - 1));
    in.loss = task.objective(output, batch, params).item<double>();
    in.maxAbsGradient = autograd.abs().max().item<double>();
    if (closed.gradient.defined()) {
        in.maxAbsDifference = (autograd - closed.gradient).abs().max().item<double>();
    }
    const int64_t s = in.sample;
    const auto out = output.to(torch::kCPU, torch::kFloat);
    const auto grad = autograd.to(torch::kCPU);
    const auto closedCpu =
        closed.gradient.defined() ? closed.gradient.to(torch::kCPU) : closed.gradient;

    if (closed.form == LossForm::MaskedMse || closed.form == LossForm::Mse ||
        closed.form == LossForm::SoftClasses) {
        // The columns of the one sample shown (the image tasks' tensors are all per sample).
        in.columns =
            task.resultColumns(sliceBatch(batch, s, in.rows), output.narrow(0, s, 1), params);
        in.gradientMap = grad[s].abs().sum(0).contiguous();
        if (closed.form != LossForm::SoftClasses) {
            const auto target = batch.target.to(torch::kCPU, torch::kFloat)[s];
            const auto where = closed.form == LossForm::MaskedMse
                                   ? (batch.mask.to(torch::kCPU)[s] < 0.5).expand_as(out[s])
                                   : torch::ones_like(out[s], torch::kBool);
            const int64_t h = out.size(2), w = out.size(3);
            for (int64_t flat : spreadEntries(where, 4)) {
                const int64_t ch = flat / (h * w), y = flat / w % h, x = flat % w;
                in.entries.push_back(
                    {"c" + std::to_string(ch) + " (" + std::to_string(y) + "," + std::to_string(x) +
                         ")",
                     out[s][ch][y][x].item<double>(), target[ch][y][x].item<double>(),
                     grad[s][ch][y][x].item<double>(), closedCpu[s][ch][y][x].item<double>()});
            }
        }
        return in;
    }

    if (closed.form == LossForm::Classes) {
        const auto p = torch::softmax(out, 1);
        const auto target = batch.target.to(torch::kCPU);
        const auto pTrue = p.gather(1, target.unsqueeze(1)).squeeze(1);
        in.trueClass = target[s].item<int64_t>();
        in.probabilities.assign(p[s].data_ptr<float>(), p[s].data_ptr<float>() + p.size(1));
        in.labels = task.classLabels(batch, p.size(1));
        in.trueProbability = pTrue[s].item<double>();
        in.meanTrueProbability = pTrue.mean().item<double>();
        in.meanNegLogTrue = -pTrue.clamp_min(1e-30).log().mean().item<double>();
        if (batch.extras.count("table")) {
            in.truthCaption =
                permutationCaption(batch.extras.at("table").to(torch::kCPU)[in.trueClass]);
        } else if (batch.extras.count("class_orders")) {
            in.truthCaption = "order " + in.labels[in.trueClass];
        }
    } else if (closed.form == LossForm::Positions) {
        // Each position's probability of its true tile (or frame); their product is the
        // probability of the whole true permutation under the factorised head.
        const auto perms = batch.extras.at("perms").to(torch::kCPU);
        const auto pTrue = torch::softmax(out, 2).gather(2, perms.unsqueeze(2)).squeeze(2); // (B,T)
        const auto joint = pTrue.clamp_min(1e-30).log().sum(1);
        in.probabilities.assign(pTrue[s].data_ptr<float>(),
                                pTrue[s].data_ptr<float>() + pTrue.size(1));
        for (int64_t i = 0; i < pTrue.size(1); ++i) {
            in.labels.push_back("pos " + std::to_string(i));
        }
        in.trueProbability = joint[s].exp().item<double>();
        in.meanTrueProbability = joint.exp().mean().item<double>();
        in.meanNegLogTrue = -joint.mean().item<double>();
        in.truthCaption = permutationCaption(perms[s]);
    } else if (closed.form == LossForm::Binary) {
        const auto p = torch::sigmoid(out.view({-1}));
        const auto y = batch.target.to(torch::kCPU, torch::kFloat).view({-1});
        const auto pTrue = y * p + (1.0 - y) * (1.0 - p);
        in.probabilities = {1.0 - p[s].item<double>(), p[s].item<double>()};
        in.labels = {"out of order", "in order"};
        in.trueClass = y[s].item<double>() > 0.5 ? 1 : 0;
        in.trueProbability = pTrue[s].item<double>();
        in.meanTrueProbability = pTrue.mean().item<double>();
        in.meanNegLogTrue = -pTrue.clamp_min(1e-30).log().mean().item<double>();
    }
    if (in.trueProbability > 0.0) {
        in.negLogTrue = -std::log(in.trueProbability);
    } else if (!in.probabilities.empty()) {
        in.negLogTrue = INFINITY;
    }
    return in;
}

GradientInspection inspectBatch(const Task& task, TaskModelImpl& model, const Batch& batch,
                                const ParamValues& params, int64_t sample) {
    torch::Tensor output;
    torch::Tensor grad;
    {
        TrainModeKeepingStats mode(model);
        output = model.forward(batch.input);
        auto loss = task.objective(output, batch, params);
        grad = torch::autograd::grad({loss}, {output})[0];
    }
    return inspectGradient(task, output, grad, batch, params, sample);
}

double batchLoss(const Task& task, TaskModelImpl& model, const Batch& batch,
                 const ParamValues& params) {
    torch::NoGradGuard noGrad;
    TrainModeKeepingStats mode(model);
    return task.objective(model.forward(batch.input), batch, params).item<double>();
}

LayerGroups groupByLayer(torch::nn::Module& model) {
    LayerGroups groups;
    for (const auto& item : model.named_parameters()) {
        const std::string& key = item.key();
        const auto dot = key.rfind('.');
        const std::string layer = dot == std::string::npos ? key : key.substr(0, dot);
        if (groups.names.empty() || groups.names.back() != layer) {
            groups.names.push_back(layer);
            groups.parameters.emplace_back();
            groups.weighted.push_back(false);
        }
        groups.parameters.back().push_back(item.value());
        if (item.value().dim() >= 2) {
            groups.weighted.back() = true;
        }
    }
    return groups;
}

std::vector<std::string> LayerGroups::weightedNames() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (weighted[i]) {
            out.push_back(names[i]);
        }
    }
    return out;
}

std::vector<double> layerGradientNorms(const LayerGroups& layers) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> norms;
    for (size_t g = 0; g < layers.parameters.size(); ++g) {
        if (!layers.weighted[g]) {
            continue;
        }
        const auto& group = layers.parameters[g];
        torch::Tensor sum;
        for (const auto& p : group) {
            if (p.grad().defined()) {
                auto sq = p.grad().to(torch::kFloat).pow(2).sum();
                sum = sum.defined() ? sum + sq : sq;
            }
        }
        norms.push_back(sum.defined()
                            ? sum.sqrt()
                            : torch::zeros({}, group.front().options().dtype(torch::kFloat)));
    }
    std::vector<double> out;
    if (norms.empty()) {
        return out;
    }
    const auto all = torch::stack(norms).to(torch::kCPU, torch::kDouble).contiguous();
    out.assign(all.data_ptr<double>(), all.data_ptr<double>() + all.numel());
    return out;
}

std::vector<torch::Tensor> copyParameters(const LayerGroups& layers) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> copy;
    for (const auto& group : layers.parameters) {
        for (const auto& p : group) {
            copy.push_back(p.detach().clone());
        }
    }
    return copy;
}

std::pair<double, double> updateSize(const LayerGroups& layers,
                                     const std::vector<torch::Tensor>& before) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> change;
    std::vector<torch::Tensor> size;
    size_t i = 0;
    for (const auto& group : layers.parameters) {
        for (const auto& p : group) {
            if (i >= before.size()) {
                break;
            }
            change.push_back((p.detach() - before[i]).to(torch::kFloat).pow(2).sum());
            size.push_back(before[i].to(torch::kFloat).pow(2).sum());
            ++i;
        }
    }
    if (change.empty()) {
        return {0.0, 0.0};
    }
    return {torch::stack(change).sum().sqrt().item<double>(),
            torch::stack(size).sum().sqrt().item<double>()};
}

} // namespace pretext
