// engine/session: the engine worker on its own thread, and the run folder it writes.
#include "DataSource.h"
#include "DemoVideo.h"
#include "EngineWorker.h"
#include "VideoLoader.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "TrainingSession.h"

#include <QCryptographicHash>
#include <QImage>
#include <QPainter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "../common/MetricsFile.h"

using namespace pretext;

namespace {
// An EngineWorker on its own thread, as the main window holds it.
class WorkerThread {
public:
    WorkerThread() : worker(new EngineWorker) {
        worker->moveToThread(&thread);
        thread.start();
    }
    ~WorkerThread() {
        worker->requestStop();
        thread.quit();
        thread.wait();
        delete worker;
    }
    // Runs fn(worker) in the engine thread.
    template <typename Fn> void call(Fn fn) {
        QMetaObject::invokeMethod(worker, [w = worker, fn] { fn(w); }, Qt::QueuedConnection);
    }
    QThread thread;
    EngineWorker* worker;
};
// True once the spy has seen a signal, whether it came before this call or within
// timeout_ms (QSignalSpy::wait alone misses one that fired already).
bool received(QSignalSpy& spy, int timeoutMs) { return !spy.isEmpty() || spy.wait(timeoutMs); }


} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        registerEngineTypes();
    }

    void workerLoadsPreviewsTrainsAndWritesRunFolder() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        auto call = [&engine](auto fn) { engine.call(fn); };

        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        call([](EngineWorker* w) { w->loadDemo(32, 4); });
        QVERIFY(received(loaded, 20000));
        const auto summary = loaded.takeFirst().at(0).value<DataSummary>();
        QVERIFY(summary.count >= 100);
        QCOMPARE(summary.sizePx, 32);
        QVERIFY(!summary.thumbnails.isEmpty());

        QSignalSpy preview(worker, &EngineWorker::previewReady);
        call([](EngineWorker* w) { w->requestPreview("inpainting", {{"mask", 3.0}}, 5, 6); });
        QVERIFY(received(preview, 10000));
        const auto grid = preview.takeFirst().at(0).value<ImageGrid>();
        QCOMPARE(grid.rows.size(), 6);
        QCOMPARE(grid.columnTitles.size(), 3);
        QCOMPARE(grid.rows[0][0].size(), QSize(32, 32));

        QTemporaryDir dir;
        TrainSettings s;
        s.params = {{"base_channels", 8.0}};
        s.batchSize = 8;
        s.maxSteps = 6;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy progress(worker, &EngineWorker::progress);
        QSignalSpy snapshot(worker, &EngineWorker::snapshotReady);
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(finished, 60000));
        QCOMPARE(errors.count(), 0);
        QCOMPARE(finished.first().at(0).toString(), QString("finished"));
        QCOMPARE(progress.count(), 6);
        QVERIFY(snapshot.count() >= 1);
        QCOMPARE(snapshot.last().at(0).value<ImageGrid>().columnTitles.size(), 4);

        const QDir run(s.runDir);
        QFile metrics(run.filePath("metrics.csv"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(metrics.readAll()).split('\n', Qt::SkipEmptyParts);
        QVERIFY(lines.first().startsWith("step,wall_time_s,loss"));
        QCOMPARE(lines.size(), 7);
        QVERIFY(lines.last().startsWith("6,"));

        QFile config(run.filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject cfg = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(cfg.value("task").toString(), QString("inpainting"));
        QCOMPARE(cfg.value("seed").toString(), QString("1"));
        QCOMPARE(cfg.value("data").toObject().value("source").toString(), QString("demo"));

        QFile ckpt(run.filePath("checkpoint.pt"));
        QVERIFY(ckpt.open(QIODevice::ReadOnly));
        const QByteArray bytes = ckpt.readAll();
        QFile manifest(run.filePath("checkpoint.json"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QJsonObject man = QJsonDocument::fromJson(manifest.readAll()).object();
        QCOMPARE(man.value("step").toInt(), 6);
        QCOMPARE(man.value("sha256").toString(),
                 QString(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
        QVERIFY(!QDir(run.filePath("previews")).entryList({"*.png"}).isEmpty());

        // The same folder is never overwritten by a second run.
        call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(errors, 10000));
        QVERIFY(errors.first().at(0).toString().contains("already holds a run"));

    }

    void pauseStepResumeStop() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        auto call = [&engine](auto fn) { engine.call(fn); };
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        call([](EngineWorker* w) { w->loadDemo(16, 1); });
        QVERIFY(received(loaded, 20000));

        QTemporaryDir dir;
        TrainSettings s;
        s.params = {{"base_channels", 8.0}};
        s.batchSize = 4;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy progress(worker, &EngineWorker::progress);
        QSignalSpy state(worker, &EngineWorker::stateChanged);
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        call([s](EngineWorker* w) { w->startTraining(s); });
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 20000);
        call([](EngineWorker* w) { w->pause(); });
        QTRY_VERIFY(!state.isEmpty() &&
                    state.last().at(0).value<EngineState>() == EngineState::Paused);
        QTest::qWait(200);
        const int atPause = progress.count();
        QTest::qWait(300);
        QCOMPARE(progress.count(), atPause); // paused: no steps
        call([](EngineWorker* w) { w->stepOnce(); });
        QTRY_COMPARE(progress.count(), atPause + 1);
        call([](EngineWorker* w) { w->resume(); });
        QTRY_VERIFY(progress.count() >= atPause + 3);
        worker->requestStop();
        call([](EngineWorker* w) { w->stop(); });
        QVERIFY(received(finished, 5000));
        QCOMPARE(finished.first().at(0).toString(), QString("stopped"));
        QVERIFY(QFile::exists(dir.filePath("run/checkpoint.pt")));
    }

    void colorizationSkipsGrayImagesAndRedecodesAfterTheRun() {
        // A folder of colour pictures and a few grayscale ones.
        QTemporaryDir images;
        for (int i = 0; i < 10; ++i) {
            QImage img(40, 40, QImage::Format_RGB888);
            img.fill(QColor::fromHsv((i * 36) % 360, 200, 220));
            QPainter p(&img);
            p.fillRect(8, 8, 20, 16, QColor::fromHsv((i * 36 + 180) % 360, 255, 120));
            p.end();
            QVERIFY(img.save(images.filePath(QStringLiteral("color%1.png").arg(i))));
        }
        for (int i = 0; i < 3; ++i) {
            QImage img(40, 40, QImage::Format_Grayscale8);
            img.fill(QColor(60 + 50 * i, 60 + 50 * i, 60 + 50 * i));
            QVERIFY(img.save(images.filePath(QStringLiteral("gray%1.png").arg(i))));
        }
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        auto call = [&engine](auto fn) { engine.call(fn); };
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        call([dir = images.path()](EngineWorker* w) { w->loadPaths({dir}, 32); });
        QVERIFY(received(loaded, 20000));
        QCOMPARE(loaded.takeFirst().at(0).value<DataSummary>().count, 13);

        QSignalSpy preview(worker, &EngineWorker::previewReady);
        call([](EngineWorker* w) { w->requestPreview("colorization", {}, 1, 12); });
        QVERIFY(received(preview, 10000));
        const auto grid = preview.takeFirst().at(0).value<ImageGrid>();
        QVERIFY2(grid.dataNote.contains("uses 10 of 13 images; 3 grayscale"), qPrintable(grid.dataNote));
        QCOMPARE(grid.rows.size(), 10); // only colour images make samples
        QCOMPARE(grid.figures.size(), 3);
        QVERIFY(!grid.figures[1].image.isNull());

        QTemporaryDir dir;
        TrainSettings s;
        s.task = "colorization";
        s.params = {{"base_channels", 8.0}, {"temperature", 0.38}};
        s.batchSize = 4;
        s.maxSteps = 4;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy snapshot(worker, &EngineWorker::snapshotReady);
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(finished, 60000));
        QCOMPARE(errors.count(), 0);
        const auto last = snapshot.last().at(0).value<ImageGrid>();
        QVERIFY(last.columnTitles.value(1).contains("T = 0.38"));
        QFile config(QDir(s.runDir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject cfg = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(cfg.value("images_used").toInt(), 10);

        // The run is over; the temperature still re-decodes its last outputs.
        snapshot.clear();
        call([](EngineWorker* w) { w->setDisplayParam("temperature", 1.0); });
        QVERIFY(received(snapshot, 5000));
        const auto redecoded = snapshot.takeFirst().at(0).value<ImageGrid>();
        QVERIFY(redecoded.columnTitles.value(1).contains("T = 1.00"));
        QCOMPARE(redecoded.step, 4);
        QVERIFY(redecoded.rows[0][1] != last.rows[0][1]);
        QCOMPARE(redecoded.rows[0][2], last.rows[0][2]); // the ground truth is unchanged
        // A parameter that is not a display choice changes nothing.
        snapshot.clear();
        call([](EngineWorker* w) { w->setDisplayParam("lambda", 0.1); });
        QVERIFY(!snapshot.wait(300));
        QCOMPARE(errors.count(), 0);
    }

    void temporalOrderPreviewsAndTrainsOnTheDemoVideo() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        engine.call([](EngineWorker* w) { w->loadDemo(32, 1); });
        QVERIFY(received(loaded, 20000));
        const auto summary = loaded.takeFirst().at(0).value<DataSummary>();
        QCOMPARE(summary.videos, kDemoVideoCount);
        QCOMPARE(summary.videoFrames, kDemoVideoCount * kDemoVideoFrames);
        QVERIFY(!summary.framesAreImages); // the demo's images are its own set

        QSignalSpy preview(worker, &EngineWorker::previewReady);
        engine.call([](EngineWorker* w) { w->requestPreview("temporal-order", {}, 1, 4); });
        QVERIFY(received(preview, 10000));
        const auto grid = preview.takeFirst().at(0).value<ImageGrid>();
        QCOMPARE(grid.rows.size(), 4);
        QCOMPARE(grid.columnTitles.size(), 3);
        // Strips of four frames side by side.
        QCOMPARE(grid.rows[0][0].width(), 4 * grid.rows[0][0].height());
        QVERIFY(grid.dataNote.contains("windows of 7 frames"));
        QCOMPARE(grid.figures.size(), 1);
        QVERIFY(grid.figures[0].title.startsWith("Motion per window"));
        QVERIFY(grid.note.contains("12 classes"));

        QTemporaryDir dir;
        TrainSettings s;
        s.task = "temporal-order";
        s.params = {{"variant", 0.0}, {"base_channels", 8.0}};
        s.batchSize = 8;
        s.maxSteps = 4;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy snapshot(worker, &EngineWorker::snapshotReady);
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        engine.call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(finished, 60000));
        QCOMPARE(errors.count(), 0);
        const auto live = snapshot.last().at(0).value<ImageGrid>();
        QCOMPARE(live.columnTitles.first(), QString("tuple shown (time places)"));
        QFile config(QDir(s.runDir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject cfg = QJsonDocument::fromJson(config.readAll()).object();
        QVERIFY(cfg.value("windows_used").toInt() > 100);
        QVERIFY(cfg.value("data_note").toString().contains("held out"));
    }

    void temporalOrderOnStillImagesSaysWhatItNeeds() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QTemporaryDir dir;
        for (int i = 0; i < 3; ++i) {
            QImage image(40, 40, QImage::Format_RGB888);
            image.fill(QColor(40 * i, 90, 160));
            QVERIFY(image.save(dir.filePath(QStringLiteral("still%1.png").arg(i))));
        }
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        engine.call([p = dir.path()](EngineWorker* w) { w->loadPaths({p}, 32); });
        QVERIFY(received(loaded, 20000));
        QSignalSpy preview(worker, &EngineWorker::previewReady);
        engine.call([](EngineWorker* w) { w->requestPreview("temporal-order", {}, 1, 4); });
        QVERIFY(received(preview, 10000));
        QVERIFY(preview.first().at(0).value<ImageGrid>().dataNote.contains("video"));
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        TrainSettings s;
        s.task = "temporal-order";
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        engine.call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(errors, 10000));
        QVERIFY(errors.first().at(0).toString().contains("open a video file"));
    }

    void videosLoadWithProgressAndCancel() {
        QTemporaryDir dir;
        const QString clip = dir.filePath("clip.avi");
        const QString longClip = dir.filePath("long.avi");
        QVERIFY(io::writeMjpegVideo(clip.toStdString(), makeDemoVideo(1, 24, 32, 3).frames, 96, 64));
        QVERIFY(io::writeMjpegVideo(longClip.toStdString(), makeDemoVideo(1, 600, 32, 3).frames, 320, 240));
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        engine.call([clip](EngineWorker* w) { w->loadVideos({clip}, 32, 2, 512); });
        QVERIFY(received(loaded, 20000));
        const auto summary = loaded.takeFirst().at(0).value<DataSummary>();
        QVERIFY(summary.framesAreImages);
        QCOMPARE(summary.count, 12); // every 2nd of 24
        QCOMPARE(summary.videos, 1);
        QVERIFY(summary.label.contains("clip.avi"));
        QCOMPARE(summary.budgetMb, 512);
        QVERIFY(std::abs(summary.cacheMb - 12 * 3 * 32 * 32 * 4 / 1048576.0) < 1e-9);

        // Cancelled at the first progress report: the short clip stays loaded.
        connect(worker, &EngineWorker::videoLoadProgress, worker,
                [worker] { worker->requestCancelLoad(); }, Qt::DirectConnection);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        QSignalSpy cancelled(worker, &EngineWorker::loadCancelled);
        engine.call([longClip](EngineWorker* w) { w->loadVideos({longClip}, 32, 1, 512); });
        QVERIFY(received(loaded, 30000));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(errors.count(), 0); // a cancel is no error
        QCOMPARE(loaded.first().at(0).value<DataSummary>().count, 12);
    }

    void loadingAFolderWithOnlyBadFilesReportsThem() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QTemporaryDir dir;
        QFile bad(dir.filePath("broken.png"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a png");
        bad.close();
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        engine.call([p = dir.path()](EngineWorker* w) { w->loadPaths({p}, 32); });
        QVERIFY(received(errors, 10000));
        QVERIFY(errors.first().at(0).toString().contains("broken.png"));
    }

    // ---- run folders: resume, damaged checkpoints, configs -------------------------

    void resumedSessionWritesTheLossesOfAStraightRun() {
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        auto run = [&](const QString& name, qint64 steps, bool resume) {
            SessionOptions o;
            o.settings.task = "inpainting";
            o.settings.params = {{"base_channels", 8.0}};
            o.settings.batchSize = 8;
            o.settings.device = "cpu";
            o.settings.maxSteps = steps;
            o.settings.runDir = dir.filePath(name);
            o.resume = resume;
            TrainingSession session(o, data);
            while (!session.reachedMaxSteps()) {
                session.step();
            }
            session.finish();
            return session.startStep();
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

    void damagedCheckpointIsRefusedAndTheFolderKept_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << "truncate" << "cut short";
        QTest::newRow("wrong manifest hash") << "hash" << "SHA-256";
        QTest::newRow("bytes changed") << "flip" << "SHA-256";
        QTest::newRow("missing manifest") << "manifest" << "manifest of checkpoint.pt, is missing";
        QTest::newRow("no checkpoint") << "remove" << "holds no checkpoint.pt";
    }
    void damagedCheckpointIsRefusedAndTheFolderKept() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const LoadedData data = loadDemoData(32, 1, 64, false);
        SessionOptions o;
        o.settings.task = "inpainting";
        o.settings.params = {{"base_channels", 8.0}};
        o.settings.batchSize = 8;
        o.settings.device = "cpu";
        o.settings.maxSteps = 4;
        o.settings.runDir = dir.filePath("run");
        {
            TrainingSession session(o, data);
            while (!session.reachedMaxSteps()) {
                session.step();
            }
            session.finish();
        }
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
        const QByteArray metricsBefore = bytesOf("metrics.csv"), configBefore = bytesOf("config.json");
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
        QVERIFY(QFile::rename(dir.filePath("run/checkpoint.pt"), dir.filePath("run/checkpoint.prev.pt")));
        QFile half(dir.filePath("run/checkpoint.pt"));
        QVERIFY(half.open(QIODevice::WriteOnly));
        half.write("second, cut sh");
        half.close();
        QVERIFY2(folder->readCheckpoint("inpainting", &bytes, &manifest, &error), qPrintable(error));
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
        QCOMPARE(f.readAll(), QByteArray("step,wall_time_s,loss,acc\n1,0.5,2.0,0.1\n2,1.0,1.5,\n3,9.000,0.75,0.5\n"));
    }

    void configReadingNamesEveryProblem() {
        const QJsonObject json{{"task", "inpainting"},
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
        const QJsonObject saved = runConfigJson(s, QJsonObject{{"source", "demo"}, {"size_px", 48}});
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

QTEST_MAIN(TestSession)
#include "test_session.moc"
