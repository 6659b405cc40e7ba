// A task is a plug-in: a task defined in this test (EchoTask.cpp), registered at run
// time, works in the window (task list, preview, training, the Math and Gradients tabs,
// its run folder) and in the headless commands (train, resume, preview, presets, bench,
// --help) with no source change anywhere else.
#include "EchoTask.h"

#include "GradientPanel.h"
#include "Headless.h"
#include "ImageGridView.h"
#include "MainWindow.h"
#include "MathPanel.h"
#include "RunFolder.h"
#include "TaskCatalog.h"
#include "TrainingPanel.h"
#include "ViewSwitcher.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QtTest>

#include <cstdio>
#include <unistd.h>

namespace {
// Runs a headless command in this process; its exit code, and its standard output in
// *printed (the commands write to the process's stdout, so it is caught at the file).
int headless(const QStringList& args, QString* printed = nullptr) {
    QTemporaryFile capture;
    if (!capture.open()) {
        return -1;
    }
    std::fflush(stdout);
    const int saved = dup(STDOUT_FILENO);
    dup2(capture.handle(), STDOUT_FILENO);
    const int code = pretext::runHeadless(QStringList{QStringLiteral("pretext-workbench")} + args);
    std::fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    capture.seek(0);
    if (printed != nullptr) {
        *printed = QString::fromUtf8(capture.readAll());
    }
    return code;
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(f.readAll()).object();
}

int metricRows(const QString& runDir) {
    QFile f(QDir(runDir).filePath(QStringLiteral("metrics.csv")));
    if (!f.open(QIODevice::ReadOnly)) {
        return -1;
    }
    return static_cast<int>(f.readAll().trimmed().split('\n').size()) - 1;
}
} // namespace

class TestPluginTask : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QDir(pretext::defaultRunsWorkspace()).removeRecursively();
        QSettings().clear();
        QVERIFY(echotask::registerEchoTask());
        QVERIFY(!echotask::registerEchoTask()); // a name is registered once
    }
    void cleanupTestCase() { QDir(pretext::defaultRunsWorkspace()).removeRecursively(); }

    void catalogListsIt() {
        bool found = false;
        for (const auto& info : pretext::availableTasks()) {
            found |= info.name == echotask::kName;
        }
        QVERIFY(found);
    }

    void headlessCommands() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString printed;
        // --help lists it, with its parameter as a shorthand option.
        QCOMPARE(headless({"train", "--help"}, &printed), 0);
        QVERIFY2(printed.contains(QLatin1String(echotask::kName)), qPrintable(printed));
        QVERIFY2(printed.contains(QLatin1String("--base-channels")), qPrintable(printed));

        const QString run = dir.filePath(QStringLiteral("run"));
        const QStringList common{"--task", echotask::kName, "--data", "demo", "--size",
                                 "32",     "--batch",       "4"};
        QCOMPARE(headless(QStringList{"train"} + common +
                              QStringList{"--steps", "3", "--base-channels", "4", "--out", run},
                          &printed),
                 0);
        const QJsonObject config = readJson(QDir(run).filePath(QStringLiteral("config.json")));
        QCOMPARE(config.value(QStringLiteral("task")).toString(),
                 QString::fromLatin1(echotask::kName));
        QCOMPARE(config.value(QStringLiteral("params"))
                     .toObject()
                     .value(QStringLiteral("base_channels"))
                     .toDouble(),
                 4.0);
        QCOMPARE(metricRows(run), 3);
        QVERIFY(QFile::exists(QDir(run).filePath(QStringLiteral("checkpoint.pt"))));
        // Resumed from its folder, as any run.
        QCOMPARE(headless({"train", "--resume", run, "--steps", "5"}), 0);
        QCOMPARE(metricRows(run), 5);

        const QString png = dir.filePath(QStringLiteral("preview.png"));
        QCOMPARE(headless({"preview", "--task", echotask::kName, "--data", "demo", "--size", "32",
                           "--out", png}),
                 0);
        QVERIFY(!QImage(png).isNull());

        QCOMPARE(headless({"presets", echotask::kName}, &printed), 0);

        // The benchmark counts its FLOPs by the default (the task declares none).
        QCOMPARE(headless(QStringList{"bench"} + common +
                              QStringList{"--steps", "1", "--no-ceiling", "--no-loaders",
                                          "--conv-route", "libtorch"},
                          &printed),
                 0);
        QVERIFY2(printed.contains(QLatin1String("model FLOPs")) &&
                     !printed.contains(QLatin1String("model FLOPs             0.0")),
                 qPrintable(printed));
    }

    void window() {
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 30000);
        QVERIFY(window.selectTask(QString::fromLatin1(echotask::kName)));
        QTRY_VERIFY_WITH_TIMEOUT(
            !window.previewView()->grid().isEmpty() &&
                window.previewView()->grid().columnTitles.contains(QStringLiteral("image x")),
            30000);
        // The Math tab: the task's own words and the formulas of its loss's form.
        QVERIFY2(window.mathPanel()->html().contains(QLatin1String(echotask::kIntro)),
                 qPrintable(window.mathPanel()->html()));
        QVERIFY(window.mathPanel()->html().contains(
            QStringLiteral("Gradient with respect to the output")));

        window.findChild<QSpinBox*>("batchSpin")->setValue(4);
        window.setMaxSteps(6);
        window.curveTabs()->setCurrentWidget(window.gradientPanel());
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.mathPanel()->html().contains(QStringLiteral("This batch (step")), 60000);
        QVERIFY2(window.mathPanel()->html().contains(QStringLiteral("they agree")),
                 qPrintable(window.mathPanel()->html()));
        QTRY_VERIFY_WITH_TIMEOUT(
            window.gradientPanel()->checkLabel()->text().contains(QStringLiteral("agree")), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.reconstructionView()->grid().isEmpty(), 60000);
        QVERIFY(
            window.reconstructionView()->grid().columnTitles.contains(QStringLiteral("echo x̂")));
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);

        // Its run folder, written as any task's.
        QString runDir;
        QDirIterator it(pretext::defaultRunsWorkspace(), {QStringLiteral("config.json")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (readJson(path).value(QStringLiteral("task")).toString() ==
                QLatin1String(echotask::kName)) {
                runDir = QFileInfo(path).path();
            }
        }
        QVERIFY(!runDir.isEmpty());
        QCOMPARE(metricRows(runDir), 6);
    }
};

QTEST_MAIN(TestPluginTask)
#include "test_plugin_task.moc"
