#pragma once
// GradientInspection (core) -> InspectionView (Qt values for the UI), in the engine thread.
#include "Inspect.h"
#include "InspectTypes.h"

namespace pretext {

InspectionView toInspectionView(const GradientInspection& inspection);
// A heat map of a non-negative (H,W) tensor scaled to its maximum: black through
// purple and red to yellow, at `size` (nearest neighbour, so cells stay visible).
QImage heatMapImage(const torch::Tensor& map, const QSize& size);

} // namespace pretext
