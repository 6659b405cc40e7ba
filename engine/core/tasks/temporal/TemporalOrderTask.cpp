#include "tasks/temporal/TemporalOrderTask.h"

#include "tasks/Backbones.h"
#include "tasks/ParamHelpers.h"
#include "tasks/PerSample.h"

#include <torch/torch.h>

#include <iomanip>
#include <sstream>

namespace pretext {

namespace F = torch::nn::functional;
using Kind = ParamSpec::Kind;

namespace {
constexpr int kVerifyFrames = 5; // a < b < c < d < e

bool isVerify(const ParamValues& p) {
    return intValue(p, "variant", 1) == static_cast<int>(TemporalVariant::Verify);
}

// Frames a tuple is drawn from: five for verification, T for order prediction.
int framesPerTuple(const ParamValues& p) {
    return isVerify(p) ? kVerifyFrames : intValue(p, "frames", 4);
}

// Each frame minus the tuple's mean frame: what stays still (the background) cancels
// and what moved stands out. The mean does not depend on the order, so it tells
// nothing about it.
torch::Tensor centred(const torch::Tensor& frames) {
    return frames - frames.mean(1, true);
}

ParamSpec onlyWhen(ParamSpec spec, const char* other, double value) {
    spec.onlyWhen = other;
    spec.onlyWhenValue = value;
    return spec;
}

ParamSpec onlyForSort(ParamSpec spec) {
    return onlyWhen(std::move(spec), "variant", static_cast<double>(TemporalVariant::Sort));
}

std::string percent(double v) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << 100.0 * v << "%";
    return out.str();
}
} // namespace

TemporalOrderTask::TemporalOrderTask() {
    m_info.name = "temporal-order";
    m_info.title = "Temporal order";
    m_info.mathIntro = "Frames of a video are shuffled; the network predicts their order (or "
                       "verifies whether they are in order).";
    m_info.mathForm = "classes";
    m_info.lossFormula =
        "verify: binary cross-entropy on 'in order'; sort: L = −log p(class of π | "
        "X^π) over T!/2 classes, position head: L = −Σₜ log p(π⁻¹ₜ | X^π)";
    m_info.learningRate = 1e-3;
    m_info.plottedMetrics = {"accuracy"};
    m_info.metricPlotTitle = "Accuracy";
    m_info.video = true;
    m_info.encoderInput = "RGB frames in [0, 1]; with centre on (the default), minus the clip's "
                          "mean frame (a still image: minus its own mean colour)";
    m_info.params = {
        choiceSpec("variant", "Variant", {"verify", "sort"}, 1,
                   "verify: are three frames in order? (Misra et al.) sort: the order of T "
                   "shuffled frames (Lee et al.)"),
        onlyForSort(
            spec("frames", "Frames T", Kind::Int, 3, 4, 4, 1,
                 "Frames per shuffled sequence: T!/2 classes (3 for T = 3, 12 for T = 4; Lee "
                 "et al.'s OPN sorts 4)")),
        onlyForSort(choiceSpec("head", "Head", {"classes", "position"}, 0,
                               "classes: one per order, an order and its reverse together (T!/2); "
                               "position: one softmax per position over the frames (the seed's "
                               "formula; forward and backward then differ)")),
        spec("spacing", "Frame spacing", Kind::Int, 1, 8, 2, 1,
             "Video frames (after the stride) between consecutive frames of a tuple"),
        choiceSpec("motion_filter", "Motion filter", {"relative", "absolute"}, 0,
                   "Shuffle and Learn samples tuples where there is motion. relative: each "
                   "video keeps its own most-moving windows (works on any video); absolute: "
                   "the windows above a fixed threshold"),
        onlyWhen(spec("motion_keep", "Windows kept", Kind::Real, 0.05, 1.0, 0.5, 0.05,
                      "Fraction of each video's windows kept, those that move most (0.5: "
                      "the top half of its own motion distribution; 1: every window that "
                      "moves at all)"),
                 "motion_filter", 0),
        onlyWhen(spec("min_motion", "Min. motion", Kind::Real, 0.0, 20.0, 1.0, 0.1,
                      "Windows whose mean motion is below this are not used. Difference: "
                      "mean |Δ| in % of full scale; flow: pixels per frame"),
                 "motion_filter", 1),
        choiceSpec("motion", "Motion measure", {"difference", "flow"}, 0,
                   "difference: mean absolute frame difference; flow: mean optical flow "
                   "magnitude (OpenCV Farnebäck, computed when the video loads)"),
        choiceSpec("centre", "Subtract mean frame", {"off", "on"}, 1,
                   "Each frame minus the tuple's mean frame, so the still background cancels and "
                   "what moved stands out; without it the network first has to learn to ignore "
                   "the background, which takes many more steps"),
        spec("base_channels", "Model width", Kind::Int, 8, 128, 16, 8,
             "Channels of the first encoder stage (four frames per sample go through it; Misra "
             "et al. ran a CaffeNet per frame)"),
    };
    addBackboneParams(m_info.params);
}

WindowSpec TemporalOrderTask::windows(const ParamValues& p) const {
    WindowSpec w;
    w.length = static_cast<int64_t>(framesPerTuple(p) - 1) * intValue(p, "spacing", 2) + 1;
    w.relative = intValue(p, "motion_filter", 0) == 0;
    w.keep = value(p, "motion_keep", 0.5);
    w.minMotion = value(p, "min_motion", 1.0);
    w.motion = intValue(p, "motion", 0) == 1 ? kMotionFlow : kMotionDifference;
    return w;
}

Batch TemporalOrderTask::makeBatch(const torch::Tensor& clips, BatchContext& ctx) const {
    if (clips.dim() != 5) {
        throw std::invalid_argument("temporal order needs clips of video frames (B, L, 3, S, S)");
    }
    const int k = framesPerTuple(ctx.params);
    const int64_t spacing = intValue(ctx.params, "spacing", 2), b = clips.size(0);
    const int64_t needed = (k - 1) * spacing + 1;
    if (clips.size(1) < needed) {
        throw std::invalid_argument("clips of " + std::to_string(clips.size(1)) +
                                    " frames are too short for " + std::to_string(k) + " frames " +
                                    std::to_string(spacing) + " apart");
    }
    auto offsets = torch::arange(k, torch::kLong).mul(spacing).unsqueeze(0).expand({b, k});
    const bool centre = intValue(ctx.params, "centre", 1) != 0;
    Batch batch;
    batch.extras["ordered"] = takePerSample(clips, offsets);
    batch.original = clips.select(1, 0);
    if (isVerify(ctx.params)) {
        VerifyTuples t = sampleVerifyTuples(b, ctx.generator);
        batch.extras["shown"] = takePerSample(batch.extras["ordered"], t.positions);
        batch.input = centre ? centred(batch.extras["shown"]) : batch.extras["shown"];
        batch.target = t.inOrder.to(clips.device());
        batch.extras["positions"] = t.positions.to(clips.device());
        return batch;
    }
    const OrderClasses& classes = orderClasses(k);
    SortTuples t = sampleSortTuples(b, classes, ctx.generator);
    batch.extras["shown"] = takePerSample(batch.extras["ordered"], t.perms);
    batch.input = centre ? centred(batch.extras["shown"]) : batch.extras["shown"];
    batch.target = t.classes.to(clips.device());
    batch.extras["perms"] = t.perms.to(clips.device());
    std::vector<int64_t> flat;
    for (const auto& r : classes.representatives) {
        flat.insert(flat.end(), r.begin(), r.end());
    }
    batch.extras["class_orders"] =
        torch::tensor(flat, torch::kLong).view({classes.classCount(), k}).to(clips.device());
    return batch;
}

std::shared_ptr<TaskModelImpl> TemporalOrderTask::makeModel(const ParamValues& p) const {
    EncoderOptions options = encoderOptions(p, 3, 16);
    options.channelsLast = true; // many small images: see EncoderOptions
    if (isVerify(p)) {
        return std::make_shared<TemporalNetImpl>(options, 3, 1, false, false);
    }
    const int t = intValue(p, "frames", 4);
    const bool position = intValue(p, "head", 0) == static_cast<int>(TemporalHead::Position);
    const int64_t outputs = position ? t * t : orderClasses(t).classCount();
    return std::make_shared<TemporalNetImpl>(options, t, outputs, true, position);
}

torch::Tensor TemporalOrderTask::predictedOrder(const torch::Tensor& output, const Batch& batch) {
    if (output.dim() == 3) { // position head: (B,T,T), a time index per position
        return output.argmax(2);
    }
    return batch.extras.at("class_orders").to(output.device()).index_select(0, output.argmax(1));
}

torch::Tensor TemporalOrderTask::objective(const torch::Tensor& output, const Batch& batch,
                                           const ParamValues&) const {
    if (batch.extras.count("positions")) {
        return F::binary_cross_entropy_with_logits(output.view({-1}), batch.target);
    }
    if (output.dim() == 3) {
        auto logp = F::log_softmax(output, F::LogSoftmaxFuncOptions(2));
        return -logp.gather(2, batch.extras.at("perms").unsqueeze(2)).squeeze(2).sum(1).mean();
    }
    return F::cross_entropy(output, batch.target);
}

LossOutput TemporalOrderTask::loss(const torch::Tensor& output, const Batch& batch,
                                   const ParamValues& params) const {
    LossOutput out;
    out.loss = objective(output, batch, params);
    if (batch.extras.count("positions")) {
        auto logit = output.view({-1});
        torch::NoGradGuard noGrad;
        auto said = logit > 0;
        auto truth = batch.target > 0.5;
        out.metrics["accuracy"] = (said == truth).to(torch::kFloat).mean().item<double>();
        out.metrics["in_order_accuracy"] = (said.logical_and(truth)).sum().item<double>() /
                                           std::max<double>(1.0, truth.sum().item<double>());
        return out;
    }
    const auto& perms = batch.extras.at("perms");
    torch::NoGradGuard noGrad;
    const bool classes = output.dim() == 2;
    auto predicted = orientPrediction(predictedOrder(output, batch), perms, classes);
    auto correct = classes ? output.argmax(1) == batch.target : (predicted == perms).all(1);
    out.metrics["accuracy"] = correct.to(torch::kFloat).mean().item<double>();
    out.metrics["frame_accuracy"] = (predicted == perms).to(torch::kFloat).mean().item<double>();
    // Frames out of place per held-out sequence: mostly 2 means neighbours swapped.
    auto distance = (predicted != perms).sum(1).to(torch::kCPU);
    auto counts = torch::bincount(distance, {}, perms.size(1) + 1).to(torch::kDouble);
    out.histogram.assign(counts.data_ptr<double>(), counts.data_ptr<double>() + counts.numel());
    out.histogramTitle = "held-out sequences";
    out.histogramAxis = "frames out of place (0 = right order)";
    return out;
}

namespace {
VisualColumn strip(const std::string& title, const torch::Tensor& frames,
                   const torch::Tensor& labels) {
    VisualColumn c{title, frameStrip(frames)};
    c.stripCells = static_cast<int>(frames.size(1));
    c.cellLabels = labels;
    return c;
}

// The network's input made visible: a centred frame has mid-grey for "no change".
torch::Tensor seenByModel(const Batch& cpu) {
    const bool centred = !torch::equal(cpu.input, cpu.extras.at("shown"));
    return centred ? cpu.input.mul(1.5).add(0.5).clamp(0.0, 1.0) : cpu.input;
}

torch::Tensor oneBased(int64_t b, int64_t k) {
    return torch::arange(1, k + 1, torch::kLong).unsqueeze(0).expand({b, k}).contiguous();
}
} // namespace

torch::Tensor TemporalOrderTask::probeInput(const torch::Tensor& images,
                                            const ParamValues& params) const {
    // A still image has no mean frame; with "centre" on, its own mean colour stands in.
    return intValue(params, "centre", 1) != 0 ? images - images.mean({2, 3}, true) : images;
}

std::vector<VisualColumn> TemporalOrderTask::previewColumns(const Batch& batch) const {
    auto cpu = batch.to(torch::kCPU);
    const auto& ordered = cpu.extras.at("ordered");
    const int64_t b = ordered.size(0), k = ordered.size(1);
    if (cpu.extras.count("positions")) {
        const auto& positions = cpu.extras.at("positions");
        auto window = strip("frames a–e in time order", ordered, oneBased(b, k));
        auto tuple = strip("tuple shown (time places)", cpu.extras.at("shown"), positions + 1);
        for (int64_t i = 0; i < b; ++i) {
            tuple.captions.push_back(cpu.target[i].item<float>() > 0.5f ? "in order"
                                                                        : "not in order");
        }
        return {window, tuple, strip("as the model sees it", seenByModel(cpu), positions + 1)};
    }
    const auto& perms = cpu.extras.at("perms");
    auto shuffled = strip("shuffled input (true places)", cpu.extras.at("shown"), perms + 1);
    const int64_t classes = cpu.extras.at("class_orders").size(0);
    for (int64_t i = 0; i < b; ++i) {
        shuffled.captions.push_back("class " + std::to_string(cpu.target[i].item<int64_t>() + 1) +
                                    " of " + std::to_string(classes));
    }
    return {shuffled, strip("as the model sees it", seenByModel(cpu), perms + 1),
            strip("true order", ordered, oneBased(b, k))};
}

std::vector<VisualColumn> TemporalOrderTask::resultColumns(const Batch& batch,
                                                           const torch::Tensor& output,
                                                           const ParamValues&) const {
    auto cpu = batch.to(torch::kCPU);
    auto out = output.detach().to(torch::kCPU);
    const auto& ordered = cpu.extras.at("ordered");
    const int64_t b = ordered.size(0);
    if (cpu.extras.count("positions")) {
        const auto& positions = cpu.extras.at("positions");
        auto p = torch::sigmoid(out.view({-1}));
        auto tuple = strip("tuple shown (time places)", cpu.extras.at("shown"), positions + 1);
        tuple.cellWrong = torch::zeros({b, 3}, torch::kBool);
        for (int64_t i = 0; i < b; ++i) {
            const bool truth = cpu.target[i].item<float>() > 0.5f;
            const double prob = p[i].item<double>();
            const bool right = (prob > 0.5) == truth;
            tuple.captions.push_back("p(in order) " + percent(prob) +
                                     (right ? ", right" : ", wrong"));
            if (!right) {
                tuple.cellWrong[i].fill_(true);
            }
        }
        return {tuple, strip("frames a–e in time order", ordered, oneBased(b, ordered.size(1)))};
    }
    const auto& perms = cpu.extras.at("perms");
    const bool classes = out.dim() == 2;
    auto predicted = orientPrediction(predictedOrder(out, cpu), perms, classes);
    const int64_t k = perms.size(1);
    // Position t's frame goes where the model says it belongs; the label on each cell
    // is the frame's true place, so a right answer reads 1 2 3 4.
    const auto& shown = cpu.extras.at("shown");
    auto arranged = torch::zeros_like(shown);
    auto labels = torch::zeros({b, k}, torch::kLong);
    auto wrong = torch::zeros({b, k}, torch::kBool);
    for (int64_t i = 0; i < b; ++i) {
        for (int64_t t = 0; t < k; ++t) {
            const int64_t cell = predicted[i][t].item<int64_t>();
            arranged[i][cell].copy_(shown[i][t]);
            labels[i][cell] = perms[i][t].item<int64_t>() + 1;
            wrong[i][cell] = cell != perms[i][t].item<int64_t>();
        }
    }
    auto input = strip("shuffled input (true places)", shown, perms + 1);
    auto guess =
        strip(classes ? "model's order (or its reverse)" : "model's order", arranged, labels);
    guess.cellWrong = wrong;
    for (int64_t i = 0; i < b; ++i) {
        const int64_t misplaced = wrong[i].sum().item<int64_t>();
        guess.captions.push_back(misplaced == 0 ? "right" : std::to_string(misplaced) + " wrong");
    }
    return {input, guess, strip("true order", ordered, oneBased(b, k))};
}

std::string TemporalOrderTask::describe(const ParamValues& params, uint64_t) const {
    const ParamValues p = withDefaults(m_info, params);
    const WindowSpec w = windows(p);
    std::ostringstream out;
    if (isVerify(p)) {
        out << "Five frames a<b<c<d<e over windows of " << w.length
            << " frames: (b,c,d) in order, (b,a,d) and (b,e,d) not, half each, each maybe "
               "reversed; chance 50%";
        return out.str();
    }
    const int t = intValue(p, "frames", 4);
    try {
        const OrderClasses& c = orderClasses(t);
        const bool position = intValue(p, "head", 0) == static_cast<int>(TemporalHead::Position);
        out << t << " frames over windows of " << w.length << " frames: " << c.perms.size()
            << " orders";
        if (position) {
            out << ", one softmax per position; chance of the exact order "
                << percent(1.0 / static_cast<double>(c.perms.size()));
        } else {
            out << " in " << c.classCount()
                << " classes (an order and its reverse share one); chance "
                << percent(1.0 / c.classCount());
        }
    } catch (const std::exception& e) {
        out << e.what();
    }
    return out.str();
}

TemporalNetImpl::TemporalNetImpl(const EncoderOptions& options, int64_t frames, int64_t outputs,
                                 bool pairwise, bool positionHead)
    : m_frames(frames), m_pairwise(pairwise), m_positionHead(positionHead) {
    m_encoder = register_module("encoder", Encoder(options));
    const int64_t perFrame = 128;
    // A 2x2 map per frame keeps where things are; pooling it away loses the motion.
    m_frameFc =
        register_module("frame_fc", torch::nn::Linear(m_encoder->outChannels() * 16, perFrame));
    int64_t fused = frames * perFrame;
    if (m_pairwise) {
        const int64_t pairs = frames * (frames - 1) / 2;
        m_pairFc = register_module("pair_fc", torch::nn::Linear(2 * perFrame, perFrame));
        fused = pairs * perFrame;
    }
    m_fc1 = register_module("fc1", torch::nn::Linear(fused, 256));
    m_fc2 = register_module("fc2", torch::nn::Linear(256, outputs));
}

torch::Tensor TemporalNetImpl::forward(torch::Tensor clips) {
    const int64_t b = clips.size(0);
    auto features = F::adaptive_avg_pool2d(m_encoder->forward(clips.flatten(0, 1)),
                                           F::AdaptiveAvgPool2dFuncOptions(4))
                        .flatten(1);
    auto perFrame = torch::relu(m_frameFc->forward(features)).view({b, m_frames, -1});
    torch::Tensor fused;
    if (m_pairwise) {
        std::vector<torch::Tensor> pairs;
        for (int64_t i = 0; i < m_frames; ++i) {
            for (int64_t j = i + 1; j < m_frames; ++j) {
                pairs.push_back(torch::relu(m_pairFc->forward(
                    torch::cat({perFrame.select(1, i), perFrame.select(1, j)}, 1))));
            }
        }
        fused = torch::cat(pairs, 1);
    } else {
        fused = perFrame.flatten(1);
    }
    auto logits = m_fc2->forward(torch::relu(m_fc1->forward(fused)));
    return m_positionHead ? logits.view({b, m_frames, m_frames}) : logits;
}

int64_t TemporalNetImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    FeatureShape frame = imageShape(sampleShape);
    int64_t flops = m_frames * (m_encoder->flops(frame) + linearFlops(m_frameFc));
    if (m_pairwise) {
        flops += m_frames * (m_frames - 1) / 2 * linearFlops(m_pairFc);
    }
    return flops + linearFlops(m_fc1) + linearFlops(m_fc2);
}

} // namespace pretext
