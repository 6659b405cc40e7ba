// The training panel's run options that change how a step computes: the precision,
// gradient accumulation and the encoder's starting weights. Each reaches the run
// (config.json says what was asked and what was taken), comes back from a saved config,
// and a starting-weights file that is not a state dict stops the run with its name.
#include "../common/WindowGrab.h"
#include "CurvePlot.h"
#include "ImageGridView.h"
#include "MainWindow.h"
#include "TrainingPanel.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

namespace {
QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

QString newestRun(const MainWindow& window) {
    const QFileInfoList runs =
        QDir(window.workspace()).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    return runs.isEmpty() ? QString() : runs.front().absoluteFilePath();
}

void trainToTheEnd(MainWindow& window) {
    QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.engineState() != pretext::EngineState::Idle, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 120000);
}
} // namespace

class TestTrainingOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void optionsReachTheRunAndComeBack() {
        QTemporaryDir out;
        MainWindow window;
        window.show();
        QVERIFY(window.selectTask("rotation"));
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 20000);
        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(4);
        window.findChild<QSpinBox*>("maxStepsSpin")->setValue(3);
        auto* precision = window.findChild<QComboBox*>("precisionCombo");
        auto* accumulate = window.findChild<QSpinBox*>("accumulateSpin");
        auto* init = window.findChild<QComboBox*>("initCombo");
        QVERIFY(precision && accumulate && init);
        QCOMPARE(precision->currentData().toString(), QString("fp32"));
        QCOMPARE(accumulate->text(), QString("every batch"));
        QCOMPARE(init->currentData().toString(), QString());

        // A first run, whose encoder the second one starts from.
        trainToTheEnd(window);
        const QString first = newestRun(window);
        const QString encoder = out.filePath("encoder.pt");
        QVERIFY(window.exportEncoderTo(first, encoder));

        precision->setCurrentIndex(precision->findData("amp"));
        accumulate->setValue(2);
        window.trainingPanel()->addInitFile(encoder);
        QCOMPARE(init->currentText(), QString("encoder.pt"));
        window.findChild<QSpinBox*>("maxStepsSpin")->setValue(2);
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Running, 20000);
        QVERIFY(!precision->isEnabled() && !accumulate->isEnabled() && !init->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 120000);
        grabWindow(window, "training-options");
        QCOMPARE(window.lossPlot()->pointCount("loss"), 2);
        const QString second = newestRun(window);
        QVERIFY(second != first);
        const QJsonObject config = readJson(QDir(second).filePath("config.json"));
        QCOMPARE(config.value("precision").toString(), QString("amp"));
        QCOMPARE(config.value("precision_used").toString(), QString("bf16")); // on the CPU
        QCOMPARE(config.value("accumulate").toInt(), 2);
        QCOMPARE(config.value("global_batch").toInt(), 8);
        QCOMPARE(QFileInfo(config.value("init_encoder").toString()).fileName(),
                 QString("encoder.pt"));

        // Saved and loaded back: the controls show them again.
        QString error;
        QVERIFY2(window.saveConfig(out.filePath("cfg.json"), &error), qPrintable(error));
        precision->setCurrentIndex(0);
        accumulate->setValue(1);
        init->setCurrentIndex(0);
        QVERIFY2(window.loadConfig(out.filePath("cfg.json"), &error), qPrintable(error));
        QCOMPARE(precision->currentData().toString(), QString("amp"));
        QCOMPARE(accumulate->value(), 2);
        QCOMPARE(QFileInfo(init->currentData().toString()).fileName(), QString("encoder.pt"));

        // Starting weights that are not a state dict: the run does not start, and says why.
        QFile bad(out.filePath("notes.pt"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a torch.save file\n");
        bad.close();
        window.trainingPanel()->addInitFile(bad.fileName());
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window.findChild<QMessageBox*>()) != nullptr && box->isVisible(), 30000);
        QVERIFY2(box->text().contains("notes.pt"), qPrintable(box->text()));
        QVERIFY(window.engineState() == pretext::EngineState::Idle);
        box->close();
    }
};

QTEST_MAIN(TestTrainingOptions)
#include "test_training_options.moc"
