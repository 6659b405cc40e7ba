#include "Preview.h"

#include "Rng.h"
#include "TensorImage.h"

#include <torch/torch.h>

namespace pretext {

ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count, std::shared_ptr<const DataStats> stats) {
    torch::NoGradGuard noGrad;
    if (!stats) {
        stats = task.analyze(data.images);
    }
    const ParamValues full = withDefaults(task.info(), params);
    ImageGrid grid;
    const torch::Tensor usable = selectUsable(data.images, stats.get());
    const int64_t n = std::min<int64_t>(count, usable.size(0));
    if (n > 0) {
        BatchContext ctx{full, makeGenerator(seed), data.channelMean, seed, stats};
        const Batch batch = task.makeBatch(usable.narrow(0, 0, n), ctx);
        grid = toImageGrid(task.previewColumns(batch));
    }
    grid.note = QString::fromStdString(task.describe(full, seed));
    if (stats) {
        grid.dataNote = QString::fromStdString(stats->note);
        grid.figures = toGridFigures(task.dataFigures(*stats, full));
    }
    return grid;
}

} // namespace pretext
