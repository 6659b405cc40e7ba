#include "VideoClipReader.h"

#include "DecodePool.h"
#include "ImageIndex.h"
#include "MatTensor.h"
#include "VideoLoader.h"

#include <opencv2/videoio.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace pretext::io {

namespace {
using Clock = std::chrono::steady_clock;

// Until a video's seek and frame costs are measured, a clip's frames are read on from
// where an open file stands when it is at most this many frames before the clip;
// farther, or behind, the file seeks. Measured, the file reads on while decoding the
// frames in between costs less than a seek (which decodes from the key frame before
// the target: one frame for Motion-JPEG, up to a whole group of pictures for MPEG-4).
constexpr int64_t kReadOnFrames = 48;

// What a video's seeks and frames cost, measured as they are made.
struct Costs {
    double seekSeconds = 0.0, frameSeconds = 0.0;
    int seeks = 0, frames = 0;
};

struct Clip {
    std::vector<cv::Mat> frames; // length x (size x size BGR); empty on failure
    std::string error;
};

// An open video file and the file frame its next grab() gives.
struct OpenFile {
    cv::VideoCapture capture;
    int64_t next = 0;
    uint64_t lastUsed = 0;
};
} // namespace

// What the decode threads share with the reader (held by shared pointer: a thread left
// behind in a stalled decoder never outlives it).
struct ClipShared {
    ClipReaderOptions options;
    std::vector<IndexedVideo> videos;
    std::mutex filesMutex;
    std::multimap<size_t, std::unique_ptr<OpenFile>> idle; // open files not in use, by video
    uint64_t useClock = 0;
    size_t maxOpen = 8;
    std::vector<Costs> costs; // per video, under filesMutex
    std::atomic<int64_t> clips{0}, seeks{0}, readOn{0}, decodeNanos{0};

    // Whether reading on `gap` frames is cheaper than a seek, in video v.
    bool readOnCheaper(size_t v, int64_t gap) {
        std::lock_guard<std::mutex> lock(filesMutex);
        const Costs& c = costs[v];
        if (c.seeks < 2 || c.frames < 16) {
            return gap <= kReadOnFrames;
        }
        return static_cast<double>(gap) * c.frameSeconds < c.seekSeconds;
    }

    void noteCosts(size_t v, double seekSeconds, double frameSeconds, int frames) {
        std::lock_guard<std::mutex> lock(filesMutex);
        Costs& c = costs[v];
        const auto blend = [](double& average, double value, int count) {
            average = count == 0 ? value : 0.8 * average + 0.2 * value;
        };
        if (seekSeconds > 0.0) {
            blend(c.seekSeconds, seekSeconds, c.seeks++);
        }
        if (frames > 0) {
            blend(c.frameSeconds, frameSeconds / frames, c.frames);
            c.frames += frames;
        }
    }

    // An idle open file of video v, the one closest before `target` if there is one
    // (it may read on to it); null when none is open.
    std::unique_ptr<OpenFile> take(size_t v, int64_t target) {
        std::lock_guard<std::mutex> lock(filesMutex);
        auto [begin, end] = idle.equal_range(v);
        auto best = end;
        for (auto it = begin; it != end; ++it) {
            const int64_t gap = target - it->second->next;
            if (gap >= 0 && (best == end || gap < target - best->second->next)) {
                best = it;
            }
        }
        if (best == end) {
            best = begin;
        }
        if (best == end) {
            return nullptr;
        }
        auto file = std::move(best->second);
        idle.erase(best);
        return file;
    }

    // Back to the idle files; the least recently used is closed beyond maxOpen.
    void give(size_t v, std::unique_ptr<OpenFile> file) {
        std::lock_guard<std::mutex> lock(filesMutex);
        file->lastUsed = ++useClock;
        idle.emplace(v, std::move(file));
        if (idle.size() > maxOpen) {
            auto oldest = std::min_element(idle.begin(), idle.end(), [](auto& a, auto& b) {
                return a.second->lastUsed < b.second->lastUsed;
            });
            idle.erase(oldest);
        }
    }

    Clip produce(size_t v, int64_t local, int64_t length, const AugmentDraw& draw,
                 std::atomic<int64_t>& beat) {
        const auto started = Clock::now();
        const IndexedVideo& e = videos[v];
        Clip out;
        int64_t bytes = 0, modified = 0;
        if (!fileStamp(e.path, &bytes, &modified)) {
            out.error = "has vanished or cannot be read since the set was indexed";
            return out;
        }
        if (bytes != e.bytes || modified != e.modified) {
            out.error = "changed since the set was indexed (" + std::to_string(e.bytes) +
                        " bytes then, " + std::to_string(bytes) + " now); reload it to use it";
            return out;
        }
        if (local < 0 || local + length > e.frames) {
            out.error = "has no window of " + std::to_string(length) + " frames at frame " +
                        std::to_string(local);
            return out;
        }
        const int64_t target = local * e.stride;
        std::unique_ptr<OpenFile> file = take(v, target);
        if (!file) {
            file = std::make_unique<OpenFile>();
            if (!openVideo(file->capture, e.path)) {
                out.error = "cannot be opened as a video any more";
                return out;
            }
        }
        double grabSeconds = 0.0, seekSeconds = 0.0;
        int grabs = 0;
        // grab() decodes the next frame; timed, it is what reading on costs per frame.
        const auto grab = [&] {
            const auto t = Clock::now();
            const bool ok = file->capture.grab();
            grabSeconds += std::chrono::duration<double>(Clock::now() - t).count();
            ++grabs;
            return ok;
        };
        try {
            const int64_t gap = target - file->next;
            const bool seek = gap < 0 || (gap > 0 && !readOnCheaper(v, gap));
            if (!seek) {
                for (int64_t i = 0; i < gap; ++i) {
                    if (!grab()) {
                        out.error = "breaks off before frame " + std::to_string(target);
                        return out;
                    }
                    ++beat;
                }
                readOn += 1;
            } else {
                // The seek's cost: setting the position and decoding the first frame.
                const auto t = Clock::now();
                file->capture.set(cv::CAP_PROP_POS_FRAMES, static_cast<double>(target));
                const bool ok = file->capture.grab();
                seekSeconds = std::chrono::duration<double>(Clock::now() - t).count();
                seeks += 1;
                if (!ok) {
                    out.error = "breaks off before frame " + std::to_string(target);
                    return out;
                }
            }
            file->next = target;
            cv::Mat frame;
            for (int64_t j = 0; j < length; ++j) {
                const int skip = j == 0 ? 0 : e.stride - 1;
                for (int i = 0; i < skip; ++i) {
                    if (!grab()) {
                        break;
                    }
                    ++file->next;
                }
                const bool grabbed = (j == 0 && seek) || grab();
                if (!grabbed || !file->capture.retrieve(frame) || frame.empty()) {
                    out.error = "breaks off at frame " + std::to_string(file->next) +
                                " (it was read to frame " + std::to_string(e.frames * e.stride) +
                                " when indexed)";
                    out.frames.clear();
                    return out;
                }
                ++file->next;
                ++beat;
                out.frames.push_back(cropResize(frame, draw, options.sizePx));
            }
        } catch (const cv::Exception& ex) {
            out.error = std::string("cannot be decoded: ") + ex.what();
            out.frames.clear();
            return out;
        }
        noteCosts(v, seekSeconds, grabSeconds, grabs);
        give(v, std::move(file));
        clips += 1;
        decodeNanos +=
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
        return out;
    }
};

namespace {
// The requests in the order of their first frames: queued so, the decode threads move
// through each file mostly forwards and can read on from one clip to the next.
std::vector<size_t> byStart(const std::vector<ClipRequest>& requests) {
    std::vector<size_t> order(requests.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return requests[a].start < requests[b].start; });
    return order;
}

struct Pending {
    int64_t start = 0, length = 0;
    std::shared_future<Clip> future;
    std::shared_ptr<std::atomic<int64_t>> beat; // frames this clip's job has decoded
};
} // namespace

struct VideoClipReader::Impl {
    std::shared_ptr<ClipShared> shared;
    std::unique_ptr<DecodePool> pool;
    std::map<uint64_t, Pending> pending; // prefetched, by key
    std::set<size_t> bad;
    std::vector<SkippedSample> skipped;
    mutable std::mutex skippedMutex;
    double waitSeconds = 0;
    std::optional<Clock::time_point> firstRead;

    size_t videoOf(int64_t start) const {
        const auto& v = shared->videos;
        auto it = std::upper_bound(v.begin(), v.end(), start,
                                   [](int64_t s, const IndexedVideo& e) { return s < e.first; });
        return it == v.begin() ? 0 : static_cast<size_t>(it - v.begin() - 1);
    }

    Pending submit(int64_t start, int64_t length, const AugmentSpec& spec, uint64_t seed,
                   uint64_t key) {
        const size_t v = videoOf(start);
        const IndexedVideo& e = shared->videos[v];
        const AugmentDraw draw = drawAugment(spec, seed, key, e.width, e.height);
        Pending p{start, length, {}, std::make_shared<std::atomic<int64_t>>(0)};
        p.future = pool->submit<Clip>(
            [s = shared, v, local = start - e.first, length, draw, beat = p.beat] {
                return s->produce(v, local, length, draw, *beat);
            });
        return p;
    }

    Clip await(Pending& p) {
        const double limit = shared->options.stallSeconds;
        if (auto clip = pool->await(p.future, limit, p.beat.get(), &waitSeconds)) {
            return *clip;
        }
        Clip c;
        std::ostringstream out;
        out << "its decoder stalled (no frame for " << limit << " s); it is skipped";
        c.error = out.str();
        return c;
    }

    void report(size_t v, const std::string& reason) {
        std::lock_guard<std::mutex> lock(skippedMutex);
        if (bad.insert(v).second) {
            skipped.push_back({shared->videos[v].path, reason});
        }
    }
};

VideoClipReader::VideoClipReader(std::vector<IndexedVideo> videos, const ClipReaderOptions& options)
    : d(std::make_unique<Impl>()) {
    d->shared = std::make_shared<ClipShared>();
    d->shared->options = options;
    d->shared->videos = std::move(videos);
    d->shared->costs.resize(d->shared->videos.size());
    d->pool = std::make_unique<DecodePool>(options.threads);
    d->shared->maxOpen = static_cast<size_t>(4 * d->pool->threads() + 4);
}

VideoClipReader::~VideoClipReader() = default;

int64_t VideoClipReader::sizePx() const {
    return d->shared->options.sizePx;
}

void VideoClipReader::prefetch(const std::vector<ClipRequest>& requests, int64_t length,
                               const AugmentSpec& spec, uint64_t seed) {
    for (size_t i : byStart(requests)) {
        const ClipRequest& r = requests[i];
        auto it = d->pending.find(r.key);
        if (it != d->pending.end() && it->second.start == r.start && it->second.length == length) {
            continue;
        }
        d->pending[r.key] = d->submit(r.start, length, spec, seed, r.key);
    }
}

torch::Tensor VideoClipReader::read(const std::vector<ClipRequest>& requests, int64_t length,
                                    const AugmentSpec& spec, uint64_t seed, std::vector<bool>* ok) {
    if (!d->firstRead) {
        d->firstRead = Clock::now();
    }
    std::vector<Pending> jobs(requests.size());
    for (size_t i : byStart(requests)) {
        const ClipRequest& r = requests[i];
        auto it = d->pending.find(r.key);
        if (it != d->pending.end() && it->second.start == r.start && it->second.length == length) {
            jobs[i] = std::move(it->second);
            d->pending.erase(it);
        } else {
            jobs[i] = d->submit(r.start, length, spec, seed, r.key);
        }
    }
    const int size = static_cast<int>(d->shared->options.sizePx);
    std::vector<cv::Mat> frames;
    frames.reserve(requests.size() * static_cast<size_t>(length));
    if (ok) {
        ok->assign(requests.size(), false);
    }
    for (size_t i = 0; i < jobs.size(); ++i) {
        Clip clip = d->await(jobs[i]);
        if (clip.frames.empty()) {
            d->report(d->videoOf(requests[i].start), clip.error);
            for (int64_t j = 0; j < length; ++j) {
                frames.push_back(cv::Mat::zeros(size, size, CV_8UC3));
            }
            continue;
        }
        if (ok) {
            (*ok)[i] = true;
        }
        frames.insert(frames.end(), clip.frames.begin(), clip.frames.end());
    }
    return matsToBatch(frames, size)
        .view({static_cast<int64_t>(requests.size()), length, 3, size, size});
}

bool VideoClipReader::unusable(int64_t start) const {
    std::lock_guard<std::mutex> lock(d->skippedMutex);
    return d->bad.count(d->videoOf(start)) > 0;
}

std::vector<SkippedSample> VideoClipReader::skipped() const {
    std::lock_guard<std::mutex> lock(d->skippedMutex);
    return d->skipped;
}

int VideoClipReader::threads() const {
    return d->pool->threads();
}

ClipReaderStats VideoClipReader::stats() const {
    ClipReaderStats s;
    s.clips = d->shared->clips.load();
    s.seeks = d->shared->seeks.load();
    s.readOn = d->shared->readOn.load();
    s.decodeSeconds = static_cast<double>(d->shared->decodeNanos.load()) * 1e-9;
    s.waitSeconds = d->waitSeconds;
    return s;
}

std::string VideoClipReader::describe() const {
    const auto& videos = d->shared->videos;
    int64_t frames = 0;
    for (const auto& v : videos) {
        frames += v.frames;
    }
    const int threads = d->pool->threads();
    std::ostringstream out;
    out << "streamed: " << videos.size() << " video" << (videos.size() == 1 ? "" : "s") << " ("
        << frames << " frames) read clip by clip, by " << threads << " decode thread"
        << (threads == 1 ? "" : "s");
    const ClipReaderStats s = stats();
    if (d->firstRead && s.clips > 0 && s.decodeSeconds > 0) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - *d->firstRead).count();
        out.precision(0);
        out << std::fixed << "; " << s.clips << " clips read (" << 100.0 * s.seeks / s.clips
            << "% with a seek), " << static_cast<double>(s.clips) / s.decodeSeconds
            << "/s per decode thread";
        if (elapsed > 0) {
            out << ", training waited " << 100.0 * s.waitSeconds / elapsed
                << "% of the time for them";
        }
    }
    return out.str();
}

} // namespace pretext::io
