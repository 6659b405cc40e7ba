// The trainer saved and restored: the checkpoint archive (model, optimizer, step, the
// sampling stream and the epoch's place, the rate in force, the loss scale) that makes a
// resumed run compute what an uninterrupted one would have.
#include "Trainer.h"

#include <torch/torch.h>

#include <sstream>

namespace pretext {

std::string Trainer::checkpointBytes(const std::string& configJson) {
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive modelArchive, optimArchive;
    m_model->save(modelArchive);
    m_optimizer->save(optimArchive);
    archive.write("model", modelArchive);
    archive.write("optimizer", optimArchive);
    archive.write("step", torch::tensor(m_step, torch::kLong));
    archive.write("task", c10::IValue(m_config.task));
    archive.write("config", c10::IValue(configJson));
    // The rate in force (it may have been changed during the run), for a resume.
    archive.write("learning_rate", torch::tensor(m_config.learningRate, torch::kDouble));
    // The sampling stream: with it, the batches after a resume are the ones an
    // uninterrupted run would have drawn.
    archive.write("rng_state", m_orderGenerator.get_state());
    archive.write("epoch_order", m_order.defined() ? m_order : torch::empty({0}, torch::kLong));
    archive.write("epoch_cursor", torch::tensor(m_cursor, torch::kLong));
    archive.write("epoch", torch::tensor(m_epoch, torch::kLong));
    if (m_scaler) {
        archive.write("loss_scale", m_scaler->state());
    }
    std::ostringstream out;
    archive.save_to(out);
    return out.str();
}

void openCheckpoint(torch::serialize::InputArchive& archive, const std::string& bytes,
                    const torch::Device& device, const std::string& task) {
    try {
        archive.load_from(bytes.data(), bytes.size(), device);
    } catch (const c10::Error&) {
        throw TrainingError("the file is not a checkpoint this program can read (not a LibTorch "
                            "archive, or cut short)");
    }
    c10::IValue name;
    if (!archive.try_read("task", name) || !name.isString()) {
        throw TrainingError("the file holds no task name: not a checkpoint of this program");
    }
    if (!task.empty() && name.toStringRef() != task) {
        throw TrainingError("the checkpoint is of task '" + name.toStringRef() + "', not '" + task +
                            "'");
    }
}

void loadCheckpointModel(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                         const std::string& task) {
    try {
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        model.load(modelArchive);
    } catch (const c10::Error&) {
        throw TrainingError("the checkpoint's model does not fit this configuration of " + task +
                            " (were its parameters changed?)");
    }
}

std::string Trainer::loadCheckpoint(const std::string& bytes) {
    torch::serialize::InputArchive archive;
    openCheckpoint(archive, bytes, m_device, m_config.task);
    loadCheckpointModel(archive, *m_model, m_config.task);
    c10::IValue config;
    torch::serialize::InputArchive optimArchive;
    archive.read("optimizer", optimArchive);
    m_optimizer->load(optimArchive);
    // The learning rate is the one this trainer was given (the caller decides between
    // the run's setting and the rate in force at the checkpoint: savedLearningRate()).
    setLearningRate(m_config.learningRate);
    torch::Tensor savedRate;
    m_savedLearningRate.reset();
    if (archive.try_read("learning_rate", savedRate)) {
        m_savedLearningRate = savedRate.item<double>();
    }
    torch::Tensor step, rng, order, cursor;
    archive.read("step", step);
    m_step = step.item<int64_t>();
    archive.read("rng_state", rng);
    m_orderGenerator.set_state(rng.to(torch::kCPU));
    archive.read("epoch_order", order);
    m_order = order.numel() > 0 ? order.to(torch::kCPU) : torch::Tensor();
    archive.read("epoch_cursor", cursor);
    m_cursor = cursor.item<int64_t>();
    torch::Tensor epoch;
    m_epoch =
        archive.try_read("epoch", epoch) ? epoch.item<int64_t>() : (m_order.defined() ? 1 : 0);
    torch::Tensor lossScale;
    if (m_scaler && archive.try_read("loss_scale", lossScale)) {
        m_scaler->loadState(lossScale.to(torch::kCPU));
    }
    archive.try_read("config", config);
    return config.isString() ? config.toStringRef() : std::string();
}

} // namespace pretext
