#pragma once
// The preview of a task on loaded data: the first `count` images turned into
// pretext samples, as the window's preview and the headless `preview` show them.
#include "Augment.h"
#include "DataSource.h"
#include "SessionTypes.h"
#include "tasks/Task.h"

namespace pretext {

// Throws (std::exception) when the parameters cannot make samples, with the reason.
// `stats` is task.analyze(data.images), passed in when the caller keeps it between
// previews; computed here when null. Images the task cannot use are left out.
// With `augment`, the images are augmented first as training augments them (drawn from
// `seed`), and with `showOriginal` a first column shows them un-augmented.
struct PreviewAugment {
    AugmentSpec spec;
    bool showOriginal = false;
};
ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count, std::shared_ptr<const DataStats> stats = nullptr,
                      const PreviewAugment& augment = {});

} // namespace pretext
