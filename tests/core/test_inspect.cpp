// The seed's derivatives against autograd: for every task and loss variant, ∂L/∂output
// from the closed form (2/|M| (x̂ − x) on M, 2/HWC (x̂ − x), softmax − one-hot, ...)
// equals what autograd computes, on random outputs and on real batches of a model;
// the numbers shown next to the formula (p of the truth, −log p) agree with the loss;
// per-layer gradient norms and update sizes are what they claim.
#include "DemoData.h"
#include "DemoVideo.h"
#include "Inspect.h"
#include "Rng.h"
#include "Saliency.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QtTest>
#include <set>
#include <torch/torch.h>

using namespace pretext;

namespace {

TrainConfig configFor(const QString& task, const ParamValues& params) {
    TrainConfig cfg;
    cfg.task = task.toStdString();
    cfg.params = params;
    cfg.params["base_channels"] = 8;
    cfg.batchSize = 6;
    cfg.device = "cpu";
    cfg.seed = 3;
    return cfg;
}

std::unique_ptr<Trainer> makeTrainer(const QString& task, const ParamValues& params) {
    const auto cfg = configFor(task, params);
    if (makeTask(cfg.task)->info().video) {
        static const VideoFrames video = makeDemoVideo(2, 60, 32, 4);
        return std::make_unique<Trainer>(cfg, video);
    }
    return std::make_unique<Trainer>(cfg, makeDemoImages(24, 32, 4));
}

} // namespace

Q_DECLARE_METATYPE(ParamValues)

class TestInspect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void closedFormEqualsAutograd_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<ParamValues>("params");
        QTest::addColumn<QString>("form");
        QTest::newRow("inpainting, centre") << "inpainting" << ParamValues{} << "masked-mse";
        QTest::newRow("inpainting, patches")
            << "inpainting" << ParamValues{{"mask", 3}} << "masked-mse";
        QTest::newRow("inpainting, rim weight 10")
            << "inpainting" << ParamValues{{"border_weight", 10}, {"border_px", 2}} << "masked-mse";
        QTest::newRow("colorization, regression")
            << "colorization" << ParamValues{{"mode", 0}} << "mse";
        QTest::newRow("colorization, classes")
            << "colorization" << ParamValues{{"mode", 1}} << "soft-classes";
        QTest::newRow("jigsaw, permutations")
            << "jigsaw" << ParamValues{{"grid", 2}, {"perms", 12}} << "classes";
        QTest::newRow("jigsaw, positions")
            << "jigsaw" << ParamValues{{"grid", 2}, {"head", 1}} << "positions";
        QTest::newRow("rotation") << "rotation" << ParamValues{} << "classes";
        QTest::newRow("temporal, sort")
            << "temporal-order" << ParamValues{{"variant", 1}} << "classes";
        QTest::newRow("temporal, positions")
            << "temporal-order" << ParamValues{{"variant", 1}, {"head", 1}} << "positions";
        QTest::newRow("temporal, verify")
            << "temporal-order" << ParamValues{{"variant", 0}} << "binary";
    }

    // Random outputs (not a model's), the task's own loss, autograd against the closed form.
    void closedFormEqualsAutograd() {
        QFETCH(QString, task);
        QFETCH(ParamValues, params);
        QFETCH(QString, form);
        auto trainer = makeTrainer(task, params);
        const Batch batch = trainer->nextBatch();
        torch::Tensor shape;
        {
            torch::NoGradGuard noGrad;
            trainer->model().eval();
            shape = trainer->model().forward(batch.input);
        }
        for (int trial = 0; trial < 3; ++trial) {
            auto output = (3.0 * torch::randn_like(shape)).requires_grad_(true);
            const auto full = withDefaults(trainer->task().info(), trainer->config().params);
            auto loss = trainer->task().objective(output, batch, full);
            auto autograd = torch::autograd::grad({loss}, {output})[0];
            const ClosedForm closed = closedFormGradient(trainer->task(), output, batch, full);
            QCOMPARE(QString(lossFormName(closed.form)), form);
            QVERIFY(closed.gradient.defined());
            const double scale = autograd.abs().max().item<double>();
            QVERIFY(scale > 0.0);
            const double diff = (autograd - closed.gradient).abs().max().item<double>();
            QVERIFY2(diff <= 1e-5 * scale,
                     qPrintable(QStringLiteral("max |autograd − closed| = %1, max |grad| = %2")
                                    .arg(diff)
                                    .arg(scale)));
        }
    }

    void closedFormEqualsAutogradOnARealStep_data() { closedFormEqualsAutograd_data(); }

    // The trainer's own step: the inspection it keeps compares the very gradient that
    // updated the model.
    void closedFormEqualsAutogradOnARealStep() {
        QFETCH(QString, task);
        QFETCH(ParamValues, params);
        QFETCH(QString, form);
        auto trainer = makeTrainer(task, params);
        trainer->step();
        QVERIFY(!trainer->takeInspection().has_value()); // only when asked
        trainer->inspectNextStep(2);
        const StepResult r = trainer->step();
        auto in = trainer->takeInspection();
        QVERIFY(in.has_value());
        QVERIFY(!trainer->takeInspection().has_value()); // handed over once
        QCOMPARE(QString(lossFormName(in->form)), form);
        QCOMPARE(in->step, int64_t(2));
        QCOMPARE(in->sample, int64_t(2));
        QVERIFY(std::abs(in->loss - r.loss) <= 1e-5 * std::max(1.0, std::abs(r.loss)));
        QVERIFY(in->maxAbsGradient > 0.0);
        QVERIFY2(in->maxAbsDifference <= 1e-5 * in->maxAbsGradient,
                 qPrintable(QString::number(in->maxAbsDifference)));
        if (form == "masked-mse" || form == "mse" || form == "soft-classes") {
            QVERIFY(!in->columns.empty());
            QCOMPARE(in->columns.front().images.size(0), int64_t(1));
            QVERIFY(in->gradientMap.defined());
            QCOMPARE(in->gradientMap.dim(), int64_t(2));
        } else {
            QVERIFY(!in->probabilities.empty());
            QCOMPARE(in->labels.size(), in->probabilities.size());
            double p = in->trueProbability;
            QVERIFY(p > 0.0 && p <= 1.0);
            QVERIFY(std::abs(in->negLogTrue + std::log(p)) < 1e-9);
            // The mean of −log p(truth) over the batch is the loss itself (cross-entropy).
            QVERIFY2(std::abs(in->meanNegLogTrue - in->loss) <= 1e-4 * std::max(1.0, in->loss),
                     qPrintable(QStringLiteral("%1 vs %2").arg(in->meanNegLogTrue).arg(in->loss)));
        }
    }

    // Inpainting's numbers as the seed writes them: |M| the hidden entries, and each shown
    // entry's gradient 2/|M| (x̂ − x), zero where the pixel was visible.
    void inpaintingEntriesFollowTheSeed() {
        auto trainer = makeTrainer("inpainting", {});
        trainer->inspectNextStep(0);
        trainer->step();
        auto in = trainer->takeInspection();
        QVERIFY(in.has_value());
        const Batch& batch = trainer->lastBatch();
        QCOMPARE(in->count, (1.0 - batch.mask).sum().item<double>() * 3.0);
        QCOMPARE(int(in->entries.size()), 4);
        for (const auto& e : in->entries) {
            const double expected = 2.0 / in->count * (e.predicted - e.target);
            QVERIFY(std::abs(e.closedForm - expected) <= 1e-6 * std::abs(expected) + 1e-12);
            QVERIFY(std::abs(e.autograd - expected) <= 1e-5 * std::abs(expected) + 1e-10);
        }
        // Outside M the gradient is zero: the map is zero on visible pixels.
        const auto visible = batch.mask[0][0].to(torch::kBool);
        QCOMPARE(in->gradientMap.masked_select(visible).abs().max().item<double>(), 0.0);
    }

    void layerNormsAndUpdateSize() {
        auto trainer = makeTrainer("inpainting", {});
        trainer->setRecordLayerNorms(true);
        trainer->setMeasureUpdates(true);
        const auto names = trainer->layerNames();
        QVERIFY(names.size() >= 4);
        std::vector<torch::Tensor> before;
        for (const auto& p : trainer->model().parameters()) {
            before.push_back(p.detach().clone());
        }
        const StepResult r = trainer->step();
        QCOMPARE(r.layerGradientNorms.size(), names.size());
        // Their squares add up to the norm of the whole gradient.
        double sum = 0.0;
        for (double n : r.layerGradientNorms) {
            QVERIFY(n >= 0.0);
            sum += n * n;
        }
        // ... of the weighted layers' parameters (the update counts every parameter).
        const std::set<std::string> listed(names.begin(), names.end());
        double whole = 0.0;
        double change = 0.0;
        double size = 0.0;
        size_t i = 0;
        for (const auto& item : trainer->model().named_parameters()) {
            const auto& p = item.value();
            const std::string layer = item.key().substr(0, item.key().rfind('.'));
            if (listed.count(layer)) {
                whole += p.grad().pow(2).sum().item<double>();
            }
            change += (p.detach() - before[i]).pow(2).sum().item<double>();
            size += before[i].pow(2).sum().item<double>();
            ++i;
        }
        // Normalisation layers (1-D scales and shifts only) are not listed.
        for (const auto& name : names) {
            bool matrix = false;
            for (const auto& item : trainer->model().named_parameters()) {
                matrix =
                    matrix || (item.key().rfind(name + ".", 0) == 0 && item.value().dim() >= 2);
            }
            QVERIFY2(matrix, name.c_str());
        }
        QVERIFY(std::abs(sum - whole) <= 1e-4 * whole);
        QVERIFY(std::abs(r.updateNorm - std::sqrt(change)) <= 1e-4 * std::sqrt(change));
        QVERIFY(std::abs(r.parameterNorm - std::sqrt(size)) <= 1e-4 * std::sqrt(size));
        QVERIFY(r.updateNorm > 0.0);
        trainer->setRecordLayerNorms(false);
        QVERIFY(trainer->step().layerGradientNorms.empty());
    }

    // Replaying the last batch trains on the very same batch, and the stream does not move.
    void replayStepsOnTheSameBatch() {
        auto trainer = makeTrainer("inpainting", {});
        trainer->step();
        const Batch first = trainer->lastBatch();
        const double before =
            trainer->task()
                .objective(trainer->model().forward(first.input), first, trainer->config().params)
                .item<double>();
        for (int i = 0; i < 5; ++i) {
            trainer->replayLastBatch();
        }
        QCOMPARE(trainer->stepCount(), int64_t(6));
        QVERIFY(torch::equal(trainer->lastBatch().input, first.input));
        trainer->model().train();
        const double after =
            trainer->task()
                .objective(trainer->model().forward(first.input), first, trainer->config().params)
                .item<double>();
        QVERIFY2(after < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        // A fresh trainer has nothing to replay.
        auto fresh = makeTrainer("inpainting", {});
        QVERIFY_THROWS_EXCEPTION(TrainingError, fresh->replayLastBatch());
    }
    // Saliency of a model that reads one region only (the top-left 8x8 of the first of
    // its two tiles): occlusion and gradient x input both light that region and nothing
    // else; the second row's map answers for that row alone.
    void saliencyLightsTheRegionTheModelReads() {
        auto gen = pretext::makeGenerator(3);
        const auto input = torch::rand({3, 2, 3, 32, 32}, gen) + 0.5; // (N,K,C,H,W)
        const auto target = torch::zeros({3});
        const pretext::SaliencyForward forward = [](const torch::Tensor& x) {
            return x.select(1, 0).narrow(2, 0, 8).narrow(3, 0, 8).sum({1, 2, 3});
        };
        const pretext::SaliencyObjective objective = [&](const torch::Tensor& out) {
            return (out - target).pow(2).mean();
        };
        pretext::OcclusionOptions o;
        o.patch = 4;
        o.stride = 4;
        const auto occ = pretext::occlusionSaliency(forward, objective, input, 2, o);
        const auto grad = pretext::gradientTimesInput(forward, objective, input, 2);
        QCOMPARE(occ.sizes(), (torch::IntArrayRef{2, 2, 32, 32}));
        QCOMPARE(grad.sizes(), (torch::IntArrayRef{2, 2, 32, 32}));
        for (const auto& map : {occ, grad}) {
            QVERIFY(map.narrow(1, 0, 1).narrow(2, 0, 8).narrow(3, 0, 8).abs().min().item<double>() >
                    0.0);
            auto outside = map.clone();
            outside.narrow(1, 0, 1).narrow(2, 0, 8).narrow(3, 0, 8).zero_();
            QCOMPARE(outside.abs().max().item<double>(), 0.0);
        }
        // Row 1's map at the first patch is that row's own change of its squared output
        // when the patch is hidden (the objective's mean over rows scaled back).
        const auto out = forward(input);
        auto occluded = input.clone();
        occluded[1][0].narrow(1, 0, 4).narrow(2, 0, 4).copy_(
            input[1][0].mean({1, 2}, true).expand({3, 4, 4}));
        const double own = (forward(occluded)[1].pow(2) - out[1].pow(2)).item<double>();
        QVERIFY2(
            std::abs(occ[1][0][0][0].item<double>() - own) < 1e-3 * std::abs(own),
            qPrintable(QStringLiteral("%1 vs %2").arg(occ[1][0][0][0].item<double>()).arg(own)));
        // Plain (N,C,H,W) rows: one map each.
        const auto flat = pretext::occlusionSaliency(
            [](const torch::Tensor& x) {
                return x.narrow(2, 0, 8).narrow(3, 0, 8).sum({1, 2, 3});
            },
            objective, input.select(1, 0), 1, o);
        QCOMPARE(flat.sizes(), (torch::IntArrayRef{1, 1, 32, 32}));
    }
    // Grad-CAM at the encoder's last stage, for every task's real model: one map per row
    // (per tile, per frame) at the input's size, positive, not all zero; and the tap that
    // caught the activations is gone afterwards.
    void gradCamForEveryTask_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<ParamValues>("params");
        QTest::newRow("inpainting") << "inpainting" << ParamValues{};
        QTest::newRow("colorization") << "colorization" << ParamValues{};
        QTest::newRow("jigsaw") << "jigsaw" << ParamValues{{"grid", 2}, {"perms", 12}};
        QTest::newRow("rotation") << "rotation" << ParamValues{};
        QTest::newRow("temporal") << "temporal-order" << ParamValues{{"variant", 1}};
    }
    void gradCamForEveryTask() {
        QFETCH(QString, task);
        QFETCH(ParamValues, params);
        auto trainer = makeTrainer(task, params);
        const Batch& batch = trainer->heldOutBatch();
        TaskModelImpl& model = trainer->model();
        model.eval();
        const auto objective = [&](const torch::Tensor& out) {
            return trainer->task().objective(out, batch, trainer->config().params);
        };
        const auto cam = gradCam(model, objective, batch.input, 3);
        QVERIFY(cam.defined());
        const auto in = batch.input.dim() == 4 ? batch.input.unsqueeze(1) : batch.input;
        QCOMPARE(cam.sizes(), (torch::IntArrayRef{std::min<int64_t>(3, in.size(0)), in.size(1),
                                                  in.size(3), in.size(4)}));
        QVERIFY(cam.min().item<double>() >= 0.0);
        QVERIFY(cam.max().item<double>() > 0.0);
        // The tap is removed: a plain forward pass is what it was.
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(model.forward(batch.input), model.forward(batch.input)));
    }
};

QTEST_APPLESS_MAIN(TestInspect)
#include "test_inspect.moc"
