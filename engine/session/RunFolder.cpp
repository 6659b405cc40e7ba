#include "RunFolder.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>

namespace pretext {

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("%1 could not be written: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::unique_ptr<RunFolder> RunFolder::create(const QString& dir, QString* error) {
    QDir d(dir);
    if (d.exists() && QFileInfo::exists(d.filePath(QStringLiteral("metrics.csv")))) {
        *error = QStringLiteral("%1 already holds a run (metrics.csv); choose another folder")
                     .arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    if (!d.mkpath(QStringLiteral("previews"))) {
        *error = QStringLiteral("%1 could not be created").arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    return std::unique_ptr<RunFolder>(new RunFolder(d.absolutePath()));
}

QString RunFolder::newRunPath(const QString& parent, const QString& task) {
    const QString stem = QDir(parent).filePath(
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-")) + task);
    QString path = stem;
    for (int n = 2; QFileInfo::exists(path); ++n) {
        path = stem + QStringLiteral("-%1").arg(n);
    }
    return path;
}

bool RunFolder::writeConfig(const QJsonObject& config, QString* error) {
    return writeFileAtomically(QDir(m_dir).filePath(QStringLiteral("config.json")),
                               QJsonDocument(config).toJson(QJsonDocument::Indented), error);
}

bool RunFolder::appendMetrics(qint64 step, double wallTimeS, double loss,
                              const QVariantMap& metrics, QString* error) {
    if (!m_metricsFile) {
        m_metricsFile = std::make_unique<QFile>(QDir(m_dir).filePath(QStringLiteral("metrics.csv")));
        if (!m_metricsFile->open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) {
            *error = QStringLiteral("%1 could not be opened: %2")
                         .arg(m_metricsFile->fileName(), m_metricsFile->errorString());
            m_metricsFile.reset();
            return false;
        }
        m_metricNames = metrics.keys();
        QStringList header{QStringLiteral("step"), QStringLiteral("wall_time_s"),
                           QStringLiteral("loss")};
        m_metricsFile->write((header + m_metricNames).join(QLatin1Char(',')).toUtf8() + '\n');
    }
    QStringList row{QString::number(step), QString::number(wallTimeS, 'f', 3),
                    QString::number(loss, 'g', 8)};
    // Metrics measured only now and then (held-out ones) leave their cell empty.
    for (const QString& name : m_metricNames) {
        row << (metrics.contains(name) ? QString::number(metrics.value(name).toDouble(), 'g', 8)
                                       : QString());
    }
    const QByteArray line = row.join(QLatin1Char(',')).toUtf8() + '\n';
    if (m_metricsFile->write(line) != line.size() || !m_metricsFile->flush()) {
        *error = QStringLiteral("%1 could not be written: %2")
                     .arg(m_metricsFile->fileName(), m_metricsFile->errorString());
        return false;
    }
    return true;
}

bool RunFolder::saveCheckpoint(const QByteArray& bytes, qint64 step, const QJsonObject& extra,
                               QString* error) {
    const QDir d(m_dir);
    if (!writeFileAtomically(d.filePath(QStringLiteral("checkpoint.pt")), bytes, error)) {
        return false;
    }
    QJsonObject manifest = extra;
    manifest.insert(QStringLiteral("step"), step);
    manifest.insert(QStringLiteral("bytes"), bytes.size());
    manifest.insert(QStringLiteral("sha256"),
                    QString::fromLatin1(
                        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    manifest.insert(QStringLiteral("saved_at"),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    return writeFileAtomically(d.filePath(QStringLiteral("checkpoint.json")),
                               QJsonDocument(manifest).toJson(QJsonDocument::Indented), error);
}

bool RunFolder::savePreview(const QImage& sheet, qint64 step, QString* error) {
    const QString path = QDir(m_dir).filePath(
        QStringLiteral("previews/step-%1.png").arg(step, 6, 10, QLatin1Char('0')));
    if (!sheet.save(path)) {
        *error = QStringLiteral("%1 could not be written").arg(path);
        return false;
    }
    return true;
}

} // namespace pretext
