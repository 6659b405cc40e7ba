#pragma once
// Inpainting (Context Encoders, MAE-style masking): the network sees x ⊙ m plus
// the mask and predicts the hidden pixels; loss = MSE over the hidden set M only.
#include "tasks/Task.h"
#include "tasks/inpainting/Masks.h"

namespace pretext {

class InpaintingTask : public Task {
public:
    InpaintingTask();
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
    ClosedForm closedForm(const torch::Tensor& output, const Batch& batch,
                          const ParamValues& params) const override;

    static MaskOptions maskOptions(const ParamValues& params);

private:
    TaskInfo m_info;
};

enum class FillMode { Zero = 0, Mean = 1, Noise = 2 };

// L = Σ_M w (x̂ − x)² / Σ_M w over the hidden entries M (every channel of a hidden
// pixel), w = 1 except on the hole's rim where it is borderWeight. With
// borderWeight = 1 this is exactly (1/|M|) Σ_M (x̂ − x)², whose gradient is
// 2/|M| (x̂ − x) on M and 0 elsewhere.
torch::Tensor maskedMse(const torch::Tensor& prediction, const torch::Tensor& target,
                        const torch::Tensor& mask, double borderWeight = 1.0, int64_t borderPx = 0);

} // namespace pretext
