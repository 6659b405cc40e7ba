// The main window, offscreen: demo data loads, the preview shows samples, Train
// feeds the loss plot and the reconstructions, Stop returns promptly.
#include "../common/ColourClasses.h"
#include "../common/WindowGrab.h"
#include "Appearance.h"
#include "CurvePlot.h"
#include "DataPanel.h"
#include "DisplayControls.h"
#include "EmbeddingMap.h"
#include "EmbeddingPanel.h"
#include "FigureStrip.h"
#include "Headless.h"
#include "HistogramPlot.h"
#include "ImageGridView.h"
#include "MainWindow.h"
#include "ProbePanel.h"
#include "RunComparison.h"
#include "RunFolder.h"
#include "RunReport.h"
#include "RunsPanel.h"
#include "SaliencyPanel.h"
#include "TaskPanel.h"
#include "TrainingPanel.h"
#include "ViewSwitcher.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        // Test mode keeps these apart from a user's own runs; start each time empty so
        // the runs list does not grow from one test run to the next.
        QDir(pretext::defaultRunsWorkspace()).removeRecursively();
        QSettings().remove("runs/workspace");
        QSettings().remove("ui/curveTab");
    }
    void cleanupTestCase() { QDir(pretext::defaultRunsWorkspace()).removeRecursively(); }

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
        // The status bar: step, speed and device while training.
        QTRY_VERIFY(window.findChild<QLabel*>("statusStep")->text().startsWith("step "));
        QVERIFY(window.findChild<QLabel*>("statusRate")->text().endsWith(" images/s"));
        QVERIFY2(window.findChild<QLabel*>("engineState")
                     ->text()
                     .startsWith("Engine: training · device cpu"),
                 qPrintable(window.findChild<QLabel*>("engineState")->text()));

        QElapsedTimer stopClock;
        stopClock.start();
        QTest::mouseClick(window.trainingPanel()->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.engineState() == pretext::EngineState::Idle,
            60000); // a bound for a hung engine; stop within one batch is asserted in test_session
        qInfo("stop took %lld ms", static_cast<long long>(stopClock.elapsed()));
        QVERIFY(start->isEnabled());
    }

    // View ▸ Appearance: the dark palette reaches the panels and the plots, is
    // remembered, and the system's comes back.
    // Closing the probe's panel (as closing the window does) while a probe runs cancels it:
    // the panel goes at once instead of waiting out a probe of tens of seconds.
    void closingDuringAProbeCancelsIt() {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist")) {
            QSKIP(
                "dataset-fashion-mnist is not installed (the README's set-up command installs it)");
        }
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QCOMPARE(pretext::runHeadless({"pretext-workbench", "train", "--task", "inpainting",
                                       "--data", "demo", "--size", "32", "--batch", "4", "--steps",
                                       "2", "--out", run}),
                 0);
        auto* panel = new ProbePanel;
        panel->setRun(run);
        panel->findChild<QSpinBox*>("probeTrainSize")->setValue(20000);
        panel->findChild<QSpinBox*>("probeTestSize")->setValue(5000);
        QTest::mouseClick(panel->findChild<QPushButton*>("probeButton"), Qt::LeftButton);
        QVERIFY(panel->isRunning());
        QElapsedTimer closing;
        closing.start();
        delete panel;
        // A whole probe at these sizes takes a minute or more here; a cancelled one stops at its
        // next chunk of features or solver step (the bound is for a slow machine).
        QVERIFY2(closing.elapsed() < 5000, qPrintable(QString::number(closing.elapsed())));
        QVERIFY(!QFile::exists(QDir(run).filePath("probe.json")));
    }

    void darkAppearanceReachesThePlots() {
        MainWindow window;
        window.show();
        auto* dark = window.findChild<QAction*>("theme_dark");
        auto* system = window.findChild<QAction*>("theme_system");
        QVERIFY(dark && system);
        const QColor lightBase = QApplication::palette().color(QPalette::Base);
        dark->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 darkPalette().color(QPalette::Window));
        QTRY_COMPARE(window.lossPlot()->plot()->grab().toImage().pixelColor(3, 3),
                     darkPalette().color(QPalette::Base));
        QCOMPARE(window.lossPlot()->plot()->xAxis->tickLabelColor(),
                 darkPalette().color(QPalette::WindowText));
        QCOMPARE(QSettings().value("ui/theme").toString(), QString("dark"));
        system->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Base), lightBase);
        QTRY_COMPARE(window.lossPlot()->plot()->grab().toImage().pixelColor(3, 3), lightBase);
        QCOMPARE(QSettings().value("ui/theme").toString(), QString("system"));
    }

    // The views beside the held-out samples: three named groups, every view's button
    // whole inside the window at a classroom projector's 1366x768 and at 1920x1080,
    // Ctrl+N reaches view N, and an empty loss plot shows no empty legend box.
    void viewsAreGroupedAndFitTheWindow() {
        for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
            MainWindow window;
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QApplication::processEvents();
            ViewSwitcher* views = window.curveTabs();
            QCOMPARE(views->count(), 9);
            // No panel widens the window past the screen.
            QVERIFY2(window.width() <= size.width(), qPrintable(QString::number(window.width())));
            QStringList groups;
            for (int i = 0; i < views->count(); ++i) {
                if (!groups.contains(views->groupOf(i))) {
                    groups << views->groupOf(i);
                }
                QAbstractButton* b = views->button(i);
                QVERIFY(b->isVisible());
                const QRect r(b->mapTo(&window, QPoint(0, 0)), b->size());
                QVERIFY2(window.rect().contains(r) && r.width() >= b->sizeHint().width(),
                         qPrintable(QStringLiteral("%1 at %2x%3: %4,%5 %6x%7")
                                        .arg(views->viewLabel(i))
                                        .arg(size.width())
                                        .arg(size.height())
                                        .arg(r.x())
                                        .arg(r.y())
                                        .arg(r.width())
                                        .arg(r.height())));
            }
            QCOMPARE(groups, (QStringList{"Training", "Inspect", "Evaluate"}));
            grabWindow(window, qPrintable(QStringLiteral("views-%1").arg(size.width())));
            QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
            QCOMPARE(views->currentWidget(), window.comparison());
            QVERIFY(views->button(1)->isChecked());
            QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
            QCOMPARE(views->currentIndex(), 0);
            QVERIFY(!window.lossPlot()->plot()->legend->visible());
        }
    }

    // The options last used come back at the next start.
    void lastOptionsComeBack() {
        {
            MainWindow window;
            window.show();
            auto* task = window.findChild<QComboBox*>("taskCombo");
            task->setCurrentIndex(task->findData("jigsaw"));
            window.findChild<QSpinBox*>("param_grid")->setValue(2);
            window.findChild<QSpinBox*>("batchSpin")->setValue(12);
            window.close();
        }
        MainWindow window;
        QVERIFY(window.restoreLastOptions());
        QCOMPARE(window.findChild<QComboBox*>("taskCombo")->currentData().toString(),
                 QString("jigsaw"));
        QCOMPARE(window.findChild<QSpinBox*>("param_grid")->value(), 2);
        QCOMPARE(window.findChild<QSpinBox*>("batchSpin")->value(), 12);
        QSettings().remove("session/options");
    }

    // File ▸ Open Recent remembers what was opened, across windows (QSettings), and
    // opens it again.
    void recentFilesAreRemembered() {
        QSettings().remove("data/recent");
        QTemporaryDir dir;
        QImage image(48, 48, QImage::Format_RGB32);
        for (int i = 0; i < 3; ++i) {
            image.fill(QColor::fromHsv(i * 100, 200, 200));
            QVERIFY(image.save(dir.filePath(QStringLiteral("img%1.png").arg(i))));
        }
        {
            MainWindow window({dir.path()});
            QTRY_VERIFY_WITH_TIMEOUT(
                window.findChild<QLabel*>("dataCount")->text().startsWith("<b>3</b> images"),
                20000);
        }
        MainWindow window;
        auto* recent = window.findChild<QMenu*>("recentMenu");
        QVERIFY(recent);
        QVERIFY2(recent->actions().front()->text().endsWith(dir.path()),
                 qPrintable(recent->actions().front()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(
            window.findChild<QLabel*>("dataCount")->text().startsWith("<b>512</b> images"), 20000);
        QTRY_VERIFY(window.engineState() == pretext::EngineState::Idle);
        recent->actions().front()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            window.findChild<QLabel*>("dataCount")->text().startsWith("<b>3</b> images"), 20000);
    }

    // A folder of photos: the Data panel says how training reads it (cached or streamed,
    // decode threads), the preview shows samples augmented as training will augment them,
    // and the switch puts each image before augmentation beside them.
    void filesAreAugmentedInThePreview() {
        QSettings().setValue("ui/showOriginal", false);
        QTemporaryDir dir;
        QImage image(120, 80, QImage::Format_RGB32);
        for (int i = 0; i < 12; ++i) {
            image.fill(QColor::fromHsv(i * 30, 200, 200));
            for (int x = 0; x < 40; ++x) {
                image.setPixelColor(x, x, Qt::black);
            }
            QVERIFY(image.save(dir.filePath(QStringLiteral("photo%1.png").arg(i))));
        }
        MainWindow window({dir.path()});
        window.show();
        auto* count = window.findChild<QLabel*>("dataCount");
        QTRY_VERIFY_WITH_TIMEOUT(count->text().startsWith("<b>12</b> images"), 20000);
        QVERIFY2(count->text().contains("cached: 12 images") &&
                     count->text().contains("decode thread"),
                 qPrintable(count->text()));
        auto* task = window.findChild<QComboBox*>("taskCombo");
        task->setCurrentIndex(task->findData("inpainting"));
        QTRY_VERIFY(!window.previewView()->grid().isEmpty());
        const QString firstTitle = window.previewView()->grid().columnTitles.value(0);
        window.findChild<QCheckBox*>("showOriginalCheck")->setChecked(true);
        QTRY_COMPARE(window.previewView()->grid().columnTitles.value(0),
                     QStringLiteral("image before augmentation"));
        QCOMPARE(window.previewView()->grid().columnTitles.value(1), firstTitle);
        // Augmentation off: nothing to put beside.
        auto* augment = window.findChild<QComboBox*>("augmentCombo");
        augment->setCurrentIndex(augment->findData("off"));
        QTRY_COMPARE(window.previewView()->grid().columnTitles.value(0), firstTitle);
        augment->setCurrentIndex(augment->findData("auto"));
        QSettings().remove("ui/showOriginal");
    }

    // A NaN mid-run: the window says so and offers to go on from the checkpoint with a
    // tenth of the learning rate; one click does it. Without a checkpoint, it offers a
    // new run at the lower rate.
    void divergedRunOffersALowerRate() {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 20000);
        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(4);
        window.findChild<QSpinBox*>("maxStepsSpin")->setValue(0);
        auto* lr = window.findChild<QDoubleSpinBox*>("lrSpin");
        lr->setValue(0.002);
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->pointCount() >= 3, 30000);
        window.stopTraining();
        QTRY_VERIFY_WITH_TIMEOUT(
            window.engineState() == pretext::EngineState::Idle,
            60000); // a bound for a hung engine; stop within one batch is asserted in test_session
        // The run just stopped is the newest; its final checkpoint is at step `saved`.
        const QFileInfoList runs =
            QDir(window.workspace()).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
        const QString runDir = runs.front().absoluteFilePath();
        QFile manifest(QDir(runDir).filePath("checkpoint.json"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const int saved =
            QJsonDocument::fromJson(manifest.readAll()).object().value("step").toInt();
        QVERIFY(saved >= 3);

        qputenv("PRETEXT_INJECT_FAULT", QByteArray("nan-loss@") + QByteArray::number(saved + 2));
        window.resumeRun(runDir);
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>("divergedBox")) != nullptr,
                                 30000);
        qunsetenv("PRETEXT_INJECT_FAULT");
        QVERIFY2(box->text().contains(
                     QString("Training stopped at step %1: the loss became NaN").arg(saved + 2)),
                 qPrintable(box->text()));
        QVERIFY2(box->text().contains(QString("The checkpoint of step %1 is kept").arg(saved)),
                 qPrintable(box->text()));
        QVERIFY2(box->informativeText().contains("lowered from 0.002 to 0.0002"),
                 qPrintable(box->informativeText()));
        QTRY_VERIFY(window.engineState() == pretext::EngineState::Idle);
        auto* resume = box->findChild<QPushButton*>("lowerRateButton");
        QCOMPARE(resume->text(), QString("Resume with 0.0002"));
        QTest::mouseClick(resume, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Running, 30000);
        QCOMPARE(lr->value(), 0.0002);
        const int points = window.lossPlot()->pointCount();
        QTRY_VERIFY_WITH_TIMEOUT(window.lossPlot()->pointCount() >= points + 3,
                                 30000); // past the old NaN step
        window.stopTraining();
        QTRY_VERIFY_WITH_TIMEOUT(
            window.engineState() == pretext::EngineState::Idle,
            60000); // a bound for a hung engine; stop within one batch is asserted in test_session
        QFile config(QDir(runDir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        QCOMPARE(
            QJsonDocument::fromJson(config.readAll()).object().value("learning_rate").toDouble(),
            0.0002);

        // No checkpoint yet: a new run at the lower rate is offered instead.
        qputenv("PRETEXT_INJECT_FAULT", "nan-grad@2");
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>("divergedBox")) != nullptr &&
                                     box->isVisible() && box->text().contains("the gradient of"),
                                 30000);
        qunsetenv("PRETEXT_INJECT_FAULT");
        QVERIFY2(box->text().contains("No checkpoint was saved yet"), qPrintable(box->text()));
        QCOMPARE(box->findChild<QPushButton*>("lowerRateButton")->text(),
                 QString("Start again with 2e-05"));
        box->close();
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
        QTRY_VERIFY_WITH_TIMEOUT(
            window.engineState() == pretext::EngineState::Idle,
            60000); // a bound for a hung engine; stop within one batch is asserted in test_session
    }

    void colorizationFiguresAndTemperatureSlider() {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 20000);
        QVERIFY(!window.previewFigures()->isVisible()); // inpainting has no set-level figures
        auto* task = window.findChild<QComboBox*>("taskCombo");
        task->setCurrentIndex(task->findData("colorization"));
        // Classes mode: original, L, a, b, quantized target; gamut, histogram, weights.
        QTRY_COMPARE_WITH_TIMEOUT(window.previewView()->grid().columnTitles.size(), 5, 10000);
        QTRY_COMPARE(window.previewFigures()->figures().size(), 3);
        QVERIFY(window.previewFigures()->isVisible());
        auto* dataNote = window.findChild<QLabel*>("taskDataNote");
        QTRY_VERIFY(dataNote->text().contains("colorization uses all 512"));
        auto* slider = window.findChild<QSlider*>("display_temperature");
        QVERIFY(slider);
        QVERIFY(slider->isVisible());
        QVERIFY(!window.findChild<QWidget*>("param_temperature")); // not in the task form
        // Regression has no temperature and no class weights.
        auto* mode = window.findChild<QComboBox*>("param_mode");
        mode->setCurrentIndex(0);
        QTRY_COMPARE(window.previewView()->grid().columnTitles.size(), 4);
        QTRY_COMPARE(window.previewFigures()->figures().size(), 2);
        QVERIFY(!slider->isVisible());
        mode->setCurrentIndex(1);
        QTRY_VERIFY(slider->isVisible());

        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        window.findChild<QSpinBox*>("maxStepsSpin")->setValue(30);
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.findChild<QGroupBox*>("metricBox")->title(),
                                  QStringLiteral("Colourfulness: predicted / true chroma"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.accuracyPlot()->pointCount("heldout_chroma_ratio") >= 1,
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);
        QTRY_VERIFY(window.reconstructionView()->grid().columnTitles.value(1).contains("T = 0.38"));
        const QImage at038 = window.reconstructionView()->grid().rows[0][1];
        grabWindow(window, "colorization-T0.38");

        // After the run: the slider re-decodes the last outputs, no model needed.
        slider->setValue(slider->maximum()); // T = 1, the mean
        QTRY_VERIFY(window.reconstructionView()->grid().columnTitles.value(1).contains("T = 1.00"));
        QVERIFY(window.reconstructionView()->grid().rows[0][1] != at038);
        QCOMPARE(window.reconstructionView()->grid().step, 30);
        grabWindow(window, "colorization-T1.00");
        slider->setValue(slider->minimum() + 40); // T = 0.05, close to the mode
        QTRY_VERIFY(window.reconstructionView()->grid().columnTitles.value(1).contains("T = 0.05"));
        grabWindow(window, "colorization-T0.05");
    }

    void temporalOrderStripsTimelineAndLiveOrder() {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 20000);
        QVERIFY(window.findChild<QPushButton*>("openVideoButton"));
        QVERIFY(window.findChild<QSpinBox*>("videoStrideSpin"));
        QVERIFY(window.findChild<QSpinBox*>("memorySpin"));
        QVERIFY(window.findChild<QComboBox*>("pipelineCombo"));
        QVERIFY(window.findChild<QSpinBox*>("decodeThreadsSpin"));
        auto* task = window.findChild<QComboBox*>("taskCombo");
        task->setCurrentIndex(task->findData("temporal-order"));
        // Shuffled strip, what the model sees, the true order; and the motion timeline.
        QTRY_COMPARE_WITH_TIMEOUT(window.previewView()->grid().columnTitles.value(0),
                                  QStringLiteral("shuffled input (true places)"), 10000);
        const QImage strip = window.previewView()->grid().rows[0][0];
        QCOMPARE(strip.width(), 4 * strip.height());
        QTRY_COMPARE(window.previewFigures()->figures().size(), 1);
        QVERIFY(window.previewFigures()->figures()[0].title.startsWith("Motion per window"));
        auto* dataNote = window.findChild<QLabel*>("taskDataNote");
        QTRY_VERIFY(dataNote->text().contains("top 50% by motion"));
        grabWindow(window, "temporal-preview");
        // Verification: five frames a–e, no T to choose.
        auto* variant = window.findChild<QComboBox*>("param_variant");
        QVERIFY(variant);
        QVERIFY(window.findChild<QSpinBox*>("param_frames")->isVisible());
        variant->setCurrentIndex(0);
        QTRY_COMPARE(window.previewView()->grid().columnTitles.value(0),
                     QStringLiteral("frames a–e in time order"));
        QVERIFY(!window.findChild<QSpinBox*>("param_frames")->isVisible());
        variant->setCurrentIndex(1);
        // An absolute threshold above all motion leaves no window, and the note says so.
        auto* filter = window.findChild<QComboBox*>("param_motion_filter");
        QVERIFY(filter);
        QVERIFY(!window.findChild<QDoubleSpinBox*>("param_min_motion")->isVisible());
        filter->setCurrentIndex(1);
        auto* threshold = window.findChild<QDoubleSpinBox*>("param_min_motion");
        QTRY_VERIFY(threshold->isVisible());
        threshold->setValue(20.0);
        QTRY_VERIFY(dataNote->text().contains("0 for training"));
        filter->setCurrentIndex(0);
        QTRY_VERIFY(dataNote->text().contains("top 50% by motion"));

        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        window.findChild<QSpinBox*>("maxStepsSpin")->setValue(30);
        QTest::mouseClick(window.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.accuracyPlot()->pointCount("heldout_accuracy") >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);
        const auto live = window.reconstructionView()->grid();
        QCOMPARE(live.columnTitles.value(1), QStringLiteral("model's order (or its reverse)"));
        QCOMPARE(live.step, 30);
        QCOMPARE(window.errorHistogram()->counts().size(), 5); // 0..4 frames out of place
        grabWindow(window, "temporal-trained");
    }

    // Two GUI runs land in the chosen workspace and are listed; selecting both overlays
    // their curves; the exports and the report write their files; Resume goes on with
    // one run; a saved config loads back.
    // The embedding map follows the run the window trains: made when it ends (its last
    // checkpoint), again on demand (gliding), with each image's neighbours on a click
    // and its picture beside its dot on hover.
    void embeddingMapFollowsTheRun() {
        QTemporaryDir ws, labelled;
        QVERIFY(writeColourClasses(labelled.path(), 40, 16));
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        window.setWorkspace(ws.path(), false);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle &&
                                     !window.previewView()->grid().isEmpty(),
                                 30000);
        EmbeddingPanel* panel = window.embeddingPanel();
        window.curveTabs()->setCurrentWidget(panel);
        panel->findChild<QComboBox*>("embedImages")->setCurrentText(labelled.path());
        panel->findChild<QComboBox*>("embedMethod")->setCurrentIndex(0); // t-SNE
        QVERIFY(panel->findChild<QCheckBox*>("embedAtCheckpoints")->isChecked());
        QSignalSpy made(panel, &EmbeddingPanel::mapFinished);
        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        window.setMaxSteps(3);
        window.startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Running, 20000);

        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(made.count(), 1, 60000);
        QVERIFY2(made[0][0].toBool(), qPrintable(made[0][1].toString()));
        QVERIFY(panel->run().startsWith(ws.path()));
        const pretext::EmbedMap& map = panel->map();
        QCOMPARE(map.points.size(), 16); // the test split of 80 images (20%)
        QCOMPARE(map.classes, (QStringList{"cold", "warm"}));
        QCOMPARE(map.step, 3);
        QVERIFY(std::isfinite(map.silhouette));
        QVERIFY(panel->findChild<QLabel*>("embedSummary")->text().contains("silhouette"));

        // Again on demand: the same images, the dots glide to their new places.
        panel->startMap();
        QVERIFY(panel->isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(made.count(), 2, 60000);
        QVERIFY(panel->mapView()->animating());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->mapView()->animating(), 5000);

        // A click: the image's neighbours at every stage, trained and at random init.
        EmbeddingMap* view = panel->mapView();
        QCustomPlot* plot = view->plot();
        const QPoint dot = view->pixelOf(2).toPoint();
        QCOMPARE(view->imageAt(dot), 2);
        QTest::mouseClick(plot, Qt::LeftButton, {}, dot);
        QCOMPARE(view->selectedImage(), 2);
        auto* table = panel->neighbourTable();
        QCOMPARE(table->rowCount(), map.stages);
        QCOMPARE(table->columnCount(), 11); // the image, 5 trained, 5 at random init
        QCOMPARE(table->item(0, 1)->text().toDouble() >= table->item(0, 2)->text().toDouble(),
                 true);
        // Hovering a dot shows its picture beside it.
        QSignalSpy hovered(view, &EmbeddingMap::hovered);
        QTest::mouseMove(plot, view->pixelOf(4).toPoint());
        QTRY_VERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.last()[0].toInt(), 4);
        QVERIFY2(window.width() <= 1366, qPrintable(QString::number(window.width())));
        grabWindow(window, "embedding-map");
    }

    // The Saliency view on a jigsaw run: the samples as the model sees them (the tiles in
    // their grid) beside their gradient x input and occlusion maps.
    void saliencyShowsWhatThePredictionRestsOn() {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QCOMPARE(pretext::runHeadless({"pretext-workbench", "train", "--task", "jigsaw", "--data",
                                       "demo", "--size", "48", "--batch", "4", "--steps", "2",
                                       "--param", "base_channels=8", "--out", run}),
                 0);
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        SaliencyPanel* panel = window.saliencyPanel();
        window.curveTabs()->setCurrentWidget(panel);
        panel->setRun(run);
        QSignalSpy done(panel, &SaliencyPanel::finished);
        QTest::mouseClick(panel->findChild<QPushButton*>("saliencyButton"), Qt::LeftButton);
        QVERIFY(panel->isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        QVERIFY2(done[0][0].toBool(), qPrintable(done[0][1].toString()));
        const pretext::ImageGrid& grid = panel->view()->grid();
        QCOMPARE(grid.columnTitles.size(), 4); // seen, gradient x input, occlusion, Grad-CAM
        QCOMPARE(grid.rows.size(), 6);
        // Nine tiles in a 3 x 3 grid, a pixel apart: square, three tiles and two gaps wide.
        const QSize seen = grid.rows[0][0].size();
        QCOMPARE(seen.width(), seen.height());
        QVERIFY2(seen.width() > 16 * 2 && (seen.width() - 2) % 3 == 0,
                 qPrintable(QString::number(seen.width())));
        QVERIFY(grid.rows[0][1] != grid.rows[0][0]);
        QVERIFY(panel->findChild<QLabel*>("saliencyNote")->text().contains("occluding"));
        QVERIFY2(window.width() <= 1366, qPrintable(QString::number(window.width())));
        grabWindow(window, "saliency");
    }

    void runsListedComparedExportedResumed() {
        QTemporaryDir ws, out;
        MainWindow window;
        window.show();
        window.setWorkspace(ws.path(), false);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle &&
                                     !window.previewView()->grid().isEmpty(),
                                 30000);
        window.findChild<QSpinBox*>("param_base_channels")->setValue(8);
        window.findChild<QSpinBox*>("batchSpin")->setValue(8);
        window.setMaxSteps(5);
        window.curveTabs()->setCurrentIndex(0); // the curves, not the embedding map
        for (int seed : {1, 2}) {
            window.findChild<QSpinBox*>("seedSpin")->setValue(seed);
            window.startTraining();
            QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Running, 20000);
            QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);
        }
        // The embedding map, hidden, made nothing at the runs' checkpoints; shown, it
        // maps the last run.
        QVERIFY(window.embeddingPanel()->map().isEmpty() && !window.embeddingPanel()->isBusy());
        {
            QSignalSpy made(window.embeddingPanel(), &EmbeddingPanel::mapFinished);
            window.embeddingPanel()->findChild<QComboBox*>("embedImages")->setCurrentText("demo");
            window.curveTabs()->setCurrentWidget(window.embeddingPanel());
            QTRY_COMPARE_WITH_TIMEOUT(made.count(), 1, 60000);
            QVERIFY2(made[0][0].toBool(), qPrintable(made[0][1].toString()));
            window.curveTabs()->setCurrentIndex(0);
        }
        RunsPanel* runs = window.runsPanel();
        QTRY_COMPARE(runs->table()->rowCount(), 2);
        QStringList paths;
        for (const auto& r : runs->runs()) {
            QCOMPARE(r.task, QString("inpainting"));
            QCOMPARE(r.steps, 5);
            QVERIFY(r.hasCheckpoint);
            QVERIFY(!std::isnan(r.bestLoss));
            paths << r.path;
        }
        runs->selectRuns(paths);
        QCOMPARE(window.comparison()->runs().size(), 2);
        QCOMPARE(window.comparison()->plot()->seriesNames().size(), 2);
        QCOMPARE(window.comparison()->plot()->pointCount(), 10);
        QCOMPARE(window.curveTabs()->currentWidget(), window.comparison());
        window.comparison()->setMetric("heldout_loss");
        QVERIFY(window.comparison()->plot()->pointCount() >= 4); // steps 1 and 5 of each
        QVERIFY(window.comparison()->plot()->bestText().contains("best"));
        grabWindow(window, "runs-compared");

        // The linear probe of the first chosen run, in its own thread, kept in the run folder.
        ProbePanel* probe = window.probePanel();
        QVERIFY(paths.contains(probe->run()));
        if (QFileInfo::exists("/usr/share/datasets/fashion-mnist")) {
            probe->findChild<QSpinBox*>("probeTrainSize")->setValue(200);
            probe->findChild<QSpinBox*>("probeTestSize")->setValue(100);
            QSignalSpy finished(probe, &ProbePanel::probeFinished);
            auto* button = probe->findChild<QPushButton*>("probeButton");
            QVERIFY(button->isEnabled());
            QTest::mouseClick(button, Qt::LeftButton);
            QVERIFY(!button->isEnabled()); // one probe at a time
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
            QVERIFY2(finished[0][0].toBool(), qPrintable(finished[0][1].toString()));
            QCOMPARE(probe->findChild<QTableWidget*>("probeTable")->rowCount(),
                     4); // 3 stages, raw pixels
            QCOMPARE(probe->result().value("train_size").toInt(), 200);
            QVERIFY(QFile::exists(QDir(probe->run()).filePath("probe.json")));
            probe->setRun({});
            QCOMPARE(probe->findChild<QTableWidget*>("probeTable")->rowCount(), 0);
            probe->setRun(paths.value(0));
            probe->setRun(probe->result().isEmpty() ? paths.value(1) : paths.value(0));
            QVERIFY(!probe->result().isEmpty()); // shown again from the run folder
        }

        // Exports.
        QString error;
        const QDir o(out.path());
        QVERIFY2(window.lossPlot()->exportCsv(o.filePath("curves.csv"), &error), qPrintable(error));
        QVERIFY2(window.lossPlot()->exportImage(o.filePath("loss.png"), &error), qPrintable(error));
        QVERIFY2(window.comparison()->plot()->exportImage(o.filePath("compare.pdf"), &error),
                 qPrintable(error));
        QVERIFY2(window.exportGrid(window.previewView(), o.filePath("preview.png"), &error),
                 qPrintable(error));
        QVERIFY2(window.exportGrid(window.reconstructionView(), o.filePath("results.png"), &error),
                 qPrintable(error));
        QFile csv(o.filePath("curves.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readLine(), QByteArray("series,step,wall_time_s,value,smoothed\n"));
        QVERIFY(csv.readAll().count('\n') >= 5);
        QVERIFY(!QImage(o.filePath("loss.png")).isNull());
        QVERIFY(!QImage(o.filePath("preview.png")).isNull());
        QVERIFY(!QImage(o.filePath("results.png")).isNull());
        QFile pdf(o.filePath("compare.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QString report;
        QVERIFY2(writeRunReport(paths.front(), &report, &error), qPrintable(error));
        QFile html(report);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(html.readAll());
        QVERIFY(text.contains("<img src=\"loss.png\""));
        QVERIFY(text.contains("heldout_loss"));
        QVERIFY(QFile::exists(QFileInfo(report).dir().filePath("loss.png")));
        QVERIFY(!QDir(QFileInfo(report).dir().filePath("previews")).entryList({"*.png"}).isEmpty());

        // The saved previews over steps.
        runs->selectRuns({paths.front()});
        QVERIFY(runs->shownPreviewStep() == 5);

        // The encoder for PyTorch: offered for the one run chosen, written with its
        // description, said in the status bar.
        auto* exportButton = window.findChild<QPushButton*>("exportEncoder");
        QVERIFY(exportButton && exportButton->isEnabled());
        QVERIFY(window.exportEncoderTo(paths.front(), o.filePath("encoder.pt")));
        QVERIFY(QFileInfo(o.filePath("encoder.pt")).size() > 1000);
        QFile described(o.filePath("encoder.json"));
        QVERIFY(described.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(described.readAll()).object().value("steps").toInt(), 5);
        QVERIFY(window.statusBar()->currentMessage().contains("encoder.pt"));
        for (QWidget* w = runs; w != nullptr; w = w->parentWidget()) {
            if (auto* dock = qobject_cast<QDockWidget*>(w)) {
                dock->raise(); // the Runs tab in front, for the grab
                break;
            }
        }
        grabWindow(window, "runs-export");

        // Resume the selected run to step 8: the live plot shows steps 1 to 8.
        window.setMaxSteps(8);
        auto* resume = window.findChild<QPushButton*>("resumeRun");
        QVERIFY(resume && resume->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Running, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineState() == pretext::EngineState::Idle, 60000);
        QTRY_COMPARE(window.lossPlot()->pointCount("loss"), 8);
        runs->refresh();
        QCOMPARE(pretext::summarizeRun(paths.front()).steps, 8);

        // A config saved and loaded back restores the task and its settings.
        QVERIFY2(window.saveConfig(o.filePath("cfg.json"), &error), qPrintable(error));
        window.selectTask("jigsaw");
        window.findChild<QSpinBox*>("batchSpin")->setValue(4);
        QVERIFY2(window.loadConfig(o.filePath("cfg.json"), &error), qPrintable(error));
        QCOMPARE(window.taskPanel()->taskName(), QString("inpainting"));
        QCOMPARE(window.findChild<QSpinBox*>("batchSpin")->value(), 8);
        QVERIFY(!window.loadConfig(o.filePath("missing.json"), &error));
        QVERIFY(error.contains("missing.json"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
