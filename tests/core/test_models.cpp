// What the benchmark relies on in engine/core: the fast transposed convolution computes
// what LibTorch's does, FLOP counts, a quiet step trains like a reported one, and the
// thread pools are set as asked.
#include "Bench.h"
#include "DemoData.h"
#include "DemoVideo.h"
#include "Layers.h"
#include "Memory.h"
#include "Models.h"
#include "Optim.h"
#include "Threads.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(2); }

    void upConvMatchesTransposedConvolution_data() {
        QTest::addColumn<int>("inChannels");
        QTest::addColumn<int>("outChannels");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("padding");
        QTest::newRow("decoder stage 128->64 at 8") << 128 << 64 << 8 << 4 << 2 << 1;
        QTest::newRow("decoder stage 32->16 at 32") << 32 << 16 << 32 << 4 << 2 << 1;
        QTest::newRow("odd size 7, 3 channels") << 3 << 5 << 7 << 4 << 2 << 1;
        QTest::newRow("kernel 3, stride 1, padding 1") << 6 << 4 << 9 << 3 << 1 << 1;
        QTest::newRow("kernel 2, stride 2, padding 0") << 8 << 8 << 5 << 2 << 2 << 0;
    }

    void upConvMatchesTransposedConvolution() {
        QFETCH(int, inChannels);
        QFETCH(int, outChannels);
        QFETCH(int, size);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, padding);
        torch::manual_seed(5);
        UpConv2d up(inChannels, outChannels, kernel, stride, padding);
        torch::manual_seed(5);
        torch::nn::ConvTranspose2d plain(
            torch::nn::ConvTranspose2dOptions(inChannels, outChannels, kernel)
                .stride(stride)
                .padding(padding));
        // Same initialization as LibTorch's module, under the same seed.
        QVERIFY(torch::equal(up->weight, plain->weight));
        QVERIFY(torch::equal(up->bias, plain->bias));

        auto x = torch::randn({3, inChannels, size, size}).requires_grad_(true);
        QCOMPARE(up->fastRoutes(x), std::vector<ConvRoute>{ConvRoute::ConvolutionKernels});
        up->setRoute(ConvRoute::ConvolutionKernels);
        auto mine = up->forward(x);
        auto theirs = plain->forward(x);
        QCOMPARE(mine.sizes(), theirs.sizes());
        QVERIFY2(torch::allclose(mine, theirs, 1e-4, 1e-5),
                 qPrintable(QString::number((mine - theirs).abs().max().item<double>())));

        const auto g = torch::randn_like(theirs);
        const auto gradMine = torch::autograd::grad({mine}, {x, up->weight, up->bias}, {g});
        const auto gradTheirs =
            torch::autograd::grad({theirs}, {x, plain->weight, plain->bias}, {g});
        for (int i = 0; i < 3; ++i) {
            const double scale = gradTheirs[i].abs().max().item<double>();
            const double diff = (gradMine[i] - gradTheirs[i]).abs().max().item<double>();
            QVERIFY2(diff <= 1e-5 * std::max(1.0, scale),
                     qPrintable(QStringLiteral("gradient %1: max difference %2 (scale %3)")
                                    .arg(i)
                                    .arg(diff)
                                    .arg(scale)));
        }
    }

    void upConvTakesThePlainRouteWhereItMust() {
        auto x = torch::randn({2, 4, 5, 5}, torch::kDouble);
        UpConv2d up(4, 2, 4, 2, 1);
        QVERIFY(up->fastRoutes(x).empty()); // oneDNN route is float only
        up->setRoute(ConvRoute::ConvolutionKernels);
        up->to(torch::kDouble);
        QVERIFY(
            torch::equal(up->forward(x), torch::conv_transpose2d(x, up->weight, up->bias, 2, 1)));
    }

    void inpaintingModelFlops() {
        auto task = makeTask("inpainting");
        auto model = task->makeModel(withDefaults(task->info(), {}));
        // Encoder, 4 -> 32 -> 64 -> 128 channels at 32, 16, 8 px: per stage a 4x4
        // stride-2 convolution and a 3x3 one; decoder: three 4x4 transposed
        // convolutions to 16, 32, 64 px (128->64->32->16), then 3x3 convolutions
        // 20->16 and 16->3 at 64 px. 2 FLOPs per multiply-add.
        const int64_t encoder = 2 * (32 * 4 * 16 * 1024 + 32 * 32 * 9 * 1024 + 64 * 32 * 16 * 256 +
                                     64 * 64 * 9 * 256 + 128 * 64 * 16 * 64 + 128 * 128 * 9 * 64);
        const int64_t decoder = 2 * (128 * 64 * 16 * 64 + 64 * 32 * 16 * 256 + 32 * 16 * 16 * 1024 +
                                     16 * 20 * 9 * 4096 + 3 * 16 * 9 * 4096);
        QCOMPARE(model->forwardFlops({4, 64, 64}), encoder + decoder);
        QCOMPARE(encoder + decoder, int64_t{171835392});
    }

    void jigsawModelFlops() {
        auto task = makeTask("jigsaw");
        auto model = task->makeModel(withDefaults(task->info(), {}));
        // Nine 18 px tiles through the encoder (9, 4, 2 px), then 512->128 per tile,
        // 1152->512, 512->24.
        const int64_t tile = 2 * (32 * 3 * 16 * 81 + 32 * 32 * 9 * 81 + 64 * 32 * 16 * 16 +
                                  64 * 64 * 9 * 16 + 128 * 64 * 16 * 4 + 128 * 128 * 9 * 4) +
                             2 * 512 * 128;
        QCOMPARE(model->forwardFlops({9, 3, 18, 18}), 9 * tile + 2 * 1152 * 512 + 2 * 512 * 24);
    }

    void multiTensorAdamEqualsLibTorchAdam_data() {
        QTest::addColumn<double>("weightDecay");
        QTest::addColumn<bool>("skipSome"); // one parameter without a gradient at times
        QTest::newRow("plain") << 0.0 << false;
        QTest::newRow("weight decay") << 0.01 << false;
        QTest::newRow("uneven step counts") << 0.0 << true;
    }

    void multiTensorAdamEqualsLibTorchAdam() {
        QFETCH(double, weightDecay);
        QFETCH(bool, skipSome);
        torch::manual_seed(5);
        std::vector<torch::Tensor> a, b;
        for (const auto& shape :
             std::vector<std::vector<int64_t>>{{16, 3, 3, 3}, {16}, {10, 64}, {1}}) {
            a.push_back(torch::randn(shape).requires_grad_());
            b.push_back(a.back().detach().clone().requires_grad_());
        }
        const auto options = torch::optim::AdamOptions(3e-3).weight_decay(weightDecay);
        torch::optim::Adam reference(a, options);
        MultiTensorAdam multi(b, options);
        // The same random gradient on both sides; parameter 1 none at all when `skip`.
        auto setGradients = [&](bool skip) {
            for (size_t i = 0; i < a.size(); ++i) {
                if (skip && i == 1) {
                    a[i].mutable_grad().reset();
                    continue;
                }
                const auto g = torch::randn(a[i].sizes());
                a[i].mutable_grad() = g.clone();
                b[i].mutable_grad() = g.clone();
            }
        };
        for (int step = 0; step < 6; ++step) {
            reference.zero_grad();
            multi.clearGradients();
            setGradients(skipSome && step % 2 == 1);
            reference.step();
            multi.step();
            for (size_t i = 0; i < a.size(); ++i) {
                QVERIFY2(
                    torch::equal(a[i], b[i]),
                    qPrintable(QStringLiteral("parameter %1 after step %2").arg(i).arg(step + 1)));
            }
        }
        // The checkpoint format is LibTorch's: either optimizer resumes from the other's.
        std::stringstream saved;
        torch::serialize::OutputArchive out;
        multi.save(out);
        out.save_to(saved);
        torch::serialize::InputArchive in;
        in.load_from(saved);
        torch::optim::Adam resumed(a, options);
        resumed.load(in);
        multi.clearGradients();
        setGradients(false);
        resumed.step();
        multi.step();
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(torch::equal(a[i], b[i]));
        }
    }

    void trainerStepsTheSameWithEitherAdam() {
        TrainConfig cfg;
        cfg.task = "inpainting";
        cfg.batchSize = 4;
        const auto images = makeDemoImages(16, 32, 3);
        Trainer multi(cfg, images);
        cfg.perTensorAdam = true;
        Trainer perTensor(cfg, images);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(multi.step().loss, perTensor.step().loss);
        }
    }

    void quietStepTrainsLikeAReportedOne() {
        TrainConfig cfg;
        cfg.task = "jigsaw";
        cfg.batchSize = 8;
        const auto images = makeDemoImages(96, 32, 3);
        Trainer reported(cfg, images);
        Trainer quiet(cfg, images);
        for (int i = 0; i < 3; ++i) {
            const Batch a = reported.nextBatch();
            const Batch b = quiet.nextBatch();
            QVERIFY(torch::equal(a.input, b.input));
            const double loss = reported.trainOn(a).loss;
            quiet.trainQuietly(b);
            QCOMPARE(quiet.lastLoss(), loss);
            QCOMPARE(quiet.stepCount(), reported.stepCount());
        }
    }

    void quietStepStopsOnANonFiniteLossWhenRead() {
        TrainConfig cfg;
        cfg.task = "inpainting";
        cfg.batchSize = 4;
        Trainer trainer(cfg, makeDemoImages(16, 32, 3));
        Batch batch = trainer.nextBatch();
        batch.target = batch.target * std::numeric_limits<float>::quiet_NaN();
        trainer.trainQuietly(batch);
        try {
            trainer.lastLoss();
            QFAIL("a NaN loss was read back without an error");
        } catch (const TrainingError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QLatin1String("NaN")), e.what());
        }
    }

    void threadPoolsAsAsked() {
        const ThreadSetup one = configureThreads(1, 1);
        QCOMPARE(one.torchThreads, 1);
        QVERIFY2(one.blasLimited, "no BLAS thread setter found (is OpenBLAS installed?)");
        QCOMPARE(one.blasThreads, 1);
        QVERIFY(QString::fromStdString(describeThreads(one))
                    .contains(QLatin1String("1 torch thread, OpenBLAS 1 thread")));
        const ThreadSetup left = configureThreads(2, 0);
        QVERIFY(!left.blasLimited);
        QCOMPARE(left.blasThreads, 1); // left as it was
        QVERIFY(
            QString::fromStdString(describeThreads(left)).contains(QLatin1String("left as found")));
        configureThreads(2);
    }

    // A training step frees and allocates the same blocks of megabytes every time; kept
    // for reuse, they are not mapped (and zero-filled by the kernel) afresh each step.
    // Same step with glibc's defaults (`bench --task rotation --batch 16
    // --malloc-defaults`): 4,075 page faults per step after the warm-up (about 8,000 in
    // this process); kept: none as a rule. But a machine may page memory out behind the
    // process's back (the one the project is built on runs a kernel daemon, DAMON, that
    // pages out memory it finds cold), and then pages kept for reuse fault again when
    // touched: clean-clone runs counted 341, 427, 512 and 1,024 now and then, 0 in the
    // runs between. Hence the bound of 1,000 on the fewest of three measurements.
    void freedMemoryIsReusedStepAfterStep() {
        const MemorySetup setup = configureMemory();
        QVERIFY2(setup.keepsFreedMemory, setup.description.c_str());
        BenchOptions o;
        o.task = "rotation";
        o.sizePx = 64;
        o.batchSize = 16; // 64 rotated images: blocks of 8 MB
        o.steps = 3;
        o.warmupSteps = 2;
        QString counts;
        double fewest = 0;
        for (int run = 0; run < 3; ++run) {
            const BenchResult r = runBench(o);
            QVERIFY(QString::fromStdString(r.memory).contains(QLatin1String("keeps freed")));
            fewest =
                run == 0 ? r.modelPageFaultsPerStep : std::min(fewest, r.modelPageFaultsPerStep);
            counts += QStringLiteral(" %1").arg(r.modelPageFaultsPerStep, 0, 'f', 1);
        }
        qInfo("page faults per model step:%s", qPrintable(counts));
        QVERIFY2(fewest < 1000, qPrintable(QStringLiteral("page faults per step:%1").arg(counts)));
        releaseFreedMemory();
    }

    void benchReportsEveryTask() {
        BenchOptions o;
        o.sizePx = 32;
        o.batchSize = 4;
        o.steps = 1;
        o.warmupSteps = 1;
        std::vector<BenchResult> results;
        for (const auto& name : benchTasks("all")) {
            o.task = name;
            results.push_back(runBench(o));
            const BenchResult& r = results.back();
            QVERIFY2(r.forwardFlops > 0 && r.modelImagesPerSec > 0 && r.trainImagesPerSec > 0 &&
                         r.samplesPerSec > 0 && r.parameters > 0,
                     name.c_str());
        }
        QCOMPARE(results.size(), taskNames().size());
        const QString json = QString::fromStdString(benchJson(o, results, nullptr));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
        QVERIFY2(!doc.isNull(), qPrintable(error.errorString()));
        const QJsonArray tasks = doc.object().value(QLatin1String("tasks")).toArray();
        QCOMPARE(tasks.size(), static_cast<int>(results.size()));
        QCOMPARE(tasks[0]
                     .toObject()
                     .value(QLatin1String("params"))
                     .toObject()
                     .value(QLatin1String("mask"))
                     .toString(),
                 QStringLiteral("center"));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
