#pragma once
// Temporal order of video frames: verify whether three frames are in order (Misra
// et al. 2016) or predict the order of T shuffled frames (Lee et al. 2017 classes,
// or the seed's −Σₜ log p(π⁻¹ₜ | X^π) over positions). Tuples come from windows of
// consecutive frames that move enough (Trainer and planWindows pick them).
#include "tasks/Task.h"
#include "tasks/temporal/Tuples.h"

namespace pretext {

enum class TemporalVariant { Verify = 0, Sort = 1 };
enum class TemporalHead { Classes = 0, Position = 1 };

class TemporalOrderTask : public Task {
public:
    TemporalOrderTask();
    const TaskInfo& info() const override { return m_info; }
    Batch makeBatch(const torch::Tensor& clips, BatchContext& context) const override;
    std::shared_ptr<TaskModelImpl> makeModel(const ParamValues& params) const override;
    LossOutput loss(const torch::Tensor& output, const Batch& batch,
                    const ParamValues& params) const override;
    torch::Tensor objective(const torch::Tensor& output, const Batch& batch,
                            const ParamValues& params) const override;
    torch::Tensor probeInput(const torch::Tensor& images, const ParamValues& params) const override;
    std::vector<VisualColumn> previewColumns(const Batch& batch) const override;
    std::vector<VisualColumn> resultColumns(const Batch& batch, const torch::Tensor& output,
                                            const ParamValues& params) const override;
    WindowSpec windows(const ParamValues& params) const override;
    std::string describe(const ParamValues& params, uint64_t seed) const override;

    // The time index the model gives each shown frame (B,T), for the sort variant.
    static torch::Tensor predictedOrder(const torch::Tensor& output, const Batch& batch);

private:
    TaskInfo m_info;
};

// Frame encoder with shared weights over the frames, a feature vector per frame, and
// a small head: Misra's concatenation for verification, Lee's pairwise fusion (one
// layer on every pair of frames, then the pairs together) for order prediction.
class TemporalNetImpl : public TaskModelImpl {
public:
    TemporalNetImpl(const EncoderOptions& options, int64_t frames, int64_t outputs, bool pairwise,
                    bool positionHead);
    torch::Tensor forward(torch::Tensor clips) override; // (B,K,3,S,S)
    Encoder encoder() override { return m_encoder; }
    int64_t forwardFlops(const std::vector<int64_t>& sampleShape) override;

private:
    int64_t m_frames;
    bool m_pairwise;
    bool m_positionHead;
    Encoder m_encoder{nullptr};
    torch::nn::Linear m_frameFc{nullptr}, m_pairFc{nullptr}, m_fc1{nullptr}, m_fc2{nullptr};
};

} // namespace pretext
