#pragma once
// Runs the built program as a user would, with a time limit; its exit code (-1 when it
// crashed or was killed) and what it printed.
#include <QProcess>
#include <QString>
#include <QStringList>

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

inline Result run(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(QStringLiteral(PRETEXT_BINARY), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
