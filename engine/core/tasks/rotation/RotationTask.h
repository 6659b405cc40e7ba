#pragma once
// Rotation prediction (Gidaris, Singh & Komodakis 2018): every image of the batch is
// shown in all four rotations, 0°, 90°, 180° and 270°, and the network names the
// rotation; four-way cross-entropy. The literature's strong, simple baseline: to tell
// which way is up, a network has to recognize what is in the picture.
#include "tasks/Task.h"

namespace pretext {

class RotationTask : public Task {
public:
    RotationTask();
    const TaskInfo& info() const override { return m_info; }
    // images (B,3,H,W) -> input (4B,3,H,W): the B images turned by 0°, then by 90°,
    // 180° and 270° (counter-clockwise); target (4B) the rotation index 0..3.
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
    // The classes are the turns: 0°, 90°, 180°, 270°.
    std::vector<std::string> classLabels(const Batch& batch, int64_t classes) const override;

    static constexpr int kRotations = 4;
    // (4,4) counts of held-out samples by true rotation (rows) and predicted (columns).
    static torch::Tensor confusion(const torch::Tensor& logits, const torch::Tensor& target);

private:
    TaskInfo m_info;
};

// The encoder on one rotated image, a 2x2 map kept (where things are is the cue), two
// linear layers to the four rotation logits.
class RotationNetImpl : public TaskModelImpl {
public:
    RotationNetImpl(const EncoderOptions& options, int64_t classes);
    torch::Tensor forward(torch::Tensor images) override; // (N,3,H,W) -> (N,4)
    Encoder encoder() override { return m_encoder; }
    int64_t forwardFlops(const std::vector<int64_t>& sampleShape) override;

private:
    Encoder m_encoder{nullptr};
    torch::nn::Linear m_fc1{nullptr};
    torch::nn::Linear m_fc2{nullptr};
};

} // namespace pretext
