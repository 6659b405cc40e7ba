// Mixed precision: which precision a device takes, and float16's dynamic loss scaling,
// on its own (the scale's course) and in the trainer (an overflowed update skipped, the
// scale in the checkpoint). The CPU has no float16 autocast, so the trainer's scaling is
// checked on float32 runs with TrainConfig::lossScaling, the path fp16 takes on CUDA.
// And the memory layout that goes with it on a GPU (channels-last), checked on the CPU.
#include "../common/SmallRuns.h"
#include "DemoData.h"
#include "DeviceInfo.h"
#include "LossScaler.h"
#include "Precision.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

namespace {
std::vector<torch::Tensor> copies(const std::vector<torch::Tensor>& params) {
    std::vector<torch::Tensor> out;
    for (const auto& p : params) {
        out.push_back(p.detach().clone());
    }
    return out;
}

double maxDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    double worst = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
    }
    return worst;
}
} // namespace

class TestPrecision : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void devicesTakeTheirPrecision() {
        const torch::Device cpu(torch::kCPU);
        QCOMPARE(resolvePrecision("amp", cpu), std::string("bf16"));
        QCOMPARE(resolvePrecision("fp32", cpu), std::string("fp32"));
        QCOMPARE(resolvePrecision("bf16", cpu), std::string("bf16"));
        QCOMPARE(computesBfloat16(cpu).value_or(false), true);
        try {
            resolvePrecision("fp16", cpu);
            QFAIL("fp16 on the CPU was accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("CUDA"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resolvePrecision("fp8", cpu));
        QCOMPARE(deviceLabel(cpu), std::string("cpu"));
        QVERIFY(!takePeakMemory(cpu).has_value());
        // A trainer refuses fp16 on the CPU with the reason, before any step.
        TrainConfig cfg = smallRotation();
        cfg.precision = "fp16";
        try {
            Trainer trainer(cfg, makeDemoImages(8, 32, 1));
            QFAIL("a float16 run on the CPU started");
        } catch (const TrainingError& e) {
            QVERIFY2(QString(e.what()).contains("bfloat16"), e.what());
        }
        cfg.precision = "amp";
        Trainer trainer(cfg, makeDemoImages(8, 32, 1));
        QCOMPARE(trainer.config().precision, std::string("bf16"));
    }

    // The scale multiplies the loss, unscale() divides the gradients back; overflow halves
    // it and skips; growthInterval clean updates double it.
    void theScaleFollowsOverflow() {
        LossScaleOptions o;
        o.initialScale = 1024.0;
        o.growthInterval = 3;
        o.maxSkippedInARow = 4;
        LossScaler scaler(o);
        auto w = torch::tensor({1.0f, -2.0f}, torch::requires_grad());
        scaler.scaled((w * w).sum()).backward();
        QVERIFY(scaler.unscale({w}));
        QVERIFY(torch::allclose(w.grad(), 2 * w.detach())); // d/dw Σw² = 2w, unscaled
        QVERIFY(scaler.update(true));
        QCOMPARE(scaler.scale(), 1024.0);

        w.mutable_grad().fill_(std::numeric_limits<float>::infinity());
        QVERIFY(!scaler.unscale({w}));
        QVERIFY(!scaler.update(false));
        QCOMPARE(scaler.scale(), 512.0);
        QCOMPARE(scaler.skippedTotal(), int64_t{1});
        w.mutable_grad().fill_(std::nan(""));
        QVERIFY(!scaler.unscale({w}));

        for (int i = 0; i < 3; ++i) { // three clean updates: doubled
            QVERIFY(scaler.update(true));
        }
        QCOMPARE(scaler.scale(), 1024.0);
        QCOMPARE(scaler.skippedInARow(), int64_t{0});

        for (int i = 0; i < 4; ++i) {
            QVERIFY(!scaler.diverged());
            scaler.update(false);
        }
        QVERIFY(scaler.diverged());
        QCOMPARE(scaler.scale(), 64.0);

        LossScaler restored(o);
        restored.loadState(scaler.state());
        QCOMPARE(restored.scale(), 64.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, restored.loadState(torch::zeros({2})));
        o.backoffFactor = 1.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LossScaler{o});
    }

    // Scaling by a power of two and back is exact: a scaled float32 run computes an
    // unscaled one's parameters.
    void scaledTrainingEqualsUnscaled() {
        TrainConfig plain = smallRotation();
        TrainConfig scaled = plain;
        scaled.lossScaling = true;
        Trainer a(plain, makeDemoImages(16, 32, 1));
        Trainer b(scaled, makeDemoImages(16, 32, 1));
        for (int i = 0; i < 3; ++i) {
            const StepResult ra = a.step();
            const StepResult rb = b.step();
            QCOMPARE(rb.loss, ra.loss);
            QVERIFY(!ra.metrics.count("loss_scale"));
            QCOMPARE(rb.metrics.at("loss_scale"), 65536.0);
        }
        const double worst = maxDifference(a.model().parameters(), b.model().parameters());
        qInfo("largest parameter difference after 3 steps: %g", worst);
        QVERIFY2(worst <= 1e-6, qPrintable(QString::number(worst)));
    }

    // An overflowed step: its update skipped (the model as it was), the step counted, the
    // scale halved and said so; training goes on, and a checkpoint keeps the scale.
    void anOverflowedUpdateIsSkipped() {
        TrainConfig cfg = smallRotation();
        cfg.lossScaling = true;
        cfg.faults.nanGradientAtStep = 2;
        Trainer trainer(cfg, makeDemoImages(16, 32, 1));
        trainer.step();
        const auto before = copies(trainer.model().parameters());
        const StepResult skipped = trainer.step();
        QCOMPARE(skipped.step, int64_t{2});
        QVERIFY2(QString::fromStdString(skipped.note).contains("skipped"), skipped.note.c_str());
        QCOMPARE(skipped.metrics.at("loss_scale"), 65536.0);
        QCOMPARE(maxDifference(before, trainer.model().parameters()), 0.0);
        const StepResult next = trainer.step();
        QCOMPARE(next.metrics.at("loss_scale"), 32768.0);
        QVERIFY(next.note.empty());
        QVERIFY(maxDifference(before, trainer.model().parameters()) > 0.0);

        const std::string bytes = trainer.checkpointBytes();
        TrainConfig again = smallRotation();
        again.lossScaling = true;
        Trainer resumed(again, makeDemoImages(16, 32, 1));
        resumed.loadCheckpoint(bytes);
        QCOMPARE(resumed.step().metrics.at("loss_scale"), 32768.0);

        // Without loss scaling the same fault stops training, named.
        cfg.lossScaling = false;
        Trainer unscaled(cfg, makeDemoImages(16, 32, 1));
        unscaled.step();
        QVERIFY_THROWS_EXCEPTION(NonFiniteError, unscaled.step());
    }

    // Channels-last changes the layout, not the numbers: the same losses as contiguous
    // weights, every convolution weight NHWC, and auto leaving the CPU to the task.
    void channelsLastKeepsTheNumbers() {
        TrainConfig contiguous = smallRotation();
        contiguous.channelsLast = "off";
        TrainConfig nhwc = smallRotation();
        nhwc.channelsLast = "on";
        Trainer a(contiguous, makeDemoImages(16, 32, 1));
        Trainer b(nhwc, makeDemoImages(16, 32, 1));
        QCOMPARE(b.config().channelsLast, std::string("on"));
        int convolutions = 0;
        for (const auto& p : b.model().parameters()) {
            if (p.dim() == 4) {
                ++convolutions;
                QVERIFY(p.is_contiguous(at::MemoryFormat::ChannelsLast));
                QVERIFY(!p.is_contiguous());
            }
        }
        QVERIFY(convolutions > 0);
        for (int i = 0; i < 3; ++i) {
            const double la = a.step().loss, lb = b.step().loss;
            QVERIFY2(std::abs(la - lb) <= 1e-4 * std::max(1.0, std::abs(la)),
                     qPrintable(QStringLiteral("%1 against %2").arg(la).arg(lb)));
        }
        const std::string bytes = b.checkpointBytes(); // and back, into contiguous weights
        Trainer c(contiguous, makeDemoImages(16, 32, 1));
        c.loadCheckpoint(bytes);
        QVERIFY(maxDifference(b.model().parameters(), c.model().parameters()) == 0.0);

        TrainConfig automatic = smallRotation();
        QCOMPARE(Trainer(automatic, makeDemoImages(8, 32, 1)).config().channelsLast,
                 std::string("task"));
        automatic.channelsLast = "sideways";
        QVERIFY_THROWS_EXCEPTION(TrainingError, Trainer(automatic, makeDemoImages(8, 32, 1)));
    }
};

QTEST_GUILESS_MAIN(TestPrecision)
#include "test_precision.moc"
