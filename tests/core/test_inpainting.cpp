// Inpainting in engine/core: masks, the seed's loss and its gradient, learning.
#include "DemoData.h"
#include "DemoVideo.h"
#include "Rng.h"
#include "Threads.h"
#include "Trainer.h"
#include "tasks/Registry.h"
#include "tasks/inpainting/InpaintingTask.h"
#include "tasks/inpainting/Masks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <thread>

using namespace pretext;

Q_DECLARE_METATYPE(pretext::MaskType)

class TestInpainting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void maskIsBinaryWithExpectedCoverage_data() {
        QTest::addColumn<MaskType>("type");
        QTest::addColumn<double>("param");
        QTest::addColumn<double>("expectedHidden");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("center half side = quarter area") << MaskType::Center << 0.5 << 0.25 << 0.0;
        QTest::newRow("center 0.25 side") << MaskType::Center << 0.25 << 0.0625 << 0.0;
        QTest::newRow("freeform 30%") << MaskType::FreeForm << 0.3 << 0.3 << 0.001;
        QTest::newRow("freeform 60%") << MaskType::FreeForm << 0.6 << 0.6 << 0.001;
        QTest::newRow("patches 75%") << MaskType::Patches << 0.75 << 0.75 << 0.0;
        QTest::newRow("patches 50%") << MaskType::Patches << 0.5 << 0.5 << 0.0;
        QTest::newRow("blocks (upper bound)") << MaskType::Blocks << 4.0 << -1.0 << 0.0;
    }

    void maskIsBinaryWithExpectedCoverage() {
        QFETCH(MaskType, type);
        QFETCH(double, param);
        QFETCH(double, expectedHidden);
        QFETCH(double, tolerance);
        MaskOptions o;
        o.type = type;
        o.centerFraction = param;
        o.coverage = param;
        o.patchRatio = param;
        o.blockCount = static_cast<int>(param);
        auto gen = makeGenerator(7);
        auto m = makeMasks(16, 64, 64, o, gen);
        QCOMPARE(m.sizes().vec(), (std::vector<int64_t>{16, 1, 64, 64}));
        QVERIFY(((m == 0) | (m == 1)).all().item<bool>());
        auto hidden = (1 - m).mean({1, 2, 3}); // per image
        if (expectedHidden >= 0) {
            QVERIFY2((hidden - expectedHidden).abs().max().item<double>() <= tolerance + 1e-9,
                     qPrintable(QString("hidden fraction %1, expected %2")
                                    .arg(hidden.mean().item<double>())
                                    .arg(expectedHidden)));
        } else {
            // 4 blocks of side at most 0.35: at most 4 * 0.35^2 of the image, at least one block.
            QVERIFY(hidden.max().item<double>() <= 4 * 0.35 * 0.35 + 0.01);
            QVERIFY(hidden.min().item<double>() >= 0.15 * 0.15 - 0.01);
        }
    }

    void centerMaskIsCentredSquare() {
        MaskOptions o;
        o.type = MaskType::Center;
        auto gen = makeGenerator(1);
        auto m = makeMasks(1, 64, 64, o, gen)[0][0];
        using torch::indexing::Slice;
        QVERIFY((m.index({Slice(16, 48), Slice(16, 48)}) == 0).all().item<bool>());
        QCOMPARE(m.sum().item<double>(), 64.0 * 64 - 32 * 32);
    }

    void patchMaskHidesWholePatches() {
        MaskOptions o;
        o.type = MaskType::Patches;
        o.patchPx = 8;
        auto gen = makeGenerator(3);
        auto m = makeMasks(4, 64, 64, o, gen);
        // Every 8x8 patch is all hidden or all visible.
        auto patches = m.view({4, 1, 8, 8, 8, 8}).permute({0, 1, 2, 4, 3, 5}).reshape({4, 64, 64});
        auto mins = std::get<0>(patches.min(2)), maxs = std::get<0>(patches.max(2));
        QVERIFY((mins == maxs).all().item<bool>());
    }

    void freeFormRegionIsSmooth() {
        // A thresholded smooth field has few hidden/visible transitions compared
        // with independent pixels at the same coverage.
        MaskOptions o;
        o.type = MaskType::FreeForm;
        o.coverage = 0.5;
        auto gen = makeGenerator(5);
        auto m = makeMasks(8, 64, 64, o, gen);
        using torch::indexing::Slice;
        auto changes = (m.index({Slice(), Slice(), Slice(), Slice(1, torch::indexing::None)}) !=
                        m.index({Slice(), Slice(), Slice(), Slice(0, -1)}))
                           .to(torch::kFloat)
                           .mean()
                           .item<double>();
        QVERIFY2(changes < 0.1, qPrintable(QString::number(changes))); // random pixels: ~0.5
    }

    void masksAreReproducibleFromSeed() {
        MaskOptions o;
        o.type = MaskType::Blocks;
        auto g1 = makeGenerator(42), g2 = makeGenerator(42), g3 = makeGenerator(43);
        auto a = makeMasks(4, 32, 32, o, g1), b = makeMasks(4, 32, 32, o, g2);
        auto c = makeMasks(4, 32, 32, o, g3);
        QVERIFY(torch::equal(a, b));
        QVERIFY(!torch::equal(a, c));
    }

    void lossEqualsFormulaOnHandMadeTensors() {
        // 1 image, 2 channels of 2x2; m hides pixels (0,1) and (1,0).
        auto x = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f, 0.0f, 0.5f, 1.0f, 1.5f}).view({1, 2, 2, 2});
        auto xhat =
            torch::tensor({1.0f, 0.0f, 5.0f, 9.0f, 3.0f, 0.0f, 0.0f, 7.0f}).view({1, 2, 2, 2});
        auto m = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({1, 1, 2, 2});
        // Hidden entries: channel 0 (2 vs 0)^2=4, (3 vs 5)^2=4; channel 1 (0.5 vs 0)^2=0.25,
        // (1 vs 0)^2=1. |M| = 4 entries. L = 9.25 / 4.
        const double expected = (4.0 + 4.0 + 0.25 + 1.0) / 4.0;
        QCOMPARE(maskedMse(xhat, x, m).item<double>(), expected);
        // Visible pixels do not matter at all.
        auto changed = xhat.clone();
        changed.index_put_({0, 0, 0, 0}, 100.0);
        QCOMPARE(maskedMse(changed, x, m).item<double>(), expected);
    }

    void gradientIsTheSeedsDerivative() {
        auto gen = makeGenerator(11);
        auto x = torch::rand({3, 3, 16, 16}, gen);
        auto xhat = torch::rand({3, 3, 16, 16}, gen).requires_grad_(true);
        MaskOptions o;
        o.type = MaskType::FreeForm;
        o.coverage = 0.4;
        auto m = makeMasks(3, 16, 16, o, gen);
        auto loss = maskedMse(xhat, x, m);
        loss.backward();
        auto hidden = (1 - m).expand_as(x);
        const double count = hidden.sum().item<double>();
        auto expected = 2.0 / count * (xhat.detach() - x) * hidden;
        QVERIFY(torch::allclose(xhat.grad(), expected, 1e-6, 1e-9));
        QVERIFY((xhat.grad() * m.expand_as(x) == 0).all().item<bool>()); // 0 off M
    }

    void rimWeightRaisesOnlyTheRim() {
        auto m = torch::ones({1, 1, 8, 8});
        using torch::indexing::Slice;
        m.index_put_({0, 0, Slice(2, 6), Slice(2, 6)}, 0.0);
        auto rim = holeBorder(m, 1);
        // 4x4 hole: its 12 outer pixels touch visible ones, the inner 2x2 do not.
        QCOMPARE(rim.sum().item<double>(), 12.0);
        QCOMPARE(rim.index({0, 0, 3, 3}).item<double>(), 0.0);
        auto x = torch::zeros({1, 3, 8, 8});
        auto xhat = torch::ones({1, 3, 8, 8});
        // Uniform error: any weighting gives the same mean.
        QCOMPARE(maskedMse(xhat, x, m, 10.0, 1).item<double>(), 1.0);
    }

    void batchShowsMaskedInput() {
        InpaintingTask task;
        auto images = makeDemoImages(4, 32, 1);
        BatchContext ctx{withDefaults(task.info(), {}), makeGenerator(1), images.mean({0, 2, 3})};
        Batch b = task.makeBatch(images, ctx);
        QCOMPARE(b.input.size(1), 4);
        auto visible = b.input.narrow(1, 0, 3);
        QVERIFY(torch::allclose(visible, images * b.mask)); // fill zero: exactly x ⊙ m
        QVERIFY(torch::equal(b.input.narrow(1, 3, 1), b.mask));
    }

    void demoSetIsDeterministicAndVaried() {
        auto a = makeDemoImages(32, 32, 9), b = makeDemoImages(32, 32, 9);
        QVERIFY(torch::equal(a, b));
        QVERIFY(!torch::equal(a, makeDemoImages(32, 32, 10)));
        QVERIFY(a.min().item<float>() >= 0.0f && a.max().item<float>() <= 1.0f);
        // Images differ from each other and each has internal structure.
        QVERIFY(a.std(0).mean().item<double>() > 0.1);
        QVERIFY(a.flatten(1).std(1).min().item<double>() > 0.01);
    }

    void trainingBeatsTheMeanFill() {
        // Train on one demo set, judge on 64 other demo images with fixed masks.
        InpaintingTask task;
        const ParamValues params = {{"mask", 2.0}, {"base_channels", 16.0}};
        auto evalImages = makeDemoImages(64, 32, 77);
        BatchContext evalCtx{withDefaults(task.info(), params), makeGenerator(5),
                             evalImages.mean({0, 2, 3})};
        const Batch evalBatch = task.makeBatch(evalImages, evalCtx);

        TrainConfig cfg;
        cfg.params = params;
        cfg.batchSize = 16;
        cfg.learningRate = 3e-3;
        cfg.seed = 3;
        cfg.device = "cpu";
        Trainer trainer(cfg, makeDemoImages(256, 32, 3));
        auto evalLoss = [&] {
            torch::NoGradGuard noGrad;
            trainer.model().eval();
            auto out = trainer.model().forward(evalBatch.input);
            return maskedMse(out, evalBatch.target, evalBatch.mask).item<double>();
        };
        const double before = evalLoss();
        const int steps = 250;
        for (int i = 0; i < steps; ++i) {
            trainer.step();
        }
        const double after = evalLoss();
        // The trivial answer: every hidden pixel gets the training set's mean colour.
        auto meanFill = evalImages.mean({0, 2, 3}).view({1, 3, 1, 1}).expand_as(evalImages);
        const double trivial = maskedMse(meanFill, evalBatch.target, evalBatch.mask).item<double>();
        qInfo("masked MSE on unseen images %.4f -> %.4f after %d steps; mean fill %.4f", before,
              after, steps, trivial);
        QVERIFY2(after <= 0.6 * before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
        QVERIFY2(after <= 0.8 * trivial, qPrintable(QString("%1 vs %2").arg(after).arg(trivial)));
    }

    void nanLossStopsWithMessage() {
        auto images = makeDemoImages(16, 16, 1);
        images.index_put_({0}, std::numeric_limits<float>::quiet_NaN());
        TrainConfig cfg;
        cfg.batchSize = 16;
        cfg.device = "cpu";
        cfg.heldOutCount = 2;
        Trainer trainer(cfg, images);
        try {
            trainer.step();
            QFAIL("a NaN loss must stop training");
        } catch (const TrainingError& e) {
            QVERIFY(QString(e.what()).contains("NaN"));
        }
    }

    // The held-out split of an image set: an eighth of the set, at most 128 images, taken
    // from its end and never in a training batch; a set under 64 images is too small to
    // split and is judged on itself.
    void heldOutImagesAreNeverTrainedOn_data() {
        QTest::addColumn<int>("images");
        QTest::addColumn<int>("heldOut");
        QTest::addColumn<bool>("split");
        QTest::newRow("40 images: judged on itself") << 40 << 40 << false;
        QTest::newRow("64 images: 8 held out") << 64 << 8 << true;
        QTest::newRow("200 images: 25 held out") << 200 << 25 << true;
        QTest::newRow("1200 images: 128 held out") << 1200 << 128 << true;
    }
    void heldOutImagesAreNeverTrainedOn() {
        QFETCH(int, images);
        QFETCH(int, heldOut);
        QFETCH(bool, split);
        const auto set = makeDemoImages(images, 16, 4);
        TrainConfig cfg;
        cfg.batchSize = 16;
        cfg.device = "cpu";
        cfg.convRoute = "libtorch";
        cfg.params = {{"base_channels", 8.0}};
        Trainer trainer(cfg, set);
        QCOMPARE(trainer.heldOutSamples(), int64_t{heldOut});
        const auto held = set.narrow(0, split ? images - heldOut : 0, heldOut).flatten(1);
        // The samples shown are the first held-out ones.
        const auto shown = trainer.heldOutBatch().original;
        QVERIFY(torch::equal(shown, set.narrow(0, split ? images - heldOut : 0, shown.size(0))));
        if (!split) {
            return;
        }
        // Two epochs of training batches: no image of the held-out part among them.
        const int64_t steps = 2 * (images - heldOut) / cfg.batchSize + 1;
        for (int64_t s = 0; s < steps; ++s) {
            const auto batch = trainer.nextBatch().original.flatten(1);
            const auto distance = torch::cdist(batch, held).min();
            QVERIFY2(distance.item<double>() > 0.0, qPrintable(QStringLiteral("step %1").arg(s)));
        }
    }

    void checkpointRoundTrips() {
        auto images = makeDemoImages(32, 16, 1);
        TrainConfig cfg;
        cfg.batchSize = 8;
        cfg.device = "cpu";
        cfg.params = {{"base_channels", 8.0}};
        Trainer a(cfg, images);
        a.step();
        a.step();
        const std::string bytes = a.checkpointBytes();
        Trainer b(cfg, images);
        b.loadCheckpoint(bytes);
        QCOMPARE(b.stepCount(), 2);
        QCOMPARE(b.heldOutLoss(), a.heldOutLoss());
    }

    // The seed's promise for runs: 2 × 50 steps with a resume between give the losses
    // of 100 steps straight (CPU), for every image task and the video task.
    void resumeGivesTheSameLossesAsAStraightRun_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<int>("batch");
        QTest::newRow("inpainting") << "inpainting" << 8;
        QTest::newRow("jigsaw") << "jigsaw" << 8;
        QTest::newRow("colorization") << "colorization" << 8;
        QTest::newRow("temporal-order") << "temporal-order" << 4;
    }
    void resumeGivesTheSameLossesAsAStraightRun() {
        QFETCH(QString, task);
        QFETCH(int, batch);
        TrainConfig cfg;
        cfg.task = task.toStdString();
        cfg.batchSize = batch;
        cfg.device = "cpu";
        cfg.seed = 5;
        cfg.params = {{"base_channels", 8.0}};
        // 40 images: the epoch (32 training images / 8) ends mid-run, so the resumed
        // run must also carry the epoch's order and its place in it.
        const auto images = makeDemoImages(40, 32, 2);
        const VideoFrames video = makeDemoVideo(1, 120, 32, 2);
        auto make = [&] {
            return task == "temporal-order" ? std::make_unique<Trainer>(cfg, video)
                                            : std::make_unique<Trainer>(cfg, images);
        };
        const int half = 50;
        std::vector<double> straight, resumed;
        {
            auto t = make();
            for (int i = 0; i < 2 * half; ++i) {
                straight.push_back(t->step().loss);
            }
        }
        std::string bytes;
        {
            auto t = make();
            for (int i = 0; i < half; ++i) {
                resumed.push_back(t->step().loss);
            }
            bytes = t->checkpointBytes("{\"task\":\"x\"}");
        }
        auto t = make();
        QCOMPARE(t->loadCheckpoint(bytes), std::string("{\"task\":\"x\"}"));
        QCOMPARE(t->stepCount(), half);
        for (int i = 0; i < half; ++i) {
            resumed.push_back(t->step().loss);
        }
        for (int i = 0; i < 2 * half; ++i) {
            if (straight[i] != resumed[i]) {
                QFAIL(qPrintable(QString("step %1: straight %2, resumed %3")
                                     .arg(i + 1)
                                     .arg(straight[i], 0, 'g', 17)
                                     .arg(resumed[i], 0, 'g', 17)));
            }
        }
    }

    void checkpointOfAnotherTaskIsRefused() {
        TrainConfig cfg;
        cfg.batchSize = 4;
        cfg.device = "cpu";
        cfg.params = {{"base_channels", 8.0}};
        const auto images = makeDemoImages(16, 32, 1);
        Trainer a(cfg, images);
        cfg.task = "jigsaw";
        Trainer b(cfg, images);
        try {
            b.loadCheckpoint(a.checkpointBytes());
            QFAIL("expected an error");
        } catch (const TrainingError& e) {
            QVERIFY2(QString(e.what()).contains("inpainting"), e.what());
        }
        try {
            b.loadCheckpoint("not an archive at all");
            QFAIL("expected an error");
        } catch (const TrainingError& e) {
            QVERIFY2(QString(e.what()).contains("not a checkpoint"), e.what());
        }
    }

    void cudaRequestWithoutGpuIsAClearError() {
        if (torch::cuda::is_available()) {
            QSKIP("a CUDA device is present");
        }
        try {
            resolveDevice("cuda");
            QFAIL("expected an error");
        } catch (const TrainingError& e) {
            QVERIFY(QString(e.what()).contains("CUDA"));
        }
        QCOMPARE(resolveDevice("auto").type(), torch::kCPU);
    }

    void threadPoolsAreControlled() {
        qputenv("OMP_NUM_THREADS", "1"); // the user's environment must not decide
        const ThreadSetup setup = configureThreads();
        const int cores = usableCpus();
        QVERIFY(cores >= 1 &&
                cores <= static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
        QCOMPARE(setup.torchThreads, cores);
        QCOMPARE(torch::get_num_threads(), cores);
        // Debian's LibTorch loads libblas.so.3; with OpenBLAS installed it is found and held.
        QVERIFY2(setup.blasLimited, "no BLAS thread setter found (is OpenBLAS installed?)");
        QCOMPARE(configureThreads(1).torchThreads, 1);
        configureThreads();
    }

    // Thread pools follow the CPUs the process may use: a cgroup quota (v2 or v1), read
    // from files laid out as the kernel does, limits them; no quota, no limit.
    void cgroupQuotaLimitsThreads() {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const std::string dir = root.path().toStdString();
        auto write = [&](const QString& name, const QByteArray& text) {
            QDir(root.path()).mkpath(QFileInfo(root.filePath(name)).path());
            QFile f(root.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        QCOMPARE(cgroupCpuLimit(dir, "0::/\n"), 0); // nothing there
        write("cpu.max", "max 100000\n");
        QCOMPARE(cgroupCpuLimit(dir, "0::/\n"), 0); // "max": no quota
        write("cpu.max", "200000 100000\n");
        QCOMPARE(cgroupCpuLimit(dir, "0::/\n"), 2);
        write("job/cpu.max", "150000 100000\n"); // the process's own group first, rounded up
        QCOMPARE(cgroupCpuLimit(dir, "0::/job\n"), 2);
        write("job/cpu.max", "50000 100000\n");
        QCOMPARE(cgroupCpuLimit(dir, "0::/job\n"), 1);
        QTemporaryDir v1;
        QDir(v1.path()).mkpath(QStringLiteral("cpu"));
        QFile quota(v1.filePath(QStringLiteral("cpu/cpu.cfs_quota_us")));
        QVERIFY(quota.open(QIODevice::WriteOnly));
        quota.write("300000\n");
        quota.close();
        QFile period(v1.filePath(QStringLiteral("cpu/cpu.cfs_period_us")));
        QVERIFY(period.open(QIODevice::WriteOnly));
        period.write("100000\n");
        period.close();
        QCOMPARE(cgroupCpuLimit(v1.path().toStdString(), "4:cpu,cpuacct:/\n"), 3);
        QFile unlimited(v1.filePath(QStringLiteral("cpu/cpu.cfs_quota_us")));
        QVERIFY(unlimited.open(QIODevice::WriteOnly | QIODevice::Truncate));
        unlimited.write("-1\n");
        unlimited.close();
        QCOMPARE(cgroupCpuLimit(v1.path().toStdString(), "4:cpu,cpuacct:/\n"), 0);
    }

    void registryListsInpainting() {
        QVERIFY(makeTask("inpainting") != nullptr);
        QVERIFY(makeTask("nope") == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestInpainting)
#include "test_inpainting.moc"
