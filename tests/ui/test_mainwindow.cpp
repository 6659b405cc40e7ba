// The main window, offscreen: demo data loads, the preview shows samples, Train
// feeds the loss plot and the reconstructions, Stop returns promptly.
#include "DataPanel.h"
#include "ImageGridView.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "TaskPanel.h"
#include "TrainingPanel.h"

#include <QComboBox>
#include <QElapsedTimer>
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
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
