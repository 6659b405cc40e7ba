// Run folders: resume, damaged checkpoints, interrupted saves, metrics after a
// crash, configs, and reloading the data a run recorded.
#include "DataSource.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "TrainingSession.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/ColourClasses.h"
#include "../common/MetricsFile.h"

using namespace pretext;

namespace {
// A small inpainting run on the CPU into `dir`, `steps` long (a resume: to that step).
SessionOptions smallRun(const QString& dir, qint64 steps, bool resume) {
    SessionOptions o;
    o.settings.task = "inpainting";
    o.settings.params = {{"base_channels", 8.0}};
    o.settings.batchSize = 8;
    o.settings.device = "cpu";
    o.settings.maxSteps = steps;
    o.settings.runDir = dir;
    o.settings.convRoute = "fast"; // fixed, not measured: runs compared loss for loss
    o.resume = resume;
    return o;
}

// Trains to the step limit and writes the final files; returns the step it began at.
qint64 runToTheEnd(const SessionOptions& options, const LoadedData& data) {
    TrainingSession session(options, data);
    while (!session.reachedMaxSteps()) {
        session.step();
    }
    session.finish();
    return session.startStep();
}
} // namespace

class TestRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void resumedSessionWritesTheLossesOfAStraightRun() {
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        auto run = [&](const QString& name, qint64 steps, bool resume) {
            return runToTheEnd(smallRun(dir.filePath(name), steps, resume), data);
        };
        QCOMPARE(run("straight", 30, false), 0);
        QCOMPARE(run("halves", 15, false), 0);
        QCOMPARE(run("halves", 30, true), 15);
        const auto straight = lossesOf(dir.filePath("straight/metrics.csv"));
        const auto halves = lossesOf(dir.filePath("halves/metrics.csv"));
        QCOMPARE(straight.size(), 30);
        QCOMPARE(halves, straight);
        QFile cfg(dir.filePath("halves/config.json"));
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(cfg.readAll()).object();
        QCOMPARE(json.value("max_steps").toInt(), 30);
        QCOMPARE(json.value("resumed").toArray().size(), 1);
    }

    // A learning rate changed during a run is the one a resume goes on with (not the
    // run's first setting in config.json), unless the resume asks for another: the
    // resumed run writes the losses of a straight run with the same change.
    void resumeAfterALearningRateChangeKeepsTheNewRate() {
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        auto train = [&](const QString& name, qint64 steps, bool resume, qint64 changeAt) {
            SessionOptions o = smallRun(dir.filePath(name), steps, resume);
            TrainingSession session(o, data);
            while (!session.reachedMaxSteps()) {
                if (session.trainer().stepCount() == changeAt) {
                    session.trainer().setLearningRate(2e-4);
                }
                session.step();
            }
            session.finish();
            return session.trainer().config().learningRate;
        };
        QCOMPARE(train("straight", 12, false, 4), 2e-4);
        QCOMPARE(train("halves", 8, false, 4), 2e-4);
        QCOMPARE(train("halves", 12, true, -1), 2e-4); // goes on at the changed rate
        QCOMPARE(lossesOf(dir.filePath("halves/metrics.csv")),
                 lossesOf(dir.filePath("straight/metrics.csv")));
        QFile cfg(dir.filePath("halves/config.json"));
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        const QJsonArray resumed =
            QJsonDocument::fromJson(cfg.readAll()).object().value("resumed").toArray();
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(resumed.at(0).toObject().value("learning_rate").toDouble(), 2e-4);
        // Asked for, another rate wins.
        SessionOptions again = smallRun(dir.filePath("halves"), 14, true);
        again.settings.learningRate = 5e-4;
        again.learningRateGiven = true;
        TrainingSession session(again, data);
        QCOMPARE(session.trainer().config().learningRate, 5e-4);
    }

    // The routes a run chose are recorded in config.json, and a resume takes them as
    // recorded (here rewritten by hand to LibTorch's everywhere) instead of measuring.
    void resumeTakesTheRecordedConvolutionRoutes() {
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        SessionOptions o = smallRun(dir.filePath("run"), 2, false);
        o.settings.convRoute = "auto";
        QCOMPARE(runToTheEnd(o, data), 0);
        QFile cfg(dir.filePath("run/config.json"));
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(cfg.readAll()).object();
        cfg.close();
        QCOMPARE(json.value("conv_route").toString(), QString("auto"));
        QJsonObject routes = json.value("conv_routes").toObject();
        QVERIFY(routes.size() >= 6); // the encoder's six convolutions and the decoder's
        QVERIFY(json.value("conv_route_summary").toString().startsWith("auto: "));
        for (const QString& layer : routes.keys()) {
            routes.insert(layer, "libtorch");
        }
        json.insert("conv_routes", routes);
        QVERIFY(cfg.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cfg.write(QJsonDocument(json).toJson());
        cfg.close();
        SessionOptions again = smallRun(dir.filePath("run"), 4, true);
        again.settings.convRoute = "auto";
        QCOMPARE(runToTheEnd(again, data), 2);
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        const QJsonObject after = QJsonDocument::fromJson(cfg.readAll()).object();
        QCOMPARE(after.value("conv_routes").toObject(), routes);
        QVERIFY2(after.value("conv_route_summary").toString().contains("0 of"),
                 qPrintable(after.value("conv_route_summary").toString()));
    }

    void damagedCheckpointIsRefusedAndTheFolderKept_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << "truncate"
                                   << "cut short";
        QTest::newRow("wrong manifest hash") << "hash"
                                             << "SHA-256";
        QTest::newRow("bytes changed") << "flip"
                                       << "SHA-256";
        QTest::newRow("missing manifest") << "manifest"
                                          << "manifest of checkpoint.pt, is missing";
        QTest::newRow("no checkpoint") << "remove"
                                       << "holds no checkpoint.pt";
    }
    void damagedCheckpointIsRefusedAndTheFolderKept() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        SessionOptions o = smallRun(dir.filePath("run"), 4, false);
        runToTheEnd(o, data);
        const QDir run(o.settings.runDir);
        auto bytesOf = [&](const QString& name) {
            QFile f(run.filePath(name));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        QByteArray pt = bytesOf("checkpoint.pt");
        QVERIFY(pt.size() > 1000);
        auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile f(run.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
        };
        if (damage == "truncate") {
            write("checkpoint.pt", pt.left(pt.size() / 2));
        } else if (damage == "flip") {
            pt[pt.size() / 2] = static_cast<char>(pt[pt.size() / 2] ^ 0x55);
            write("checkpoint.pt", pt);
        } else if (damage == "hash") {
            QJsonObject m = QJsonDocument::fromJson(bytesOf("checkpoint.json")).object();
            m["sha256"] = QString(64, QLatin1Char('0'));
            write("checkpoint.json", QJsonDocument(m).toJson());
        } else if (damage == "manifest") {
            QVERIFY(QFile::remove(run.filePath("checkpoint.json")));
        } else {
            QVERIFY(QFile::remove(run.filePath("checkpoint.pt")));
        }
        const QByteArray metricsBefore = bytesOf("metrics.csv"),
                         configBefore = bytesOf("config.json");
        const QByteArray ptBefore = bytesOf("checkpoint.pt");
        o.resume = true;
        o.settings.maxSteps = 8;
        try {
            TrainingSession resumed(o, data);
            QFAIL("a damaged checkpoint was loaded");
        } catch (const TrainingError& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).contains(QDir::toNativeSeparators(run.path())), e.what());
        }
        // Refusing changes nothing: the files stay as they were for the user to look at.
        QCOMPARE(bytesOf("metrics.csv"), metricsBefore);
        QCOMPARE(bytesOf("config.json"), configBefore);
        QCOMPARE(bytesOf("checkpoint.pt"), ptBefore);
    }

    // A save cut off after the new checkpoint.pt and before its manifest: the manifest
    // still vouches for the previous file (kept as checkpoint.prev.pt), which loads.
    void saveCutOffBeforeTheManifestKeepsThePreviousCheckpoint() {
        QTemporaryDir dir;
        QString error;
        auto folder = RunFolder::create(dir.filePath("run"), &error);
        QVERIFY2(folder, qPrintable(error));
        const QJsonObject extra{{"task", "inpainting"}};
        QVERIFY(folder->saveCheckpoint("first checkpoint", 10, extra, &error));
        QVERIFY(!QFile::exists(dir.filePath("run/checkpoint.prev.pt")));
        QByteArray bytes;
        QJsonObject manifest;
        QVERIFY(folder->readCheckpoint("inpainting", &bytes, &manifest, &error));
        QCOMPARE(bytes, QByteArray("first checkpoint"));
        // The state a crash between the two writes leaves.
        QVERIFY(QFile::rename(dir.filePath("run/checkpoint.pt"),
                              dir.filePath("run/checkpoint.prev.pt")));
        QFile half(dir.filePath("run/checkpoint.pt"));
        QVERIFY(half.open(QIODevice::WriteOnly));
        half.write("second, cut sh");
        half.close();
        QVERIFY2(folder->readCheckpoint("inpainting", &bytes, &manifest, &error),
                 qPrintable(error));
        QCOMPARE(bytes, QByteArray("first checkpoint"));
        QCOMPARE(manifest.value("step").toInt(), 10);
        QVERIFY(!folder->readCheckpoint("jigsaw", &bytes, &manifest, &error));
        QVERIFY(error.contains("jigsaw"));
        // The next save completes the pair and removes the spare.
        QVERIFY(folder->saveCheckpoint("second checkpoint", 20, extra, &error));
        QVERIFY(folder->readCheckpoint("inpainting", &bytes, &manifest, &error));
        QCOMPARE(bytes, QByteArray("second checkpoint"));
        QVERIFY(!QFile::exists(dir.filePath("run/checkpoint.prev.pt")));
    }

    void continuingMetricsDropsLaterAndCutOffRows() {
        QTemporaryDir dir;
        QString error;
        auto folder = RunFolder::create(dir.filePath("run"), &error);
        QVERIFY(folder);
        QFile f(dir.filePath("run/metrics.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("step,wall_time_s,loss,acc\n1,0.5,2.0,0.1\n2,1.0,1.5,\n3,1.5,1.2,0.3\n4,2.0,1.");
        f.close();
        double wall = -1;
        QVERIFY(folder->continueMetrics(2, &wall, &error));
        QCOMPARE(wall, 1.0);
        QVERIFY(folder->appendMetrics(3, 9.0, 0.75, {{"acc", 0.5}}, &error));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(
            f.readAll(),
            QByteArray("step,wall_time_s,loss,acc\n1,0.5,2.0,0.1\n2,1.0,1.5,\n3,9.000,0.75,0.5\n"));
    }

    // The live k-NN monitor on a folder per class (two colours): knn_accuracy and the
    // random-init reference in metrics.csv at step 1, every N steps and at the end, the
    // reference and the labelled set in config.json; a monitor set that cannot be read
    // stops the run before it starts, naming it.
    void knnMonitorWritesItsCurve() {
        QTemporaryDir dir;
        const QString labels = dir.filePath("labels");
        QVERIFY(writeColourClasses(labels, 20, 24));
        const LoadedData data = loadDemoData(32, 1, 64, false);
        SessionOptions o = smallRun(dir.filePath("run"), 10, false);
        o.settings.monitor = labels;
        o.settings.monitorEvery = 4;
        runToTheEnd(o, data);
        QFile csv(dir.filePath("run/metrics.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        const QStringList header = rows.front().split(',');
        const int knn = static_cast<int>(header.indexOf("knn_accuracy"));
        const int reference = static_cast<int>(header.indexOf("knn_random_init"));
        QVERIFY(knn > 0 && reference > 0);
        QList<int> steps;
        for (const QString& row : rows.mid(1)) {
            const QStringList cells = row.split(',');
            if (!cells.value(knn).isEmpty()) {
                steps << cells.front().toInt();
                const double a = cells.value(knn).toDouble();
                QVERIFY(a >= 0.0 && a <= 1.0);
            }
        }
        QCOMPARE(steps, (QList<int>{1, 4, 8, 10}));
        QFile config(dir.filePath("run/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
        QVERIFY(json.value("knn_random_init").isDouble());
        QVERIFY2(json.value("monitor_note").toString().contains("2 classes"),
                 qPrintable(json.value("monitor_note").toString()));
        QCOMPARE(json.value("monitor").toString(), labels);

        o = smallRun(dir.filePath("bad"), 5, false);
        o.settings.monitor = dir.filePath("no-such-folder");
        try {
            TrainingSession session(o, data);
            QFAIL("a run started with a monitor set that does not exist");
        } catch (const std::exception& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("no-such-folder"), e.what());
        }
    }

    void configReadingNamesEveryProblem() {
        const QJsonObject json{
            {"task", "inpainting"},
            {"bach_size", 8},
            {"learning_rate", -1},
            {"params", QJsonObject{{"mask", "wavy"}, {"hole", 0.3}, {"base_channels", 8}}},
            {"data", QJsonObject{{"source", "demo"}, {"size_px", 30}}}};
        RunConfig c;
        QString error;
        QVERIFY(!parseRunConfig(json, &c, &error));
        for (const char* name : {"bach_size: unknown key", "learning_rate", "params.mask", "wavy",
                                 "params.hole", "data.size_px"}) {
            QVERIFY2(error.contains(name), qPrintable(error));
        }
        QVERIFY2(!error.contains("base_channels"), qPrintable(error));
        // What runConfigJson writes reads back to the same settings.
        TrainSettings s;
        s.task = "jigsaw";
        s.params = {{"grid", 2.0}, {"head", 1.0}};
        s.batchSize = 16;
        s.learningRate = 1e-3;
        s.seed = 1234567890123ULL;
        s.maxSteps = 77;
        const QJsonObject saved =
            runConfigJson(s, QJsonObject{{"source", "demo"}, {"size_px", 48}});
        QCOMPARE(saved.value("params").toObject().value("head").toString(), QString("position"));
        QVERIFY2(parseRunConfig(saved, &c, &error), qPrintable(error));
        QCOMPARE(c.settings.task, s.task);
        QCOMPARE(c.settings.params, s.params);
        QCOMPARE(c.settings.batchSize, 16);
        QCOMPARE(c.settings.seed, s.seed);
        QCOMPARE(c.settings.maxSteps, 77);
        QCOMPARE(c.data.value("size_px").toInt(), 48);
    }

    // A run resumes on the data it started on, or says what changed.
    void describedDataReloadsOrSaysWhatChanged() {
        QTemporaryDir dir;
        for (int i = 0; i < 3; ++i) {
            QImage image(40, 30, QImage::Format_RGB32);
            image.fill(QColor(40 * i, 100, 200));
            QVERIFY(image.save(dir.filePath(QString("img%1.png").arg(i))));
        }
        const LoadedData first = loadImageFiles({dir.path()}, 32);
        QCOMPARE(first.images.size(0), 3);
        const LoadedData again = loadDescribedData(first.description, false);
        QVERIFY(torch::equal(again.images, first.images));
        QVERIFY(QFile::remove(dir.filePath("img1.png")));
        try {
            loadDescribedData(first.description, false);
            QFAIL("changed data was accepted");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("3 images then, 2 now"), e.what());
        }
        const LoadedData demo = loadDemoData(32, 7, 64, false);
        QVERIFY(torch::equal(loadDescribedData(demo.description, false).images, demo.images));
    }
};

QTEST_MAIN(TestRuns)
#include "test_runs.moc"
