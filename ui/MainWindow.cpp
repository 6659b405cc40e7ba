#include "MainWindow.h"

#include "Appearance.h"
#include "CurvePlot.h"
#include "DataPanel.h"
#include "DisplayControls.h"
#include "EmbeddingPanel.h"
#include "EngineStatus.h"
#include "EngineWorker.h"
#include "FigureStrip.h"
#include "HistogramPlot.h"
#include "ImageGridView.h"
#include "ProbePanel.h"
#include "RecentFiles.h"
#include "RunComparison.h"
#include "RunFolder.h"
#include "TaskCatalog.h"
#include "TaskPanel.h"
#include "TaskText.h"
#include "TrainingPanel.h"
#include "ViewSwitcher.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

using pretext::EngineState;
using pretext::EngineWorker;

namespace {
constexpr int kPreviewSamples = 8;

QGroupBox* framed(const QString& title, QWidget* content) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content);
    return box;
}
} // namespace

MainWindow::MainWindow(const QStringList& paths, QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Pretext Workbench"));
    setAcceptDrops(true);
    resize(1400, 900);
    if (themeFromName(QSettings().value(QStringLiteral("ui/theme")).toString()) == Theme::Dark) {
        applyTheme(Theme::Dark);
    }

    m_worker = new EngineWorker;
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("engine"));

    buildCentralArea();
    buildDocks();
    buildMenus();
    connectEngine();
    connectRuns();
    connectTeach();
    m_thread.start();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());

    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(30);
    connect(&m_previewTimer, &QTimer::timeout, this, [this] {
        pretext::TrainSettings s;
        m_training->fillSettings(s);
        callWorker([task = m_task->taskName(), params = taskParams(), seed = m_task->seed(),
                    augment = s.augment, original = m_showOriginal->isChecked()](EngineWorker* w) {
            w->requestPreview(task, params, seed, kPreviewSamples, augment, original);
        });
    });
    // Labels follow the run at a human pace, not once per step.
    m_statusTimer.setInterval(100);
    connect(&m_statusTimer, &QTimer::timeout, this, [this] {
        if (m_progressPending) {
            m_training->showProgress(m_lastProgress);
            m_progressPending = false;
        }
    });
    m_statusTimer.start();

    if (paths.isEmpty()) {
        loadDemo();
    } else {
        loadPaths(paths);
    }
}

MainWindow::~MainWindow() {
    m_worker->requestStop();
    // Finishes a run (final checkpoint) between two steps, then ends the thread.
    QMetaObject::invokeMethod(m_worker, &EngineWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    delete m_worker; // its thread has ended; deleting here is safe
}

void MainWindow::buildCentralArea() {
    m_preview = new ImageGridView;
    m_preview->setObjectName(QStringLiteral("previewGrid"));
    m_preview->setPlaceholder(tr("Load images or the demo set to see what the model will see."));
    m_reconstruction = new ImageGridView;
    m_reconstruction->setObjectName(QStringLiteral("reconstructionGrid"));
    m_reconstruction->setPlaceholder(tr("Press Train: held-out images and the model's "
                                        "reconstructions appear here, refreshed as it learns."));
    m_lossPlot = new CurvePlot(tr("loss"));
    m_lossPlot->plot()->setObjectName(QStringLiteral("lossPlot"));
    m_accuracyPlot = new CurvePlot(tr("accuracy"), Qt::AlignBottom | Qt::AlignRight);
    m_accuracyPlot->plot()->setObjectName(QStringLiteral("accuracyPlot"));
    m_knnPlot = new CurvePlot(tr("k-NN accuracy"), Qt::AlignBottom | Qt::AlignRight);
    m_knnPlot->plot()->setObjectName(QStringLiteral("knnPlot"));
    m_histogram = new HistogramPlot;
    auto* curves = new QSplitter(Qt::Vertical);
    m_runWarning = new QLabel;
    m_runWarning->setObjectName(QStringLiteral("runWarning"));
    m_runWarning->setWordWrap(true);
    m_runWarning->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4d6; border: 1px solid #e0b44c; padding: 4px; }"));
    m_runWarning->hide();
    curves->addWidget(framed(tr("Loss"), m_lossPlot));
    m_accuracyBox = framed(tr("Accuracy"), m_accuracyPlot);
    m_accuracyBox->setObjectName(QStringLiteral("metricBox"));
    m_histogramBox = framed(tr("Errors"), m_histogram);
    m_knnBox = framed(tr("k-NN monitor"), m_knnPlot);
    m_knnBox->setObjectName(QStringLiteral("knnBox"));
    curves->addWidget(m_accuracyBox);
    curves->addWidget(m_knnBox);
    curves->addWidget(m_histogramBox);
    // Shown when the task reports them (classification tasks), and when the run has a
    // k-NN monitor.
    m_accuracyBox->hide();
    m_knnBox->hide();
    m_histogramBox->hide();

    m_display = new DisplayControls;
    m_display->setObjectName(QStringLiteral("displayControls"));
    auto* heldOutBox = framed(tr("Held-out samples, live"), m_reconstruction);
    static_cast<QVBoxLayout*>(heldOutBox->layout())->insertWidget(0, m_display);
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(heldOutBox);
    m_comparison = new RunComparison;
    m_curveTabs = new ViewSwitcher;
    m_curveTabs->setObjectName(QStringLiteral("curveTabs"));
    // The run's standing warning (overfitting) sits above the curves, its full height.
    auto* thisRun = new QWidget;
    auto* runLayout = new QVBoxLayout(thisRun);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->addWidget(m_runWarning);
    runLayout->addWidget(curves, 1);
    const QString training = tr("Training");
    m_curveTabs->addView(thisRun, tr("This run"), training,
                         tr("The run's loss and metric curves, live"));
    m_curveTabs->addView(m_comparison, tr("Compare runs"), training,
                         tr("The curves of the runs chosen in the Runs panel, overlaid"));
    buildTeachTabs();
    m_probe = new ProbePanel;
    m_probe->setObjectName(QStringLiteral("probePanel"));
    m_curveTabs->addView(m_probe, tr("Linear probe"), tr("Evaluate"),
                         tr("How well a linear classifier on the frozen encoder's features "
                            "recognises labelled images"));
    m_embedding = new EmbeddingPanel;
    m_embedding->setObjectName(QStringLiteral("embeddingPanel"));
    m_curveTabs->addView(m_embedding, tr("Embedding map"), tr("Evaluate"),
                         tr("Held-out images laid out by the encoder's features (t-SNE or PCA), "
                            "with each image's nearest neighbours, live at checkpoints"));
    // The view last looked at comes back with the window.
    m_curveTabs->setCurrentIndex(QSettings().value(QStringLiteral("ui/curveTab"), 0).toInt());
    connect(m_curveTabs, &ViewSwitcher::currentChanged, this,
            [](int index) { QSettings().setValue(QStringLiteral("ui/curveTab"), index); });
    bottom->addWidget(m_curveTabs);
    bottom->setSizes({560, 520});
    m_previewNote = new QLabel;
    m_previewNote->setObjectName(QStringLiteral("previewNote"));
    m_previewNote->setWordWrap(true);
    m_figures = new FigureStrip;
    m_figures->setObjectName(QStringLiteral("previewFigures"));
    auto* previewRow = new QSplitter(Qt::Horizontal);
    previewRow->addWidget(m_preview);
    previewRow->addWidget(m_figures);
    previewRow->setSizes({640, 420});
    auto* previewBox = framed(tr("Preview: what the model sees"), previewRow);
    m_showOriginal = new QCheckBox(tr("Show each image before augmentation"));
    m_showOriginal->setObjectName(QStringLiteral("showOriginalCheck"));
    m_showOriginal->setToolTip(tr("The preview shows samples augmented as training augments "
                                  "them (Training ▸ Augmentation); this adds the image they "
                                  "came from as the first column"));
    m_showOriginal->setChecked(QSettings().value(QStringLiteral("ui/showOriginal")).toBool());
    connect(m_showOriginal, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("ui/showOriginal"), on);
        m_previewTimer.start();
    });
    previewBox->layout()->addWidget(m_showOriginal);
    previewBox->layout()->addWidget(m_previewNote);
    auto* central = new QSplitter(Qt::Vertical);
    central->addWidget(previewBox);
    central->addWidget(bottom);
    central->setSizes({300, 480});
    setCentralWidget(central);
}

void MainWindow::buildDocks() {
    m_data = new DataPanel;
    auto* dataDock = new QDockWidget(tr("Data"), this);
    dataDock->setObjectName(QStringLiteral("dataDock"));
    dataDock->setWidget(m_data);
    addDockWidget(Qt::LeftDockWidgetArea, dataDock);

    m_task = new TaskPanel;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_task);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* taskDock = new QDockWidget(tr("Pretext task"), this);
    taskDock->setObjectName(QStringLiteral("taskDock"));
    taskDock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, taskDock);

    m_training = new TrainingPanel;
    auto* trainDock = new QDockWidget(tr("Training"), this);
    trainDock->setObjectName(QStringLiteral("trainingDock"));
    trainDock->setWidget(m_training);
    addDockWidget(Qt::RightDockWidgetArea, trainDock);
    QDockWidget* runsDock = buildRunsDock();
    tabifyDockWidget(dataDock, runsDock);
    dataDock->raise();
    resizeDocks({dataDock, taskDock}, {260, 300}, Qt::Horizontal);

    m_status = new EngineStatus(this);
    statusBar()->addPermanentWidget(m_status);
}

void MainWindow::connectEngine() {
    connect(m_data, &DataPanel::openFilesRequested, this, &MainWindow::openImages);
    connect(m_data, &DataPanel::openFolderRequested, this, &MainWindow::openFolder);
    connect(m_data, &DataPanel::openVideosRequested, this, &MainWindow::openVideos);
    // Direct call: the engine thread is busy decoding; the flag is atomic.
    connect(m_data, &DataPanel::cancelLoadRequested, this,
            [this] { m_worker->requestCancelLoad(); });
    connect(m_data, &DataPanel::videoOptionsChanged, this, [this] {
        const bool videos =
            !m_sourcePaths.isEmpty() &&
            std::all_of(m_sourcePaths.cbegin(), m_sourcePaths.cend(), pretext::isVideoPath);
        if (videos) {
            loadPaths(m_sourcePaths);
        }
    });
    // How files are read during training: the loaded files are indexed again.
    connect(m_data, &DataPanel::pipelineChanged, this, [this] {
        if (!m_sourcePaths.isEmpty()) {
            loadPaths(m_sourcePaths);
        }
    });
    connect(m_data, &DataPanel::limitChanged, this, [this] {
        if (!m_sourcePaths.isEmpty()) {
            loadPaths(m_sourcePaths);
        }
    });
    connect(m_data, &DataPanel::demoRequested, this, &MainWindow::loadDemo);
    connect(m_data, &DataPanel::sizeChanged, this, [this] {
        if (m_sourcePaths.isEmpty()) {
            loadDemo();
        } else {
            loadPaths(m_sourcePaths);
        }
    });
    connect(m_task, &TaskPanel::changed, this, [this] {
        m_display->updateVisibility(m_task->params());
        schedulePreview();
    });
    connect(m_task, &TaskPanel::taskChanged, this, [this] {
        m_training->setLearningRate(m_task->recommendedLearningRate());
        m_training->setSampleName(m_task->currentInfo().video ? tr("tuples") : tr("images"));
        m_display->setTask(m_task->currentInfo());
        m_display->updateVisibility(m_task->params());
    });
    m_display->setTask(m_task->currentInfo());
    m_display->updateVisibility(m_task->params());
    connect(m_display, &DisplayControls::valueChanged, this, [this](const QString& name, double v) {
        callWorker([name, v](EngineWorker* w) { w->setDisplayParam(name, v); });
        schedulePreview(); // its note names the value
    });

    connect(m_training, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
    connect(m_training, &TrainingPanel::stopRequested, this, &MainWindow::stopTraining);
    connect(m_training, &TrainingPanel::pauseRequested, m_worker, &EngineWorker::pause);
    connect(m_training, &TrainingPanel::resumeRequested, m_worker, &EngineWorker::resume);
    connect(m_training, &TrainingPanel::stepRequested, m_worker, &EngineWorker::stepOnce);
    connect(m_training, &TrainingPanel::augmentChanged, this, [this] { m_previewTimer.start(); });
    connect(m_training, &TrainingPanel::learningRateChanged, m_worker,
            &EngineWorker::setLearningRate);

    connect(m_worker, &EngineWorker::dataLoaded, this, [this](const pretext::DataSummary& s) {
        m_hasData = s.count > 0;
        m_dataDescription = s.description;
        m_data->showSummary(s);
        updateState(m_state);
        schedulePreview();
    });
    connect(m_worker, &EngineWorker::loadProgress, m_data, &DataPanel::showLoading);
    connect(m_worker, &EngineWorker::loadProgress, m_status, &EngineStatus::showLoading);
    connect(m_worker, &EngineWorker::videoLoadProgress, m_status, &EngineStatus::showLoading);
    connect(m_worker, &EngineWorker::videoLoadProgress, m_data, &DataPanel::showVideoLoading);
    connect(m_worker, &EngineWorker::loadCancelled, this, [this] {
        statusBar()->showMessage(tr("Loading cancelled; the data loaded before stays."), 10000);
    });
    connect(m_worker, &EngineWorker::previewReady, this, [this](const pretext::ImageGrid& grid) {
        m_preview->setGrid(grid);
        m_figures->setFigures(grid.figures);
        m_previewNote->setText(grid.note);
        m_previewNote->setVisible(!grid.note.isEmpty());
        m_data->showTaskNote(grid.dataNote);
    });
    connect(m_worker, &EngineWorker::snapshotReady, m_reconstruction, &ImageGridView::setGrid);
    connect(m_worker, &EngineWorker::progress, this, &MainWindow::showProgress);
    connect(m_worker, &EngineWorker::trainingStarted, this,
            [this](const QString& runDir, const QString& device, qint64 startStep,
                   const QString& convRoutes) {
                // The engine's line keeps the plan's head ("auto: 6 of 11 layers"); the
                // whole plan is in the status bar's message and in the run's config.json.
                const QString head = convRoutes.section(QStringLiteral(" by the program"), 0, 0);
                m_device =
                    convRoutes.isEmpty()
                        ? device
                        : tr("%1 · convolutions %2 by the program's routes").arg(device, head);
                if (startStep > 0) {
                    prefillCurves(runDir);
                }
                m_training->showRunStarted(runDir, device);
                statusBar()->showMessage(
                    tr("Run folder: %1 | convolutions %2").arg(runDir, convRoutes));
            });
    connect(m_worker, &EngineWorker::trainingFinished, this,
            [this](const QString& reason, const QString& runDir) {
                m_training->showProgress(m_lastProgress);
                m_progressPending = false;
                m_training->showRunFinished(reason);
                statusBar()->showMessage(tr("Run %1; its files are in %2").arg(reason, runDir));
            });
    connect(m_worker, &EngineWorker::stateChanged, this, &MainWindow::updateState);
    connect(m_worker, &EngineWorker::errorOccurred, this, &MainWindow::showError);
}

bool MainWindow::selectTask(const QString& name) {
    return m_task->selectTask(name);
}

QVariantMap MainWindow::taskParams() const {
    QVariantMap params = m_task->params();
    const QVariantMap display = m_display->values();
    for (auto it = display.cbegin(); it != display.cend(); ++it) {
        params.insert(it.key(), it.value());
    }
    return params;
}

bool MainWindow::applyParam(const QString& assignment, QString* error) {
    pretext::ParamValues values;
    if (!pretext::applyParamOverride(m_task->currentInfo(), assignment, values, error)) {
        return false;
    }
    for (const auto& [name, value] : values) {
        const QString key = QString::fromStdString(name);
        if (!m_task->setParam(key, value) && !m_display->setValue(key, value)) {
            *error = tr("'%1' cannot be set here").arg(key);
            return false;
        }
    }
    return true;
}

void MainWindow::setMaxSteps(int steps) {
    m_training->setMaxSteps(steps);
}

void MainWindow::openImages() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open images"), QString(),
                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff "
                                         "*.ppm *.pgm *.pbm *.pnm);;All files (*)"));
    if (!files.isEmpty()) {
        loadPaths(files);
    }
}

void MainWindow::openFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"));
    if (!dir.isEmpty()) {
        loadPaths({dir});
    }
}

void MainWindow::openVideos() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open videos"), QString(),
                                      tr("Videos (*.avi *.mp4 *.mkv *.mov *.mpg *.mpeg *.m4v "
                                         "*.webm *.wmv *.ogv *.flv);;All files (*)"));
    if (!files.isEmpty()) {
        loadPaths(files);
    }
}

// Video files are decoded as videos; anything else as images (folders recurse).
void MainWindow::loadPaths(const QStringList& paths) {
    const auto videos = std::count_if(paths.cbegin(), paths.cend(), pretext::isVideoPath);
    if (videos > 0 && videos < paths.size()) {
        showError(tr("Open videos or images, not both at once."));
        return;
    }
    m_sourcePaths = paths;
    m_recent->add(paths);
    if (videos > 0) {
        callWorker([paths, size = m_data->sizePx(), stride = m_data->videoStride(),
                    budget = m_data->memoryMb(), limit = m_data->maxMegapixels(),
                    mode = m_data->pipelineMode(),
                    threads = m_data->decodeThreads()](EngineWorker* w) {
            w->loadVideos(paths, size, stride, budget, limit, mode, threads);
        });
        return;
    }
    callWorker([paths, size = m_data->sizePx(), limit = m_data->maxMegapixels(),
                mode = m_data->pipelineMode(), threads = m_data->decodeThreads(),
                budget = m_data->memoryMb()](EngineWorker* w) {
        w->loadPaths(paths, size, limit, mode, threads, budget);
    });
}

void MainWindow::loadDemo() {
    m_sourcePaths.clear();
    callWorker([size = m_data->sizePx(), video = m_task->currentInfo().video](EngineWorker* w) {
        w->loadDemo(size, 1, video);
    });
}

void MainWindow::schedulePreview() {
    m_previewTimer.start();
}

void MainWindow::startTraining() {
    if (m_state != EngineState::Idle || !m_hasData) {
        return;
    }
    stopFollowing(); // the curves become this run's
    pretext::TrainSettings settings;
    settings.task = m_task->taskName();
    settings.params = taskParams();
    settings.seed = m_task->seed();
    m_training->fillSettings(settings);
    settings.runDir = pretext::RunFolder::newRunPath(m_workspace, settings.task);
    preparePlots();
    callWorker([settings](EngineWorker* w) { w->startTraining(settings); });
}

void MainWindow::preparePlots() {
    const pretext::TaskInfo& info = m_task->currentInfo();
    m_plottedMetrics.clear();
    for (const auto& name : info.plottedMetrics) {
        m_plottedMetrics << QString::fromStdString(name);
    }
    const QString metricTitle = pretext::taskText(info.metricPlotTitle);
    m_accuracyBox->setTitle(metricTitle);
    m_accuracyPlot->setValueLabel(m_plottedMetrics.size() == 1
                                      ? pretext::metricText(m_plottedMetrics.front())
                                      : metricTitle.toLower());
    m_lossPlot->clear();
    m_runWarning->hide();
    m_accuracyPlot->clear();
    m_knnPlot->clear();
    m_histogram->clear();
    m_accuracyBox->setVisible(false);
    m_knnBox->setVisible(false);
    m_histogramBox->setVisible(false);
    m_lastProgress = {};
    // A new run's curves replace a view of other runs; the teaching tabs stay open.
    if (m_curveTabs->currentWidget() == m_comparison || m_curveTabs->currentWidget() == m_probe) {
        m_curveTabs->setCurrentIndex(0);
    }
}

void MainWindow::showProgress(const pretext::TrainProgress& p) {
    if (p.updateSkipped) {
        statusBar()->showMessage(p.note, 10000); // fp16 overflow: expected now and then
    } else if (!p.note.isEmpty()) {
        showError(p.note); // the batch was halved after running out of memory
    }
    if (!p.skippedNote.isEmpty()) {
        statusBar()->showMessage(p.skippedNote, 15000); // the run folder lists them all
        m_data->noteSkippedDuringTraining(p.skippedFiles);
    }
    if (p.evaluated) {
        m_runWarning->setText(p.warning);
        m_runWarning->setVisible(!p.warning.isEmpty());
    }
    m_status->showTraining(p, m_training->maxSteps(), m_training->sampleName());
    const auto step = static_cast<double>(p.step);
    m_lossPlot->addPoint(QStringLiteral("loss"), step, p.wallTimeS, p.loss);
    for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it) {
        const QString& name = it.key();
        if (name == QLatin1String("heldout_loss")) {
            m_lossPlot->addPoint(name, step, p.wallTimeS, it.value().toDouble());
        } else if (name.startsWith(QLatin1String("knn_"))) {
            m_knnPlot->addPoint(name, step, p.wallTimeS, it.value().toDouble());
            m_knnBox->show();
        } else if (m_plottedMetrics.contains(
                       name.startsWith(QLatin1String("heldout_")) ? name.mid(8) : name)) {
            m_accuracyPlot->addPoint(name, step, p.wallTimeS, it.value().toDouble());
            m_accuracyBox->show();
        }
    }
    if (p.knnSeconds >= 0.0) {
        m_knnBox->setTitle(tr("k-NN monitor (%1 s per evaluation)").arg(p.knnSeconds, 0, 'f', 1));
    }
    if (!p.histogram.isEmpty()) {
        m_histogram->setHistogram(p.histogram, p.histogramTitle, p.histogramAxis, p.step,
                                  p.histogramLabels);
        m_histogramBox->show();
    }
    m_lastProgress = p;
    m_progressPending = true;
}

void MainWindow::stopTraining() {
    m_worker->requestStop(); // seen at the next batch boundary even mid-loop
    QMetaObject::invokeMethod(m_worker, &EngineWorker::stop, Qt::QueuedConnection);
}

void MainWindow::updateState(EngineState state) {
    m_state = state;
    m_training->setState(state, m_hasData);
    m_data->setBusy(state != EngineState::Idle);
    m_startAction->setEnabled(state == EngineState::Idle && m_hasData);
    m_pauseAction->setEnabled(state == EngineState::Running || state == EngineState::Paused);
    m_stepAction->setEnabled(state == EngineState::Paused);
    m_stopAction->setEnabled(state == EngineState::Running || state == EngineState::Paused);
    m_status->setState(state, m_device.isEmpty() ? QString() : tr("device %1").arg(m_device));
    if (state == EngineState::Idle && m_hasData && m_startWhenLoaded) {
        m_startWhenLoaded = false;
        startTraining();
    }
}

void MainWindow::showError(const QString& message) {
    statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 10000);
    // Non-modal: the engine keeps running and tests never block on a dialog.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Pretext Workbench"), message,
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && m_state == EngineState::Idle) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            paths << url.toLocalFile();
        }
    }
    if (!paths.isEmpty()) {
        loadPaths(paths);
        event->acceptProposedAction();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    rememberOptions();
    if (m_state == EngineState::Running || m_state == EngineState::Paused) {
        stopTraining();
    }
    event->accept();
}
