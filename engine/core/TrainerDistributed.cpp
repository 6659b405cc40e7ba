// The trainer as one rank of a distributed run (dist/): joining the group, the buffers
// from rank 0 at each step, the loss and metrics averaged over the ranks. The batches'
// shares are drawn in TrainerSamples.cpp, the gradients averaged in applyGradients.
#include "Trainer.h"

#include "Rng.h"
#include "dist/SyncBatchNorm.h"

#include <torch/torch.h>

namespace pretext {

void Trainer::joinGroup(std::shared_ptr<Communicator> comm, double bucketMb) {
    if (!comm || comm->worldSize() < 2) {
        return;
    }
    if (epochSize() < comm->worldSize()) {
        throw TrainingError("the run has " + std::to_string(epochSize()) +
                            " training samples, fewer than its " +
                            std::to_string(comm->worldSize()) + " ranks");
    }
    m_comm = std::move(comm);
    std::vector<torch::Tensor> state = m_model->parameters();
    for (const auto& b : m_model->buffers()) {
        state.push_back(b);
    }
    m_comm->broadcast(state);
    // The order stream stays common (rank 0's, after a resume every rank's); the tasks'
    // draws (masks, puzzles) get a stream per rank, so the ranks' batches differ in them too.
    m_orderGenerator = m_context.generator.clone();
    m_context.generator = makeGenerator(
        m_config.seed ^ (0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(m_comm->rank() + 1)) ^
        static_cast<uint64_t>(m_step));
    if (m_config.syncBatchNorm) {
        synchroniseBatchNorm(*m_model, m_comm);
    }
    m_sync = std::make_unique<GradientSync>(*m_model, m_comm, bucketMb);
}

void Trainer::beginDistributedStep() {
    if (!m_comm) {
        return;
    }
    m_comm->setStep(m_step + 1);
    auto buffers = m_model->buffers();
    if (!buffers.empty()) {
        m_comm->broadcast(buffers);
    }
}

void Trainer::averageOverRanks(double* loss, std::map<std::string, double>* metrics) {
    std::vector<double> values{*loss};
    if (metrics != nullptr) {
        for (const auto& [name, value] : *metrics) { // the same names, in the same order
            values.push_back(value);
        }
    }
    auto t = torch::tensor(values, torch::kDouble);
    m_comm->allreduceSum(t);
    t.div_(static_cast<double>(m_comm->worldSize()));
    const double* v = t.data_ptr<double>();
    *loss = v[0];
    if (metrics != nullptr) {
        size_t i = 1;
        for (auto& item : *metrics) {
            item.second = v[i++];
        }
    }
}

} // namespace pretext
