// engine/session: the engine worker on its own thread, and the run folder it writes.
#include "DataSource.h"
#include "DemoVideo.h"
#include "EngineWorker.h"
#include "HeadlessCommon.h"
#include "RunFolder.h"
#include "TrainingSession.h"
#include "VideoLoader.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>

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
        QMetaObject::invokeMethod(
            worker, [w = worker, fn] { fn(w); }, Qt::QueuedConnection);
    }
    // Returns once the engine thread has handled everything queued to it before: one
    // turn of its event loop (a running engine makes a step in each turn).
    void sync() {
        QMetaObject::invokeMethod(
            worker, [] {}, Qt::BlockingQueuedConnection);
    }
    QThread thread;
    EngineWorker* worker;
};
// True once the spy has seen a signal, whether it came before this call or within
// timeout_ms (QSignalSpy::wait alone misses one that fired already).
bool received(QSignalSpy& spy, int timeoutMs) {
    return !spy.isEmpty() || spy.wait(timeoutMs);
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        registerEngineTypes();
    }

    // Overfitting is named when the held-out loss (averaged over three evaluations) has
    // risen to 25% over its lowest and stays above it while the training loss fell by a
    // fifth, and only then: not while both fall, not when both rise, not on a blip.
    void overfittingIsNamed() {
        using Evals = QList<EvaluationPoint>;
        const Evals learning = {{25, 2.0, 2.1},   {50, 1.8, 1.9},   {75, 1.7, 1.7},
                                {100, 1.65, 1.6}, {125, 1.62, 1.5}, {150, 1.6, 1.4},
                                {175, 1.61, 1.3}, {200, 1.59, 1.2}};
        QVERIFY(overfittingWarning(learning, 80).isEmpty());
        const Evals memorising = {{25, 2.0, 2.1},  {50, 1.8, 1.8},  {75, 1.7, 1.5},
                                  {100, 1.7, 1.3}, {125, 1.9, 1.1}, {150, 2.2, 0.9},
                                  {175, 2.5, 0.7}, {200, 2.8, 0.5}};
        const QString w = overfittingWarning(memorising, 80);
        QVERIFY2(w.startsWith("Overfitting") && w.contains("since step 100") &&
                     w.contains("its 80 training samples") && w.contains("augmentation"),
                 qPrintable(w));
        // Both rising (a learning rate too high): not overfitting.
        Evals diverging = memorising;
        diverging[7].train = 2.5;
        QVERIFY(overfittingWarning(diverging, 80).isEmpty());
        // The training loss barely moving (late in a long run), the held-out one noisy.
        Evals noisy = memorising;
        for (auto& e : noisy) {
            e.train = 0.35 - 0.001 * static_cast<double>(e.step) / 25;
        }
        QVERIFY(overfittingWarning(noisy, 50000).isEmpty());
        // A blip that came back down: not overfitting.
        Evals blip = memorising;
        blip[7].heldOut = 1.7;
        QVERIFY(overfittingWarning(blip, 80).isEmpty());
        QVERIFY(overfittingWarning(memorising.mid(0, 5), 80).isEmpty());
    }

    // The demo set loaded without its video shows an image task at once; the first
    // preview of a video task makes the video (the data reported again, with it), and
    // training a video task on it works.
    void demoVideoIsMadeWhenAVideoTaskNeedsIt() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        QSignalSpy preview(worker, &EngineWorker::previewReady);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        engine.call([](EngineWorker* w) { w->loadDemo(32, 1, false); });
        QVERIFY(received(loaded, 20000));
        QCOMPARE(loaded.takeFirst().at(0).value<DataSummary>().videos, 0);
        engine.call([](EngineWorker* w) { w->requestPreview("temporal-order", {}, 1, 4); });
        QVERIFY(received(preview, 60000));
        QCOMPARE(loaded.size(), 1);
        const auto withVideo = loaded.takeFirst().at(0).value<DataSummary>();
        QVERIFY(withVideo.videos > 0 && withVideo.videoFrames > 0);
        QCOMPARE(preview.takeFirst().at(0).value<ImageGrid>().rows.size(), 4);
        QCOMPARE(errors.size(), 0);
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
        const QStringList lines =
            QString::fromUtf8(metrics.readAll()).split('\n', Qt::SkipEmptyParts);
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

    // Stop asked for while a long step runs: the step in flight finishes, no other
    // starts, and the run ends with its checkpoint.
    void stopDuringALongStepReturnsWithinOneBatch() {
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        engine.call([](EngineWorker* w) { w->loadDemo(64, 1); });
        QVERIFY(received(loaded, 30000));
        QTemporaryDir dir;
        TrainSettings s;
        s.batchSize = 96; // default model at 64 px: a step of a good fraction of a second here
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy progress(worker, &EngineWorker::progress);
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        engine.call([s](EngineWorker* w) { w->startTraining(s); });
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 60000);
        QElapsedTimer sinceStep;
        sinceStep.start();
        const int atStop = progress.count(); // the next step is running now
        worker->requestStop();               // direct, as the window's Stop does
        QVERIFY(received(finished, 60000));
        const qint64 stopMs = sinceStep.elapsed();
        QVERIFY2(progress.count() <= atStop + 1,
                 qPrintable(QString::number(progress.count() - atStop)));
        QCOMPARE(finished.first().at(0).toString(), QString("stopped"));
        QVERIFY(QFile::exists(dir.filePath("run/checkpoint.pt")));
        qInfo("stop took %lld ms, %lld steps after it was asked for (a step is about %.0f ms)",
              stopMs, static_cast<long long>(progress.count() - atStop),
              1000.0 * s.batchSize / progress.last().at(0).value<TrainProgress>().imagesPerSec);
    }

    // Start and stop a run 100 times: no thread left behind, memory flat.
    void hundredStartStopCycles() {
        auto statusValue = [](const char* key) {
            QFile f("/proc/self/status");
            f.open(QIODevice::ReadOnly);
            for (const QByteArray& line : f.readAll().split('\n')) {
                if (line.startsWith(key)) {
                    return line.mid(static_cast<int>(qstrlen(key)))
                        .trimmed()
                        .split(' ')
                        .front()
                        .toLongLong();
                }
            }
            return -1LL;
        };
        QTemporaryDir dir;
        qint64 threadsAt10 = 0, rssAt10 = 0;
        {
            WorkerThread engine;
            EngineWorker* worker = engine.worker;
            QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
            engine.call([](EngineWorker* w) { w->loadDemo(16, 1); });
            QVERIFY(received(loaded, 20000));
            QSignalSpy started(worker, &EngineWorker::trainingStarted);
            QSignalSpy finished(worker, &EngineWorker::trainingFinished);
            QSignalSpy errors(worker, &EngineWorker::errorOccurred);
            for (int cycle = 1; cycle <= 100; ++cycle) {
                TrainSettings s;
                s.params = {{"base_channels", 8.0}};
                s.batchSize = 4;
                s.device = "cpu";
                s.runDir = dir.filePath(QStringLiteral("run%1").arg(cycle));
                engine.call([s](EngineWorker* w) { w->startTraining(s); });
                QTRY_COMPARE_WITH_TIMEOUT(started.count(), cycle, 20000);
                worker->requestStop();
                QTRY_COMPARE_WITH_TIMEOUT(finished.count(), cycle, 20000);
                QCOMPARE(finished.last().at(0).toString(), QString("stopped"));
                if (cycle == 10) {
                    threadsAt10 = statusValue("Threads:");
                    rssAt10 = statusValue("VmRSS:");
                }
            }
            QVERIFY2(errors.isEmpty(),
                     qPrintable(errors.isEmpty() ? QString() : errors.first().at(0).toString()));
            const qint64 threads = statusValue("Threads:"), rss = statusValue("VmRSS:");
            qInfo("threads %lld at cycle 10, %lld at cycle 100; resident memory %lld kB and %lld "
                  "kB (%+.1f%%)",
                  threadsAt10, threads, rssAt10, rss, 100.0 * (rss - rssAt10) / rssAt10);
            // No thread left behind per cycle (a pool may also let idle threads go).
            QVERIFY2(threads <= threadsAt10, qPrintable(QString::number(threads)));
            QVERIFY2(rss < rssAt10 * 105 / 100, qPrintable(QString::number(rss - rssAt10)));
            QVERIFY(engine.thread.isRunning());
        }
        QVERIFY(QDir(dir.filePath("run100")).exists());
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
        engine.sync(); // a step in flight when the pause arrived is done
        const int atPause = progress.count();
        for (int turn = 0; turn < 5; ++turn) { // five turns of the engine's loop, no step
            engine.sync();
        }
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
        QVERIFY2(grid.dataNote.contains("uses 10 of 13 images; 3 grayscale"),
                 qPrintable(grid.dataNote));
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
        QVERIFY(
            io::writeMjpegVideo(clip.toStdString(), makeDemoVideo(1, 24, 32, 3).frames, 96, 64));
        QVERIFY(io::writeMjpegVideo(longClip.toStdString(), makeDemoVideo(1, 600, 32, 3).frames,
                                    320, 240));
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
        connect(
            worker, &EngineWorker::videoLoadProgress, worker,
            [worker] { worker->requestCancelLoad(); }, Qt::DirectConnection);
        QSignalSpy errors(worker, &EngineWorker::errorOccurred);
        QSignalSpy cancelled(worker, &EngineWorker::loadCancelled);
        engine.call([longClip](EngineWorker* w) { w->loadVideos({longClip}, 32, 1, 512); });
        QVERIFY(received(loaded, 30000));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(errors.count(), 0); // a cancel is no error
        QCOMPARE(loaded.first().at(0).value<DataSummary>().count, 12);
    }

    // Videos over the memory budget: indexed, a sample of frames kept, and a temporal run
    // trains on clips read from the file; the Data panel's summary and the run's config
    // say so.
    void videosOverTheBudgetTrainClipByClip() {
        QTemporaryDir dir;
        const QString clip = dir.filePath("street.avi");
        QVERIFY(
            io::writeMjpegVideo(clip.toStdString(), makeDemoVideo(1, 200, 32, 5).frames, 160, 120));
        WorkerThread engine;
        QSignalSpy loaded(engine.worker, &EngineWorker::dataLoaded);
        engine.call([clip](EngineWorker* w) { w->loadVideos({clip}, 32, 1, 1); });
        QVERIFY(received(loaded, 20000));
        const auto summary = loaded.takeFirst().at(0).value<DataSummary>();
        QVERIFY(summary.framesAreImages && summary.streamed);
        QCOMPARE(summary.count, 200);
        QVERIFY(summary.keptImages > 0 && summary.keptImages < 200);
        QVERIFY2(summary.pipeline.contains("clip by clip"), qPrintable(summary.pipeline));
        TrainSettings s;
        s.task = "temporal-order";
        s.maxSteps = 3;
        s.batchSize = 8;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy finished(engine.worker, &EngineWorker::trainingFinished);
        engine.call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(finished, 120000));
        QCOMPARE(finished.first().at(0).toString(), QString("finished"));
        QFile config(QDir(s.runDir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
        const QString note = json.value("pipeline_note").toString();
        QVERIFY2(note.contains("clip by clip") && note.contains("clips read"), qPrintable(note));
    }

    // While it trains, the allocator keeps the blocks a step frees for the next step
    // (engine/core/Memory.h); a window whose run has finished gives them back, so that an
    // idle window does not hold its run's peak. Resident memory at the last step and when
    // the run has finished, read in the engine thread as each signal is sent.
    void finishedRunGivesItsMemoryBack() {
        std::atomic<double> atLastStep{0.0},
            atFinish{0.0}; // outlive the worker and its connections
        WorkerThread engine;
        EngineWorker* worker = engine.worker;
        QObject::connect(
            worker, &EngineWorker::progress, worker, [&] { atLastStep = headless::currentRssMb(); },
            Qt::DirectConnection);
        QObject::connect(
            worker, &EngineWorker::trainingFinished, worker,
            [&] { atFinish = headless::currentRssMb(); }, Qt::DirectConnection);
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        engine.call([](EngineWorker* w) { w->loadDemo(64, 1, false); });
        QVERIFY(received(loaded, 20000));
        QTemporaryDir dir;
        TrainSettings s; // inpainting's default model, 64 px, batch 32
        s.maxSteps = 3;
        s.device = "cpu";
        s.runDir = dir.filePath("run");
        QSignalSpy finished(worker, &EngineWorker::trainingFinished);
        engine.call([s](EngineWorker* w) { w->startTraining(s); });
        QVERIFY(received(finished, 120000));
        QCOMPARE(finished.first().at(0).toString(), QString("finished"));
        qInfo("resident memory %.1f MB at the last step, %.1f MB when the run had finished",
              atLastStep.load(), atFinish.load());
        QVERIFY(atLastStep > 0.0 && atFinish > 0.0);
        QVERIFY2(atLastStep - atFinish > 40.0, "the run's freed memory was not given back");
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
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
