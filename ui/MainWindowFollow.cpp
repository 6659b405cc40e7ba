// The main window following a run folder that another process writes (a headless or
// distributed run, a folder synced from another machine): its rows become the live
// curves, its saved previews the held-out panel, its checkpoint what the probe, the
// embedding map and the saliency views judge. Nothing is written into that folder.
#include "MainWindow.h"

#include "EmbeddingPanel.h"
#include "EngineWorker.h"
#include "ImageGridView.h"
#include "ProbePanel.h"
#include "RunConfig.h"
#include "RunFollower.h"
#include "SaliencyPanel.h"
#include "TrainingPanel.h"

#include <QDateTime>
#include <QDir>
#include <QStatusBar>

using pretext::EngineState;

void MainWindow::connectFollower() {
    m_follower = new pretext::RunFollower(this);
    connect(m_follower, &pretext::RunFollower::progress, this,
            [this](const QList<pretext::TrainProgress>& rows) {
                for (const auto& p : rows) {
                    showProgress(p);
                }
                showFollowStatus();
            });
    connect(m_follower, &pretext::RunFollower::restarted, this, [this] {
        preparePlots(); // the run was resumed from an earlier checkpoint: its rows come again
    });
    connect(
        m_follower, &pretext::RunFollower::previewSaved, this,
        [this](const QImage& sheet, qint64 step) {
            if (m_follower->checkpointStep() >= 0 && !m_reconstruction->grid().note.isEmpty()) {
                return; // the checkpoint's own reconstructions (they carry a note) are shown
            }
            pretext::ImageGrid grid;
            grid.columnTitles << tr("Held-out samples at step %1, as the run saved them").arg(step);
            grid.rows << QList<QImage>{sheet};
            grid.step = step;
            m_reconstruction->setGrid(grid);
            showFollowStatus();
        });
    connect(m_follower, &pretext::RunFollower::checkpointSaved, this, [this](qint64) {
        // The views that load a run's checkpoint when asked take the newest one.
        const QString dir = m_follower->dir();
        m_probe->setRun(dir);
        m_embedding->setRun(dir);
        m_saliency->setRun(dir);
        // Its reconstructions on the images loaded here, made in the engine thread.
        callWorker([dir](pretext::EngineWorker* w) { w->reconstructFromCheckpoint(dir); });
        showFollowStatus();
    });
    connect(m_follower, &pretext::RunFollower::lost, this, [this](const QString& reason) {
        m_stopFollowingAction->setEnabled(false);
        showError(tr("Following stopped: %1").arg(reason));
    });
    // "last written 12 s ago" keeps counting between changes.
    auto* ticker = new QTimer(this);
    ticker->setInterval(1000);
    connect(ticker, &QTimer::timeout, this, [this] {
        if (m_follower->following()) {
            showFollowStatus();
        }
    });
    ticker->start();
}

bool MainWindow::followRun(const QString& runDir) {
    if (m_state != EngineState::Idle) {
        showError(tr("Stop training before following a run written elsewhere."));
        return false;
    }
    pretext::RunConfig config;
    QString error;
    if (!pretext::readRunSettings(runDir, &config, &error)) {
        showError(tr("%1 cannot be followed: %2").arg(QDir::toNativeSeparators(runDir), error));
        return false;
    }
    applySettings(config.settings); // the task, its options and the step limit, as shown
    preparePlots();
    m_reconstruction->setGrid({});
    if (!m_follower->follow(runDir, &error)) {
        showError(tr("%1 cannot be followed: %2").arg(QDir::toNativeSeparators(runDir), error));
        return false;
    }
    m_stopFollowingAction->setEnabled(true);
    setWindowTitle(tr("Pretext Workbench — following %1").arg(QDir(runDir).dirName()));
    showFollowStatus();
    return true;
}

void MainWindow::stopFollowing() {
    if (m_follower == nullptr || !m_follower->following()) {
        return;
    }
    m_follower->stop();
    m_stopFollowingAction->setEnabled(false);
    setWindowTitle(tr("Pretext Workbench"));
}

QString MainWindow::followedRun() const {
    return m_follower != nullptr ? m_follower->dir() : QString();
}

void MainWindow::showFollowStatus() {
    const qint64 ago = m_follower->lastChange().secsTo(QDateTime::currentDateTime());
    const qint64 max = m_follower->settings().maxSteps;
    QString text = tr("Following %1 (read-only): step %2")
                       .arg(QDir(m_follower->dir()).dirName())
                       .arg(m_follower->lastStep());
    if (max > 0) {
        text += tr(" of %1").arg(max);
    }
    if (m_follower->checkpointStep() >= 0) {
        text += tr(" · checkpoint of step %1").arg(m_follower->checkpointStep());
    }
    text += max > 0 && m_follower->lastStep() >= max
                ? tr(" · finished")
                : tr(" · last written %n s ago", "", static_cast<int>(std::max<qint64>(0, ago)));
    statusBar()->showMessage(text);
    statusBar()->setToolTip(tr("%1 is written by another process; this window only reads it")
                                .arg(QDir::toNativeSeparators(m_follower->dir())));
}
