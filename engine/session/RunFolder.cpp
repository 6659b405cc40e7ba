#include "RunFolder.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct RunFolderTr {
    Q_DECLARE_TR_FUNCTIONS(RunFolder)
};
} // namespace

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = RunFolderTr::tr("%1 could not be written: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString defaultRunsWorkspace() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/runs");
}

std::unique_ptr<RunFolder> RunFolder::create(const QString& dir, QString* error) {
    QDir d(dir);
    if (d.exists() && QFileInfo::exists(d.filePath(runfiles::metrics))) {
        *error = RunFolderTr::tr("%1 already holds a run (metrics.csv); choose another folder")
                     .arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    if (!d.mkpath(runfiles::previews)) {
        *error = RunFolderTr::tr("%1 could not be created").arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    return std::unique_ptr<RunFolder>(new RunFolder(d.absolutePath()));
}

std::unique_ptr<RunFolder> RunFolder::open(const QString& dir, QString* error) {
    const QDir d(dir);
    if (!d.exists()) {
        *error = RunFolderTr::tr("%1 does not exist").arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    if (!QFileInfo::exists(d.filePath(runfiles::config))) {
        *error = RunFolderTr::tr("%1 is not a run folder: it holds no config.json")
                     .arg(QDir::toNativeSeparators(dir));
        return nullptr;
    }
    d.mkpath(runfiles::previews);
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
    return writeFileAtomically(QDir(m_dir).filePath(runfiles::config),
                               QJsonDocument(config).toJson(QJsonDocument::Indented), error);
}

bool RunFolder::appendMetrics(qint64 step, double wallTimeS, double loss,
                              const QVariantMap& metrics, QString* error) {
    if (!m_metricsFile) {
        m_metricsFile = std::make_unique<QFile>(QDir(m_dir).filePath(runfiles::metrics));
        if (!m_metricsFile->open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) {
            *error = RunFolderTr::tr("%1 could not be opened: %2")
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
        *error = RunFolderTr::tr("%1 could not be written: %2")
                     .arg(m_metricsFile->fileName(), m_metricsFile->errorString());
        return false;
    }
    return true;
}

bool RunFolder::saveCheckpoint(const QByteArray& bytes, qint64 step, const QJsonObject& extra,
                               QString* error) {
    const QDir d(m_dir);
    const QString current = d.filePath(runfiles::checkpoint);
    const QString previous = d.filePath(runfiles::previousCheckpoint);
    // The old manifest goes on vouching for the old file, kept under another name,
    // until the new manifest is in place: a crash at any point leaves one valid pair.
    if (QFileInfo::exists(current)) {
        QFile::remove(previous);
        if (!QFile::rename(current, previous)) {
            *error = RunFolderTr::tr("%1 could not be renamed to %2").arg(current, previous);
            return false;
        }
    }
    if (!writeFileAtomically(current, bytes, error)) {
        return false;
    }
    QJsonObject manifest = extra;
    manifest.insert(QStringLiteral("step"), step);
    manifest.insert(QStringLiteral("bytes"), bytes.size());
    manifest.insert(
        QStringLiteral("sha256"),
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    manifest.insert(QStringLiteral("saved_at"),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!writeFileAtomically(d.filePath(runfiles::manifest),
                             QJsonDocument(manifest).toJson(QJsonDocument::Indented), error)) {
        return false;
    }
    QFile::remove(previous);
    return true;
}

bool RunFolder::readCheckpoint(const QString& task, QByteArray* bytes, QJsonObject* manifest,
                               QString* error) const {
    const QDir d(m_dir);
    const QString where = QDir::toNativeSeparators(m_dir);
    QFile manifestFile(d.filePath(runfiles::manifest));
    const bool anyCheckpoint = QFileInfo::exists(d.filePath(runfiles::checkpoint)) ||
                               QFileInfo::exists(d.filePath(runfiles::previousCheckpoint));
    if (!anyCheckpoint) {
        *error = RunFolderTr::tr("%1 holds no checkpoint.pt (the run saved none yet)").arg(where);
        return false;
    }
    if (!manifestFile.open(QIODevice::ReadOnly)) {
        *error =
            RunFolderTr::tr("%1: checkpoint.json, the manifest of checkpoint.pt, is missing, so "
                            "the checkpoint cannot be checked and is not loaded")
                .arg(where);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(manifestFile.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = RunFolderTr::tr("%1: checkpoint.json is not valid JSON (%2); the checkpoint is "
                                 "not loaded")
                     .arg(where, parseError.errorString());
        return false;
    }
    *manifest = doc.object();
    const QString sha = manifest->value(QStringLiteral("sha256")).toString();
    const qint64 size = manifest->value(QStringLiteral("bytes")).toInteger(-1);
    const QString savedTask = manifest->value(QStringLiteral("task")).toString();
    if (sha.size() != 64 || size < 0) {
        *error = RunFolderTr::tr("%1: checkpoint.json has no SHA-256 and size; the checkpoint is "
                                 "not loaded")
                     .arg(where);
        return false;
    }
    if (!task.isEmpty() && savedTask != task) {
        *error = RunFolderTr::tr("%1: the checkpoint is of task '%2', not '%3'")
                     .arg(where, savedTask, task);
        return false;
    }
    QString firstProblem;
    for (const QString& name : {runfiles::checkpoint, runfiles::previousCheckpoint}) {
        QFile file(d.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QByteArray data = file.readAll();
        QString problem;
        if (data.size() != size) {
            problem = RunFolderTr::tr("%1 is %2 bytes, and its manifest checkpoint.json says %3: "
                                      "the file was cut short or replaced")
                          .arg(name)
                          .arg(data.size())
                          .arg(size);
        } else if (QString::fromLatin1(
                       QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()) != sha) {
            problem = RunFolderTr::tr("%1 does not match the SHA-256 in its manifest "
                                      "checkpoint.json: the file was changed or damaged")
                          .arg(name);
        }
        if (problem.isEmpty()) {
            *bytes = data;
            return true;
        }
        if (firstProblem.isEmpty()) {
            firstProblem = problem;
        }
    }
    *error = RunFolderTr::tr("%1: %2; it is not loaded").arg(where, firstProblem);
    return false;
}

bool RunFolder::continueMetrics(qint64 step, double* lastWallTimeS, QString* error) {
    const QString path = QDir(m_dir).filePath(runfiles::metrics);
    *lastWallTimeS = 0.0;
    QFile file(path);
    QByteArray kept;
    m_metricNames.clear();
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray all = file.readAll();
        file.close();
        const QList<QByteArray> lines = all.split('\n');
        // The last piece after the final newline is empty, or a row cut off mid-write.
        const qsizetype complete = lines.size() - 1;
        if (complete >= 1) {
            const QByteArray header = lines.front();
            const qsizetype columns = header.count(',') + 1;
            m_metricNames = QString::fromUtf8(header).split(QLatin1Char(',')).mid(3);
            kept = header + '\n';
            for (qsizetype i = 1; i < complete; ++i) {
                const QByteArray& line = lines[i];
                const QList<QByteArray> cells = line.split(',');
                bool ok = false;
                const qint64 rowStep = cells.front().toLongLong(&ok);
                if (!ok || cells.size() != columns || rowStep > step) {
                    break;
                }
                kept += line + '\n';
                *lastWallTimeS = cells.value(1).toDouble();
            }
        }
    }
    if (!kept.isEmpty() && !writeFileAtomically(path, kept, error)) {
        return false;
    }
    m_metricsFile = std::make_unique<QFile>(path);
    const QIODevice::OpenMode mode = QIODevice::WriteOnly | QIODevice::Text |
                                     (kept.isEmpty() ? QIODevice::Truncate : QIODevice::Append);
    if (!m_metricsFile->open(mode)) {
        *error =
            RunFolderTr::tr("%1 could not be opened: %2").arg(path, m_metricsFile->errorString());
        m_metricsFile.reset();
        return false;
    }
    if (kept.isEmpty()) {
        m_metricsFile.reset(); // the header comes with the first row
    }
    return true;
}

int RunFolder::removeLeftovers() {
    QDir d(m_dir);
    int removed = 0;
    // QSaveFile writes "<name>.XXXXXX" next to the file and renames it when complete.
    for (const QString& name :
         {runfiles::checkpoint, runfiles::manifest, runfiles::config, runfiles::metrics}) {
        for (const QString& temp :
             d.entryList({name + QStringLiteral(".??????")}, QDir::Files | QDir::Hidden)) {
            removed += d.remove(temp) ? 1 : 0;
        }
    }
    return removed;
}

bool RunFolder::savePreview(const QImage& sheet, qint64 step, QString* error) {
    const QString path = QDir(m_dir).filePath(
        QStringLiteral("previews/step-%1.png").arg(step, 6, 10, QLatin1Char('0')));
    if (!sheet.save(path)) {
        *error = RunFolderTr::tr("%1 could not be written").arg(path);
        return false;
    }
    return true;
}

} // namespace pretext
