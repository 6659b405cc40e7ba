// The teaching commands, run as a user would run them: presets listed and trained from,
// printable handouts of generated samples, and the shortcut diagnostics.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/RunProgram.h"

class TestCliTeach : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A printable handout: PDF for a .pdf path, a white A4 PNG with --handout.
    void previewWritesHandouts() {
        QTemporaryDir dir;
        const QString pdf = dir.filePath("jigsaw.pdf");
        auto r =
            run({"preview", "--task", "jigsaw", "--data", "demo", "--out", pdf, "--count", "4"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("handout, 4 samples"), qPrintable(r.out));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly) && f.read(5) == "%PDF-");
        const QString png = dir.filePath("inpainting.png");
        r = run({"preview", "--task", "inpainting", "--data", "demo", "--out", png, "--handout"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QImage(png).size(), QSize(1240, 1754));
    }

    // Presets: listed, and a run from one records the preset's settings.
    void presetsAreListedAndTrain() {
        auto r = run({"presets"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char* id : {"inpainting-classroom", "jigsaw-noroozi", "colorization-zhang",
                               "temporal-classroom", "rotation-classroom"}) {
            QVERIFY2(r.out.contains(QLatin1String(id)), qPrintable(r.out));
        }
        QCOMPARE(r.out.count("[classroom]"), 5);
        QTemporaryDir dir;
        r = run({"train", "--preset", "jigsaw-classroom", "--out", dir.filePath("run"), "--steps",
                 "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile config(dir.filePath("run/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(json.value("params").toObject().value("grid").toInt(), 2);
        QCOMPARE(json.value("data").toObject().value("size_px").toInt(), 32);
        QCOMPARE(json.value("learning_rate").toDouble(), 0.001);
        r = run({"train", "--preset", "no-such-preset", "--out", dir.filePath("x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown preset 'no-such-preset'"), qPrintable(r.err));
        r = run({"train", "--preset", "jigsaw-classroom", "--task", "rotation", "--out",
                 dir.filePath("y")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--task cannot be given"), qPrintable(r.err));
    }

    // Shortcut diagnostics headless: listed; one trained side by side on a folder of
    // images (at the diagnostic's size), a figure line per variant; refusals named.
    void shortcutsRunSideBySide() {
        auto r = run({"shortcuts"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char* id : {"jigsaw-gaps", "jigsaw-normalize", "jigsaw-color-jitter",
                               "temporal-motion", "inpainting-mask"}) {
            QVERIFY2(r.out.contains(QLatin1String(id)), qPrintable(r.out));
        }
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("photos"));
        for (int i = 0; i < 12; ++i) {
            QImage image(40, 40, QImage::Format_RGB32);
            image.fill(QColor::fromHsv(i * 30, 200, 100 + i * 10));
            QVERIFY(image.save(dir.filePath(QStringLiteral("photos/p%1.png").arg(i))));
        }
        r = run({"shortcuts", "jigsaw-normalize", "--data", dir.filePath("photos"), "--steps", "3",
                 "--workspace", dir.filePath("runs")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("loaded 12 images at 32 px"), qPrintable(r.out));
        QVERIFY2(r.out.contains("tiles normalised") && r.out.contains("raw tiles"),
                 qPrintable(r.out));
        QCOMPARE(QDir(dir.filePath("runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 2);
        r = run({"shortcuts", "temporal-motion", "--data", dir.filePath("photos"), "--steps", "3",
                 "--workspace", dir.filePath("runs")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("load a video"), qPrintable(r.err));
        r = run({"shortcuts", "no-such"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown diagnostic 'no-such'"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliTeach)
#include "test_cli_teach.moc"
