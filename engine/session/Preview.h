#pragma once
// The preview of a task on loaded data: the first `count` images turned into
// pretext samples, as the window's preview and the headless `preview` show them.
#include "DataSource.h"
#include "SessionTypes.h"
#include "tasks/Task.h"

namespace pretext {

// Throws (std::exception) when the parameters cannot make samples, with the reason.
ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count);

} // namespace pretext
