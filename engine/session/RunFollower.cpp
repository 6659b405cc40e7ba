#include "RunFollower.h"

#include "RunConfig.h"
#include "RunFolder.h"
#include "RunHistory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace pretext {

namespace {
struct RunFollowerTr {
    Q_DECLARE_TR_FUNCTIONS(RunFollower)
};
} // namespace

RunFollower::RunFollower(QObject* parent) : QObject(parent) {
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &RunFollower::poll);
}

bool RunFollower::follow(const QString& dir, QString* error) {
    stop();
    RunConfig config;
    if (!readRunSettings(dir, &config, error)) {
        return false;
    }
    m_dir = dir;
    m_settings = config.settings;
    m_offset = 0;
    m_columns.clear();
    m_lastStep = 0;
    m_lastWallS = -1.0;
    m_imagesPerSec = 0.0;
    QFile file(QDir(dir).filePath(runfiles::config));
    m_globalBatch = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll())
                                                         .object()
                                                         .value(QStringLiteral("global_batch"))
                                                         .toInteger(0)
                                                   : 0;
    if (m_globalBatch <= 0) {
        m_globalBatch = static_cast<qint64>(config.settings.batchSize) * config.settings.accumulate;
    }
    m_checkpointStep = -1;
    m_previewStep = -1;
    m_lastChange = QFileInfo(QDir(dir).filePath(runfiles::config)).lastModified();
    poll();
    m_timer.start();
    return true;
}

void RunFollower::stop() {
    m_timer.stop();
    m_dir.clear();
}

void RunFollower::readRows() {
    QFile file(QDir(m_dir).filePath(runfiles::metrics));
    if (!file.exists()) {
        return; // not written yet: a run that has not finished its first step
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return; // being replaced; the next poll reads it
    }
    if (file.size() < m_offset) {
        // Cut back: a resume keeps the rows up to its checkpoint and writes on from there.
        m_offset = 0;
        m_columns.clear();
        m_lastStep = 0;
        m_lastWallS = -1.0;
        Q_EMIT restarted();
    }
    if (file.size() == m_offset || !file.seek(m_offset)) {
        return;
    }
    const QByteArray fresh = file.read(file.size() - m_offset);
    const qsizetype end = fresh.lastIndexOf('\n');
    if (end < 0) {
        return; // a row still being written
    }
    m_offset += end + 1;
    QList<TrainProgress> rows;
    for (const QByteArray& line : fresh.left(end).split('\n')) {
        const QStringList cells = QString::fromUtf8(line).trimmed().split(QLatin1Char(','));
        if (m_columns.isEmpty()) {
            m_columns = cells; // step,wall_time_s,loss,<metrics>
            continue;
        }
        bool ok = false;
        TrainProgress p;
        p.step = cells.value(0).toLongLong(&ok);
        if (!ok || cells.size() < 3) {
            continue;
        }
        p.wallTimeS = cells.value(1).toDouble();
        p.loss = cells.value(2).toDouble();
        for (int i = 3; i < cells.size() && i < m_columns.size(); ++i) {
            if (!cells[i].isEmpty()) {
                p.metrics.insert(m_columns[i], cells[i].toDouble());
            }
        }
        p.evaluated = p.metrics.contains(QStringLiteral("heldout_loss"));
        if (m_lastWallS >= 0.0 && p.wallTimeS > m_lastWallS && p.step > m_lastStep) {
            const double rate = static_cast<double>(m_globalBatch * (p.step - m_lastStep)) /
                                (p.wallTimeS - m_lastWallS);
            m_imagesPerSec = m_imagesPerSec == 0.0 ? rate : 0.9 * m_imagesPerSec + 0.1 * rate;
        }
        p.imagesPerSec = m_imagesPerSec;
        m_lastWallS = p.wallTimeS;
        m_lastStep = p.step;
        rows << p;
    }
    if (!rows.isEmpty()) {
        m_lastChange = QDateTime::currentDateTime();
        Q_EMIT progress(rows);
    }
}

void RunFollower::poll() {
    if (m_dir.isEmpty()) {
        return;
    }
    if (!QFileInfo(QDir(m_dir).filePath(runfiles::config)).isFile()) {
        const QString reason = RunFollowerTr::tr("%1 holds no run any more (config.json is gone)")
                                   .arg(QDir::toNativeSeparators(m_dir));
        stop();
        Q_EMIT lost(reason);
        return;
    }
    readRows();
    QFile manifest(QDir(m_dir).filePath(runfiles::manifest));
    if (manifest.open(QIODevice::ReadOnly)) {
        const QJsonObject json = QJsonDocument::fromJson(manifest.readAll()).object();
        const qint64 step = json.value(QStringLiteral("step")).toInteger(-1);
        if (step >= 0 && step != m_checkpointStep) {
            m_checkpointStep = step;
            m_lastChange = QDateTime::currentDateTime();
            Q_EMIT checkpointSaved(step);
        }
    }
    const QMap<qint64, QString> previews = runPreviews(m_dir);
    if (!previews.isEmpty() && previews.lastKey() != m_previewStep) {
        const QImage sheet(previews.last());
        if (!sheet.isNull()) { // else still being written: the next poll
            m_previewStep = previews.lastKey();
            m_lastChange = QDateTime::currentDateTime();
            Q_EMIT previewSaved(sheet, m_previewStep);
        }
    }
}

} // namespace pretext
