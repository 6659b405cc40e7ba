// The IDX reader, labelled data and the linear probe: headers checked before data,
// every broken file named with its problem; the probe separates what is separable,
// stays at chance on random labels, and runs its baselines on the same splits.
#include "DemoData.h"
#include "Idx.h"
#include "Knn.h"
#include "Labelled.h"
#include "Probe.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>
#include <zlib.h>

#include <fstream>

using namespace pretext;
using namespace pretext::io;

namespace {
std::string idxBytes(int type, const std::vector<int32_t>& dims, const std::string& data) {
    std::string out{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
    for (const int32_t d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.push_back(static_cast<char>((d >> shift) & 0xFF));
        }
    }
    return out + data;
}

void writeFile(const QString& path, const std::string& bytes, bool gzip = false) {
    if (gzip) {
        gzFile f = gzopen(path.toStdString().c_str(), "wb");
        gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
        gzclose(f);
    } else {
        std::ofstream(path.toStdString(), std::ios::binary) << bytes;
    }
}

// n images of rows x cols, pixel value = image index + row; labels = index % classes.
void writeMnistPair(const QString& dir, const QString& prefix, int n, int rows, int cols,
                    int classes, bool gzip) {
    std::string pixels, labels;
    for (int i = 0; i < n; ++i) {
        for (int r = 0; r < rows; ++r) {
            pixels.append(static_cast<size_t>(cols), static_cast<char>((i + r) % 256));
        }
        labels.push_back(static_cast<char>(i % classes));
    }
    const QString ext = gzip ? QStringLiteral(".gz") : QString();
    writeFile(dir + "/" + prefix + "-images-idx3-ubyte" + ext,
              idxBytes(0x08, {n, rows, cols}, pixels), gzip);
    writeFile(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, idxBytes(0x08, {n}, labels), gzip);
}

QString errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}
} // namespace

class TestProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void readsPlainAndGzipIdx_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }

    void readsPlainAndGzipIdx() {
        QFETCH(bool, gzip);
        QTemporaryDir dir;
        const QString path = dir.filePath(gzip ? "a.idx.gz" : "a.idx");
        writeFile(path,
                  idxBytes(0x08, {3, 2, 2},
                           std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xff", 12)),
                  gzip);
        IdxHeader h;
        const auto t = readIdx(path.toStdString(), -1, 1 << 20, &h);
        QCOMPARE(h.dims, (std::vector<int64_t>{3, 2, 2}));
        QCOMPARE(t.scalar_type(), torch::kUInt8);
        QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, 2, 2}));
        QCOMPARE(t[2][1][1].item<int>(), 255);
        QCOMPARE(readIdx(path.toStdString(), 1).size(0), 1); // the first items only
    }

    void readsBigEndianWideTypes() {
        QTemporaryDir dir;
        const QString path = dir.filePath("ints.idx");
        writeFile(path, idxBytes(0x0C, {2}, std::string("\x00\x00\x01\x00\xff\xff\xff\xfe", 8)));
        const auto t = readIdx(path.toStdString());
        QCOMPARE(t.scalar_type(), torch::kInt32);
        QCOMPARE(t[0].item<int>(), 256);
        QCOMPARE(t[1].item<int>(), -2);
    }

    void brokenIdxFilesAreNamed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const auto b = [](const std::string& s) {
            return QByteArray(s.data(), static_cast<int>(s.size()));
        };
        QTest::newRow("empty") << QByteArray() << "is empty";
        QTest::newRow("wrong magic") << b("\x89PNG\r\n\x1a\n and more") << "not an IDX file";
        QTest::newRow("unknown type")
            << b(idxBytes(0x07, {1}, "x")) << "unknown IDX data type code 0x07";
        QTest::newRow("five dimensions")
            << b(idxBytes(0x08, {1, 1, 1, 1, 1}, "x")) << "claims 5 dimensions";
        QTest::newRow("zero size") << b(idxBytes(0x08, {0, 28, 28}, "")) << "dimension of size 0";
        QTest::newRow("header cut")
            << b(std::string("\0\0\x08\x03\0\0", 6)) << "truncated inside its header";
        QTest::newRow("data cut") << b(idxBytes(0x08, {10, 2, 2}, std::string(13, 'x')))
                                  << "is truncated: its header promises 10 items";
        QTest::newRow("bomb") << b(idxBytes(0x08, {60000, 30000, 30000}, "x"))
                              << "would need more than";
    }

    void brokenIdxFilesAreNamed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath("broken-idx3-ubyte");
        writeFile(path, bytes.toStdString());
        const QString error = errorOf([&] { readIdx(path.toStdString(), -1, 1 << 20); });
        QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
        QVERIFY2(error.contains(problem), qPrintable(error));
        QVERIFY(!errorOf([&] { readIdx(dir.filePath("missing").toStdString()); }).isEmpty());
    }

    void idxSplitsCheckCountsAndDrawWithTheSeed() {
        QTemporaryDir dir;
        writeMnistPair(dir.path(), "train", 50, 6, 5, 4, true);
        writeMnistPair(dir.path(), "t10k", 20, 6, 5, 4, false);
        LabelledOptions o;
        o.maxTrain = 30;
        o.maxTest = 100;
        const LabelledData data = loadLabelled(dir.path().toStdString(), o);
        QCOMPARE(data.train.images.sizes().vec(), (std::vector<int64_t>{30, 3, 6, 5}));
        QCOMPARE(data.train.available, 50);
        QCOMPARE(data.test.images.size(0), 20);
        QCOMPARE(static_cast<int>(data.classes.size()), 4);
        // Pixels and labels stay paired: image i has pixel i/255 in row 0, label i % 4.
        const auto index = (data.train.images.select(1, 0).select(1, 0).select(1, 0) * 255)
                               .round()
                               .to(torch::kLong);
        QVERIFY(torch::equal(index.remainder(4), data.train.labels));
        QVERIFY(torch::equal(loadLabelled(dir.path().toStdString(), o).train.labels,
                             data.train.labels));
        o.seed = 2;
        QVERIFY(!torch::equal(loadLabelled(dir.path().toStdString(), o).train.labels,
                              data.train.labels));

        // Labels that do not match the images in number.
        writeFile(dir.filePath("t10k-labels-idx1-ubyte"),
                  idxBytes(0x08, {19}, std::string(19, '\0')));
        const QString error = errorOf([&] { loadLabelled(dir.path().toStdString(), o); });
        QVERIFY2(error.contains("holds 19 labels for the 20 images"), qPrintable(error));
    }

    void fashionMnistAsDebianInstallsIt() {
        if (!QFileInfo::exists(QString::fromLatin1(kFashionMnistDir))) {
            QSKIP(
                "dataset-fashion-mnist is not installed (the README's set-up command installs it)");
        }
        LabelledOptions o;
        o.maxTrain = 500;
        o.maxTest = 200;
        const LabelledData data = loadLabelled("fashion-mnist", o);
        QCOMPARE(data.train.available, 60000);
        QCOMPARE(data.test.available, 10000);
        QCOMPARE(data.train.images.sizes().vec(), (std::vector<int64_t>{500, 3, 28, 28}));
        QCOMPARE(data.classes.at(9), std::string("Ankle boot"));
        QVERIFY(data.train.labels.min().item<int64_t>() == 0 &&
                data.train.labels.max().item<int64_t>() == 9);
    }

    void classFoldersSplitBySeed() {
        QTemporaryDir dir;
        for (const char* cls : {"cats", "dogs"}) {
            QDir(dir.path()).mkdir(cls);
            for (int i = 0; i < 10; ++i) {
                cv::Mat img(16, 16, CV_8UC3,
                            cv::Scalar(i * 20, std::string(cls) == "cats" ? 0 : 200, 50));
                cv::imwrite(dir.filePath(QStringLiteral("%1/%2.png").arg(cls).arg(i)).toStdString(),
                            img);
            }
        }
        writeFile(dir.filePath("dogs/broken.png"), "not a png");
        LabelledOptions o;
        o.sizePx = 16;
        const LabelledData data = loadLabelled(dir.path().toStdString(), o);
        QCOMPARE(data.classes, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(data.train.images.size(0) + data.test.images.size(0), 20);
        QCOMPARE(data.test.images.size(0), 4);
        QCOMPARE(static_cast<int>(data.skipped.size()), 1);
        QVERIFY(QString::fromStdString(data.skipped[0].path).endsWith("broken.png"));
        const QString error = errorOf([&] { loadLabelled(dir.filePath("cats").toStdString(), o); });
        QVERIFY2(error.contains("class subfolder"), qPrintable(error));
    }

    // Weighted k-NN (engine/core/Knn.h): neighbours vote with exp(similarity / T), so one
    // very close neighbour outvotes two far ones at T = 0.07 and not at a large T; the
    // similarity is the cosine (feature length does not count); clusters are found.
    void knnVotesAreWeightedBySimilarity() {
        const auto bank = torch::tensor({1.0f, 0.0f, 0.5f, 0.866f, 0.5f, -0.866f}).view({3, 2});
        const auto bankLabels = torch::tensor(std::vector<int64_t>{0, 1, 1});
        const auto query = torch::tensor({10.0f, 0.1f}).view({1, 2}); // cos 0.99 to class 0
        KnnOptions o;
        o.k = 3;
        o.temperature = 0.07;
        QCOMPARE(knnAccuracy(bank, bankLabels, query, torch::tensor(std::vector<int64_t>{0}), 2, o),
                 1.0);
        o.temperature = 100.0; // nearly equal weights: the majority, class 1
        QCOMPARE(knnAccuracy(bank, bankLabels, query, torch::tensor(std::vector<int64_t>{1}), 2, o),
                 1.0);
        o.k = 1; // only the nearest
        QCOMPARE(knnAccuracy(bank, bankLabels, query, torch::tensor(std::vector<int64_t>{1}), 2, o),
                 0.0);
        // Separated clusters: every query right; labels shuffled: near chance.
        torch::manual_seed(5);
        const auto centres = torch::randn({4, 32}) * 4;
        const auto labelsOf = [](int64_t n) { return torch::arange(n) % 4; };
        const auto points = [&](const torch::Tensor& y) {
            return centres.index_select(0, y) + torch::randn({y.size(0), 32});
        };
        const auto trainY = labelsOf(400), testY = labelsOf(200);
        const auto trainX = points(trainY), testX = points(testY);
        QCOMPARE(knnAccuracy(trainX, trainY, testX, testY, 4), 1.0);
        const double shuffled =
            knnAccuracy(trainX, trainY.index_select(0, torch::randperm(400)), testX, testY, 4);
        QVERIFY2(shuffled < 0.45, qPrintable(QString::number(shuffled)));
    }

    void probeSeparatesSeparableFeatures() {
        torch::manual_seed(3);
        const int64_t classes = 4;
        const auto centres = torch::randn({classes, 16}) * 3;
        auto make = [&](int64_t n) {
            const auto y = torch::randint(0, classes, {n}, torch::kLong);
            return std::make_pair(centres.index_select(0, y) + 0.3 * torch::randn({n, 16}), y);
        };
        const auto [trainX, trainY] = make(400);
        const auto [testX, testY] = make(200);
        const ProbeFit fit = fitLinearProbe(trainX, trainY, testX, testY, classes);
        QCOMPARE(fit.dims, 16);
        QVERIFY2(fit.testAccuracy > 0.98, qPrintable(QString::number(fit.testAccuracy)));
    }

    // A cancelled probe stops at its next solver step (and the feature pass at its next
    // chunk) with Cancelled, not with a result.
    void cancelledProbeStops() {
        const auto x = torch::randn({200, 8});
        const auto y = torch::randint(0, 3, {200}, torch::kLong);
        ProbeOptions options;
        options.cancel.cancel();
        bool stopped = false;
        try {
            fitLinearProbe(x, y, x, y, 3, options);
        } catch (const Cancelled&) {
            stopped = true;
        }
        QVERIFY(stopped);
        // A copy of the token shares its flag: the thread that asks and the one that works.
        const CancelToken token;
        const CancelToken copy = token;
        QVERIFY(!copy.cancelled());
        token.cancel();
        QVERIFY(copy.cancelled());
    }

    void probeIsAtChanceOnRandomLabels() {
        torch::manual_seed(4);
        const int64_t classes = 4;
        const auto trainX = torch::randn({800, 32}), testX = torch::randn({800, 32});
        const auto trainY = torch::randint(0, classes, {800}, torch::kLong);
        const auto testY = torch::randint(0, classes, {800}, torch::kLong);
        const ProbeFit fit = fitLinearProbe(trainX, trainY, testX, testY, classes);
        QVERIFY2(std::abs(fit.testAccuracy - 0.25) < 0.06,
                 qPrintable(QString::number(fit.testAccuracy)));
        QVERIFY(fit.trainAccuracy > fit.testAccuracy); // it fits noise in training, not in test
    }

    void baselinesUseTheSameSplits() {
        auto task = makeTask("inpainting");
        const ParamValues params = withDefaults(task->info(), {});
        torch::manual_seed(7);
        auto model = task->makeModel(params);
        torch::manual_seed(7);
        auto same = task->makeModel(params);
        const auto images = makeDemoImages(120, 24, 5);
        const auto labels =
            (images.mean({1, 2, 3}) > images.mean()).to(torch::kLong); // bright or dark
        const LabelledImages train{images.narrow(0, 0, 80), labels.narrow(0, 0, 80)};
        const LabelledImages test{images.narrow(0, 80, 40), labels.narrow(0, 80, 40)};
        ProbeOptions o;
        o.iterations = 30;
        const ProbeReport r =
            probeEncoder(*model, *same, *task, params, 24, train, test, 2, torch::kCPU, o);
        QCOMPARE(static_cast<int>(r.stages.size()), model->encoder()->stageCount());
        QCOMPARE(r.randomStages.size(), r.stages.size());
        for (size_t s = 0; s < r.stages.size(); ++s) {
            // Same weights, same splits, same seed: the same numbers.
            QCOMPARE(r.randomStages[s].testAccuracy, r.stages[s].testAccuracy);
            QCOMPARE(r.stages[s].dims, model->encoder()->stageChannels(static_cast<int>(s)));
        }
        QCOMPARE(r.rawPixels.dims, 3 * 24 * 24);
        QVERIFY2(r.rawPixels.testAccuracy > 0.8,
                 qPrintable(QString::number(r.rawPixels.testAccuracy)));
    }

    void modelComesBackFromACheckpoint() {
        TrainConfig cfg;
        cfg.task = "jigsaw";
        cfg.batchSize = 4;
        Trainer trainer(cfg, makeDemoImages(16, 32, 3));
        trainer.step();
        const std::string bytes = trainer.checkpointBytes();
        auto task = makeTask("jigsaw");
        int64_t step = 0;
        auto model = modelFromCheckpoint(*task, trainer.config().params, bytes, &step);
        QCOMPARE(step, 1);
        const auto a = trainer.model().parameters(), b = model->parameters();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(torch::equal(a[i].cpu(), b[i]));
        }
        const QString wrong =
            errorOf([&] { modelFromCheckpoint(*makeTask("inpainting"), {}, bytes); });
        QVERIFY2(wrong.contains("of task 'jigsaw', not 'inpainting'"), qPrintable(wrong));
        QVERIFY(errorOf([&] {
                    modelFromCheckpoint(*task, trainer.config().params, "garbage");
                }).contains("not a checkpoint"));
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "test_probe.moc"
