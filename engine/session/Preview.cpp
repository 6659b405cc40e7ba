#include "Preview.h"

#include "Rng.h"
#include "TensorImage.h"

#include <torch/torch.h>

namespace pretext {

namespace {
// The frames of these windows side by side, one strip per window (a video loaded
// before any window passes the motion filter).
VisualColumn framesColumn(const VideoFrames& video, const torch::Tensor& starts, int64_t length,
                          const std::string& title) {
    const int64_t cells = std::min<int64_t>(length, 5);
    const auto offsets =
        torch::linspace(0, static_cast<double>(length - 1), cells).round().to(torch::kLong);
    const auto clips = readWindows(video, starts, length);      // (B,length,3,S,S)
    auto frames = clips.index_select(1, offsets).flatten(0, 1); // (B*cells,3,S,S)
    const int64_t b = clips.size(0), side = clips.size(-1);
    VisualColumn column;
    column.title = title;
    column.images = frames.view({b, cells, 3, side, side})
                        .permute({0, 2, 3, 1, 4})
                        .reshape({b, 3, side, cells * side})
                        .contiguous();
    column.stripCells = static_cast<int>(cells);
    return column;
}

// The windows at `starts` as clips, augmented as training would draw them (one crop
// and flip per clip, from the files when the video is read clip by clip).
torch::Tensor previewClips(const VideoFrames& video, const torch::Tensor& starts, int64_t length,
                           const AugmentSpec& spec, quint64 seed) {
    if (!spec.any()) {
        return readWindows(video, starts, length);
    }
    std::vector<AugmentDraw> draws;
    torch::Tensor clips;
    if (video.streamed()) {
        const auto cpu = starts.to(torch::kCPU).contiguous();
        std::vector<ClipRequest> requests;
        for (int64_t i = 0; i < cpu.size(0); ++i) {
            requests.push_back({cpu[i].item<int64_t>(), static_cast<uint64_t>(i)});
        }
        std::vector<bool> ok;
        clips = video.reader->read(requests, length, spec, seed, &ok);
        std::vector<int64_t> good;
        for (size_t i = 0; i < ok.size(); ++i) {
            if (ok[i]) {
                good.push_back(static_cast<int64_t>(i));
                draws.push_back(drawAugment(spec, seed, i, 1, 1));
            }
        }
        clips = clips.index_select(0, torch::tensor(good, torch::kLong));
    } else {
        clips = gatherWindows(video.frames, starts, length);
        const int64_t side = clips.size(-1);
        for (int64_t i = 0; i < clips.size(0); ++i) {
            draws.push_back(drawAugment(spec, seed, static_cast<uint64_t>(i), side, side));
        }
        clips = cropAndFlip(clips, draws, side);
    }
    return colourJitter(clips, draws);
}

// Tuples from windows spread over the video, and the motion timeline of each video.
ImageGrid makeVideoPreview(const Task& task, const LoadedData& data, const ParamValues& params,
                           quint64 seed, int count, const PreviewAugment& augment) {
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
        AugmentSpec spec = augment.spec;
        if (!task.info().colourJitter) {
            spec.jitter = 0.0;
        }
        const Batch batch =
            task.makeBatch(previewClips(video, starts, plan.length, spec, seed), ctx);
        std::vector<VisualColumn> columns = task.previewColumns(batch);
        if (augment.showOriginal && spec.any()) {
            columns.insert(columns.begin(),
                           framesColumn(video, starts, plan.length, "clip before augmentation"));
        }
        grid = toImageGrid(columns);
    } else if (plan.starts.size(0) > 0) {
        // No window passes the filter: the video's frames still show, window by window,
        // so what was loaded is visible while the setting is changed.
        const int64_t shown = std::min<int64_t>(count, plan.starts.size(0));
        const auto pick = torch::linspace(0, static_cast<double>(plan.starts.size(0) - 1), shown)
                              .round()
                              .to(torch::kLong);
        grid = toImageGrid({framesColumn(video, plan.starts.index_select(0, pick), plan.length,
                                         "the video's frames (no window passes the motion "
                                         "filter)")});
    }
    grid.note = QString::fromStdString(task.describe(full, seed));
    grid.dataNote = QString::fromStdString(plan.note());
    if (plan.trainCount() == 0) {
        grid.dataNote +=
            plan.relative
                ? QStringLiteral(" — no window moves: raise Windows kept, lower Frame spacing, "
                                 "or load a livelier video")
                : QStringLiteral(" — no window reaches Min. motion: lower it, or set Motion "
                                 "filter to relative (each video keeps its most-moving windows)");
    }
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

namespace {
// The images the preview turns into samples: the first usable ones, or (augmenting) as
// training would draw them, with their un-augmented originals.
std::pair<torch::Tensor, torch::Tensor> previewImages(const Task& task, const LoadedData& data,
                                                      const torch::Tensor& usable, int64_t n,
                                                      quint64 seed, const PreviewAugment& a) {
    AugmentSpec spec = a.spec;
    if (!task.info().colourJitter) {
        spec.jitter = 0.0;
    }
    if (!spec.any()) {
        return {usable.narrow(0, 0, n), torch::Tensor()};
    }
    std::vector<AugmentDraw> draws;
    if (data.source && data.source->trainCount() > 0) {
        // From the files, exactly as the decode threads make training samples.
        const int64_t total = data.source->trainCount();
        std::vector<SampleRequest> requests;
        for (int64_t i = 0; i < n; ++i) {
            requests.push_back({i * total / std::max<int64_t>(1, n), static_cast<uint64_t>(i)});
        }
        auto images = data.source->sampleWith(requests, spec, seed);
        for (int64_t i = 0; i < images.size(0); ++i) {
            draws.push_back(drawAugment(spec, seed, static_cast<uint64_t>(i), 1, 1));
        }
        images = colourJitter(images, draws);
        return {images, data.source->sampleWith(requests, AugmentSpec{}, seed)};
    }
    const torch::Tensor originals = usable.narrow(0, 0, n);
    const int64_t side = originals.size(-1);
    for (int64_t i = 0; i < n; ++i) {
        draws.push_back(drawAugment(spec, seed, static_cast<uint64_t>(i), side, side));
    }
    return {colourJitter(cropAndFlip(originals, draws, side), draws), originals};
}
} // namespace

ImageGrid makePreview(const Task& task, const LoadedData& data, const ParamValues& params,
                      quint64 seed, int count, std::shared_ptr<const DataStats> stats,
                      const PreviewAugment& augment) {
    torch::NoGradGuard noGrad;
    if (task.info().video) {
        return makeVideoPreview(task, data, params, seed, count, augment);
    }
    if (!stats) {
        stats = task.analyze(data.images);
    }
    const ParamValues full = withDefaults(task.info(), params);
    ImageGrid grid;
    const torch::Tensor usable = selectUsable(data.images, stats.get());
    const int64_t n = std::min<int64_t>(count, usable.size(0));
    if (n > 0) {
        const auto [images, originals] = previewImages(task, data, usable, n, seed, augment);
        BatchContext ctx{full, makeGenerator(seed), data.channelMean, seed, stats};
        const Batch batch = task.makeBatch(images, ctx);
        std::vector<VisualColumn> columns = task.previewColumns(batch);
        if (augment.showOriginal && originals.defined() &&
            originals.size(0) == batch.original.size(0)) {
            VisualColumn before;
            before.title = "image before augmentation";
            before.images = originals;
            columns.insert(columns.begin(), before);
        }
        grid = toImageGrid(columns);
    }
    grid.note = QString::fromStdString(task.describe(full, seed));
    if (stats) {
        grid.dataNote = QString::fromStdString(stats->note);
        grid.figures = toGridFigures(task.dataFigures(*stats, full));
    }
    return grid;
}

} // namespace pretext
