#pragma once
// Tensor -> QImage conversion, done in the engine thread; the GUI gets QImages.
#include "SessionTypes.h"
#include "tasks/Task.h"

#include <QImage>
#include <torch/types.h>

namespace pretext {

// (3,H,W) or (1,H,W) float in [0,1], any device -> deep-copied RGB888 image.
QImage toQImage(const torch::Tensor& chw);
ImageGrid toImageGrid(const std::vector<VisualColumn>& columns, qint64 step = -1);
QList<GridFigure> toGridFigures(const std::vector<Figure>& figures);

} // namespace pretext
