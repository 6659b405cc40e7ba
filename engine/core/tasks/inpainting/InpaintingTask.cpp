#include "tasks/inpainting/InpaintingTask.h"

#include "tasks/Backbones.h"
#include "tasks/ParamHelpers.h"

#include <torch/torch.h>

#include <cmath>

namespace pretext {

using Kind = ParamSpec::Kind;

InpaintingTask::InpaintingTask() {
    m_info.name = "inpainting";
    m_info.title = "Inpainting";
    m_info.mathIntro =
        "A binary mask <i>m</i> hides pixels (1 visible, 0 hidden); the network "
        "sees <i>x</i> &#8857; <i>m</i> and <i>m</i>, and predicts <i>x&#770;</i>. <i>M</i> is the "
        "set of hidden entries.";
    m_info.mathForm = "masked-mse";
    m_info.lossFormula = "L = (1/|M|) Σ_{i∈M} (x̂ᵢ − xᵢ)²,  ∂L/∂x̂ᵢ = 2/|M| (x̂ᵢ − xᵢ) on M";
    const ParamSpec mask =
        choiceSpec("mask", "Mask", {"center", "blocks", "freeform", "patches"}, 0,
                   "How the hidden region is chosen: center, the central square of Context "
                   "Encoders (Pathak et al. 2016); blocks, their random blocks; freeform, "
                   "irregular smooth holes; patches, MAE's random patches (He et al. 2021)");
    const ParamSpec fill =
        choiceSpec("fill", "Fill hidden with", {"zero", "mean", "noise"}, 0,
                   "Value the network sees in hidden pixels (Context Encoders: the data mean)");
    m_info.encoderInput =
        "4 channels: RGB in [0, 1] with the hidden pixels filled, then the mask m "
        "(1 visible, 0 hidden); a whole image is RGB and a channel of ones";
    m_info.params = {
        mask,
        spec("center_fraction", "Hole side", Kind::Real, 0.1, 0.9, 0.5, 0.05,
             "Side of the central hole as a fraction of the image (0.5 = a quarter of the area, "
             "as in Context Encoders: the central 64 × 64 of 128 × 128)",
             "mask", 0),
        spec("block_count", "Blocks", Kind::Int, 1, 16, 4, 1,
             "Number of random blocks (Context Encoders: several, overlapping, together up to "
             "a quarter of the image)",
             "mask", 1),
        spec("block_min", "Block min side", Kind::Real, 0.05, 0.8, 0.15, 0.05,
             "Smallest block side, fraction of the image", "mask", 1),
        spec("block_max", "Block max side", Kind::Real, 0.05, 0.8, 0.35, 0.05,
             "Largest block side, fraction of the image", "mask", 1),
        spec("coverage", "Coverage", Kind::Real, 0.05, 0.95, 0.3, 0.05,
             "Fraction of pixels hidden by the free-form region (irregular-hole inpainting is "
             "tested from a few percent up to 60%)",
             "mask", 2),
        spec("smoothness", "Noise cells", Kind::Int, 2, 16, 5, 1,
             "Grid of the smooth noise; fewer cells give larger regions", "mask", 2),
        spec("patch_px", "Patch size (px)", Kind::Int, 2, 32, 8, 1,
             "Side of each patch (MAE: 16 px on 224-pixel images)", "mask", 3),
        spec("patch_ratio", "Masking ratio", Kind::Real, 0.05, 0.95, 0.75, 0.05,
             "Fraction of patches hidden (MAE uses 0.75)", "mask", 3),
        fill,
        spec("border_weight", "Rim weight", Kind::Real, 1, 20, 1, 0.5,
             "Loss weight on the hole's rim (Context Encoders used 10); 1 = plain masked MSE"),
        spec("border_px", "Rim width (px)", Kind::Int, 1, 8, 2, 1,
             "Width of the weighted rim inside the hole's border (Context Encoders weight a "
             "band of a few pixels)"),
        spec("base_channels", "Model width", Kind::Int, 8, 128, 32, 8,
             "Channels of the first encoder stage (the papers' AlexNet-style encoders have "
             "64 to 96; narrower trains faster here)"),
    };
    addBackboneParams(m_info.params);
}

MaskOptions InpaintingTask::maskOptions(const ParamValues& p) {
    MaskOptions o;
    o.type = static_cast<MaskType>(std::lround(value(p, "mask", 0)));
    o.centerFraction = value(p, "center_fraction", o.centerFraction);
    o.blockCount = static_cast<int>(std::lround(value(p, "block_count", o.blockCount)));
    o.blockMinFraction = value(p, "block_min", o.blockMinFraction);
    o.blockMaxFraction = value(p, "block_max", o.blockMaxFraction);
    o.coverage = value(p, "coverage", o.coverage);
    o.smoothCells = static_cast<int>(std::lround(value(p, "smoothness", o.smoothCells)));
    o.patchPx = static_cast<int>(std::lround(value(p, "patch_px", o.patchPx)));
    o.patchRatio = value(p, "patch_ratio", o.patchRatio);
    return o;
}

Batch InpaintingTask::makeBatch(const torch::Tensor& images, BatchContext& ctx) const {
    const auto device = images.device();
    const int64_t b = images.size(0), h = images.size(2), w = images.size(3);
    auto m = makeMasks(b, h, w, maskOptions(ctx.params), ctx.generator).to(device);
    const auto fill = static_cast<FillMode>(std::lround(value(ctx.params, "fill", 0)));
    torch::Tensor filler;
    if (fill == FillMode::Mean && ctx.channelMean.defined()) {
        filler = ctx.channelMean.to(device, torch::kFloat32).view({1, 3, 1, 1});
    } else if (fill == FillMode::Noise) {
        filler = torch::rand({b, 3, h, w}, ctx.generator).to(device);
    } else {
        filler = torch::zeros({1, 3, 1, 1}, images.options());
    }
    auto visible = images * m + (1.0 - m) * filler;
    Batch batch;
    batch.original = images;
    batch.mask = m;
    batch.target = images;
    batch.input = torch::cat({visible, m}, 1);
    return batch;
}

std::shared_ptr<TaskModelImpl> InpaintingTask::makeModel(const ParamValues& params) const {
    // RGB with the hidden pixels filled, plus m.
    return std::make_shared<EncoderDecoderImpl>(encoderOptions(params, 4), 3);
}

torch::Tensor maskedMse(const torch::Tensor& prediction, const torch::Tensor& target,
                        const torch::Tensor& mask, double borderWeight, int64_t borderPx) {
    auto hidden = (1.0 - mask).expand_as(prediction);
    auto weight = hidden;
    if (borderWeight != 1.0 && borderPx > 0) {
        weight = hidden + (borderWeight - 1.0) * holeBorder(mask, borderPx).expand_as(prediction);
    }
    // clamp_min guards a mask that hides nothing; the loss is then 0, not NaN.
    return (weight * (prediction - target).pow(2)).sum() / weight.sum().clamp_min(1.0);
}

torch::Tensor InpaintingTask::objective(const torch::Tensor& output, const Batch& batch,
                                        const ParamValues& params) const {
    const double bw = value(params, "border_weight", 1.0);
    const auto bpx = static_cast<int64_t>(std::lround(value(params, "border_px", 2)));
    return maskedMse(output, batch.target, batch.mask, bw, bpx);
}

LossOutput InpaintingTask::loss(const torch::Tensor& output, const Batch& batch,
                                const ParamValues& params) const {
    LossOutput out;
    out.loss = objective(output, batch, params);
    if (value(params, "border_weight", 1.0) != 1.0) {
        torch::NoGradGuard noGrad;
        out.metrics["masked_mse"] = maskedMse(output, batch.target, batch.mask).item<double>();
    }
    return out;
}

torch::Tensor InpaintingTask::probeInput(const torch::Tensor& images, const ParamValues&) const {
    // Nothing hidden: the whole image and a mask of ones.
    return torch::cat({images, torch::ones_like(images.narrow(1, 0, 1))}, 1);
}

std::vector<VisualColumn> InpaintingTask::previewColumns(const Batch& batch) const {
    auto cpu = batch.to(torch::kCPU);
    return {{"original", cpu.original},
            {"mask m", cpu.mask.expand({-1, 3, -1, -1}).contiguous()},
            {"input x ⊙ m", cpu.input.narrow(1, 0, 3)}};
}

std::vector<VisualColumn> InpaintingTask::resultColumns(const Batch& batch,
                                                        const torch::Tensor& output,
                                                        const ParamValues&) const {
    auto cpu = batch.to(torch::kCPU);
    auto pred = output.detach().to(torch::kCPU).clamp(0.0, 1.0);
    auto composite = cpu.original * cpu.mask + pred * (1.0 - cpu.mask);
    return {{"masked input", cpu.input.narrow(1, 0, 3)},
            {"prediction", pred},
            {"composited", composite},
            {"ground truth", cpu.original}};
}

ClosedForm InpaintingTask::closedForm(const torch::Tensor& output, const Batch& batch,
                                      const ParamValues& params) const {
    if (!batch.mask.defined()) {
        return genericClosedForm(output, batch);
    }
    // w = 1 − m on the hidden entries (the rim weighted as the loss weights it): the
    // seed's 2/|M| (x̂ − x) on M, and 0 where the pixel was visible.
    auto w = (1.0 - batch.mask).expand_as(output).to(torch::kFloat);
    const double rim = value(params, "border_weight", 1.0);
    const int64_t rimPx = std::lround(value(params, "border_px", 2));
    if (rim != 1.0 && rimPx > 0) {
        w = w + (rim - 1.0) * holeBorder(batch.mask, rimPx).expand_as(output);
    }
    return maskedMseClosedForm(output, batch.target, w);
}

} // namespace pretext
