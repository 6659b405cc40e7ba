// The input pipeline's benchmarks: `bench --data PATH`, what it delivers on image files
// against what training consumes (files indexed per second, samples decoded and
// augmented per second with one decode thread and with several, the ratio to the
// training step); and for a video task, the index pass and clips read from a long video.
#include "HeadlessCommon.h"

#include "Augment.h"
#include "DemoVideo.h"
#include "ImageFileSource.h"
#include "ImageIndex.h"
#include "Threads.h"
#include "VideoClipReader.h"
#include "VideoLoader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <torch/torch.h>

#include <chrono>

namespace pretext::headless {

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Samples per second a streaming source delivers to a consumer that takes batches of
// `batch` one after another, the next batch decoding while one is taken.
double streamRate(const io::ImageIndex& index, int sizePx, int threads, int batch, double seconds) {
    io::FileSourceOptions o;
    o.sizePx = sizePx;
    o.threads = threads;
    o.mode = "stream";
    io::ImageFileSource source(index, o);
    source.setAugment(augmentPreset("crop-flip"), 1);
    const int64_t n = source.trainCount();
    uint64_t key = 0;
    auto requests = [&] {
        std::vector<SampleRequest> r;
        for (int i = 0; i < batch; ++i, ++key) {
            r.push_back({static_cast<int64_t>((key * 7919) % static_cast<uint64_t>(n)), key});
        }
        return r;
    };
    auto next = requests();
    source.fetch(next); // warm-up: threads started, first files in the page cache
    next = requests();
    source.prefetch(next);
    int64_t samples = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < seconds) {
        const auto now = next;
        next = requests();
        source.fetch(now);
        source.prefetch(next);
        samples += batch;
    }
    return static_cast<double>(samples) / secondsSince(start);
}
} // namespace

PipelineFigures benchPipeline(const QCommandLineParser& p, const Common& c, int batch) {
    PipelineFigures f;
    std::vector<std::string> roots;
    for (const QString& s : p.values("data")) {
        roots.push_back(QDir::cleanPath(s).toStdString());
    }
    io::LoadLimits limits;
    limits.maxPixels = intValue(p, "max-megapixels", 1, 4000) * 1'000'000;
    const io::ImageIndex index = io::indexImages(roots, limits, 0);
    f.files = static_cast<int64_t>(index.images.size());
    f.indexSeconds = index.seconds;
    if (index.images.empty()) {
        throw CommandError{QStringLiteral("no image file could be indexed in %1")
                               .arg(p.values("data").join(QStringLiteral(", "))),
                           1};
    }
    f.threads = std::max(1, usableCpus());
    f.oneThread = streamRate(index, c.sizePx, 1, batch, 3.0);
    f.allThreads = f.threads > 1 ? streamRate(index, c.sizePx, f.threads, batch, 3.0) : f.oneThread;
    out() << QStringLiteral("input pipeline on %1 files: indexed in %2 s (%3 files/s); decoded, "
                            "cropped and flipped to %4 px: %5 images/s with 1 decode thread, "
                            "%6 with %7\n")
                 .arg(f.files)
                 .arg(f.indexSeconds, 0, 'f', 2)
                 .arg(static_cast<double>(f.files) / std::max(1e-9, f.indexSeconds), 0, 'f', 0)
                 .arg(c.sizePx)
                 .arg(f.oneThread, 0, 'f', 0)
                 .arg(f.allThreads, 0, 'f', 0)
                 .arg(f.threads)
          << Qt::flush;
    return f;
}

void printPipelineRatio(const PipelineFigures& f, const std::string& task,
                        double trainImagesPerSec) {
    if (f.files == 0 || trainImagesPerSec <= 0) {
        return;
    }
    out() << QStringLiteral("  pipeline / training (%1): %2 with 1 decode thread, %3 with %4 "
                            "(training takes %5 images/s)\n")
                 .arg(QString::fromStdString(task))
                 .arg(f.oneThread / trainImagesPerSec, 0, 'f', 2)
                 .arg(f.allThreads / trainImagesPerSec, 0, 'f', 2)
                 .arg(f.threads)
                 .arg(trainImagesPerSec, 0, 'f', 0)
          << Qt::flush;
}

// Writes a long Motion-JPEG video from the demo video and indexes it at the training
// size under the budget (motion measured, frames kept when they fit): frames per
// second and the peak memory; then, read clip by clip, windows of 7 frames per second.
void benchVideoDecoding(const QCommandLineParser& p, const Common& c) {
    const int frames = static_cast<int>(intValue(p, "video-frames", 10, 1'000'000));
    const int budgetMb = static_cast<int>(intValue(p, "budget-mb", 1, 1 << 20));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("long.avi"));
    {
        const VideoFrames source = makeDemoVideo(1, frames, 64, c.seed);
        if (!io::writeMjpegVideo(path.toStdString(), source.frames, 320, 240)) {
            throw CommandError{
                QStringLiteral("OpenCV could not write a Motion-JPEG video to %1").arg(path), 1};
        }
    }
    // Writing the video took memory of its own: the peak is reset (Linux: "5" to
    // clear_refs) so that what follows measures the loader alone.
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    const bool peakReset = clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
    clearRefs.close();
    const double before = currentRssMb();
    QElapsedTimer timer;
    timer.start();
    io::VideoOptions options;
    options.sizePx = c.sizePx;
    options.stride = static_cast<int>(intValue(p, "stride", 1, 10000));
    options.budgetBytes = static_cast<int64_t>(budgetMb) * 1024 * 1024;
    options.mode = p.isSet("pipeline") ? p.value("pipeline").toStdString() : "auto";
    options.threads = static_cast<int>(intValue(p, "decode-threads", 0, 256));
    const io::VideoLoad load = io::loadVideos({path.toStdString()}, options);
    const double seconds = timer.nsecsElapsed() / 1e9;
    const double peak = peakRssMb() - before;
    const int64_t indexed = load.video.frameCount();
    out() << QStringLiteral("video: %1 frames at 320x240 (Motion-JPEG), %2 px, %3 MB budget: %4\n")
                 .arg(frames)
                 .arg(c.sizePx)
                 .arg(budgetMb)
                 .arg(load.streamed ? QStringLiteral("read clip by clip")
                                    : QStringLiteral("cached"))
          << QStringLiteral("  index pass              %1 frames/s (%2 s for %3; motion by "
                            "difference and optical flow at %4 px)\n")
                 .arg(indexed / std::max(1e-9, seconds), 0, 'f', 1)
                 .arg(seconds, 0, 'f', 2)
                 .arg(indexed)
                 .arg(options.motionPx)
          << QStringLiteral("  frames kept             %1 (%2 MB)\n")
                 .arg(load.sample.defined() ? load.sample.size(0) : 0)
                 .arg(load.sample.defined() ? load.sample.numel() * 4 / 1048576.0 : 0.0, 0, 'f', 1)
          << QStringLiteral("  peak memory indexing    %1 MB above the %2 MB before%3\n")
                 .arg(peak, 0, 'f', 1)
                 .arg(before, 0, 'f', 1)
                 .arg(peakReset ? QString()
                                : QStringLiteral(" (peak not resettable here: process peak)"));
    if (load.streamed && indexed > 7) {
        // Random windows, as training draws them, in batches of 32 with the next batch
        // prefetched, cropped and flipped.
        constexpr int64_t kLength = 7, kBatch = 32, kBatches = 8;
        const auto starts = torch::randint(indexed - kLength, {kBatches * kBatch}, torch::kLong);
        const auto* s = starts.data_ptr<int64_t>();
        const auto batch = [&](int64_t b) {
            std::vector<ClipRequest> r;
            for (int64_t i = 0; i < kBatch; ++i) {
                r.push_back({s[b * kBatch + i], static_cast<uint64_t>(b * kBatch + i)});
            }
            return r;
        };
        ClipReader& reader = *load.video.reader;
        AugmentSpec augment = augmentPreset("crop-flip");
        QElapsedTimer clipTimer;
        clipTimer.start();
        for (int64_t b = 0; b < kBatches; ++b) {
            if (b + 1 < kBatches) {
                reader.prefetch(batch(b + 1), kLength, augment, c.seed);
            }
            reader.read(batch(b), kLength, augment, c.seed);
        }
        const double clipSeconds = clipTimer.nsecsElapsed() / 1e9;
        const auto* files = dynamic_cast<const io::VideoClipReader*>(&reader);
        const io::ClipReaderStats stats = files ? files->stats() : io::ClipReaderStats{};
        out() << QStringLiteral("  clips read              %1 clips/s of %2 frames, random windows "
                                "in batches of %3 (%4% with a seek, the rest read on; %5 decode "
                                "thread(s))\n")
                     .arg(kBatches * kBatch / clipSeconds, 0, 'f', 1)
                     .arg(kLength)
                     .arg(kBatch)
                     .arg(100.0 * stats.seeks / std::max<int64_t>(1, stats.clips), 0, 'f', 0)
                     .arg(files ? files->threads() : 0);
    }
    for (const auto& note : load.notes) {
        out() << "  " << QString::fromStdString(note) << "\n";
    }
    out() << Qt::flush;
}

} // namespace pretext::headless
