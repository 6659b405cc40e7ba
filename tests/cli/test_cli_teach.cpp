// The teaching commands, run as a user would run them: presets listed and trained from,
// and printable handouts of generated samples.
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
        auto r = run({"preview", "--task", "jigsaw", "--data", "demo", "--out", pdf, "--count", "4"});
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
        r = run({"train", "--preset", "jigsaw-classroom", "--out", dir.filePath("run"), "--steps", "2"});
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
        r = run({"train", "--preset", "jigsaw-classroom", "--task", "rotation", "--out", dir.filePath("y")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--task cannot be given"), qPrintable(r.err));
    }

};

QTEST_GUILESS_MAIN(TestCliTeach)
#include "test_cli_teach.moc"
