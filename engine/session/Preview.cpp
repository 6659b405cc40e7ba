#include "Preview.h"

#include "Rng.h"
#include "TensorImage.h"

#include <torch/torch.h>

namespace pretext {

namespace {
// Tuples from windows spread over the video, and the motion timeline of each video.
ImageGrid makeVideoPreview(const Task& task, const LoadedData& data, const ParamValues& params,
                           quint64 seed, int count) {
    ImageGrid grid;
    const ParamValues full = withDefaults(task.info(), params);
    if (!data.video || data.video->empty()) {
        grid.dataNote = QStringLiteral("%1 trains on video frames: open a video file (File ▸ Open "
                                       "Video…) or load the demo set, which has a video")
                            .arg(QString::fromStdString(task.info().title));
        return grid;
    }
    const VideoFrames& video = *data.video;
    const WindowPlan plan = planWindows(video, task.windows(full));
    const torch::Tensor starts = spreadStarts(plan, count);
    if (starts.size(0) > 0) {
        BatchContext ctx{full, makeGenerator(seed), data.channelMean, seed, nullptr};
        const Batch batch = task.makeBatch(gatherWindows(video.frames, starts, plan.length), ctx);
        grid = toImageGrid(task.previewColumns(batch));
    }
    grid.note = QString::fromStdString(task.describe(full, seed));
    grid.dataNote = QString::fromStdString(plan.note());
    Figure timeline;
    timeline.title = "Motion per window (" + plan.motion + ")";
    timeline.image = drawMotionTimeline(video, plan);
    const int64_t shownVideos = std::min<int64_t>(video.videoCount(), 4);
    timeline.caption = "one row per video" +
                       std::string(shownVideos < video.videoCount()
                                       ? " (first " + std::to_string(shownVideos) + " of " +
                                             std::to_string(video.videoCount()) + ")"
                                       : "") +
                       "; green: training, blue: held out, grey: below the red threshold";
    grid.figures = toGridFigures({timeline});
    return grid;
}
} // namespace

ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count, std::shared_ptr<const DataStats> stats) {
    torch::NoGradGuard noGrad;
    if (task.info().video) {
        return makeVideoPreview(task, data, params, seed, count);
    }
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
