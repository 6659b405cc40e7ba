#pragma once
// Data-parallel gradients: the parameters' gradients averaged over all ranks by bucketed
// all-reduces that start while backward still runs. Buckets hold the parameters in
// reverse order (the order backward reaches them) up to a size cap; a bucket is sent as
// soon as its last gradient arrives and every bucket before it has been sent, so all
// ranks issue the same collectives in the same order.
#include "Communicator.h"

#include <torch/nn/module.h>

#include <memory>
#include <mutex>
#include <vector>

namespace pretext {

struct SyncFigures {
    int64_t bytes = 0; // sent into the all-reduces per step (each rank's gradients)
    int buckets = 0;
    double waitMs = 0.0; // finish() blocked on the all-reduces (not hidden behind backward)
    double spanMs = 0.0; // the first bucket sent to the last one reduced
};

class GradientSync {
public:
    // Hooks every parameter of `module` that requires a gradient. bucketMb: the size cap.
    GradientSync(torch::nn::Module& module, std::shared_ptr<Communicator> comm,
                 double bucketMb = 25.0);
    ~GradientSync();
    GradientSync(const GradientSync&) = delete;
    GradientSync& operator=(const GradientSync&) = delete;

    // Before a step's backward passes: `microBatches` passes add into the buckets, the
    // last one sends them.
    void begin(int microBatches = 1);
    // Before each backward pass of the step.
    void beforeBackward();
    // After the last backward: sends what is left, waits, and writes the average into
    // each parameter's .grad. DistError when a rank stopped.
    void finish();
    // Figures of the last finished step.
    const SyncFigures& figures() const { return m_figures; }
    int bucketCount() const { return static_cast<int>(m_buckets.size()); }

private:
    struct Bucket {
        torch::Tensor flat;
        std::vector<size_t> params; // indices into m_params
        int missing = 0;            // gradients not yet arrived in the last pass
        std::unique_ptr<PendingReduce> pending;
        bool sent = false;
    };
    void onGradient(size_t param, const torch::Tensor& grad);
    void sendReady(); // under m_mutex

    std::shared_ptr<Communicator> m_comm;
    std::vector<torch::Tensor> m_params;
    std::vector<unsigned> m_hooks;                   // per parameter, for removal
    std::vector<std::pair<size_t, int64_t>> m_where; // per parameter: bucket, offset
    std::vector<Bucket> m_buckets;
    std::mutex m_mutex;
    bool m_active = false;
    int m_passesLeft = 0;
    size_t m_nextToSend = 0;
    std::chrono::steady_clock::time_point m_firstSent;
    SyncFigures m_figures;
};

} // namespace pretext
