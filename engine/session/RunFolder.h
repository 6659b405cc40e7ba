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
    // An existing run, to go on with: it must hold config.json.
    static std::unique_ptr<RunFolder> open(const QString& dir, QString* error);
    // A fresh folder name under `parent`: <parent>/<yyyyMMdd-HHmmss>-<task>[-n].
    static QString newRunPath(const QString& parent, const QString& task);

    QString path() const { return m_dir; }
    bool writeConfig(const QJsonObject& config, QString* error);
    // The header is written with the first row: step,wall_time_s,loss,<metric names>.
    bool appendMetrics(qint64 step, double wallTimeS, double loss, const QVariantMap& metrics,
                       QString* error);
    // Atomic: the previous checkpoint stays intact unless the new one is fully written.
    // The manifest checkpoint.json (SHA-256, size, step, task, versions) is written
    // last; until then the previous pair (kept as checkpoint.prev.pt) is the valid one.
    bool saveCheckpoint(const QByteArray& bytes, qint64 step, const QJsonObject& extra,
                        QString* error);
    // The checkpoint its manifest vouches for: checkpoint.pt, or checkpoint.prev.pt when
    // a save was cut off between the two files. Refuses (false, *error for a person) a
    // missing manifest, a size or SHA-256 that does not match, another task's file.
    bool readCheckpoint(const QString& task, QByteArray* bytes, QJsonObject* manifest,
                        QString* error) const;
    // Going on from `step`: metrics.csv keeps its header and the rows up to that step
    // (rows after it, and a row cut off by a crash, are dropped), and new rows follow.
    // *lastWallTimeS is the wall time of the last row kept.
    bool continueMetrics(qint64 step, double* lastWallTimeS, QString* error);
    bool savePreview(const QImage& sheet, qint64 step, QString* error);
    // Removes the half-written temporary files a killed save leaves behind
    // (checkpoint.pt.XXXXXX, ...); for a run that goes on. Returns how many.
    int removeLeftovers();

private:
    explicit RunFolder(QString dir) : m_dir(std::move(dir)) {}
    QString m_dir;
    std::unique_ptr<QFile> m_metricsFile;
    QStringList m_metricNames;
};

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);
// Where runs go unless the user chose a workspace: <app data>/runs.
QString defaultRunsWorkspace();

// The file names inside a run folder.
namespace runfiles {
inline const QString config = QStringLiteral("config.json");
inline const QString metrics = QStringLiteral("metrics.csv");
inline const QString checkpoint = QStringLiteral("checkpoint.pt");
inline const QString previousCheckpoint = QStringLiteral("checkpoint.prev.pt");
inline const QString manifest = QStringLiteral("checkpoint.json");
inline const QString previews = QStringLiteral("previews");
// Files met during training that could not be used: "path<TAB>reason<TAB>step" lines.
inline const QString skipped = QStringLiteral("skipped_files.tsv");
} // namespace runfiles

} // namespace pretext
