#include "tasks/jigsaw/JigsawTask.h"

#include "tasks/Backbones.h"
#include "tasks/ParamHelpers.h"

#include <torch/torch.h>

#include <sstream>

namespace pretext {

namespace F = torch::nn::functional;
using Kind = ParamSpec::Kind;

JigsawTask::JigsawTask() {
    m_info.name = "jigsaw";
    m_info.title = "Jigsaw puzzles";
    m_info.mathIntro = "The image is cut into an <i>N</i>&times;<i>N</i> grid, the tiles are "
                       "permuted by &pi; from a set <i>P</i>, and the network predicts which.";
    m_info.mathForm = "classes";
    m_info.lossFormula = "L = −log p(k | x^π) over the |P| permutation indices; position head: "
                         "L = −Σ_i log p(π⁻¹_i | x^π)";
    // The wide fully connected head diverges to chance at 2e-3 (measured on the demo set).
    m_info.learningRate = 5e-4;
    m_info.plottedMetrics = {"accuracy"};
    m_info.metricPlotTitle = "Accuracy";
    m_info.encoderInput = "RGB in [0, 1]; with normalize on (the default), each tile (for "
                          "the probe, each whole image) to zero mean and unit variance over its "
                          "pixels and channels, the deviation floored at 0.01";
    m_info.params = {
        spec("grid", "Grid (N×N)", Kind::Int, 2, 4, 3, 1,
             "Tiles per side (Noroozi & Favaro: 3, nine tiles)"),
        spec("perms", "Permutations |P|", Kind::Int, 2, 1000, 24, 1,
             "Size of the permutation set (at most (N²)!), chosen for maximal Hamming distance "
             "(Noroozi & Favaro: 100 to 1000 of the 9! = 362,880 orders)"),
        choiceSpec("head", "Head", {"perm", "position"}, 0,
                   "perm: one class per permutation in P (Noroozi); position: one softmax per "
                   "position over the tiles (the seed's formula)"),
        spec("gap", "Gap", Kind::Real, 0.0, 0.6, 0.15, 0.05,
             "Part of each cell left out between tiles, so edges cannot be matched (Noroozi & "
             "Favaro: 64-pixel tiles in 75-pixel cells, about 0.15)"),
        choiceSpec("jitter", "Jitter tiles", {"off", "on"}, 1,
                   "Each tile at a random place inside its cell (as Noroozi & Favaro crop them)"),
        choiceSpec(
            "normalize", "Normalize tiles", {"off", "on"}, 1,
            "Each tile to zero mean and unit variance (removes low-level statistics; Noroozi "
            "& Favaro normalise every tile on its own)"),
        spec("gray_fraction", "Grey tiles", Kind::Real, 0.0, 1.0, 0.3, 0.05,
             "Fraction of tiles turned grey (removes colour cues; the jigsaw papers train on a "
             "share of greyscale images against chromatic aberration)"),
        spec("color_jitter_px", "Channel jitter (px)", Kind::Int, 0, 4, 1, 1,
             "Each colour channel shifted by up to this many pixels, hiding the chromatic "
             "aberration cue (Noroozi & Favaro jitter the channels by a few pixels)"),
        spec("base_channels", "Model width", Kind::Int, 8, 128, 32, 8,
             "Channels of the first encoder stage (Noroozi & Favaro: AlexNet, 96; narrower "
             "trains faster here)"),
    };
    addBackboneParams(m_info.params);
}

int64_t JigsawTask::encoderInputPx(int64_t imagePx, const ParamValues& params) const {
    try {
        return tileGeometry(imagePx, tileOptions(params)).tilePx;
    } catch (const std::invalid_argument&) {
        return imagePx / std::max(1, intValue(params, "grid", 3)); // refused later, by makeBatch
    }
}

TileOptions JigsawTask::tileOptions(const ParamValues& p) {
    TileOptions o;
    o.grid = intValue(p, "grid", 3);
    o.gapFraction = value(p, "gap", 0.15);
    o.jitter = intValue(p, "jitter", 1) != 0;
    o.grayFraction = value(p, "gray_fraction", 0.3);
    o.channelJitterPx = intValue(p, "color_jitter_px", 1);
    return o;
}

std::shared_ptr<const PermutationSet> JigsawTask::permutations(const ParamValues& p,
                                                               uint64_t seed) const {
    const int grid = intValue(p, "grid", 3);
    const auto key = std::make_tuple(grid * grid, intValue(p, "perms", 24), seed);
    std::lock_guard<std::mutex> lock(m_cacheMutex);
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
        auto set = std::make_shared<const PermutationSet>(
            makePermutationSet(std::get<0>(key), std::get<1>(key), seed));
        it = m_cache.emplace(key, std::move(set)).first;
    }
    return it->second;
}

Batch JigsawTask::makeBatch(const torch::Tensor& images, BatchContext& ctx) const {
    const TileOptions o = tileOptions(ctx.params);
    const auto set = permutations(ctx.params, ctx.seed);
    const int64_t b = images.size(0), tiles = o.grid * o.grid;
    std::vector<int64_t> flat;
    for (const auto& perm : set->perms) {
        flat.insert(flat.end(), perm.begin(), perm.end());
    }
    auto table =
        torch::tensor(flat, torch::kLong).view({static_cast<int64_t>(set->perms.size()), tiles});
    auto index = torch::randint(0, table.size(0), {b}, ctx.generator, torch::kLong);
    auto perms = table.index_select(0, index);
    auto raw = scrambleTiles(cutTiles(images, o, ctx.generator), perms);
    Batch batch;
    batch.original = images;
    batch.input = intValue(ctx.params, "normalize", 1) ? normalizeTiles(raw) : raw;
    batch.target = index.to(images.device());
    batch.extras["perms"] = perms.to(images.device());
    batch.extras["scrambled"] = raw; // what the tiles look like before normalization
    batch.extras["table"] = table.to(images.device());
    return batch;
}

std::shared_ptr<TaskModelImpl> JigsawTask::makeModel(const ParamValues& p) const {
    EncoderOptions options = encoderOptions(p, 3);
    options.channelsLast = true; // many small images: see EncoderOptions
    const int64_t tiles = static_cast<int64_t>(intValue(p, "grid", 3)) * intValue(p, "grid", 3);
    const bool position = intValue(p, "head", 0) == static_cast<int>(JigsawHead::Position);
    return std::make_shared<JigsawNetImpl>(options, tiles, position ? 0 : intValue(p, "perms", 24));
}

torch::Tensor permutationLoss(const torch::Tensor& logits, const torch::Tensor& index) {
    return F::cross_entropy(logits, index);
}

torch::Tensor positionLoss(const torch::Tensor& logits, const torch::Tensor& perms) {
    auto logp = F::log_softmax(logits, F::LogSoftmaxFuncOptions(2));
    return -logp.gather(2, perms.unsqueeze(2)).squeeze(2).sum(1).mean();
}

torch::Tensor JigsawTask::predictedPerms(const torch::Tensor& output, const Batch& batch) const {
    if (output.dim() == 3) { // position head: (B, N², N²)
        return output.argmax(2);
    }
    return batch.extras.at("table").index_select(0, output.argmax(1));
}

torch::Tensor JigsawTask::objective(const torch::Tensor& output, const Batch& batch,
                                    const ParamValues&) const {
    return output.dim() == 3 ? positionLoss(output, batch.extras.at("perms"))
                             : permutationLoss(output, batch.target);
}

LossOutput JigsawTask::loss(const torch::Tensor& output, const Batch& batch,
                            const ParamValues& params) const {
    const auto& perms = batch.extras.at("perms");
    LossOutput out;
    out.loss = objective(output, batch, params);
    torch::NoGradGuard noGrad;
    auto predicted = predictedPerms(output, batch);
    auto correctTiles = (predicted == perms).to(torch::kFloat);
    out.metrics["accuracy"] = std::get<0>(correctTiles.min(1)).mean().item<double>();
    out.metrics["tile_accuracy"] = correctTiles.mean().item<double>();
    // How far each prediction is from the truth, in tiles out of place: many 2s mean
    // near neighbours confused, a spread up to N² means guessing.
    auto distance = (predicted != perms).sum(1).to(torch::kCPU);
    auto counts = torch::bincount(distance, {}, perms.size(1) + 1).to(torch::kDouble);
    out.histogram.assign(counts.data_ptr<double>(), counts.data_ptr<double>() + counts.numel());
    out.histogramTitle = "held-out puzzles";
    out.histogramAxis = "tiles out of place (Hamming distance; 0 = solved)";
    return out;
}

torch::Tensor JigsawTask::probeInput(const torch::Tensor& images, const ParamValues& params) const {
    // The whole image, normalized as each tile is in training.
    return intValue(params, "normalize", 1) ? normalizeTiles(images.unsqueeze(1)).squeeze(1)
                                            : images;
}

std::vector<VisualColumn> JigsawTask::previewColumns(const Batch& batch) const {
    auto cpu = batch.to(torch::kCPU);
    const auto& perms = cpu.extras.at("perms");
    const auto& scrambled = cpu.extras.at("scrambled");
    const int grid = static_cast<int>(std::lround(std::sqrt(static_cast<double>(perms.size(1)))));
    const int64_t s = cpu.original.size(2);
    VisualColumn original{"original + grid", drawGrid(cpu.original, grid)};
    VisualColumn mixed{"scrambled (tile numbers)", composeTiles(scrambled, grid, s)};
    mixed.gridN = grid;
    mixed.cellLabels = perms;
    for (int64_t i = 0; i < perms.size(0); ++i) {
        mixed.captions.push_back("π #" + std::to_string(cpu.target[i].item<int64_t>()));
    }
    VisualColumn seen{"as the model sees them", composeTiles(stretchTiles(cpu.input), grid, s)};
    VisualColumn solved{"solved by π⁻¹", composeTiles(unscrambleTiles(scrambled, perms), grid, s)};
    return {original, mixed, seen, solved};
}

std::vector<VisualColumn> JigsawTask::resultColumns(const Batch& batch, const torch::Tensor& output,
                                                    const ParamValues&) const {
    auto cpu = batch.to(torch::kCPU);
    const auto& perms = cpu.extras.at("perms");
    const auto& scrambled = cpu.extras.at("scrambled");
    const int64_t tiles = perms.size(1), s = cpu.original.size(2);
    const int grid = static_cast<int>(std::lround(std::sqrt(static_cast<double>(tiles))));
    auto predicted = predictedPerms(output.detach().to(torch::kCPU), cpu);
    // The model says position i holds tile predicted[i]: put it back in cell predicted[i].
    // A position head may claim one cell twice; the later tile then covers the earlier.
    auto arranged = torch::zeros_like(scrambled);
    auto wrong = torch::zeros({perms.size(0), tiles}, torch::kBool);
    for (int64_t b = 0; b < perms.size(0); ++b) {
        for (int64_t i = 0; i < tiles; ++i) {
            const int64_t cell = predicted[b][i].item<int64_t>();
            arranged[b][cell].copy_(scrambled[b][i]);
            wrong[b][cell] = predicted[b][i].item<int64_t>() != perms[b][i].item<int64_t>();
        }
    }
    VisualColumn input{"scrambled input", composeTiles(scrambled, grid, s)};
    VisualColumn guess{"model's arrangement", composeTiles(arranged, grid, s)};
    guess.gridN = grid;
    guess.cellWrong = wrong;
    const auto correct = (predicted == perms).all(1);
    for (int64_t b = 0; b < perms.size(0); ++b) {
        const int wrongCount = static_cast<int>(wrong[b].sum().item<int64_t>());
        guess.captions.push_back(correct[b].item<bool>() ? "solved"
                                                         : std::to_string(wrongCount) + " wrong");
    }
    VisualColumn truth{"true solution", composeTiles(unscrambleTiles(scrambled, perms), grid, s)};
    return {input, guess, truth};
}

std::string JigsawTask::describe(const ParamValues& params, uint64_t seed) const {
    std::ostringstream out;
    out.precision(2);
    out << std::fixed;
    try {
        const auto set = permutations(params, seed);
        out << "|P| = " << set->perms.size() << " permutations of " << set->tiles
            << " tiles; Hamming distance min " << set->minHamming << ", mean " << set->meanHamming;
    } catch (const std::exception& e) {
        out << e.what();
    }
    return out.str();
}

JigsawNetImpl::JigsawNetImpl(const EncoderOptions& options, int64_t tiles, int64_t classes)
    : m_tiles(tiles), m_positionHead(classes == 0) {
    const int64_t outputs = m_positionHead ? tiles * tiles : classes;
    m_encoder = register_module("encoder", Encoder(options));
    const int64_t perTile = 128;
    // A 2x2 feature map per tile keeps where in the tile things are (an edge at the
    // left, a corner at the top): global pooling would throw away what the puzzle needs.
    m_tileFc = register_module("tile_fc", torch::nn::Linear(m_encoder->outChannels() * 4, perTile));
    m_fc1 = register_module("fc1", torch::nn::Linear(tiles * perTile, 512));
    m_fc2 = register_module("fc2", torch::nn::Linear(512, outputs));
}

torch::Tensor JigsawNetImpl::forward(torch::Tensor tiles) {
    const int64_t b = tiles.size(0);
    auto x = tiles.flatten(0, 1); // every tile through the same encoder
    auto features =
        F::adaptive_avg_pool2d(m_encoder->forward(x), F::AdaptiveAvgPool2dFuncOptions(2))
            .flatten(1);
    auto perTile = torch::relu(m_tileFc->forward(features)).view({b, -1});
    auto logits = m_fc2->forward(torch::relu(m_fc1->forward(perTile)));
    return m_positionHead ? logits.view({b, m_tiles, m_tiles}) : logits;
}

int64_t JigsawNetImpl::forwardFlops(const std::vector<int64_t>& sampleShape) {
    FeatureShape tile = imageShape(sampleShape);
    return m_tiles * (m_encoder->flops(tile) + linearFlops(m_tileFc)) + linearFlops(m_fc1) +
           linearFlops(m_fc2);
}

} // namespace pretext
