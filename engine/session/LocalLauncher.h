#pragma once
// `train --nproc N` and `bench --nproc N`: N ranks of this program on this machine, each
// started with the variables torchrun would set (RANK, WORLD_SIZE, LOCAL_RANK,
// LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT), so that no Python launcher is needed.
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pretext {

struct LaunchResult {
    int exitCode = 0;       // 0 when every rank succeeded, else the first failing rank's
    QString summary;        // what went wrong, for a person (empty on success)
    QByteArray rank0Output; // with captureRank0: rank 0's standard output
};

// Starts `nproc` copies of this executable with `args` (the subcommand first) and waits
// for all. Their output goes to this process's, unless captureRank0. When a rank fails,
// the others get `graceS` seconds to stop by themselves (they notice within their
// distributed timeout) before they are killed.
LaunchResult launchLocalRanks(int nproc, const QStringList& args, int graceS,
                              bool captureRank0 = false);

} // namespace pretext
