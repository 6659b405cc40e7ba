// Faults while training, made on purpose (TrainConfig::faults): a NaN loss or
// gradient stops the run before it reaches the weights, with a message that says
// which and what to change; running out of memory retries the step once with half
// the batch.
#include "DemoData.h"
#include "Trainer.h"

#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

namespace {

TrainConfig smallConfig(const std::string& faults) {
    TrainConfig cfg;
    cfg.task = "inpainting";
    cfg.params = {{"base_channels", 8}};
    cfg.batchSize = 8;
    cfg.device = "cpu";
    std::string error;
    if (!parseFaultInjection(faults, &cfg.faults, &error)) {
        throw std::runtime_error(error);
    }
    return cfg;
}

std::vector<torch::Tensor> weights(Trainer& t) {
    std::vector<torch::Tensor> out;
    for (const auto& p : t.model().parameters()) {
        out.push_back(p.detach().clone());
    }
    return out;
}

bool same(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i) {
        if (!torch::equal(a[i], b[i])) {
            return false;
        }
    }
    return a.size() == b.size();
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void faultSpecsAreParsed_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("error");
        QTest::newRow("nothing") << ""
                                 << "";
        QTest::newRow("all kinds") << "nan-loss@3,nan-grad@4,oom-twice@5"
                                   << "";
        QTest::newRow("no step") << "oom"
                                 << "expected KIND@STEP";
        QTest::newRow("step 0") << "oom@0"
                                << "expected KIND@STEP";
        QTest::newRow("junk after the step") << "oom@3x"
                                             << "expected KIND@STEP";
        QTest::newRow("unknown kind") << "fire@3"
                                      << "unknown kind 'fire'";
    }

    void faultSpecsAreParsed() {
        QFETCH(QString, spec);
        QFETCH(QString, error);
        FaultInjection f;
        std::string message;
        QCOMPARE(parseFaultInjection(spec.toStdString(), &f, &message), error.isEmpty());
        QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
        if (spec == "nan-loss@3,nan-grad@4,oom-twice@5") {
            QCOMPARE(f.nanLossAtStep, 3);
            QCOMPARE(f.nanGradientAtStep, 4);
            QCOMPARE(f.outOfMemoryAtStep, 5);
            QCOMPARE(f.oomAttempts, 2);
        }
    }

    // The step that meets a NaN is not applied: the weights stay those of the step
    // before, and the message says what happened, where, and what to change.
    void nonFiniteStopsBeforeTheWeights_data() {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("said");
        QTest::newRow("loss")
            << "nan-loss@3"
            << "training stopped at step 3: the loss became NaN; the step was not applied";
        QTest::newRow("gradient") << "nan-grad@3"
                                  << "training stopped at step 3: the gradient of ";
    }

    void nonFiniteStopsBeforeTheWeights() {
        QFETCH(QString, fault);
        QFETCH(QString, said);
        Trainer trainer(smallConfig(fault.toStdString()), makeDemoImages(32, 32, 1));
        trainer.step();
        trainer.step();
        const auto before = weights(trainer);
        try {
            trainer.step();
            QFAIL("no error at the injected step");
        } catch (const NonFiniteError& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.startsWith(said), qPrintable(message));
            QVERIFY2(message.contains("Lower the learning rate (now 0.002; try 0.0002)"),
                     qPrintable(message));
            if (fault.startsWith("nan-grad")) {
                QVERIFY2(message.contains("became NaN while the loss was finite"),
                         qPrintable(message));
            }
            QCOMPARE(e.step(), 3);
            QCOMPARE(e.suggestedLearningRate(), 2e-4);
        }
        QCOMPARE(trainer.stepCount(), 2);
        QVERIFY(same(before, weights(trainer)));
    }

    // Not injected: NaN pixels in the data (batch norm keeps even a learning rate of
    // 1e12 finite here, so the data are the way to a real NaN).
    void nanInTheDataIsCaught() {
        auto images = makeDemoImages(32, 32, 2);
        images.fill_(std::nan(""));
        Trainer trainer(smallConfig(""), images);
        const auto before = weights(trainer);
        try {
            trainer.step();
            QFAIL("no error");
        } catch (const NonFiniteError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains("step 1: the loss became NaN"),
                     e.what());
        }
        QCOMPARE(trainer.stepCount(), 0);
        QVERIFY(same(before, weights(trainer)));
    }

    void outOfMemoryRetriesWithHalfTheBatch() {
        Trainer trainer(smallConfig("oom@2"), makeDemoImages(32, 32, 3));
        trainer.step();
        const StepResult r = trainer.step();
        QCOMPARE(r.step, 2);
        QVERIFY(std::isfinite(r.loss));
        QCOMPARE(QString::fromStdString(r.note),
                 QString("out of memory at step 2 on cpu with a batch of 8; the step was done "
                         "again with half "
                         "the batch (4), and the batch stays at 4 from here"));
        QCOMPARE(trainer.config().batchSize, 4);
        QVERIFY(trainer.step().note.empty());
        QCOMPARE(trainer.stepCount(), 3);
    }

    void outOfMemoryTwiceStops() {
        Trainer trainer(smallConfig("oom-twice@2"), makeDemoImages(32, 32, 3));
        trainer.step();
        const auto before = weights(trainer);
        try {
            trainer.step();
            QFAIL("no error");
        } catch (const NonFiniteError&) {
            QFAIL("not a non-finite error");
        } catch (const TrainingError& e) {
            QCOMPARE(
                QString::fromStdString(e.what()),
                QString(
                    "training stopped: out of memory at step 2 on cpu with a batch of 8, and again "
                    "with "
                    "half of it (4); lower the batch size or the image size, or train on the CPU"));
        }
        QCOMPARE(trainer.stepCount(), 1);
        QVERIFY(same(before, weights(trainer)));
        for (const auto& p : trainer.model().parameters()) {
            QVERIFY(!p.grad().defined()); // the cut-off step's gradients are released
        }
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
