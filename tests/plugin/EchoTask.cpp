// The test task's engine side: LibTorch only, as a task under engine/core/tasks is.
#include "EchoTask.h"

#include "Models.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

namespace echotask {

namespace {
using namespace pretext;

class EchoTask : public Task {
public:
    EchoTask() {
        m_info.name = kName;
        m_info.title = kTitle;
        m_info.lossFormula = "L = (1/BHWC) Σ (x̂ − x)²";
        m_info.mathIntro = kIntro;
        m_info.mathForm = "mse";
        m_info.learningRate = 2e-3;
        ParamSpec base;
        base.name = "base_channels";
        base.label = "Base channels";
        base.kind = ParamSpec::Kind::Int;
        base.minValue = 4;
        base.maxValue = 64;
        base.defaultValue = 8;
        base.step = 4;
        base.help = "Channels of the encoder's first stage";
        m_info.params = {base};
    }
    const TaskInfo& info() const override { return m_info; }
    Batch makeBatch(const torch::Tensor& images, BatchContext& /*context*/) const override {
        Batch batch;
        batch.original = images;
        batch.input = images;
        batch.target = images;
        return batch;
    }
    std::shared_ptr<TaskModelImpl> makeModel(const ParamValues& params) const override {
        EncoderOptions options;
        options.baseChannels = static_cast<int64_t>(params.at("base_channels"));
        // No forwardFlops of its own: the benchmark counts it by the default.
        return std::make_shared<EncoderDecoderImpl>(options, 3);
    }
    LossOutput loss(const torch::Tensor& output, const Batch& batch,
                    const ParamValues& /*params*/) const override {
        LossOutput out;
        out.loss = torch::mse_loss(output, batch.target);
        return out;
    }
    std::vector<VisualColumn> previewColumns(const Batch& batch) const override {
        return {{"image x", batch.original.to(torch::kCPU)}};
    }
    std::vector<VisualColumn> resultColumns(const Batch& batch, const torch::Tensor& output,
                                            const ParamValues& /*params*/) const override {
        return {{"image x", batch.original.to(torch::kCPU)},
                {"echo x̂", output.detach().clamp(0, 1).to(torch::kCPU)}};
    }
    ClosedForm closedForm(const torch::Tensor& output, const Batch& batch,
                          const ParamValues& /*params*/) const override {
        return mseClosedForm(output, batch.target);
    }

private:
    TaskInfo m_info;
};
} // namespace

bool registerEchoTask() {
    return pretext::registerTask(kName, [] { return std::make_unique<EchoTask>(); });
}

} // namespace echotask
