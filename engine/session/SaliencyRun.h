#pragma once
// Saliency of a run's model: which pixels its pretext prediction rests on, on a few
// samples made by the task from held-out images (the demo set, a folder of images,
// Fashion-MNIST; video tasks: clips of the demo video), as gradient × input, occlusion
// and Grad-CAM maps over what the model sees (per tile for jigsaw, per frame for temporal
// order). The `saliency` command writes the grid as a picture; the window's Saliency
// view and the shortcut diagnostics show it. No torch types here: the window includes it.
#include "Cancel.h"
#include "SessionTypes.h"

#include <QString>

namespace pretext {

struct SaliencyRequest {
    QString runDir; // a run folder, or a checkpoint file (it carries its config)
    QString images = QStringLiteral("demo"); // "demo", "fashion-mnist", an IDX folder, a folder
    int count = 6;                           // samples shown
    int patch = 0;    // occluding square's side; 0: an eighth of an image, a quarter of a tile
    quint64 seed = 1; // draws the images and the task's choices
    QString device = QStringLiteral("auto");
    CancelToken cancel;
};

struct SaliencyResult {
    QString run, task;
    qint64 step = 0;
    // Columns: what the model sees, gradient × input, occlusion, Grad-CAM at the encoder's
    // last stage (when the encoder sees the rows one to one); a row per sample.
    ImageGrid grid;
    QString note; // what was done, for a person
    double seconds = 0.0;
};

// Throws std::runtime_error naming the run, the images or the problem, or Cancelled.
SaliencyResult saliencyRun(const SaliencyRequest& request);

} // namespace pretext
