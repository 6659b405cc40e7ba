#pragma once
// Held-out images to judge a run's encoder on (the embedding map, saliency): the test
// images of a labelled set ('fashion-mnist', a folder of IDX files, a folder per class),
// any folder of images or image files, or the built-in demo set ("demo"), drawn with a
// seed at the run's size. Session-internal (torch).
#include <QString>
#include <QStringList>
#include <torch/types.h>

namespace pretext {

struct HeldOutImages {
    torch::Tensor pixels; // (N,3,S,S) float in [0,1], CPU
    torch::Tensor labels; // (N) int64; undefined when unlabelled
    QStringList names, classes, skipped;
    QString source; // what the images are, for a person
};

// Throws std::runtime_error naming the source and the problem.
HeldOutImages readHeldOutImages(const QString& spec, qint64 count, quint64 seed, int sizePx);

} // namespace pretext
