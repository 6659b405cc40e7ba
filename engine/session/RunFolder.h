#pragma once
// One training run on disk: config.json, metrics.csv (flushed per row),
// checkpoint.pt written atomically with its manifest checkpoint.json, previews/.
#include <QFile>
#include <QImage>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <memory>

namespace pretext {

class RunFolder {
public:
    // Creates (or reuses an empty) folder. Returns nullptr and sets *error when the
    // folder cannot be made or already holds a run, so no run is overwritten.
    static std::unique_ptr<RunFolder> create(const QString& dir, QString* error);
    // A fresh folder name under `parent`: <parent>/<yyyyMMdd-HHmmss>-<task>[-n].
    static QString newRunPath(const QString& parent, const QString& task);

    QString path() const { return m_dir; }
    bool writeConfig(const QJsonObject& config, QString* error);
    // The header is written with the first row: step,wall_time_s,loss,<metric names>.
    bool appendMetrics(qint64 step, double wallTimeS, double loss, const QVariantMap& metrics,
                       QString* error);
    // Atomic: the previous checkpoint stays intact unless the new one is fully written.
    bool saveCheckpoint(const QByteArray& bytes, qint64 step, const QJsonObject& extra,
                        QString* error);
    bool savePreview(const QImage& sheet, qint64 step, QString* error);

private:
    explicit RunFolder(QString dir) : m_dir(std::move(dir)) {}
    QString m_dir;
    std::unique_ptr<QFile> m_metricsFile;
    QStringList m_metricNames;
};

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

} // namespace pretext
