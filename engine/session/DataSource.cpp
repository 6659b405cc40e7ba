#include "DataSource.h"

#include "DemoData.h"
#include "DemoVideo.h"
#include "ImageFileSource.h"
#include "ImageLoader.h"
#include "Labelled.h"
#include "TensorImage.h"
#include "VideoLoader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <torch/torch.h>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct DataSourceTr {
    Q_DECLARE_TR_FUNCTIONS(DataSource)
};
} // namespace

LoadedData loadDemoData(int sizePx, quint64 seed, int count, bool withVideo) {
    LoadedData data;
    const int n = count > 0 ? count : kDemoImageCount;
    data.images = makeDemoImages(n, sizePx, seed);
    data.count = n;
    data.channelMean = data.images.mean({0, 2, 3});
    data.sizePx = sizePx;
    data.label = DataSourceTr::tr("built-in demo set (seed %1)").arg(seed);
    data.description = {{"source", "demo"},
                        {"demo_seed", QString::number(seed)},
                        {"count", n},
                        {"size_px", sizePx}};
    if (withVideo) {
        addDemoVideo(data);
    }
    return data;
}

void addDemoVideo(LoadedData& data) {
    if (data.video) {
        return;
    }
    const quint64 seed =
        data.description.value(QStringLiteral("demo_seed")).toVariant().toULongLong();
    auto video = std::make_shared<VideoFrames>(
        makeDemoVideo(kDemoVideoCount, kDemoVideoFrames, data.sizePx, seed));
    video->motion[kMotionFlow] = io::flowMotion(video->frames, video->starts);
    data.video = video;
    data.label = DataSourceTr::tr("%1 and a demo video of %2 × %3 frames")
                     .arg(data.label)
                     .arg(kDemoVideoCount)
                     .arg(kDemoVideoFrames);
    data.description.insert("video_frames", static_cast<qint64>(video->frameCount()));
    data.description.insert("videos", static_cast<qint64>(video->videoCount()));
}

bool isVideoPath(const QString& path) {
    return io::hasVideoExtension(path.toStdString());
}

LoadedData loadVideoFiles(const QStringList& paths, const VideoLoadSettings& settings,
                          const std::function<bool(qint64, qint64)>& progress, bool* cancelled) {
    std::vector<std::string> files;
    for (const QString& p : paths) {
        files.push_back(QDir::cleanPath(p).toStdString());
    }
    io::VideoOptions options;
    options.sizePx = settings.sizePx;
    options.stride = settings.stride;
    options.budgetBytes = static_cast<int64_t>(settings.budgetMb) * 1024 * 1024;
    options.maxPixels = int64_t{settings.maxMegapixels} * 1'000'000;
    options.mode = settings.mode.toStdString();
    options.threads = settings.decodeThreads;
    io::VideoLoad load = io::loadVideos(files, options, [&](int64_t done, int64_t total) {
        return !progress || progress(done, total);
    });
    if (cancelled) {
        *cancelled = load.cancelled;
    }
    LoadedData data;
    data.sizePx = settings.sizePx;
    for (const auto& issue : load.skipped) {
        data.skipped.push_back(
            {QString::fromStdString(issue.path), QString::fromStdString(issue.reason)});
    }
    for (const auto& note : load.notes) {
        data.notes << QString::fromStdString(note);
    }
    QStringList names;
    for (const auto& name : load.video.names) {
        data.paths << QString::fromStdString(name);
        names << QFileInfo(QString::fromStdString(name)).fileName();
    }
    if (load.cancelled || load.video.empty()) {
        data.images = torch::empty({0, 3, settings.sizePx, settings.sizePx});
        data.channelMean = torch::full({3}, 0.5);
        return data;
    }
    data.images = load.sample;
    data.channelMean = data.images.mean({0, 2, 3});
    const qint64 frames = load.video.frameCount();
    data.count = frames;
    data.label =
        DataSourceTr::tr("%1: %2 frames")
            .arg(names.size() <= 3
                     ? names.join(QStringLiteral(", "))
                     : DataSourceTr::tr("%1 and %2 more").arg(names.front()).arg(names.size() - 1))
            .arg(frames);
    QJsonArray strides;
    for (int s : load.strides) {
        strides.append(s);
    }
    data.description = {{"source", "videos"},
                        {"paths", QJsonArray::fromStringList(data.paths)},
                        {"count", frames},
                        {"videos", static_cast<qint64>(load.video.videoCount())},
                        {"strides", strides},
                        {"stride", settings.stride},
                        {"budget_mb", settings.budgetMb},
                        {"skipped", static_cast<int>(data.skipped.size())},
                        {"size_px", settings.sizePx}};
    if (settings.maxMegapixels != kDefaultMaxMegapixels) {
        data.description.insert(QStringLiteral("max_megapixels"), settings.maxMegapixels);
    }
    if (settings.mode != QLatin1String("auto")) {
        data.description.insert(QStringLiteral("pipeline"), settings.mode);
    }
    if (settings.decodeThreads > 0) {
        data.description.insert(QStringLiteral("decode_threads"), settings.decodeThreads);
    }
    data.video = std::make_shared<VideoFrames>(std::move(load.video));
    return data;
}

LoadedData loadImageFiles(const QStringList& paths, int sizePx,
                          const std::function<void(int, int)>& progress, int maxMegapixels,
                          const ImagePipelineSettings& pipeline) {
    std::vector<std::string> files;
    for (const QString& p : paths) {
        files.push_back(QDir::cleanPath(p).toStdString());
    }
    io::LoadLimits limits;
    limits.maxPixels = int64_t{maxMegapixels} * 1'000'000;
    io::ImageIndex index = io::indexImages(files, limits, 0, [&](size_t done, size_t total) {
        if (progress) {
            progress(static_cast<int>(done), static_cast<int>(total));
        }
    });
    LoadedData data;
    data.sizePx = sizePx;
    for (const auto& issue : index.skipped) {
        data.skipped.push_back(
            {QString::fromStdString(issue.path), QString::fromStdString(issue.reason)});
    }
    const double indexSeconds = index.seconds;
    if (!index.images.empty()) {
        for (const auto& image : index.images) {
            data.paths << QString::fromStdString(image.path);
        }
        io::FileSourceOptions options;
        options.sizePx = sizePx;
        options.threads = pipeline.decodeThreads;
        options.mode = pipeline.mode.toStdString();
        options.cacheBudgetBytes = static_cast<int64_t>(pipeline.cacheBudgetMb) << 20;
        options.limits = limits;
        auto source = std::make_shared<io::ImageFileSource>(std::move(index), options);
        // What the window shows of the set: up to 256 images spread over it, decoded now
        // (a file that fails here is named like one the index refused).
        data.images = source->spread(256);
        for (const auto& s : source->skipped()) {
            data.skipped.push_back(
                {QString::fromStdString(s.path), QString::fromStdString(s.reason)});
        }
        data.count = data.paths.size();
        data.notes << DataSourceTr::tr("%1 files indexed from their headers in %2 s")
                          .arg(data.count)
                          .arg(indexSeconds, 0, 'f', 2);
        data.source = source;
    } else {
        data.images = torch::empty({0, 3, sizePx, sizePx});
    }
    data.channelMean =
        data.images.size(0) > 0 ? data.images.mean({0, 2, 3}) : torch::full({3}, 0.5);
    QStringList names;
    for (const QString& p : paths) {
        names << QFileInfo(p).fileName();
    }
    data.label = names.size() <= 3
                     ? names.join(QStringLiteral(", "))
                     : DataSourceTr::tr("%1 and %2 more").arg(names.front()).arg(names.size() - 1);
    data.description = {{"source", "files"},
                        {"paths", QJsonArray::fromStringList(paths)},
                        {"count", static_cast<int>(data.paths.size())},
                        {"skipped", static_cast<int>(data.skipped.size())},
                        {"size_px", sizePx}};
    if (maxMegapixels != kDefaultMaxMegapixels) {
        data.description.insert(QStringLiteral("max_megapixels"), maxMegapixels);
    }
    if (pipeline.mode != QLatin1String("auto")) {
        data.description.insert(QStringLiteral("pipeline"), pipeline.mode);
    }
    if (pipeline.decodeThreads > 0) {
        data.description.insert(QStringLiteral("decode_threads"), pipeline.decodeThreads);
    }
    if (pipeline.cacheBudgetMb != 512) {
        data.description.insert(QStringLiteral("cache_mb"), pipeline.cacheBudgetMb);
    }
    return data;
}

bool isIdxData(const QString& spec) {
    return io::isIdxSource(spec.toStdString());
}

LoadedData loadIdxImages(const QString& spec, int sizePx, quint64 seed, int budgetMb) {
    const int64_t perImage = 3LL * sizePx * sizePx * static_cast<int64_t>(sizeof(float));
    io::LabelledOptions o;
    o.maxTrain = std::max<int64_t>(1, static_cast<int64_t>(budgetMb) * 1024 * 1024 / perImage);
    o.maxTest = 1; // not used here
    o.seed = seed;
    const io::LabelledData labelled = io::loadLabelled(spec.toStdString(), o);
    LoadedData data;
    data.sizePx = sizePx;
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < labelled.train.images.size(0); start += 1024) {
        const auto chunk = labelled.train.images.narrow(
            0, start, std::min<int64_t>(1024, labelled.train.images.size(0) - start));
        parts.push_back(torch::nn::functional::interpolate(
                            chunk, torch::nn::functional::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{sizePx, sizePx})
                                       .mode(torch::kBilinear)
                                       .align_corners(false))
                            .clamp_(0.0, 1.0));
    }
    data.images = torch::cat(parts);
    data.channelMean = data.images.mean({0, 2, 3});
    const qint64 n = data.images.size(0);
    data.count = n;
    data.label = DataSourceTr::tr("%1: %2 training images (labels not used)")
                     .arg(QString::fromStdString(labelled.source))
                     .arg(n);
    if (n < labelled.train.available) {
        data.notes << DataSourceTr::tr(
                          "%1 of the %2 training images, drawn with seed %3 (%4 MB at %5 px)")
                          .arg(n)
                          .arg(labelled.train.available)
                          .arg(seed)
                          .arg(budgetMb)
                          .arg(sizePx);
    }
    data.description = {{"source", "idx"},
                        {"labels", spec},
                        {"count", n},
                        {"size_px", sizePx},
                        {"draw_seed", QString::number(seed)},
                        {"budget_mb", budgetMb}};
    return data;
}

namespace {
// The paths a message names: all of a few, the first three of many ("and 37 more").
QString namePaths(const QStringList& paths) {
    if (paths.size() <= 4) {
        return paths.join(QStringLiteral(", "));
    }
    return DataSourceTr::tr("%1 and %n more", "paths", static_cast<int>(paths.size() - 3))
        .arg(paths.mid(0, 3).join(QStringLiteral(", ")));
}
} // namespace

LoadedData loadDescribedData(const QJsonObject& d, bool withDemoVideo,
                             const std::function<bool(qint64, qint64)>& videoProgress) {
    const QString source = d.value(QStringLiteral("source")).toString();
    const int sizePx = d.value(QStringLiteral("size_px")).toInt(64);
    if (source == QLatin1String("demo")) {
        const quint64 seed = d.value(QStringLiteral("demo_seed")).toVariant().toULongLong();
        return loadDemoData(sizePx, seed, d.value(QStringLiteral("count")).toInt(0),
                            withDemoVideo || d.contains(QStringLiteral("video_frames")));
    }
    if (source == QLatin1String("idx")) {
        LoadedData data =
            loadIdxImages(d.value(QStringLiteral("labels")).toString(), sizePx,
                          d.value(QStringLiteral("draw_seed")).toVariant().toULongLong(),
                          d.value(QStringLiteral("budget_mb")).toInt(512));
        if (data.images.size(0) !=
            d.value(QStringLiteral("count")).toInteger(data.images.size(0))) {
            throw std::runtime_error(
                DataSourceTr::tr(
                    "the data changed since the run was recorded: %1 images then, %2 now in %3")
                    .arg(d.value(QStringLiteral("count")).toInteger())
                    .arg(data.images.size(0))
                    .arg(d.value(QStringLiteral("labels")).toString())
                    .toStdString());
        }
        return data;
    }
    QStringList paths;
    for (const QJsonValue& p : d.value(QStringLiteral("paths")).toArray()) {
        paths << p.toString();
    }
    LoadedData data;
    const int maxMegapixels =
        d.value(QStringLiteral("max_megapixels")).toInt(kDefaultMaxMegapixels);
    if (source == QLatin1String("videos")) {
        VideoLoadSettings settings{sizePx, d.value(QStringLiteral("stride")).toInt(1),
                                   d.value(QStringLiteral("budget_mb")).toInt(512), maxMegapixels};
        settings.mode = d.value(QStringLiteral("pipeline")).toString(QStringLiteral("auto"));
        settings.decodeThreads = d.value(QStringLiteral("decode_threads")).toInt(0);
        data = loadVideoFiles(paths, settings, videoProgress);
    } else {
        ImagePipelineSettings pipeline;
        pipeline.mode = d.value(QStringLiteral("pipeline")).toString(QStringLiteral("auto"));
        pipeline.decodeThreads = d.value(QStringLiteral("decode_threads")).toInt(0);
        pipeline.cacheBudgetMb = d.value(QStringLiteral("cache_mb")).toInt(512);
        data = loadImageFiles(paths, sizePx, {}, maxMegapixels, pipeline);
    }
    // A run goes on only with the data it started on: files gone or added since would
    // change every batch after the resume.
    const qint64 recorded = d.value(QStringLiteral("count")).toInteger(-1);
    if (recorded >= 0 && data.count > 0 && data.count != recorded) {
        throw std::runtime_error(
            DataSourceTr::tr("the data changed since the run was recorded: %1 %2 then, %3 now "
                             "in %4%5")
                .arg(recorded)
                .arg(source == QLatin1String("videos") ? QStringLiteral("frames")
                                                       : QStringLiteral("images"))
                .arg(data.count)
                .arg(namePaths(paths), data.skipped.isEmpty()
                                           ? QString()
                                           : QStringLiteral(":\n") + formatSkipped(data.skipped))
                .toStdString());
    }
    if (data.images.size(0) == 0) {
        throw std::runtime_error(
            DataSourceTr::tr("nothing could be loaded from %1%2")
                .arg(namePaths(paths), data.skipped.isEmpty()
                                           ? QString()
                                           : QStringLiteral(":\n") + formatSkipped(data.skipped))
                .toStdString());
    }
    return data;
}

DataSummary summarize(const LoadedData& data, int maxThumbnails) {
    DataSummary s;
    s.description = data.description;
    s.label = data.label;
    s.count = static_cast<int>(data.count);
    s.sizePx = data.sizePx;
    s.skipped = data.skipped;
    s.notes = data.notes;
    s.videoFrames = data.video ? static_cast<int>(data.video->frameCount()) : 0;
    s.videos = data.video ? static_cast<int>(data.video->videoCount()) : 0;
    s.framesAreImages =
        data.video && (data.video->frames.is_same(data.images) || data.video->streamed());
    s.keptImages = data.images.defined() ? static_cast<int>(data.images.size(0)) : 0;
    s.cacheMb =
        data.images.defined() ? data.images.numel() * data.images.element_size() / 1048576.0 : 0.0;
    s.budgetMb = data.description.value("budget_mb").toInt();
    const InputReport* input = data.source ? static_cast<const InputReport*>(data.source.get())
                               : data.video && data.video->reader ? data.video->reader.get()
                                                                  : nullptr;
    if (input) {
        s.pipeline = QString::fromStdString(input->describe());
        s.streamed = s.pipeline.startsWith(QLatin1String("streamed"));
    }
    const int shown = data.images.defined() ? static_cast<int>(data.images.size(0)) : 0;
    for (int i = 0; i < std::min(shown, maxThumbnails); ++i) {
        s.thumbnails << toQImage(data.images[i]);
    }
    return s;
}

QString formatSkipped(const QList<SkippedFile>& skipped, int maxLines) {
    QStringList lines;
    for (int i = 0; i < skipped.size() && i < maxLines; ++i) {
        lines << QStringLiteral("%1 %2").arg(skipped[i].path, skipped[i].reason);
    }
    if (skipped.size() > maxLines) {
        lines << DataSourceTr::tr("… and %1 more").arg(skipped.size() - maxLines);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace pretext
