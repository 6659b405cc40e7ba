#pragma once
// Renders an ImageGrid to one picture with column titles: the preview sheets
// written by the headless `preview` command and into a run's previews/ folder.
#include "SessionTypes.h"

namespace pretext {

QImage renderSheet(const ImageGrid& grid, const QString& title, int scale = 2);

} // namespace pretext
