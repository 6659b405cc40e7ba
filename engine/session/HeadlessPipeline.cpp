// `bench --data PATH`: what the input pipeline delivers on image files, against what
// training consumes: files indexed per second, samples decoded and augmented per second
// with one decode thread and with several, and the ratio to the training step.
#include "HeadlessCommon.h"

#include "Augment.h"
#include "ImageFileSource.h"
#include "ImageIndex.h"
#include "Threads.h"

#include <QDir>
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

} // namespace pretext::headless
