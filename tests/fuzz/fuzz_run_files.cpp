// A run folder's own files as a crash or a person may leave them: any checkpoint.json
// is accepted only when it vouches for checkpoint.pt, and any metrics.csv is cut back
// to whole rows up to the resumed step.
#include "RunFolder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdlib>

namespace {
void put(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::abort();
    }
    f.write(bytes);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static QTemporaryDir dir;
    static const QByteArray checkpoint("checkpoint bytes");
    const QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const QDir d(dir.path());
    put(d.filePath("config.json"), "{}");
    put(d.filePath("checkpoint.pt"), checkpoint);
    put(d.filePath("checkpoint.json"), input);
    put(d.filePath("metrics.csv"), input);
    QString error;
    auto folder = pretext::RunFolder::open(dir.path(), &error);
    if (!folder) {
        std::abort();
    }
    QByteArray bytes;
    QJsonObject manifest;
    if (folder->readCheckpoint(QString(), &bytes, &manifest, &error) ? bytes != checkpoint
                                                                     : error.isEmpty()) {
        std::abort();
    }
    double wallS = 0;
    if (!folder->continueMetrics(5, &wallS, &error)) {
        return 0;
    }
    // What is kept is a header and whole rows of its width, steps at most 5.
    QFile kept(d.filePath("metrics.csv"));
    kept.open(QIODevice::ReadOnly);
    const QList<QByteArray> lines = kept.readAll().split('\n');
    for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
        if (lines[i].count(',') != lines[0].count(',') ||
            lines[i].split(',').front().toLongLong() > 5) {
            std::abort();
        }
    }
    return 0;
}
