// The teaching views' engine side: every built-in preset parses and trains; one
// classroom preset per task; the worker's step mode advances exactly one step and
// reports the batch's loss before and after; replay trains on the same batch; the
// gradient inspection arrives with the closed-form check; handouts are written as PDF
// and PNG.
#include "DataSource.h"
#include "DiagnosticWorker.h"
#include "EngineWorker.h"
#include "Handout.h"
#include "Presets.h"
#include "Preview.h"
#include "RunConfig.h"
#include "TaskCatalog.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace pretext;

class TestTeach : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        registerEngineTypes();
    }

    void presetsParseWithOneClassroomPresetPerTask() {
        QString error;
        const QList<Preset>& presets = builtInPresets(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const auto& name : taskNames()) {
            const QString task = QString::fromStdString(name);
            const QList<Preset> mine = presetsFor(task);
            QVERIFY2(mine.size() >= 2, qPrintable(task));
            QCOMPARE(std::count_if(mine.begin(), mine.end(),
                                   [](const Preset& p) { return p.classroom; }),
                     1);
        }
        QSet<QString> ids;
        for (const Preset& p : presets) {
            QVERIFY2(!ids.contains(p.id), qPrintable(p.id));
            ids.insert(p.id);
            QVERIFY(!p.title.isEmpty() && !p.description.isEmpty());
            QCOMPARE(findPreset(p.id), &p);
        }
        QVERIFY(findPreset(QStringLiteral("no-such-preset")) == nullptr);
    }

    void everyPresetTrains_data() {
        QTest::addColumn<QString>("id");
        for (const Preset& p : builtInPresets()) {
            QTest::newRow(qPrintable(p.id)) << p.id;
        }
    }

    // Each preset's settings on the demo set: two steps, a finite loss. (Narrowed and at
    // 32 px so the test stays fast; the settings are otherwise the preset's.)
    void everyPresetTrains() {
        QFETCH(QString, id);
        static const LoadedData data = loadDemoData(32, 1, 64);
        const Preset* preset = findPreset(id);
        QVERIFY(preset);
        QTemporaryDir dir;
        SessionOptions o;
        o.settings = preset->config.settings;
        o.settings.params.insert(QStringLiteral("base_channels"), 8.0);
        o.settings.batchSize = 8;
        o.settings.maxSteps = 2;
        o.settings.device = QStringLiteral("cpu");
        o.settings.runDir = dir.filePath(QStringLiteral("run"));
        TrainingSession session(o, data);
        const TrainProgress p1 = session.step();
        const TrainProgress p2 = session.step();
        QVERIFY(std::isfinite(p1.loss) && std::isfinite(p2.loss));
        QVERIFY(session.reachedMaxSteps());
    }

    // Step mode through the worker: one step per request, the report's numbers, replay on
    // the very same batch, and the inspection with its check.
    void stepModeAdvancesExactlyOneStep() {
        QTemporaryDir dir;
        QThread thread;
        auto* worker = new EngineWorker;
        worker->moveToThread(&thread);
        thread.start();
        QSignalSpy loaded(worker, &EngineWorker::dataLoaded);
        QSignalSpy progress(worker, &EngineWorker::progress);
        QSignalSpy reports(worker, &EngineWorker::stepReported);
        QSignalSpy inspections(worker, &EngineWorker::inspectionReady);
        QSignalSpy states(worker, &EngineWorker::stateChanged);
        QMetaObject::invokeMethod(worker, [worker] { worker->loadDemo(32, 1); });
        // Conditions, not QSignalSpy::wait(): a signal may have fired before the wait.
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 30000);
        TrainSettings s;
        s.task = QStringLiteral("inpainting");
        s.params = {{QStringLiteral("base_channels"), 8.0}};
        s.batchSize = 8;
        s.device = QStringLiteral("cpu");
        s.runDir = dir.filePath(QStringLiteral("run"));
        QMetaObject::invokeMethod(worker, [worker] { worker->setInspecting(true, 1); });
        QMetaObject::invokeMethod(worker, [worker, s] { worker->startTraining(s); });
        QMetaObject::invokeMethod(worker, [worker] { worker->pause(); });
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty() && states.last().at(0).value<EngineState>() ==
                                                          EngineState::Paused,
                                 30000);
        const int before = progress.size();
        const qint64 stepBefore =
            before > 0 ? progress.last().at(0).value<TrainProgress>().step : 0;

        const int reportsBefore = static_cast<int>(reports.size());
        QMetaObject::invokeMethod(worker, [worker] { worker->stepOnce(); });
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(reports.size()), reportsBefore + 1, 30000);
        QCOMPARE(progress.size(), before + 1); // exactly one step
        const StepReport r = reports.last().at(0).value<StepReport>();
        QCOMPARE(r.step, stepBefore + 1);
        QVERIFY(!r.replay);
        QVERIFY(r.updateNorm > 0.0 && r.parameterNorm > r.updateNorm);
        QVERIFY(std::isfinite(r.lossBefore) && std::isfinite(r.lossAfter));
        QVERIFY(!r.before.isEmpty() && !r.after.isEmpty());
        QCOMPARE(r.before.step, stepBefore);
        QCOMPARE(r.after.step, stepBefore + 1);
        QTRY_VERIFY_WITH_TIMEOUT(!inspections.isEmpty(), 10000);
        const InspectionView in = inspections.last().at(0).value<InspectionView>();
        QCOMPARE(in.form, QStringLiteral("masked-mse"));
        QCOMPARE(in.step, r.step);
        QCOMPARE(in.sample, 1);
        QVERIFY(in.maxAbsDifference <= 1e-5 * in.maxAbsGradient);
        QVERIFY(!in.heatMap.isNull());
        QCOMPARE(in.heatMap.size(), in.columns.front().size());
        QCOMPARE(in.entries.size(), 4);
        QVERIFY(std::abs(in.loss - r.lossBefore) <= 1e-5 * std::max(1.0, r.lossBefore));

        // Replays: the same batch, its loss falling step after step.
        double last = r.lossAfter;
        int fell = 0;
        for (int i = 0; i < 4; ++i) {
            const int reported = static_cast<int>(reports.size());
            QMetaObject::invokeMethod(worker, [worker] { worker->replayBatch(); });
            QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(reports.size()), reported + 1, 30000);
            const StepReport again = reports.last().at(0).value<StepReport>();
            QVERIFY(again.replay);
            QCOMPARE(again.step, stepBefore + 2 + i);
            // Its loss before this update is the previous report's loss after it.
            QVERIFY(std::abs(again.lossBefore - last) <= 1e-4 * std::max(1.0, last));
            fell += again.lossAfter < again.lossBefore ? 1 : 0;
            last = again.lossAfter;
        }
        QVERIFY(fell >= 3);
        QCOMPARE(progress.size(), before + 5);
        QMetaObject::invokeMethod(
            worker, [worker] { worker->stop(); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
        delete worker;
    }

    void everyDiagnosticRuns_data() {
        QTest::addColumn<QString>("id");
        QString error;
        const QList<ShortcutDiagnostic>& all = builtInDiagnostics(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(all.size() >= 5);
        for (const ShortcutDiagnostic& d : all) {
            QTest::newRow(qPrintable(d.id)) << d.id;
        }
    }

    // Each diagnostic's variants train side by side (a few steps), each into its run
    // folder, differing in the switch alone.
    void everyDiagnosticRuns() {
        QFETCH(QString, id);
        const ShortcutDiagnostic* d = findDiagnostic(id);
        QVERIFY(d && d->variants.size() == 2 && d->labels.size() == 2);
        QCOMPARE(d->variants[0].settings.params.value(d->switchName) ==
                     d->variants[1].settings.params.value(d->switchName),
                 false);
        QTemporaryDir workspace;
        DiagnosticWorker worker; // in this thread: its steps run while the spy waits
        QSignalSpy started(&worker, &DiagnosticWorker::started);
        QSignalSpy progress(&worker, &DiagnosticWorker::progress);
        QSignalSpy finished(&worker, &DiagnosticWorker::finished);
        QSignalSpy errors(&worker, &DiagnosticWorker::errorOccurred);
        worker.run(id, 3, workspace.path(), false);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("finished"));
        QCOMPARE(started.size(), 1);
        QCOMPARE(progress.size(), 6); // 3 steps of each, in turn
        QCOMPARE(progress.at(0).at(0).toInt(), 0);
        QCOMPARE(progress.at(1).at(0).toInt(), 1);
        for (const QString& dir : started.first().at(1).toStringList()) {
            QVERIFY(QFile::exists(QDir(dir).filePath(QStringLiteral("checkpoint.pt"))));
        }
    }

    // With the probe on, each variant is probed after training (Fashion-MNIST), and a
    // stop asked for during the probes ends the run as stopped, not as an error.
    void diagnosticProbesEachVariant() {
        if (!QFileInfo::exists(QStringLiteral("/usr/share/datasets/fashion-mnist"))) {
            QSKIP(
                "dataset-fashion-mnist is not installed (the README's set-up command installs it)");
        }
        QTemporaryDir workspace;
        DiagnosticWorker worker;
        QSignalSpy probed(&worker, &DiagnosticWorker::probed);
        QSignalSpy probeStarted(&worker, &DiagnosticWorker::probeStarted);
        QSignalSpy finished(&worker, &DiagnosticWorker::finished);
        QSignalSpy errors(&worker, &DiagnosticWorker::errorOccurred);
        worker.run(QStringLiteral("jigsaw-gaps"), 2, workspace.path(), true, 300, 200);
        QTRY_VERIFY2_WITH_TIMEOUT(
            !finished.isEmpty(),
            errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()), 180000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("finished"));
        QCOMPARE(probeStarted.size(), 2);
        QCOMPARE(probed.size(), 2);
        for (int v = 0; v < 2; ++v) {
            QCOMPARE(probed.at(v).at(0).toInt(), v);
            const double accuracy = probed.at(v).at(1).toDouble(),
                         random = probed.at(v).at(2).toDouble();
            const double chance = probed.at(v).at(3).toDouble();
            QVERIFY2(accuracy > chance && random > chance && accuracy <= 1.0,
                     qPrintable(QStringLiteral("%1 %2 %3").arg(accuracy).arg(random).arg(chance)));
        }

        // Stopped while the first probe runs: "stopped", no error, no second probe.
        probed.clear();
        probeStarted.clear();
        finished.clear();
        connect(&worker, &DiagnosticWorker::probeStarted, &worker,
                [&worker] { worker.requestStop(); });
        worker.run(QStringLiteral("jigsaw-gaps"), 2, workspace.path(), true, 20000, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 180000);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("stopped"));
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(probeStarted.size(), 1);
        QCOMPARE(probed.size(), 0);
    }

    // The variants train on the data given (the window's: here 40 image files) loaded
    // again at the diagnostic's size, and their runs record it; a temporal diagnostic
    // refuses still images by name.
    void diagnosticTrainsOnGivenData() {
        QTemporaryDir dir;
        QStringList paths;
        QRandomGenerator rng(7);
        for (int i = 0; i < 40; ++i) {
            QImage image(48, 40, QImage::Format_RGB32);
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    image.setPixel(x, y, qRgb((x * 5 + i) % 256, (y * 6) % 256, rng.bounded(256)));
                }
            }
            paths << dir.filePath(QStringLiteral("photo%1.png").arg(i));
            QVERIFY(image.save(paths.back()));
        }
        const QJsonObject description = loadImageFiles(paths, 64).description;
        const ShortcutDiagnostic* jigsaw = findDiagnostic(QStringLiteral("jigsaw-gaps"));
        QVERIFY(jigsaw);
        const int sizePx = jigsaw->variants[0].data.value(QStringLiteral("size_px")).toInt();
        QVERIFY(sizePx > 0 && sizePx != 64);

        QTemporaryDir workspace;
        DiagnosticWorker worker;
        QSignalSpy started(&worker, &DiagnosticWorker::started);
        QSignalSpy finished(&worker, &DiagnosticWorker::finished);
        QSignalSpy errors(&worker, &DiagnosticWorker::errorOccurred);
        worker.run(jigsaw->id, 2, workspace.path(), false, 2000, 1000, description);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(started.size(), 1);
        for (const QString& run : started.first().at(1).toStringList()) {
            RunConfig config;
            QString error;
            QVERIFY2(readRunSettings(run, &config, &error), qPrintable(error));
            QCOMPARE(config.data.value(QStringLiteral("source")).toString(),
                     QStringLiteral("files"));
            QCOMPARE(config.data.value(QStringLiteral("size_px")).toInt(), sizePx);
            QCOMPARE(config.data.value(QStringLiteral("count")).toInt(), 40);
        }

        const ShortcutDiagnostic* temporal = nullptr;
        for (const ShortcutDiagnostic& d : builtInDiagnostics()) {
            if (d.variants[0].settings.task == QLatin1String("temporal-order")) {
                temporal = &d;
            }
        }
        QVERIFY(temporal);
        finished.clear();
        worker.run(temporal->id, 2, workspace.path(), false, 2000, 1000, description);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("error"));
        QVERIFY2(errors.size() == 1 &&
                     errors.first().at(0).toString().contains(QStringLiteral("video")),
                 errors.isEmpty() ? "no error" : qPrintable(errors.first().at(0).toString()));

        // Data already loaded at the diagnostic's size are trained on as they are: with
        // the files gone, loading them again would fail.
        auto loaded = std::make_unique<LoadedData>(loadImageFiles(paths, sizePx));
        const QJsonObject loadedDescription = loaded->description;
        QVERIFY(dir.remove());
        try { // what loading them again says: the first three paths named, not all forty
            loadDescribedData(loadedDescription, false);
            QFAIL("files that are gone were loaded");
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(QStringLiteral("photo2.png and 37 more")) &&
                         !message.contains(QStringLiteral("photo39")),
                     e.what());
        }
        worker.useLoadedData(std::move(loaded));
        errors.clear();
        finished.clear();
        worker.run(jigsaw->id, 2, workspace.path(), false, 2000, 1000, loadedDescription);
        QTRY_VERIFY2_WITH_TIMEOUT(
            !finished.isEmpty(),
            errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()), 60000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.first().at(0).toString()));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("finished"));
    }

    void handoutsAreWritten() {
        const LoadedData data = loadDemoData(32, 1, 16, false);
        const auto task = makeTask("jigsaw");
        const ImageGrid grid = makePreview(*task, data, {}, 1, 4);
        QVERIFY(!grid.isEmpty());
        const HandoutText text =
            handoutText(task->info(), toVariantMap(withDefaults(task->info(), {})), 1, grid.note);
        QVERIFY(text.lines.join(' ').contains(QStringLiteral("Grid (N×N) 3")));
        QTemporaryDir dir;
        QString error;
        const QString pdf = dir.filePath(QStringLiteral("h.pdf"));
        QVERIFY2(writeHandout(grid, text, pdf, &error), qPrintable(error));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(5) == "%PDF-");
        QVERIFY(f.size() > 10000);
        const QString png = dir.filePath(QStringLiteral("h.png"));
        QVERIFY2(writeHandout(grid, text, png, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1240, 1754));
        // Not blank: the samples are drawn (many colours), on white.
        QCOMPARE(image.pixelColor(5, 5), QColor(Qt::white));
        QSet<QRgb> colours;
        for (int y = 300; y < 1600; y += 7) {
            for (int x = 100; x < 1140; x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY(colours.size() > 200);
        QVERIFY(!writeHandout(grid, text, QStringLiteral("/nonexistent-dir/h.pdf"), &error));
        QVERIFY(error.contains(QStringLiteral("/nonexistent-dir/h.pdf")));
        QVERIFY(!writeHandout({}, text, png, &error));
    }
};

QTEST_MAIN(TestTeach)
#include "test_teach.moc"
