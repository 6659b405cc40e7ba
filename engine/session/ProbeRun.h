#pragma once
// Judging a run folder's encoder: the linear probe, as the `probe` command and the
// window's probe panel run it (the run's config and checkpoint, labelled images, the
// probe and its baselines, the result as JSON: the command prints it, the panel draws
// it), and the weighted k-NN accuracy, as the `knn` command prints it.
#include "Cancel.h"

#include <QJsonObject>
#include <QString>

namespace pretext {

struct ProbeRequest {
    QString runDir; // a run folder, or a checkpoint file (checkpoint.pt), which carries its config
    // Or a state dict file (openStateDictModel): its backbone and stem ("auto": what the
    // file looks like), how images are normalised for it, and the probe's image size.
    QString stateDict;
    QString backbone;
    QString stem = QStringLiteral("auto");
    QString inputNorm = QStringLiteral("imagenet");
    int sizePx = 32;
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

struct KnnRequest {
    QString runDir;
    QString labels = QStringLiteral("fashion-mnist");
    qint64 bankSize = 2000;
    qint64 querySize = 500;
    int k = 20;
    double temperature = 0.07;
    int stage = -1; // 1-based; 0: the last; -1: the stage the run's monitor judged
    quint64 seed = 1;
    QString device = QStringLiteral("auto");
};
// The k-NN accuracy of the run's encoder and of the random-init one on the same
// labelled subset, as JSON. Throws std::runtime_error naming what failed.
QJsonObject knnRun(const KnnRequest& request);

} // namespace pretext
