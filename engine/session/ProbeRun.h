#pragma once
// The linear probe of a run folder's encoder, as the `probe` command and the window's
// probe panel run it: the run's config and checkpoint, labelled images, the probe and
// its baselines, the result as JSON (the command prints it, the panel draws it).
#include "Cancel.h"

#include <QJsonObject>
#include <QString>

namespace pretext {

struct ProbeRequest {
    QString runDir; // a run folder, or a checkpoint file (checkpoint.pt), which carries its config
    QString labels = QStringLiteral("fashion-mnist"); // or an IDX folder, or a folder per class
    qint64 trainSize = 10000;
    qint64 testSize = 10000;
    quint64 seed = 1;
    QString device = QStringLiteral("auto");
    // Cancelling it makes probeRun throw Cancelled within a fraction of a second.
    CancelToken cancel;
};

// Throws std::runtime_error naming the folder or file and the problem, or Cancelled. Files skipped
// while loading class folders are listed in the result's "skipped".
QJsonObject probeRun(const ProbeRequest& request);

} // namespace pretext
