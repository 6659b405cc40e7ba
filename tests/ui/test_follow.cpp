// The window following a run folder that a headless run writes at the same time: the
// curves grow as the other process trains, each new checkpoint's reconstructions are made
// here, the status bar says where the run stands, and nothing is written there.
#include "../common/WindowGrab.h"
#include "CurvePlot.h"
#include "ImageGridView.h"
#include "MainWindow.h"
#include "RunFolder.h"

#include <QDirIterator>
#include <QProcess>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

namespace {
// Every file under `dir` with its size and modification time.
QStringList listing(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo f(it.next());
        out << QStringLiteral("%1 %2 %3")
                   .arg(f.filePath())
                   .arg(f.size())
                   .arg(f.lastModified().toMSecsSinceEpoch());
    }
    out.sort();
    return out;
}
} // namespace

class TestFollow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void followsAHeadlessRunLive() {
        QTemporaryDir dir;
        const QString runDir = dir.filePath("run");
        QProcess train;
        train.start(QStringLiteral(PRETEXT_BINARY),
                    {"train", "--task", "rotation", "--size", "32", "--batch", "8", "--steps",
                     "300", "--checkpoint-every", "100", "--out", runDir});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(QDir(runDir).filePath("config.json")), 60000);

        MainWindow window;
        window.show();
        QVERIFY(window.followRun(runDir));
        QCOMPARE(window.followedRun(), runDir);
        // The curve grows while the other process trains.
        QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->pointCount() >= 5, 60000);
        const int early = window.lossPlot()->pointCount();
        QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->pointCount() > early, 60000);
        QVERIFY2(window.statusBar()->currentMessage().contains("read-only"),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(window.windowTitle().contains("following run"));

        QVERIFY(train.waitForFinished(300000));
        QCOMPARE(train.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(window.lossPlot()->pointCount("loss"), 300, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(
                                     "step 300 of 300 · checkpoint of step 300 · finished"),
                                 10000);
        // The last checkpoint's outputs on the images loaded in the window, made here
        // (rotation: the four turns of each image, with the model's guess on each).
        QTRY_VERIFY_WITH_TIMEOUT(
            window.reconstructionView()->grid().note.contains("checkpoint of step 300"), 20000);
        QCOMPARE(window.reconstructionView()->grid().step, qint64(300));
        QCOMPARE(window.reconstructionView()->grid().columnTitles.size(), 4);
        grabWindow(window, "follow");

        // Read-only: following again reads everything once more and changes nothing.
        const QStringList before = listing(runDir);
        QVERIFY(window.followRun(runDir));
        QTRY_COMPARE_WITH_TIMEOUT(window.lossPlot()->pointCount("loss"), 300, 10000);
        QCOMPARE(listing(runDir), before);

        window.stopFollowing();
        QVERIFY(window.followedRun().isEmpty());
    }

    void refusesAFolderWithoutARun() {
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(!window.followRun(dir.path()));
        QVERIFY(window.followedRun().isEmpty());
    }
};

QTEST_MAIN(TestFollow)
#include "test_follow.moc"
