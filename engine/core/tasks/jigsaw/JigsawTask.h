#pragma once
// Jigsaw puzzles (Noroozi & Favaro 2016): an image cut into N x N tiles, shuffled by
// a permutation from a maximal-Hamming set; a context-free network (one encoder
// shared by every tile) predicts the permutation.
#include "tasks/Task.h"
#include "tasks/jigsaw/Permutations.h"
#include "tasks/jigsaw/Puzzles.h"

#include <map>
#include <mutex>
#include <tuple>

namespace pretext {

enum class JigsawHead { Permutation = 0, Position = 1 };

class JigsawTask : public Task {
public:
    JigsawTask();
    const TaskInfo& info() const override { return m_info; }
    int64_t encoderInputPx(int64_t imagePx, const ParamValues& params) const override;
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
    std::string describe(const ParamValues& params, uint64_t seed) const override;

    static TileOptions tileOptions(const ParamValues& params);
    // The permutation set for these parameters, computed once and kept.
    std::shared_ptr<const PermutationSet> permutations(const ParamValues& params,
                                                       uint64_t seed) const;
    // (B,N²) predicted arrangement: which original tile the model puts at each position.
    // The output is (B,|P|) logits for the permutation head, (B,N²,N²) for the position head.
    torch::Tensor predictedPerms(const torch::Tensor& output, const Batch& batch) const;

private:
    TaskInfo m_info;
    mutable std::mutex m_cacheMutex;
    mutable std::map<std::tuple<int, int, uint64_t>, std::shared_ptr<const PermutationSet>> m_cache;
};

// Cross-entropy over permutation indices: mean over the batch of −log p(k | x^π).
torch::Tensor permutationLoss(const torch::Tensor& logits, const torch::Tensor& index);
// The seed's formula: mean over the batch of −Σ_i log p(π⁻¹_i | x^π), one softmax
// over tiles per position i. logits (B,N²,N²), perms (B,N²).
torch::Tensor positionLoss(const torch::Tensor& logits, const torch::Tensor& perms);

// Encoder applied to every tile with shared weights, per-tile features concatenated
// in position order, then an MLP head. classes = |P| gives (B,|P|) logits;
// classes = 0 the position head's (B,N²,N²), one row of tile logits per position.
class JigsawNetImpl : public TaskModelImpl {
public:
    JigsawNetImpl(const EncoderOptions& options, int64_t tiles, int64_t classes);
    torch::Tensor forward(torch::Tensor tiles) override; // (B,N²,3,t,t) -> logits
    Encoder encoder() override { return m_encoder; }
    int64_t forwardFlops(const std::vector<int64_t>& sampleShape) override;

private:
    int64_t m_tiles;
    bool m_positionHead;
    Encoder m_encoder{nullptr};
    torch::nn::Linear m_tileFc{nullptr};
    torch::nn::Linear m_fc1{nullptr};
    torch::nn::Linear m_fc2{nullptr};
};

} // namespace pretext
