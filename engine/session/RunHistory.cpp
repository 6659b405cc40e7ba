#include "RunHistory.h"

#include "RunFolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct RunHistoryTr {
    Q_DECLARE_TR_FUNCTIONS(RunHistory)
};
} // namespace

bool readRunCurves(const QString& metricsCsv, RunCurves* curves, QString* error) {
    QFile file(metricsCsv);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = RunHistoryTr::tr("%1 could not be read: %2").arg(metricsCsv, file.errorString());
        return false;
    }
    const QByteArray all = file.readAll();
    RunCurves c;
    const qsizetype headerEnd = all.indexOf('\n');
    if (headerEnd < 0) {
        *curves = c; // no row logged yet
        return true;
    }
    const QList<QByteArray> header = all.left(headerEnd).split(',');
    if (header.size() < 3 || header[0] != "step" || header[2] != "loss") {
        *error = RunHistoryTr::tr("%1 is not a metrics file of this program (its header is '%2')")
                     .arg(metricsCsv, QString::fromUtf8(all.left(headerEnd)));
        return false;
    }
    const qsizetype columns = header.size();
    QVector<QVector<double>> extra(columns - 3);
    const qsizetype estimate = all.count('\n');
    c.steps.reserve(estimate);
    c.wallS.reserve(estimate);
    c.loss.reserve(estimate);
    for (auto& e : extra) {
        e.reserve(estimate);
    }
    qsizetype pos = headerEnd + 1;
    const char* data = all.constData();
    while (pos < all.size()) {
        const qsizetype end = all.indexOf('\n', pos);
        if (end < 0) {
            break; // cut off mid-row
        }
        // Cells of this row, parsed in place.
        qsizetype cellStart = pos;
        int column = 0;
        double values[64];
        double* row = columns <= 64 ? values : nullptr;
        QVector<double> wide;
        if (!row) {
            wide.resize(columns);
            row = wide.data();
        }
        for (qsizetype i = pos; i <= end && column < columns; ++i) {
            if (i == end || data[i] == ',') {
                if (i == cellStart) {
                    row[column] = qQNaN();
                } else {
                    bool ok = false;
                    row[column] =
                        QByteArray::fromRawData(data + cellStart, i - cellStart).toDouble(&ok);
                    if (!ok) {
                        row[column] = qQNaN();
                    }
                }
                ++column;
                cellStart = i + 1;
            }
        }
        if (column == columns && !std::isnan(row[0])) {
            c.steps.push_back(row[0]);
            c.wallS.push_back(row[1]);
            c.loss.push_back(row[2]);
            for (qsizetype k = 3; k < columns; ++k) {
                extra[k - 3].push_back(row[k]);
            }
        }
        pos = end + 1;
    }
    for (qsizetype k = 3; k < columns; ++k) {
        c.metrics.insert(QString::fromUtf8(header[k]).trimmed(), extra[k - 3]);
    }
    *curves = std::move(c);
    return true;
}

RunSummary summarizeRun(const QString& dir) {
    RunSummary s;
    const QDir d(dir);
    s.path = d.absolutePath();
    s.name = d.dirName();
    const QFileInfo configInfo(d.filePath(runfiles::config));
    s.started =
        configInfo.birthTime().isValid() ? configInfo.birthTime() : configInfo.lastModified();
    QFile config(configInfo.filePath());
    if (!config.open(QIODevice::ReadOnly)) {
        s.problem = RunHistoryTr::tr("no config.json");
        return s;
    }
    const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
    s.task = json.value(QStringLiteral("task")).toString();
    s.device = json.value(QStringLiteral("device")).toString();
    s.maxSteps = json.value(QStringLiteral("max_steps")).toInteger();
    s.hasCheckpoint = QFileInfo::exists(d.filePath(runfiles::manifest));
    // The folder name starts with the start time (yyyyMMdd-HHmmss) when the program named it.
    const QDateTime named =
        QDateTime::fromString(s.name.left(15), QStringLiteral("yyyyMMdd-HHmmss"));
    if (named.isValid()) {
        s.started = named;
    }
    RunCurves curves;
    QString error;
    if (!readRunCurves(d.filePath(runfiles::metrics), &curves, &error)) {
        s.problem = QFileInfo::exists(d.filePath(runfiles::metrics))
                        ? error
                        : RunHistoryTr::tr("no steps logged");
        return s;
    }
    s.steps = curves.rows() > 0 ? static_cast<qint64>(curves.steps.back()) : 0;
    if (curves.rows() == 0) {
        return s;
    }
    s.lastLoss = curves.loss.back();
    const auto held = curves.metrics.find(QStringLiteral("heldout_loss"));
    const QVector<double>& judged = held != curves.metrics.end() ? *held : curves.loss;
    s.bestIsHeldOut = held != curves.metrics.end();
    for (int i = 0; i < judged.size(); ++i) {
        if (!std::isnan(judged[i]) && (std::isnan(s.bestLoss) || judged[i] < s.bestLoss)) {
            s.bestLoss = judged[i];
            s.bestStep = static_cast<qint64>(curves.steps[i]);
        }
    }
    return s;
}

QList<RunSummary> scanRuns(const QString& workspace) {
    QList<RunSummary> runs;
    const QDir d(workspace);
    for (const QFileInfo& info : d.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (QFileInfo::exists(QDir(info.filePath()).filePath(runfiles::config))) {
            runs << summarizeRun(info.filePath());
        }
    }
    std::sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
        return a.started != b.started ? a.started > b.started : a.name > b.name;
    });
    return runs;
}

QMap<qint64, QString> runPreviews(const QString& dir) {
    QMap<qint64, QString> previews;
    static const QRegularExpression name(QStringLiteral("^step-(\\d+)\\.png$"));
    const QDir d(QDir(dir).filePath(runfiles::previews));
    for (const QString& file : d.entryList({QStringLiteral("step-*.png")}, QDir::Files)) {
        const auto m = name.match(file);
        if (m.hasMatch()) {
            previews.insert(m.captured(1).toLongLong(), d.filePath(file));
        }
    }
    return previews;
}

} // namespace pretext
