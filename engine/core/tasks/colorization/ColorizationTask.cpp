#include "tasks/colorization/ColorizationTask.h"

#include "Layers.h"
#include "dist/SyncBatchNorm.h"
#include "tasks/Backbones.h"
#include "tasks/ParamHelpers.h"
#include "tasks/colorization/Lab.h"

#include <torch/torch.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace pretext {

namespace F = torch::nn::functional;
using Kind = ParamSpec::Kind;

namespace {
constexpr double kFigureLightness = 65.0; // L at which single-channel and bin colours are shown
constexpr int kFigureCellPx = 8;

ColorMode modeOf(const ParamValues& p) {
    return static_cast<ColorMode>(intValue(p, "mode", static_cast<int>(ColorMode::Classes)));
}

torch::Tensor abChroma(const torch::Tensor& ab) {
    return ab.pow(2).sum(1).sqrt();
}

// Colours with the given L everywhere: (B,1,H,W) L and (B,2,H,W) ab -> RGB.
torch::Tensor toRgb(const torch::Tensor& l, const torch::Tensor& ab) {
    return labToRgb(torch::cat({l, ab}, 1));
}

torch::Tensor upsample(const torch::Tensor& x, int64_t h, int64_t w, bool nearest) {
    if (x.size(2) == h && x.size(3) == w) {
        return x;
    }
    auto options = F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w});
    if (nearest) {
        options.mode(torch::kNearest);
    } else {
        options.mode(torch::kBilinear).align_corners(false);
    }
    return F::interpolate(x, options);
}

// A perceptually ordered colour map (dark blue-violet to yellow), t in [0,1].
torch::Tensor heat(const torch::Tensor& t) {
    static const double stops[5][3] = {{0.27, 0.00, 0.33},
                                       {0.23, 0.32, 0.55},
                                       {0.13, 0.57, 0.55},
                                       {0.37, 0.79, 0.38},
                                       {0.99, 0.91, 0.14}};
    auto s = t.clamp(0.0, 1.0).to(torch::kDouble) * 4.0;
    auto i = s.floor().clamp(0, 3).to(torch::kLong);
    auto f = (s - i.to(torch::kDouble)).unsqueeze(1);
    auto table = torch::empty({5, 3}, torch::kDouble);
    for (int r = 0; r < 5; ++r) {
        for (int c = 0; c < 3; ++c) {
            table[r][c] = stops[r][c];
        }
    }
    return table.index_select(0, i) * (1.0 - f) + table.index_select(0, i + 1) * f;
}

// Paints one colour per bin on the ab plane: a grows to the right, b upwards; cells
// outside the gamut light grey, the a = 0 and b = 0 axes as thin dark lines.
torch::Tensor abPlaneImage(const AbGamut& gamut, const torch::Tensor& binColors) {
    const int n = AbGamut::kCells, px = kFigureCellPx;
    auto image = torch::full({3, n * px, n * px}, 0.86, torch::kFloat);
    auto cells = gamut.inGamut.nonzero().flatten();
    auto colors = binColors.to(torch::kFloat);
    for (int64_t q = 0; q < cells.size(0); ++q) {
        const int64_t cell = cells[q].item<int64_t>();
        const int64_t ia = cell / n, ib = cell % n;
        const int64_t x = ia * px, y = (n - 1 - ib) * px;
        image.narrow(1, y, px).narrow(2, x, px).copy_(
            colors[q].view({3, 1, 1}).expand({3, px, px}));
    }
    const int64_t mid = AbGamut::kHalfCells * px + px / 2;
    image.narrow(2, mid, 1).mul_(0.55); // a = 0
    image.narrow(1, mid, 1).mul_(0.55); // b = 0
    return image;
}

std::string fixed(double v, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << v;
    return out.str();
}

std::string pixelCount(double n) {
    if (n >= 1e6) {
        return fixed(n / 1e6, 1) + " M pixels";
    }
    return n >= 1e4 ? fixed(n / 1e3, 0) + " k pixels" : fixed(n, 0) + " pixels";
}
} // namespace

ColorizationTask::ColorizationTask() {
    m_info.name = "colorization";
    m_info.colourJitter = false; // colour is what the network predicts
    m_info.title = "Colorization";
    m_info.mathIntro = "The network sees the lightness <i>L</i> of the image in Lab and predicts "
                       "its colour, the <i>a</i>, <i>b</i> channels.";
    m_info.mathIntroByForm["soft-classes"] =
        "Class variant (Zhang et al. 2016): <i>Q</i> bins of the ab plane, "
        "<i>z</i> the soft-encoded true colour, <i>v</i> its rarity weight.";
    m_info.mathForm = "mse";
    m_info.benchPeers = {"lab-color"};
    m_info.lossFormula = "regression: L = (1/HWC) Σ (x̂ − x)² on a, b;  classes: L = −(1/HW) "
                         "Σ v(Z) Σ_q Z_q log Ẑ_q, colour = Σ_q softmax(z/T)_q c_q";
    m_info.learningRate = 2e-3;
    m_info.plottedMetrics = {"chroma_ratio"};
    m_info.metricPlotTitle = "Colourfulness: predicted / true chroma";
    ParamSpec temperature =
        spec("temperature", "Decoding T", Kind::Real, 0.01, 1.0, 0.38, 0.01,
             "Annealed mean: T near 0 takes each pixel's most likely bin (vivid), T = 1 the "
             "distribution's mean (washed out); the paper uses 0.38",
             "mode", static_cast<double>(ColorMode::Classes));
    temperature.display = true;
    m_info.encoderInput = "1 channel: the lightness L of CIE Lab (D65) divided by 100, in [0, 1]";
    m_info.params = {
        choiceSpec("mode", "Mode", {"regression", "classes"}, static_cast<int>(ColorMode::Classes),
                   "regression: predict a and b with MSE (the seed's formula); classes: a "
                   "distribution over the in-gamut ab bins (Zhang et al. 2016)"),
        spec("lambda", "Rebalancing λ", Kind::Real, 0.0, 1.0, 0.5, 0.05,
             "Mixes the data's bin distribution with a uniform one before inverting it: 0 "
             "weights rare colours fully, 1 switches rebalancing off (the paper uses 0.5)",
             "mode", static_cast<double>(ColorMode::Classes)),
        temperature,
        spec("base_channels", "Model width", Kind::Int, 8, 128, 32, 8,
             "Channels of the first encoder stage (Zhang et al.: a VGG-style network, 64; "
             "narrower trains faster here)"),
    };
    addBackboneParams(m_info.params);
}

std::shared_ptr<const DataStats> ColorizationTask::analyze(const torch::Tensor& images) const {
    torch::NoGradGuard noGrad;
    const auto& gamut = abGamut();
    auto stats = std::make_shared<DataStats>();
    const int64_t n = images.size(0);
    std::vector<torch::Tensor> chromaParts;
    auto counts = torch::zeros({gamut.count()}, torch::kDouble);
    for (int64_t start = 0; start < n; start += 256) { // bounded memory for large sets
        auto lab =
            rgbToLab(images.narrow(0, start, std::min<int64_t>(256, n - start)).to(torch::kFloat));
        auto meanChroma = chroma(lab).mean({1, 2}).to(torch::kCPU);
        auto colored = (meanChroma >= kGrayChroma).nonzero().flatten();
        if (colored.numel() > 0) {
            counts += abHistogram(gamut, lab.index_select(0, colored.to(lab.device())));
        }
        chromaParts.push_back(meanChroma);
    }
    auto meanChroma = n > 0 ? torch::cat(chromaParts) : torch::zeros({0});
    stats->usable = meanChroma >= kGrayChroma;
    stats->tensors["ab_counts"] = counts;
    const int64_t used = stats->usableCount(n);
    std::ostringstream note;
    if (used == n) {
        note << "colorization uses all " << n << " images (none is grayscale)";
    } else if (used == 0) {
        note << "all " << n << " images are grayscale (mean chroma below " << kGrayChroma
             << "): colorization needs colour images";
    } else {
        note << "colorization uses " << used << " of " << n << " images; " << (n - used)
             << " grayscale (mean chroma below " << kGrayChroma << ") skipped";
    }
    stats->note = note.str();
    return stats;
}

Batch ColorizationTask::makeBatch(const torch::Tensor& images, BatchContext& ctx) const {
    const auto& gamut = abGamut();
    auto lab = rgbToLab(images);
    Batch batch;
    batch.original = images;
    batch.input = lab.narrow(1, 0, 1) / 100.0;
    batch.extras["lab"] = lab;
    auto ab = lab.narrow(1, 1, 2);
    if (modeOf(ctx.params) == ColorMode::Regression) {
        batch.target = ab / kAbScale;
        return batch;
    }
    // Ground truth at the head's resolution, soft-encoded over the 5 nearest bins.
    auto abSmall = F::avg_pool2d(ab, F::AvgPool2dFuncOptions(kClassStride));
    const SoftEncoding enc = softEncode(gamut, abSmall);
    torch::Tensor counts;
    if (ctx.stats && ctx.stats->tensors.count("ab_counts")) {
        counts = ctx.stats->tensors.at("ab_counts");
    } else {
        counts = abHistogram(gamut, lab); // no set-level statistics: this batch's own
    }
    const Rebalancing rb = rebalanceWeights(gamut, counts, value(ctx.params, "lambda", 0.5));
    auto nearest = enc.bins.select(1, 0);
    batch.target = nearest;
    batch.extras["soft_bins"] = enc.bins;
    batch.extras["soft_weights"] = enc.weights;
    batch.extras["pixel_weights"] = rb.weights.to(images.device(), torch::kFloat).index({nearest});
    return batch;
}

std::shared_ptr<TaskModelImpl> ColorizationTask::makeModel(const ParamValues& p) const {
    const EncoderOptions options = encoderOptions(p, 1); // L only
    if (modeOf(p) == ColorMode::Regression) {
        return std::make_shared<EncoderDecoderImpl>(options, 2, OutputActivation::Tanh);
    }
    return std::make_shared<ColorClassNetImpl>(options, abGamut().count());
}

torch::Tensor colorRegressionLoss(const torch::Tensor& prediction, const torch::Tensor& target) {
    return (prediction - target).pow(2).mean();
}

torch::Tensor colorClassLoss(const torch::Tensor& logits, const SoftEncoding& target,
                             const torch::Tensor& pixelWeights) {
    auto logp = F::log_softmax(logits, F::LogSoftmaxFuncOptions(1));
    auto perPixel = -(logp.gather(1, target.bins) * target.weights).sum(1); // (B,h,w)
    return (pixelWeights * perPixel).mean();
}

torch::Tensor ColorizationTask::decodeAb(const torch::Tensor& output, int64_t height, int64_t width,
                                         double temperature) {
    if (output.size(1) == 2) {
        return output * kAbScale;
    }
    return upsample(annealedMean(abGamut(), output, temperature), height, width, false);
}

torch::Tensor ColorizationTask::objective(const torch::Tensor& output, const Batch& batch,
                                          const ParamValues&) const {
    if (output.size(1) == 2) {
        return colorRegressionLoss(output, batch.target);
    }
    return colorClassLoss(output, {batch.extras.at("soft_bins"), batch.extras.at("soft_weights")},
                          batch.extras.at("pixel_weights"));
}

LossOutput ColorizationTask::loss(const torch::Tensor& output, const Batch& batch,
                                  const ParamValues& params) const {
    LossOutput out;
    out.loss = objective(output, batch, params);
    torch::NoGradGuard noGrad;
    const auto& lab = batch.extras.at("lab");
    auto truth = lab.narrow(1, 1, 2);
    auto predicted =
        decodeAb(output.detach(), lab.size(2), lab.size(3), value(params, "temperature", 0.38));
    // Distance in the ab plane (Lab units), and how colourful the output is compared
    // with the truth: regression to the mean shows as a ratio well under 1.
    out.metrics["ab_error"] = abChroma(predicted - truth).mean().item<double>();
    out.metrics["chroma_ratio"] =
        (abChroma(predicted).mean() / abChroma(truth).mean().clamp_min(1e-6)).item<double>();
    if (output.size(1) != 2) {
        out.metrics["bin_accuracy"] =
            (output.argmax(1) == batch.target).to(torch::kFloat).mean().item<double>();
    }
    return out;
}

torch::Tensor ColorizationTask::probeInput(const torch::Tensor& images, const ParamValues&) const {
    return rgbToLab(images).narrow(1, 0, 1) / 100.0; // the lightness channel, as in training
}

std::vector<VisualColumn> ColorizationTask::previewColumns(const Batch& batch) const {
    auto cpu = batch.to(torch::kCPU);
    const auto& lab = cpu.extras.at("lab");
    auto l = lab.narrow(1, 0, 1);
    auto flat = torch::full_like(l, kFigureLightness);
    auto zero = torch::zeros_like(l);
    std::vector<VisualColumn> columns = {
        {"original", cpu.original},
        {"input L (what the model sees)", (l / 100.0).expand({-1, 3, -1, -1}).contiguous()},
        {"a alone (green ↔ red)", toRgb(flat, torch::cat({lab.narrow(1, 1, 1), zero}, 1))},
        {"b alone (blue ↔ yellow)", toRgb(flat, torch::cat({zero, lab.narrow(1, 2, 1)}, 1))},
    };
    if (cpu.extras.count("soft_bins")) {
        const auto& gamut = abGamut();
        auto nearest = cpu.target; // (B,h,w)
        auto ab = gamut.centers.index({nearest}).permute({0, 3, 1, 2});
        const int64_t h = lab.size(2), w = lab.size(3);
        columns.push_back({"target: nearest of " + std::to_string(gamut.count()) + " bins at " +
                               std::to_string(nearest.size(1)) + "×" +
                               std::to_string(nearest.size(2)),
                           toRgb(l, upsample(ab, h, w, true))});
    }
    return columns;
}

std::vector<VisualColumn> ColorizationTask::resultColumns(const Batch& batch,
                                                          const torch::Tensor& output,
                                                          const ParamValues& params) const {
    auto cpu = batch.to(torch::kCPU);
    const auto& lab = cpu.extras.at("lab");
    auto l = lab.narrow(1, 0, 1);
    const double t = value(params, "temperature", 0.38);
    auto ab = decodeAb(output.detach().to(torch::kCPU, torch::kFloat), lab.size(2), lab.size(3), t);
    const bool classes = output.size(1) != 2;
    VisualColumn colorized{classes ? "colorized, T = " + fixed(t, 2) : "colorized (regression)",
                           toRgb(l, ab)};
    // Per sample: how much of the true colourfulness the prediction has.
    auto ratio =
        abChroma(ab).mean({1, 2}) / abChroma(lab.narrow(1, 1, 2)).mean({1, 2}).clamp_min(1e-6);
    for (int64_t i = 0; i < ratio.size(0); ++i) {
        colorized.captions.push_back("chroma ×" + fixed(ratio[i].item<double>(), 2));
    }
    return {{"gray input L", (l / 100.0).expand({-1, 3, -1, -1}).contiguous()},
            colorized,
            {"ground truth", cpu.original}};
}

std::vector<Figure> ColorizationTask::dataFigures(const DataStats& stats,
                                                  const ParamValues& params) const {
    const auto& gamut = abGamut();
    std::vector<Figure> figures;
    {
        auto l = torch::full({gamut.count(), 1, 1, 1}, kFigureLightness);
        auto rgb = labToRgb(torch::cat({l, gamut.centers.view({-1, 2, 1, 1})}, 1)).view({-1, 3});
        figures.push_back({std::to_string(gamut.count()) + " in-gamut ab bins",
                           abPlaneImage(gamut, rgb), "grid 10, at L = 65; a →, b ↑"});
    }
    auto it = stats.tensors.find("ab_counts");
    if (it == stats.tensors.end() || it->second.sum().item<double>() <= 0) {
        return figures;
    }
    const auto& counts = it->second;
    auto p = counts / counts.sum();
    auto logp = torch::log10(p.clamp_min(1e-7));
    const double lo = -7.0, hi = std::max(-6.0, logp.max().item<double>());
    figures.push_back({"ab distribution of the data",
                       abPlaneImage(gamut, heat((logp - lo) / (hi - lo))),
                       "log₁₀ p, " + fixed(lo, 0) + " to " + fixed(hi, 1) + ", over " +
                           pixelCount(counts.sum().item<double>())});
    if (modeOf(params) == ColorMode::Classes) {
        const double lambda = value(params, "lambda", 0.5);
        const Rebalancing rb = rebalanceWeights(gamut, counts, lambda);
        auto logw = torch::log10(rb.weights);
        const double wlo = logw.min().item<double>(), whi = logw.max().item<double>();
        figures.push_back({"class weights, λ = " + fixed(lambda, 2),
                           abPlaneImage(gamut, heat((logw - wlo) / std::max(1e-9, whi - wlo))),
                           "w " + fixed(rb.weights.min().item<double>(), 2) + " to " +
                               fixed(rb.weights.max().item<double>(), 2) + " (log); Σ p̃ w = 1"});
    }
    return figures;
}

std::string ColorizationTask::describe(const ParamValues& params, uint64_t) const {
    std::ostringstream out;
    if (modeOf(params) == ColorMode::Regression) {
        out << "regression: the model predicts a/110 and b/110 at full resolution; MSE over "
               "H·W·2";
    } else {
        out << "classes: Q = " << abGamut().count()
            << " in-gamut ab bins (grid 10), predicted at 1/" << kClassStride
            << " resolution; soft targets over the 5 nearest bins (σ = 5), rebalancing λ = "
            << fixed(value(params, "lambda", 0.5), 2)
            << ", decoding T = " << fixed(value(params, "temperature", 0.38), 2);
    }
    return out.str();
}

ColorClassNetImpl::ColorClassNetImpl(const EncoderOptions& options, int64_t bins) {
    namespace nn = torch::nn;
    m_encoder = register_module("encoder", Encoder(options));
    const int64_t mid = 2 * options.baseChannels;
    nn::Sequential head;
    // Up from the encoder's output stride to the prediction's 1/kClassStride.
    const int ups = std::max(1, strideSteps(m_encoder->outputStride()) -
                                    strideSteps(ColorizationTask::kClassStride));
    for (int u = 0; u < ups; ++u) {
        head->push_back(UpConv2d(u == 0 ? m_encoder->outChannels() : mid, mid, 4, 2, 1));
        head->push_back(SyncableBatchNorm2d(mid));
        head->push_back(nn::ReLU(nn::ReLUOptions(true)));
    }
    head->push_back(RoutedConv2d(nn::Conv2dOptions(mid, mid, 3).padding(1)));
    head->push_back(SyncableBatchNorm2d(mid));
    head->push_back(nn::ReLU(nn::ReLUOptions(true)));
    head->push_back(RoutedConv2d(nn::Conv2dOptions(mid, bins, 1)));
    m_head = register_module("head", head);
}

torch::Tensor ColorClassNetImpl::forward(torch::Tensor x) {
    const int64_t stride = m_encoder->outputStride();
    if (x.size(-1) % stride != 0 || x.size(-2) % stride != 0) {
        throw std::invalid_argument("the " + m_encoder->describe() +
                                    " encoder colours images whose size is a multiple of " +
                                    std::to_string(stride) + " px, not " +
                                    std::to_string(x.size(-1)) + " (choose another size or stem)");
    }
    return m_head->forward(m_encoder->forward(x));
}

int64_t ColorClassNetImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    FeatureShape shape = imageShape(sampleShape);
    const int64_t encoder = m_encoder->flops(shape);
    return encoder + sequentialFlops(m_head, shape);
}

ClosedForm ColorizationTask::closedForm(const torch::Tensor& output, const Batch& batch,
                                        const ParamValues& /*params*/) const {
    if (output.size(1) == 2) {
        return mseClosedForm(output, batch.target);
    }
    // −(1/N) Σ v Σ_q z_q log p_q: ∂/∂ẑ_q = v (p_q Σz − z_q) / N over N pixels.
    ClosedForm c;
    c.form = LossForm::SoftClasses;
    const auto& bins = batch.extras.at("soft_bins");
    auto z = torch::zeros_like(output).scatter_add_(
        1, bins, batch.extras.at("soft_weights").to(torch::kFloat));
    auto v = batch.extras.at("pixel_weights").to(torch::kFloat).unsqueeze(1);
    c.count = static_cast<double>(output.numel() / output.size(1));
    c.gradient = v * (torch::softmax(output, 1) * z.sum(1, true) - z) / c.count;
    return c;
}

} // namespace pretext
