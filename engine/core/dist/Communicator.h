#pragma once
// One rank's membership of a data-parallel run on PyTorch's distributed runtime (c10d):
// the TCPStore rendezvous (rank 0 hosts it), a Gloo process group for CPU tensors or an
// NCCL one for CUDA tensors, and the few collectives training needs. A collective that
// fails names the rank that stopped, from what the others left in the store.
#include "DistEnv.h"

#include <torch/types.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pretext {

// A distributed run cannot go on (a rank died or hangs, the configurations differ, the
// rendezvous failed); the message is for a person and names the rank concerned.
class DistError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An all-reduce in flight (GradientSync's buckets).
class PendingReduce {
public:
    virtual ~PendingReduce() = default;
    // Blocks until done; DistError (naming the rank that stopped) when it failed.
    virtual void wait() = 0;
};

class Communicator {
public:
    // Rendezvous and process group; throws DistError for a person (port in use, rank 0
    // unreachable within the timeout, a backend this LibTorch lacks). `device` picks the
    // backend "auto" means: NCCL for CUDA when built with it, else Gloo.
    static std::shared_ptr<Communicator> join(const DistSettings& settings,
                                              const torch::Device& device);
    virtual ~Communicator() = default;

    int rank() const { return m_settings.rank; }
    int worldSize() const { return m_settings.worldSize; }
    const DistSettings& settings() const { return m_settings; }
    const std::string& backend() const { return m_backend; }
    std::string describe() const { return describeDist(m_settings, m_backend); }
    // The training step under way, for messages ("at step 12").
    void setStep(int64_t step) { m_step = step; }

    // Each rank says whether `phase` went well for it (an empty `error`) and waits for the
    // others; throws DistError on every rank when one failed, naming it and its message,
    // or when one did not answer within the timeout.
    void settle(const std::string& phase, const std::string& error = {});
    // Refuses (DistError on every rank) a run whose ranks disagree on a field that must be
    // the same (task, backbone, seed...): `fields` are name and value pairs.
    void checkSameConfig(const std::vector<std::pair<std::string, std::string>>& fields);
    // Posts this rank's own reason for stopping (not a failed collective: bad data, a full
    // disk), so that the others can name it in their message.
    void announceFailure(const std::string& message) noexcept;

    // In place, from rank 0 (one flattened transfer per dtype and device).
    void broadcast(std::vector<torch::Tensor> tensors);
    // In place sum over ranks, blocking.
    void allreduceSum(torch::Tensor& tensor);
    // In place sum over ranks, started now; the caller keeps `tensor` alive until wait().
    virtual std::unique_ptr<PendingReduce> allreduceSumAsync(torch::Tensor tensor) = 0;

    // Rethrows a failure of a collective as DistError naming the ranks that stopped.
    [[noreturn]] void failed(const std::string& during, const std::exception& cause);

protected:
    Communicator(DistSettings settings, std::string backend)
        : m_settings(std::move(settings)), m_backend(std::move(backend)) {}
    virtual void broadcastFlat(torch::Tensor& flat) = 0;
    // The store: set, check a key, get, with the run's timeout.
    virtual void storeSet(const std::string& key, const std::string& value) = 0;
    virtual bool storeCheck(const std::string& key) = 0;
    virtual std::string storeGet(const std::string& key) = 0;
    std::chrono::milliseconds timeout() const { return std::chrono::seconds(m_settings.timeoutS); }

    DistSettings m_settings;
    std::string m_backend;
    int64_t m_step = 0;
    int m_settled = 0; // phases settled so far (keys are numbered by it)
};

} // namespace pretext
