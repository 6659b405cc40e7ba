// Rotation prediction: the four rotations of every image in one batch, their labels,
// the loss and its confusion counts, and a model that learns where "up" is.
#include "Trainer.h"
#include "tasks/Registry.h"
#include "tasks/rotation/RotationTask.h"

#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

namespace {
// Images whose top rows are bright: which way is up is plain to see.
torch::Tensor topLit(int64_t n, int64_t s, uint64_t seed) {
    torch::manual_seed(static_cast<int64_t>(seed));
    auto x = torch::rand({n, 3, s, s}) * 0.3;
    x.narrow(2, 0, s / 4).add_(0.6);
    return x.clamp(0.0, 1.0);
}
} // namespace

class TestRotation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void batchHoldsEveryRotation() {
        auto task = makeTask("rotation");
        QVERIFY(task != nullptr);
        const ParamValues params = withDefaults(task->info(), {});
        BatchContext ctx{params, at::detail::createCPUGenerator(1), torch::full({3}, 0.5), 1,
                         nullptr};
        const auto images = torch::rand({5, 3, 16, 16});
        const Batch b = task->makeBatch(images, ctx);
        QCOMPARE(b.input.sizes().vec(), (std::vector<int64_t>{20, 3, 16, 16}));
        QCOMPARE(b.target.sizes().vec(), (std::vector<int64_t>{20}));
        for (int r = 0; r < 4; ++r) {
            QVERIFY(torch::equal(b.target.narrow(0, 5 * r, 5), torch::full({5}, r, torch::kLong)));
            // Class r is the image turned r quarter turns counter-clockwise.
            const auto expected = torch::rot90(images, r, {2, 3}) * 2.0 - 1.0;
            QVERIFY(torch::allclose(b.input.narrow(0, 5 * r, 5), expected));
        }
        // A quarter turn counter-clockwise moves the top row to the left column, read upwards.
        QVERIFY(
            torch::allclose(b.input[5].select(2, 0), images[0].select(1, 0).flip({1}) * 2.0 - 1.0));
        QCOMPARE(static_cast<int>(task->previewColumns(b).size()), 4);
    }

    void lossCountsRightAndWrongPerRotation() {
        auto task = makeTask("rotation");
        const ParamValues params = withDefaults(task->info(), {});
        Batch b;
        b.original = torch::rand({2, 3, 8, 8});
        b.target = torch::tensor({0, 0, 1, 1, 2, 2, 3, 3}, torch::kLong);
        auto logits = torch::full({8, 4}, -5.0);
        const int64_t predicted[] = {0, 0, 1, 3,
                                     2, 2, 1, 3}; // one 90° taken for 270°, one 270° for 90°
        for (int i = 0; i < 8; ++i) {
            logits[i][predicted[i]] = 5.0;
        }
        const LossOutput out = task->loss(logits, b, params);
        QCOMPARE(out.metrics.at("accuracy"), 0.75);
        QCOMPARE(out.metrics.at("accuracy_90"), 0.5);
        QCOMPARE(out.metrics.at("accuracy_180"), 1.0);
        // Off-diagonal confusion cells, true→predicted: 90°→270° and 270°→90° once each.
        QCOMPARE(out.histogram, (std::vector<double>{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}));
        QCOMPARE(out.histogramLabels.at(5), std::string("90°→270°"));
        QCOMPARE(out.histogramLabels.at(10), std::string("270°→90°"));
        const auto c = RotationTask::confusion(logits, b.target);
        QCOMPARE(c[1][3].item<int64_t>(), 1);
        QCOMPARE(c[3][1].item<int64_t>(), 1);
        const double expected =
            torch::nn::functional::cross_entropy(logits, b.target).item<double>();
        QCOMPARE(out.loss.item<double>(), expected);
    }

    void learnsWhereUpIs() {
        TrainConfig cfg;
        cfg.task = "rotation";
        cfg.batchSize = 16;
        cfg.params = {{"base_channels", 8}};
        Trainer trainer(cfg, topLit(160, 16, 3));
        const double before = trainer.evaluate().metrics.at("accuracy");
        for (int i = 0; i < 40; ++i) {
            trainer.step();
        }
        const Evaluation after = trainer.evaluate();
        QVERIFY2(after.metrics.at("accuracy") > 0.9,
                 qPrintable(QStringLiteral("held-out accuracy %1 (before %2)")
                                .arg(after.metrics.at("accuracy"))
                                .arg(before)));
        const auto columns = trainer.heldOutResults();
        QCOMPARE(static_cast<int>(columns.size()), 4);
        QCOMPARE(static_cast<int64_t>(columns[1].captions.size()), columns[1].images.size(0));
    }
};

QTEST_GUILESS_MAIN(TestRotation)
#include "test_rotation.moc"
