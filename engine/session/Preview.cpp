#include "Preview.h"

#include "Rng.h"
#include "TensorImage.h"

#include <torch/torch.h>

namespace pretext {

ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count) {
    torch::NoGradGuard noGrad;
    const int64_t n = std::min<int64_t>(count, data.images.size(0));
    BatchContext ctx{withDefaults(task.info(), params), makeGenerator(seed), data.channelMean,
                     seed};
    const Batch batch = task.makeBatch(data.images.narrow(0, 0, n), ctx);
    ImageGrid grid = toImageGrid(task.previewColumns(batch));
    grid.note = QString::fromStdString(task.describe(ctx.params, seed));
    return grid;
}

} // namespace pretext
