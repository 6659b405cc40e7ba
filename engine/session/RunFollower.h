#pragma once
// Follows a run folder that another process writes (a headless run, a distributed run on
// a shared file system, a synced folder from a lab machine): new metrics.csv rows as
// training progress, new preview sheets, new checkpoints. Reads only; never writes there.
#include "SessionTypes.h"

#include <QDateTime>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace pretext {

class RunFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFollower(QObject* parent = nullptr);

    // Starts following `dir` (it must hold config.json); false with *error for a person
    // otherwise. The rows already written come at once, as progress.
    bool follow(const QString& dir, QString* error);
    void stop();
    bool following() const { return !m_dir.isEmpty(); }
    QString dir() const { return m_dir; }
    // The run's settings as its config.json gives them.
    const TrainSettings& settings() const { return m_settings; }
    qint64 lastStep() const { return m_lastStep; }
    qint64 checkpointStep() const { return m_checkpointStep; }
    // When the folder last changed (a row, a preview, a checkpoint).
    QDateTime lastChange() const { return m_lastChange; }
    // Checks the folder now (the timer does it twice a second).
    void poll();
    void setPollInterval(int ms) { m_timer.setInterval(ms); }

Q_SIGNALS:
    // New metrics.csv rows, oldest first.
    void progress(const QList<pretext::TrainProgress>& rows);
    // metrics.csv was cut back (the run was resumed from an earlier checkpoint): what
    // was shown of it is void, and the rows come again.
    void restarted();
    void previewSaved(const QImage& sheet, qint64 step);
    void checkpointSaved(qint64 step);
    // The folder cannot be read any more (removed, unmounted); following stops.
    void lost(const QString& reason);

private:
    void readRows();

    QString m_dir;
    TrainSettings m_settings;
    QTimer m_timer;
    qint64 m_offset = 0; // metrics.csv bytes read
    QStringList m_columns;
    qint64 m_lastStep = 0;
    // images/s from the rows' wall times: the samples behind one step (config.json's
    // global_batch), and the smoothed rate.
    qint64 m_globalBatch = 0;
    double m_lastWallS = -1.0;
    double m_imagesPerSec = 0.0;
    qint64 m_checkpointStep = -1;
    qint64 m_previewStep = -1;
    QDateTime m_lastChange;
};

} // namespace pretext
