#include "ImageFileSource.h"

#include "DecodePool.h"
#include "MatTensor.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace pretext::io {

namespace {
using Clock = std::chrono::steady_clock;

struct Sample {
    cv::Mat image; // sizePx x sizePx BGR, empty on failure
    std::string error;
    bool fromCache = false;
};

std::string megabytes(int64_t bytes) {
    std::ostringstream out;
    out.precision(bytes < (10ll << 20) ? 2 : 0);
    out << std::fixed << static_cast<double>(bytes) / (1 << 20) << " MB";
    return out.str();
}
} // namespace

// What the decode threads share with the source. Held by shared pointer so that a
// thread stuck in a decoder (left behind when it stalls) never outlives it.
struct Shared {
    FileSourceOptions options;
    std::vector<IndexedImage> images;
    bool caching = false;
    int cacheSide = 0; // cached images' shorter side at most
    std::mutex cacheMutex;
    std::vector<cv::Mat> cache;

    std::atomic<int64_t> decoded{0}, fromCache{0}, cachedBytes{0};
    std::atomic<int64_t> decodeNanos{0};

    // One sample of file `file` as `draw` says.
    Sample produce(size_t file, const AugmentDraw& draw) {
        const auto start = Clock::now();
        const IndexedImage& entry = images[file];
        const int size = options.sizePx;
        Sample out;
        cv::Mat src;
        if (caching) {
            std::lock_guard<std::mutex> lock(cacheMutex);
            src = cache[file];
        }
        out.fromCache = !src.empty();
        if (src.empty()) {
            int64_t bytes = 0, modified = 0;
            if (!fileStamp(entry.path, &bytes, &modified)) {
                out.error = "has vanished or cannot be read since the set was indexed";
                return out;
            }
            if (bytes != entry.bytes || modified != entry.modified) {
                out.error = "changed since the set was indexed (" + std::to_string(entry.bytes) +
                            " bytes then, " + std::to_string(bytes) +
                            " now); reload the set to use it";
                return out;
            }
            // Decode at the smallest scale that still gives the crop (or the cache) its
            // full detail: a JPEG's DCT scaling makes that several times faster.
            const double shorter = std::min(entry.width, entry.height);
            const double need = caching ? static_cast<double>(cacheSide) : size;
            const double have =
                caching ? shorter : std::min(draw.w * entry.width, draw.h * entry.height);
            int reduce = 1;
            for (int r : {8, 4, 2}) {
                if (have / r >= need) {
                    reduce = r;
                    break;
                }
            }
            DecodedImage decodedImage = decodeImageFile(entry.path, options.limits, reduce);
            if (!decodedImage.error.empty()) {
                out.error = decodedImage.error;
                return out;
            }
            src = decodedImage.image;
            if (caching) {
                const int side = std::min(src.cols, src.rows);
                if (side > cacheSide) {
                    const double f = static_cast<double>(cacheSide) / side;
                    cv::Mat small;
                    cv::resize(src, small,
                               cv::Size(std::max(1, static_cast<int>(std::lround(src.cols * f))),
                                        std::max(1, static_cast<int>(std::lround(src.rows * f)))),
                               0, 0, cv::INTER_AREA);
                    src = small;
                }
                std::lock_guard<std::mutex> lock(cacheMutex);
                if (cache[file].empty()) {
                    cache[file] = src;
                    cachedBytes += static_cast<int64_t>(src.total() * src.elemSize());
                }
            }
        }
        out.image = cropResize(src, draw, size);
        decoded += 1;
        fromCache += out.fromCache ? 1 : 0;
        decodeNanos +=
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
        return out;
    }
};

struct ImageFileSource::Impl {
    std::shared_ptr<Shared> shared;
    std::unique_ptr<DecodePool> pool;
    std::vector<size_t> trainFiles, heldFiles;
    AugmentSpec spec;
    uint64_t seed = 0;
    std::map<uint64_t, std::shared_future<Sample>> pending; // by request key
    std::set<size_t> bad;                                   // files that failed
    std::vector<SkippedSample> skipped;
    mutable std::mutex skippedMutex;
    torch::Tensor heldOut;
    double waitSeconds = 0.0;
    std::optional<Clock::time_point> firstFetch; // training's first batch
    bool augmentSet = false;

    AugmentDraw drawFor(size_t file, uint64_t key) const {
        const IndexedImage& e = shared->images[file];
        return drawAugment(spec, seed, key, e.width, e.height);
    }

    std::shared_future<Sample> submit(size_t file, const AugmentDraw& draw) {
        return pool->submit<Sample>([s = shared, file, draw] { return s->produce(file, draw); });
    }

    // Waits for a sample; a decoder that stalls is reported, and its thread replaced.
    Sample await(std::shared_future<Sample>& f) {
        const double limit = shared->options.stallSeconds;
        if (auto s = pool->await(f, limit, nullptr, &waitSeconds)) {
            return *s;
        }
        Sample s;
        std::ostringstream out;
        out << "its decoder stalled (no result after " << limit << " s); it is skipped";
        s.error = out.str();
        return s;
    }

    void report(size_t file, const std::string& reason) {
        if (bad.insert(file).second) {
            std::lock_guard<std::mutex> lock(skippedMutex);
            skipped.push_back({shared->images[file].path, reason});
        }
    }

    // Centre squares of these files, decoded by the pool; files that fail are reported
    // and left out.
    torch::Tensor centreSquares(const std::vector<size_t>& files) {
        AugmentSpec none;
        std::vector<std::shared_future<Sample>> futures;
        for (size_t f : files) {
            const IndexedImage& e = shared->images[f];
            futures.push_back(submit(f, drawAugment(none, 0, 0, e.width, e.height)));
        }
        std::vector<cv::Mat> mats;
        for (size_t i = 0; i < files.size(); ++i) {
            Sample s = await(futures[i]);
            if (s.image.empty()) {
                report(files[i], s.error);
            } else {
                mats.push_back(s.image);
            }
        }
        return toTensor(mats);
    }

    torch::Tensor toTensor(const std::vector<cv::Mat>& mats) const {
        return matsToBatch(mats, shared->options.sizePx);
    }
};

ImageFileSource::ImageFileSource(ImageIndex index, const FileSourceOptions& options)
    : d(std::make_unique<Impl>()) {
    if (index.images.empty()) {
        throw std::runtime_error("no usable image file in the set");
    }
    d->shared = std::make_shared<Shared>();
    Shared& s = *d->shared;
    s.options = options;
    s.images = std::move(index.images);
    const int64_t n = static_cast<int64_t>(s.images.size());
    // Held out: evenly spread, so a set sorted by folder (by class) is judged on all
    // of its parts.
    const int64_t evalCount = n >= 64 ? std::min<int64_t>(128, n / 8) : 0;
    std::vector<bool> held(static_cast<size_t>(n), false);
    for (int64_t i = 0; i < evalCount; ++i) {
        held[static_cast<size_t>((2 * i + 1) * n / (2 * evalCount))] = true;
    }
    for (int64_t i = 0; i < n; ++i) {
        (held[static_cast<size_t>(i)] ? d->heldFiles : d->trainFiles)
            .push_back(static_cast<size_t>(i));
    }
    // Cache when the decoded images (at up to twice the training size) fit the budget.
    s.cacheSide = 2 * options.sizePx;
    int64_t estimate = 0;
    for (const auto& e : s.images) {
        const double shorter = std::min(e.width, e.height);
        const double f = std::min(1.0, s.cacheSide / shorter);
        estimate += static_cast<int64_t>(std::ceil(e.width * f) * std::ceil(e.height * f) * 3);
    }
    s.caching =
        options.mode == "cache" || (options.mode == "auto" && estimate <= options.cacheBudgetBytes);
    if (s.caching) {
        s.cache.resize(s.images.size());
    }
    d->pool = std::make_unique<DecodePool>(options.threads);
}

// The pool goes first (its threads hold the shared state, not this object).
ImageFileSource::~ImageFileSource() = default;

int64_t ImageFileSource::trainCount() const {
    return static_cast<int64_t>(d->trainFiles.size());
}

int64_t ImageFileSource::sizePx() const {
    return d->shared->options.sizePx;
}

void ImageFileSource::setAugment(const AugmentSpec& spec, uint64_t seed) {
    d->spec = spec;
    d->seed = seed;
    d->augmentSet = true;
    d->pending.clear();
}

void ImageFileSource::prefetch(const std::vector<SampleRequest>& requests) {
    for (const auto& r : requests) {
        if (d->pending.count(r.key) || r.index < 0 || r.index >= trainCount()) {
            continue;
        }
        const size_t file = d->trainFiles[static_cast<size_t>(r.index)];
        d->pending.emplace(r.key, d->submit(file, d->drawFor(file, r.key)));
    }
}

torch::Tensor ImageFileSource::fetch(const std::vector<SampleRequest>& requests) {
    if (!d->firstFetch) {
        d->firstFetch = Clock::now();
    }
    prefetch(requests);
    std::vector<cv::Mat> mats;
    mats.reserve(requests.size());
    const int64_t n = trainCount();
    for (const auto& r : requests) {
        if (r.index < 0 || r.index >= n) {
            throw std::out_of_range("sample index " + std::to_string(r.index) + " outside the set");
        }
        auto it = d->pending.find(r.key);
        Sample s = d->await(it->second);
        d->pending.erase(it);
        size_t file = d->trainFiles[static_cast<size_t>(r.index)];
        // A file that cannot be used is replaced by the next usable one, decoded now
        // with the same key: the batch keeps its size and stays reproducible.
        for (int64_t step = 1; s.image.empty(); ++step) {
            d->report(file, s.error);
            if (step > n || static_cast<int64_t>(d->bad.size()) >= n) {
                throw std::runtime_error("no file of the set can be read any more (last: " +
                                         d->shared->images[file].path + " " + s.error + ")");
            }
            file = d->trainFiles[static_cast<size_t>((r.index + step) % n)];
            if (d->bad.count(file)) {
                continue;
            }
            auto again = d->submit(file, d->drawFor(file, r.key));
            s = d->await(again);
        }
        mats.push_back(s.image);
    }
    return d->toTensor(mats);
}

torch::Tensor ImageFileSource::sampleWith(const std::vector<SampleRequest>& requests,
                                          const AugmentSpec& spec, uint64_t seed) {
    std::vector<std::shared_future<Sample>> futures;
    std::vector<size_t> files;
    for (const auto& r : requests) {
        if (r.index < 0 || r.index >= trainCount()) {
            continue;
        }
        const size_t file = d->trainFiles[static_cast<size_t>(r.index)];
        const IndexedImage& e = d->shared->images[file];
        futures.push_back(d->submit(file, drawAugment(spec, seed, r.key, e.width, e.height)));
        files.push_back(file);
    }
    std::vector<cv::Mat> mats;
    for (size_t i = 0; i < futures.size(); ++i) {
        Sample s = d->await(futures[i]);
        if (s.image.empty()) {
            d->report(files[i], s.error);
        } else {
            mats.push_back(s.image);
        }
    }
    return d->toTensor(mats);
}

torch::Tensor ImageFileSource::heldOut() {
    if (!d->heldOut.defined()) {
        d->heldOut = d->centreSquares(d->heldFiles);
    }
    return d->heldOut;
}

torch::Tensor ImageFileSource::spread(int64_t count) {
    const int64_t n = trainCount();
    const int64_t take = std::min(count, n);
    std::vector<size_t> files;
    for (int64_t i = 0; i < take; ++i) {
        files.push_back(d->trainFiles[static_cast<size_t>(i * n / std::max<int64_t>(1, take))]);
    }
    return d->centreSquares(files);
}

std::vector<SkippedSample> ImageFileSource::skipped() const {
    std::lock_guard<std::mutex> lock(d->skippedMutex);
    return d->skipped;
}

bool ImageFileSource::cached() const {
    return d->shared->caching;
}

int ImageFileSource::threads() const {
    return d->pool->threads();
}

PipelineStats ImageFileSource::stats() const {
    PipelineStats p;
    p.decoded = d->shared->decoded.load();
    p.fromCache = d->shared->fromCache.load();
    p.decodeSeconds = static_cast<double>(d->shared->decodeNanos.load()) * 1e-9;
    p.waitSeconds = d->waitSeconds;
    p.cachedBytes = d->shared->cachedBytes.load();
    return p;
}

const std::string& ImageFileSource::trainPath(int64_t index) const {
    return d->shared->images[d->trainFiles.at(static_cast<size_t>(index))].path;
}

std::vector<std::string> ImageFileSource::heldOutPaths() const {
    std::vector<std::string> out;
    for (size_t f : d->heldFiles) {
        out.push_back(d->shared->images[f].path);
    }
    return out;
}

std::string ImageFileSource::describe() const {
    const Shared& s = *d->shared;
    std::ostringstream out;
    const int64_t n = static_cast<int64_t>(s.images.size());
    if (s.caching) {
        out << "cached: " << n << " images, each decoded once and kept at up to " << s.cacheSide
            << " px on its shorter side (" << megabytes(s.cachedBytes.load()) << " so far)";
    } else {
        out << "streamed: " << n << " files decoded as needed";
    }
    const int threads = d->pool->threads();
    out << ", by " << threads << " decode thread" << (threads == 1 ? "" : "s");
    if (d->augmentSet) {
        out << "; " << describeAugment(d->spec);
    }
    const PipelineStats p = stats();
    if (d->firstFetch && p.decoded > 0 && p.decodeSeconds > 0) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - *d->firstFetch).count();
        out.precision(0);
        out << std::fixed << "; " << p.decoded << " samples made, "
            << static_cast<double>(p.decoded) / p.decodeSeconds << "/s per decode thread";
        if (elapsed > 0) {
            out << ", training waited " << 100.0 * p.waitSeconds / elapsed
                << "% of the time for them";
        }
    }
    return out.str();
}

} // namespace pretext::io
