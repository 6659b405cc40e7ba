#pragma once
// Where training images come from: the built-in demo set, IDX sets, videos (indexed
// here, their frames cached as one tensor when they fit the budget, else read clip by
// clip as training asks), or image files and folders of any size (indexed here; a
// SampleSource decodes them as training asks, cached or streamed).
#include "SampleSource.h"
#include "SessionTypes.h"
#include "Video.h"

#include <QJsonObject>
#include <functional>
#include <memory>
#include <torch/types.h>

namespace pretext {

struct LoadedData {
    // (N,3,S,S) float in [0,1], CPU; a video's frames (when the videos are read clip by
    // clip: an evenly spaced sample of them, within the budget). For image files: up to
    // 256 of them spread over the set (centre squares), for previews and thumbnails.
    torch::Tensor images;
    // Image files: where training reads them (ImageFileSource); null otherwise.
    std::shared_ptr<SampleSource> source;
    qint64 count = 0;                         // images (or video frames) in the set
    std::shared_ptr<const VideoFrames> video; // videos loaded (or the demo video), may be null
    torch::Tensor channelMean;                // (3), computed once at load (fills, previews)
    QStringList paths;                        // empty for the demo set
    QList<SkippedFile> skipped;
    QStringList notes; // how videos were sampled or cut short, one line each
    QString label;
    int sizePx = 0;
    QJsonObject description; // what config.json records about the data
};

// Demo images and, unless a caller knows it needs none, the demo video (both
// procedural, from the seed; the video with its motion measures takes about a second).
LoadedData loadDemoData(int sizePx, quint64 seed, int count = 0 /* 0: default count */,
                        bool withVideo = true);
// The demo video added to a demo set loaded without it (same seed and size; label and
// description say so). Nothing when it is there already.
void addDemoVideo(LoadedData& data);

// The largest image (or video frame) loaded, in megapixels, read from the file's header
// before decoding; the user can raise it.
inline constexpr int kDefaultMaxMegapixels = 64;

struct VideoLoadSettings {
    int sizePx = 64;
    int stride = 1;                            // keep every stride-th frame
    int budgetMb = 512;                        // for the cached frames of all files together
    int maxMegapixels = kDefaultMaxMegapixels; // per frame, from the container's header
    QString mode = QStringLiteral("auto");     // auto | cache | stream (clip by clip)
    int decodeThreads = 0;                     // 0: half the usable CPUs, at least 1
};
// progress(framesDone, framesExpected) returns false to cancel; then `cancelled` is set
// and nothing is returned.
LoadedData loadVideoFiles(const QStringList& paths, const VideoLoadSettings& settings,
                          const std::function<bool(qint64, qint64)>& progress = {},
                          bool* cancelled = nullptr);
// How image files are read during training.
struct ImagePipelineSettings {
    int decodeThreads = 0;                 // 0: half the usable CPUs, at least 1
    QString mode = QStringLiteral("auto"); // auto | cache | stream
    int cacheBudgetMb = 512;               // auto caches the decoded set when it fits this
};
// Files, folders (recursive) and lists of paths (.txt, .lst): indexed from their headers
// (in parallel), then read by an ImageFileSource. progress(done, total) counts files.
LoadedData loadImageFiles(const QStringList& paths, int sizePx,
                          const std::function<void(int, int)>& progress = {},
                          int maxMegapixels = kDefaultMaxMegapixels,
                          const ImagePipelineSettings& pipeline = {});
// Whether `spec` names IDX images ("fashion-mnist", or a folder of MNIST-layout files).
bool isIdxData(const QString& spec);
// The training images of IDX data as unlabelled images (labels ignored), resized to
// sizePx: as many as `budgetMb` holds (drawn with `seed`), all when they fit.
LoadedData loadIdxImages(const QString& spec, int sizePx, quint64 seed, int budgetMb = 512);
// Loads again what a run's config.json describes (LoadedData::description): the demo
// set, image files or videos, at the recorded size, seed, stride and budget. The demo
// video is made when the description records one or `withDemoVideo` asks for it.
// Throws std::runtime_error naming what is missing when nothing could be loaded.
LoadedData loadDescribedData(const QJsonObject& description, bool withDemoVideo,
                             const std::function<bool(qint64, qint64)>& videoProgress = {});
DataSummary summarize(const LoadedData& data, int maxThumbnails = 256);

} // namespace pretext
