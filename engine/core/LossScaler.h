#pragma once
// Dynamic loss scaling for float16 training (the scheme of torch.cuda.amp.GradScaler and
// of Micikevicius et al., "Mixed Precision Training", 2018): float16 flushes gradients
// below ~6e-8 to zero, so the loss is multiplied by a large scale before backward and
// the gradients divided by it before the update. When any gradient overflowed (inf or
// NaN) the update is skipped and the scale halved; after `growthInterval` clean updates
// in a row it doubles again. bfloat16 has float32's range and needs none of this.
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace pretext {

struct LossScaleOptions {
    double initialScale = 65536.0; // 2^16, GradScaler's default
    double growthFactor = 2.0;
    double backoffFactor = 0.5;
    int64_t growthInterval = 2000;
    // Skipped updates in a row after which training is judged to have diverged (the
    // scale has fallen by 2^limit): overflow that halving cannot cure is a NaN, not fp16.
    int64_t maxSkippedInARow = 30;
};

class LossScaler {
public:
    explicit LossScaler(LossScaleOptions options = {});

    // The scale the next backward's loss is multiplied by.
    double scale() const { return m_scale; }
    torch::Tensor scaled(const torch::Tensor& loss) const { return loss * m_scale; }

    // Divides every defined gradient by the scale and says whether all are finite, with
    // one read-back for all of them. A non-finite gradient stays as it is.
    bool unscale(const std::vector<torch::Tensor>& parameters) const;

    // After each would-be update: `finite` from unscale(). Returns false when the update
    // must be skipped (and then halves the scale), true when it may go ahead (and then
    // counts towards growth).
    bool update(bool finite);

    int64_t skippedInARow() const { return m_skippedInARow; }
    int64_t skippedTotal() const { return m_skippedTotal; }
    bool diverged() const { return m_skippedInARow >= m_options.maxSkippedInARow; }

    // For a checkpoint: the scale and the clean updates since it last changed.
    torch::Tensor state() const;
    void loadState(const torch::Tensor& state);

private:
    LossScaleOptions m_options;
    double m_scale;
    int64_t m_cleanInARow = 0;
    int64_t m_skippedInARow = 0;
    int64_t m_skippedTotal = 0;
};

} // namespace pretext
