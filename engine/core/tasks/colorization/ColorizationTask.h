#pragma once
// Colorization (Zhang, Isola & Efros 2016; Larsson et al. 2016): the network sees the
// lightness L of an image and predicts its colour, either by regression on a and b
// (the seed's MSE over H·W·C) or as a distribution over quantized ab bins, trained
// with soft targets and class rebalancing and decoded by an annealed mean.
#include "tasks/Task.h"
#include "tasks/colorization/AbBins.h"

namespace pretext {

enum class ColorMode { Regression = 0, Classes = 1 };

class ColorizationTask : public Task {
public:
    // An image whose mean chroma (Lab units) is below this has no colour to learn.
    static constexpr double kGrayChroma = 3.0;
    // Regression predicts a/110 and b/110, inside [-1,1] for every sRGB colour.
    static constexpr double kAbScale = 110.0;
    // The class head predicts at a quarter of the input resolution, as in the paper.
    static constexpr int64_t kClassStride = 4;

    ColorizationTask();
    const TaskInfo& info() const override { return m_info; }
    Batch makeBatch(const torch::Tensor& images, BatchContext& context) const override;
    std::shared_ptr<TaskModelImpl> makeModel(const ParamValues& params) const override;
    LossOutput loss(const torch::Tensor& output, const Batch& batch,
                    const ParamValues& params) const override;
    torch::Tensor objective(const torch::Tensor& output, const Batch& batch,
                            const ParamValues& params) const override;
    torch::Tensor probeInput(const torch::Tensor& images, const ParamValues& params) const override;
    std::vector<VisualColumn> previewColumns(const Batch& batch) const override;
    std::vector<VisualColumn> resultColumns(const Batch& batch, const torch::Tensor& output,
                                            const ParamValues& params) const override;
    std::shared_ptr<const DataStats> analyze(const torch::Tensor& images) const override;
    std::vector<Figure> dataFigures(const DataStats& stats,
                                    const ParamValues& params) const override;
    std::string describe(const ParamValues& params, uint64_t seed) const override;
    ClosedForm closedForm(const torch::Tensor& output, const Batch& batch,
                          const ParamValues& params) const override;

    // The predicted ab (B,2,H,W) in Lab units at the input's resolution, for either
    // mode's output; T is the class mode's decoding temperature.
    static torch::Tensor decodeAb(const torch::Tensor& output, int64_t height, int64_t width,
                                  double temperature);

private:
    TaskInfo m_info;
};

// The seed's regression loss: L = (1/(B·H·W·C)) Σ (x̂ − x)², so ∂L/∂x̂ = 2/(B·H·W·C) (x̂ − x).
torch::Tensor colorRegressionLoss(const torch::Tensor& prediction, const torch::Tensor& target);
// Rebalanced multinomial cross-entropy: mean over pixels of
// v(Z) · (−Σ_q Z_q log Ẑ_q), Z the soft target over its K bins, v the pixel's weight.
torch::Tensor colorClassLoss(const torch::Tensor& logits, const SoftEncoding& target,
                             const torch::Tensor& pixelWeights);

// Encoder on L, one upsampling stage back to a quarter of the input size, and a 1x1
// convolution to one logit per ab bin.
class ColorClassNetImpl : public TaskModelImpl {
public:
    ColorClassNetImpl(const EncoderOptions& options, int64_t bins);
    torch::Tensor forward(torch::Tensor x) override; // (B,1,H,W) -> (B,Q,H/4,W/4)
    Encoder encoder() override { return m_encoder; }
    int64_t forwardFlops(const std::vector<int64_t>& sampleShape) override;

private:
    Encoder m_encoder{nullptr};
    torch::nn::Sequential m_head{nullptr};
};

} // namespace pretext
