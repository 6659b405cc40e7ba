// The main window, offscreen: demo data loads, the preview shows samples, Train
// feeds the loss plot and the reconstructions, Stop returns promptly.
#include "DataPanel.h"
#include "ImageGridView.h"
#include "CurvePlot.h"
#include "MainWindow.h"
#include "TaskPanel.h"
#include "TrainingPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void demoPreviewTrainStop() {
        MainWindow window;
        window.show();
        auto* thumbs = window.findChild<QListWidget*>("thumbnailList");
        QVERIFY(thumbs);
        QTRY_VERIFY_WITH_TIMEOUT(thumbs->count() > 100, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 10000);
        QCOMPARE(window.previewView()->grid().rows.size(), 8);

        // Changing a mask parameter regenerates the preview at once.
        const QImage before = window.previewView()->grid().rows[0][1];
        auto* mask = window.findChild<QComboBox*>("param_mask");
        QVERIFY(mask);
        mask->setCurrentIndex(3); // patches
        QTRY_VERIFY(window.previewView()->grid().rows[0][1] != before);
        // The seed changes random masks too.
        const QImage patches = window.previewView()->grid().rows[0][1];
        window.findChild<QSpinBox*>("seedSpin")->setValue(99);
        QTRY_VERIFY(window.previewView()->grid().rows[0][1] != patches);

        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        QPushButton* start = window.trainingPanel()->startButton();
        QVERIFY(start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->pointCount() >= 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.reconstructionView()->grid().isEmpty(), 10000);
        QCOMPARE(window.reconstructionView()->grid().columnTitles.size(), 4);
        QVERIFY(window.engineState() == pretext::EngineState::Running);

        QElapsedTimer stopClock;
        stopClock.start();
        QTest::mouseClick(window.trainingPanel()->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 5000);
        qInfo("stop took %lld ms", static_cast<long long>(stopClock.elapsed()));
        QVERIFY(start->isEnabled());
    }

    void jigsawShowsPuzzlesAccuracyAndErrors() {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 20000);
        auto* task = window.findChild<QComboBox*>("taskCombo");
        task->setCurrentIndex(task->findData("jigsaw"));
        QTRY_COMPARE_WITH_TIMEOUT(window.previewView()->grid().columnTitles.size(), 4, 10000);
        auto* note = window.findChild<QLabel*>("previewNote");
        QTRY_VERIFY(note->text().contains("Hamming"));
        // The learning rate follows the task's own.
        QCOMPARE(window.findChild<QDoubleSpinBox*>("lrSpin")->value(), 0.0005);
        // An impossible set size says why in the preview instead of failing.
        window.findChild<QSpinBox*>("param_grid")->setValue(2);
        window.findChild<QSpinBox*>("param_perms")->setValue(100);
        QTRY_VERIFY(note->text().contains("(tiles!)"));
        window.findChild<QSpinBox*>("param_perms")->setValue(10);
        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.accuracyPlot()->pointCount("heldout_accuracy") >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.errorHistogram()->counts().isEmpty(), 10000);
        QCOMPARE(window.errorHistogram()->counts().size(), 5); // distances 0..4 for 2x2
        QTRY_VERIFY_WITH_TIMEOUT(!window.reconstructionView()->grid().isEmpty(), 10000);
        QCOMPARE(window.reconstructionView()->grid().columnTitles.size(), 3);
        window.stopTraining();
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 5000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
