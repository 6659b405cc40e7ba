#include "LocalLauncher.h"

#include "dist/FreePort.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QThread>

#include <memory>
#include <vector>

namespace pretext {

LaunchResult launchLocalRanks(int nproc, const QStringList& args, int graceS, bool captureRank0) {
    const QProcessEnvironment base = QProcessEnvironment::systemEnvironment();
    const QString port = base.contains(QStringLiteral("MASTER_PORT"))
                             ? base.value(QStringLiteral("MASTER_PORT"))
                             : QString::number(freeLoopbackPort());
    std::vector<std::unique_ptr<QProcess>> ranks;
    LaunchResult result;
    for (int r = 0; r < nproc; ++r) {
        QProcessEnvironment env = base;
        env.insert(QStringLiteral("RANK"), QString::number(r));
        env.insert(QStringLiteral("LOCAL_RANK"), QString::number(r));
        env.insert(QStringLiteral("WORLD_SIZE"), QString::number(nproc));
        env.insert(QStringLiteral("LOCAL_WORLD_SIZE"), QString::number(nproc));
        env.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("MASTER_PORT"), port);
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(captureRank0 && r == 0 ? QProcess::ForwardedErrorChannel
                                                              : QProcess::ForwardedChannels);
        process->start(QCoreApplication::applicationFilePath(), args);
        if (!process->waitForStarted(30'000)) {
            result.exitCode = 1;
            result.summary = QStringLiteral("rank %1 could not be started: %2")
                                 .arg(r)
                                 .arg(process->errorString());
            for (auto& started : ranks) {
                started->kill();
                started->waitForFinished(5'000);
            }
            return result;
        }
        ranks.push_back(std::move(process));
    }
    // Wait for all; after the first failure, the others have graceS to stop themselves.
    QDeadlineTimer deadline = QDeadlineTimer::Forever;
    int failed = -1;
    std::vector<bool> done(ranks.size(), false);
    size_t finished = 0;
    while (finished < ranks.size()) {
        for (size_t r = 0; r < ranks.size(); ++r) {
            QProcess& p = *ranks[r];
            if (captureRank0 && r == 0) {
                result.rank0Output += p.readAllStandardOutput();
            }
            if (done[r] || !p.waitForFinished(r == 0 ? 50 : 0)) {
                continue;
            }
            if (captureRank0 && r == 0) {
                result.rank0Output += p.readAllStandardOutput();
            }
            done[r] = true;
            ++finished;
            const bool ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
            if (!ok && failed < 0) {
                failed = static_cast<int>(r);
                result.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : 1;
                result.summary =
                    p.exitStatus() == QProcess::CrashExit
                        ? QStringLiteral("rank %1 ended abnormally (killed by a "
                                         "signal, or crashed)")
                              .arg(r)
                        : QStringLiteral("rank %1 failed (exit code %2)").arg(r).arg(p.exitCode());
                deadline.setRemainingTime(static_cast<qint64>(graceS) * 1000);
            }
        }
        if (deadline.hasExpired()) {
            for (size_t r = 0; r < ranks.size(); ++r) {
                if (!done[r]) {
                    ranks[r]->kill();
                    ranks[r]->waitForFinished(5'000);
                    result.summary += QStringLiteral("; rank %1 did not stop within %2 s and was "
                                                     "killed by the launcher")
                                          .arg(r)
                                          .arg(graceS);
                    done[r] = true;
                    ++finished;
                }
            }
        }
        QThread::msleep(20);
    }
    return result;
}

} // namespace pretext
