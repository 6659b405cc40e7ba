// The main window's menus: File (data, configs, runs workspace, exports), Training,
// View and Help. What the entries do lives with the window's other parts.
#include "MainWindow.h"

#include "ViewSwitcher.h"

#include "Appearance.h"
#include "CurvePlot.h"
#include "ImageGridView.h"
#include "RecentFiles.h"
#include "RunsPanel.h"
#include "TaskPanel.h"
#include "TrainingPanel.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Images…"), QKeySequence::Open, this, &MainWindow::openImages);
    file->addAction(tr("Open &Folder…"), QKeySequence(tr("Ctrl+Shift+O")), this,
                    &MainWindow::openFolder);
    file->addAction(tr("Open &Video…"), QKeySequence(tr("Ctrl+Shift+V")), this,
                    &MainWindow::openVideos);
    m_recent = new RecentFiles(this);
    file->addMenu(m_recent);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::loadPaths);
    file->addAction(tr("&Demo Set"), QKeySequence(tr("Ctrl+D")), this, &MainWindow::loadDemo);
    file->addSeparator();
    buildRunMenus(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* train = menuBar()->addMenu(tr("&Training"));
    m_startAction =
        train->addAction(tr("&Train"), QKeySequence(Qt::Key_F5), this, &MainWindow::startTraining);
    m_pauseAction = train->addAction(tr("&Pause / Resume"), QKeySequence(Qt::Key_F6),
                                     m_training->pauseButton(), &QPushButton::click);
    m_stepAction = train->addAction(tr("&Step Once"), QKeySequence(Qt::Key_F7),
                                    m_training->stepButton(), &QPushButton::click);
    buildTeachActions(train);
    m_stopAction = train->addAction(tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5), this,
                                    &MainWindow::stopTraining);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        view->addAction(dock->toggleViewAction());
    }
    view->addSeparator();
    // Each view beside the held-out samples, Ctrl+1 to Ctrl+9 in the order shown.
    for (int i = 0; i < m_curveTabs->count(); ++i) {
        QAction* show =
            view->addAction(tr("%1 ▸ %2").arg(m_curveTabs->groupOf(i), m_curveTabs->viewLabel(i)),
                            this, [this, i] { m_curveTabs->setCurrentIndex(i); });
        if (i < 9) {
            show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
        }
    }
    view->addSeparator();
    QAction* fullScreen =
        view->addAction(tr("&Full Screen"), QKeySequence::FullScreen, this,
                        [this](bool on) { on ? showFullScreen() : showNormal(); });
    fullScreen->setCheckable(true);
    QMenu* appearance = view->addMenu(tr("&Appearance"));
    appearance->setObjectName(QStringLiteral("appearanceMenu"));
    auto* themes = new QActionGroup(this);
    const Theme current = themeFromName(QSettings().value(QStringLiteral("ui/theme")).toString());
    for (const auto& [theme, label, tip] :
         {std::tuple{Theme::System, tr("Follow the &System"), tr("The desktop's own colours")},
          std::tuple{Theme::Dark, tr("&Dark"),
                     tr("Light text on dark panels and plots, for dim rooms and projectors")}}) {
        QAction* a = appearance->addAction(label);
        a->setObjectName(QStringLiteral("theme_") + themeName(theme));
        a->setToolTip(tip);
        a->setCheckable(true);
        a->setChecked(theme == current);
        themes->addAction(a);
        connect(a, &QAction::triggered, this, [theme = theme] {
            QSettings().setValue(QStringLiteral("ui/theme"), themeName(theme));
            applyTheme(theme);
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Pretext Workbench"), this, [this] {
        QMessageBox::about(this, tr("About Pretext Workbench"),
                           tr("<b>Pretext Workbench %1</b><p>See, train and debug "
                              "self-supervised pretext tasks.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::buildRunMenus(QMenu* file) {
    file->addAction(tr("&Load Config…"), QKeySequence(tr("Ctrl+Shift+L")), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load a run config"), m_workspace, tr("JSON config (*.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !loadConfig(path, &error)) {
            showError(error);
        }
    });
    file->addAction(tr("&Save Config…"), QKeySequence(tr("Ctrl+Shift+S")), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save the run config"), QStringLiteral("%1.json").arg(m_task->taskName()),
            tr("JSON config (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveConfig(path, &error)) {
            showError(error);
        }
    });
    file->addAction(tr("&Follow Run Folder…"), QKeySequence(tr("Ctrl+Shift+F")), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Follow a run folder another process writes"), m_workspace);
        if (!dir.isEmpty()) {
            followRun(dir);
        }
    });
    m_stopFollowingAction = file->addAction(tr("Stop &Following"), this, [this] {
        stopFollowing();
        statusBar()->showMessage(tr("Stopped following; the run goes on where it runs"), 8000);
    });
    m_stopFollowingAction->setEnabled(false);
    file->addAction(tr("Runs &Workspace…"), this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Choose the runs workspace"), m_workspace);
        if (!dir.isEmpty()) {
            setWorkspace(dir);
        }
    });
    QMenu* exports = file->addMenu(tr("&Export"));
    auto saveAs = [this](const QString& title, const QString& name, const QString& filter) {
        return QFileDialog::getSaveFileName(this, title, name, filter);
    };
    auto report = [this](bool ok, const QString& path, const QString& error) {
        if (ok) {
            statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 8000);
        } else {
            showError(error);
        }
    };
    exports->addAction(tr("Loss Curves as &CSV…"), this, [=] {
        const QString path =
            saveAs(tr("Export curves"), QStringLiteral("curves.csv"), tr("CSV (*.csv)"));
        QString error;
        if (!path.isEmpty()) {
            report(m_lossPlot->exportCsv(path, &error), path, error);
        }
    });
    exports->addAction(tr("Loss Plot as &PNG or PDF…"), this, [=] {
        const QString path = saveAs(tr("Export the loss plot"), QStringLiteral("loss.png"),
                                    tr("PNG image (*.png);;PDF (*.pdf)"));
        QString error;
        if (!path.isEmpty()) {
            report(m_lossPlot->exportImage(path, &error), path, error);
        }
    });
    exports->addAction(tr("&Preview Grid as PNG…"), this, [=] {
        const QString path = saveAs(tr("Export the preview"), QStringLiteral("preview.png"),
                                    tr("PNG image (*.png)"));
        QString error;
        if (!path.isEmpty()) {
            report(exportGrid(m_preview, path, &error), path, error);
        }
    });
    exports->addAction(tr("Hand&out of the Preview (PDF or PNG)…"), this, [=] {
        const QString path = saveAs(tr("Export a printable handout"),
                                    QStringLiteral("%1-handout.pdf").arg(m_task->taskName()),
                                    tr("PDF (*.pdf);;PNG image (*.png)"));
        QString error;
        if (!path.isEmpty()) {
            report(exportHandout(path, &error), path, error);
        }
    });
    exports->addAction(tr("&Held-out Results as PNG…"), this, [=] {
        const QString path = saveAs(tr("Export the held-out results"),
                                    QStringLiteral("results.png"), tr("PNG image (*.png)"));
        QString error;
        if (!path.isEmpty()) {
            report(exportGrid(m_reconstruction, path, &error), path, error);
        }
    });
    exports->addSeparator();
    exports->addAction(tr("Run &Report (HTML)…"), this, [this] {
        const QStringList selected = m_runs->selectedRunPaths();
        if (selected.size() != 1) {
            showError(tr("Select one run in the Runs panel to write its report."));
            return;
        }
        Q_EMIT m_runs->reportRequested(selected.front());
    });
}
