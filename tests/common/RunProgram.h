#pragma once
// Runs the built program (or another, such as Python) as a user would, with a time limit;
// its exit code (-1 when it crashed or was killed) and what it printed.
#include <QProcess>
#include <QString>
#include <QStringList>

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

inline Result runProgram(const QString& program, const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// The program under test (PRETEXT_BINARY, set by the suite's CMake target).
inline Result run(const QStringList& args, int timeoutMs = 120000) {
    return runProgram(QStringLiteral(PRETEXT_BINARY), args, timeoutMs);
}
