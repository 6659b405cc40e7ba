#include "VideoLoader.h"

#include "DecodePool.h"
#include "ImageIndex.h"
#include "MatTensor.h"
#include "VideoClipReader.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <opencv2/videoio.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace pretext::io {

namespace {

struct Probe {
    std::string path;
    std::string error;
    int64_t frames = 0; // from the container; 0 when it does not say
    int64_t bytes = 0, modified = 0;
};

// The container's claims, checked before any frame is decoded.
Probe probe(const std::string& path, const VideoOptions& options) {
    Probe p{path, {}, 0};
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        p.error = "does not exist";
    } else if (fs::is_directory(status)) {
        p.error = "is a folder, not a video file";
    } else if (fs::is_regular_file(status) && fs::file_size(path, ec) == 0) {
        p.error = "is empty (0 bytes)";
    } else {
        fileStamp(path, &p.bytes, &p.modified);
        cv::VideoCapture capture;
        if (!openVideo(capture, path)) {
            p.error = "cannot be opened as a video (not a format OpenCV's FFmpeg backend decodes, "
                      "or the file is damaged)";
        } else {
            const double count = capture.get(cv::CAP_PROP_FRAME_COUNT);
            p.frames = std::isfinite(count) && count > 0 ? static_cast<int64_t>(count) : 0;
            const double width = capture.get(cv::CAP_PROP_FRAME_WIDTH);
            const double height = capture.get(cv::CAP_PROP_FRAME_HEIGHT);
            if (std::isfinite(width) && std::isfinite(height) &&
                width * height > static_cast<double>(options.maxPixels)) {
                p.error = "has frames of " + std::to_string(static_cast<int64_t>(width)) + "x" +
                          std::to_string(static_cast<int64_t>(height)) +
                          " pixels, over the limit of " +
                          std::to_string(options.maxPixels / 1'000'000) + " megapixels per frame";
            } else if (count > static_cast<double>(options.maxFrames)) {
                p.error = "claims " + std::to_string(p.frames) + " frames, over the limit of " +
                          std::to_string(options.maxFrames);
            }
        }
    }
    return p;
}

// One video read through: its motion per frame, and the frames kept at training size.
struct Indexed {
    std::string error;
    int64_t frames = 0;      // frames given (every stride-th file frame read)
    int64_t fileFrames = 0;  // file frames read
    bool broke = false;      // ended before the frame count its container claims
    bool overBudget = false; // a frame that should have been kept found the budget full
    int width = 0, height = 0;
    std::vector<float> difference, flow;
    std::vector<cv::Mat> kept;   // training size, 8-bit BGR
    std::vector<int64_t> keptAt; // which of the frames given each kept one is
};

// What the index jobs share (held by shared pointer: a job left behind in a stalled
// decoder never outlives it).
struct IndexShared {
    VideoOptions options;
    int64_t keepEvery = 1;    // keep every keepEvery-th frame given
    int64_t budgetFrames = 0; // frames the budget holds
    bool unbounded = false;   // keep every frame whatever the budget (mode cache)
    std::atomic<int64_t> kept{0}, decoded{0};
    std::atomic<bool> cancel{false};
};

float flowMagnitude(const cv::Mat& prev, const cv::Mat& next) {
    // Small frames: few pyramid levels and a window a fraction of the size.
    const int window = std::max(5, std::min(prev.rows, prev.cols) / 8) | 1;
    cv::Mat flow;
    cv::calcOpticalFlowFarneback(prev, next, flow, 0.5, 2, window, 3, 5, 1.1, 0);
    cv::Mat parts[2];
    cv::split(flow, parts);
    cv::Mat magnitude;
    cv::magnitude(parts[0], parts[1], magnitude);
    return static_cast<float>(cv::mean(magnitude)[0]);
}

Indexed indexVideo(IndexShared& s, const Probe& p, std::atomic<int64_t>& beat) {
    Indexed out;
    const VideoOptions& o = s.options;
    cv::VideoCapture capture;
    if (!openVideo(capture, p.path)) {
        out.error = "cannot be opened as a video any more";
        return out;
    }
    const int stride = std::max(1, o.stride);
    AugmentDraw centre; // the centre square, once the frame size is known
    const cv::Size small(o.motionPx, o.motionPx);
    cv::Mat frame, tiny, prevTiny, gray, prevGray;
    try {
        for (int64_t index = 0;; ++index) {
            if (s.cancel) {
                return out;
            }
            if (!capture.grab()) {
                out.broke = p.frames > 0 && index < p.frames - 1;
                break;
            }
            ++out.fileFrames;
            if (index % stride != 0) {
                continue;
            }
            if (!capture.retrieve(frame) || frame.empty() || frame.cols < 2 || frame.rows < 2) {
                out.broke = true;
                break;
            }
            if (out.frames == 0) {
                out.width = frame.cols;
                out.height = frame.rows;
                centre = drawAugment(AugmentSpec{}, 0, 0, frame.cols, frame.rows);
            }
            cv::resize(frame, tiny, small, 0, 0, cv::INTER_AREA);
            if (tiny.channels() == 1) {
                cv::cvtColor(tiny, tiny, cv::COLOR_GRAY2BGR);
            }
            float difference = 0.0f, flow = 0.0f;
            if (!prevTiny.empty()) {
                cv::Mat delta;
                cv::absdiff(tiny, prevTiny, delta);
                const cv::Scalar m = cv::mean(delta);
                difference = static_cast<float>((m[0] + m[1] + m[2]) / 3.0 / 255.0 * 100.0);
            }
            if (o.opticalFlow) {
                cv::cvtColor(tiny, gray, cv::COLOR_BGR2GRAY);
                if (!prevGray.empty()) {
                    flow = flowMagnitude(prevGray, gray);
                }
                std::swap(gray, prevGray);
            }
            std::swap(tiny, prevTiny);
            out.difference.push_back(difference);
            out.flow.push_back(flow);
            if (out.frames % s.keepEvery == 0) {
                if (s.unbounded || s.kept.fetch_add(1) < s.budgetFrames) {
                    out.kept.push_back(cropResize(frame, centre, o.sizePx));
                    out.keptAt.push_back(out.frames);
                } else {
                    out.overBudget = true;
                }
            }
            ++out.frames;
            ++s.decoded;
            ++beat;
        }
    } catch (const cv::Exception& e) {
        out.broke = true;
        if (out.frames == 0) {
            out.error = std::string("cannot be decoded: ") + e.what();
        }
    }
    return out;
}

std::string fileName(const std::string& path) {
    return fs::path(path).filename().string();
}

std::string budgetMegabytes(int64_t bytes) {
    std::ostringstream out;
    out.precision(bytes < (10ll << 20) ? 1 : 0);
    out << std::fixed << static_cast<double>(bytes) / (1 << 20) << " MB";
    return out.str();
}

std::string stalledReason(double seconds) {
    std::ostringstream out;
    out << "its decoder stalled (no frame for " << seconds << " s); it is skipped";
    return out.str();
}

} // namespace

bool openVideo(cv::VideoCapture& capture, const std::string& path) {
    // Not CAP_ANY: it would also try GStreamer and the image-sequence reader, which read
    // a file name as a pattern and fill stderr with errors for a file that is simply not
    // a video.
    try {
        if (capture.open(path, cv::CAP_FFMPEG) && capture.isOpened()) {
            return true;
        }
        return capture.open(path, cv::CAP_OPENCV_MJPEG) && capture.isOpened();
    } catch (const cv::Exception&) {
        return false;
    }
}

bool hasVideoExtension(const std::string& path) {
    return hasExtension(path, {".avi", ".mp4", ".mkv", ".mov", ".mpg", ".mpeg", ".m4v", ".webm",
                               ".wmv", ".ogv", ".flv"});
}

int64_t frameBytes(int sizePx) {
    return 3ll * sizePx * sizePx * static_cast<int64_t>(sizeof(float));
}

VideoLoad loadVideos(const std::vector<std::string>& paths, const VideoOptions& options,
                     const std::function<bool(int64_t, int64_t)>& progress) {
    VideoLoad out;
    const int stride = std::max(1, options.stride);
    DecodePool pool(options.threads);
    auto shared = std::make_shared<IndexShared>();
    shared->options = options;
    const auto tick = [&] {
        if (progress && !shared->cancel && !progress(shared->decoded.load(), 0)) {
            shared->cancel = true;
        }
    };
    // The containers' claims first, in parallel (opening a file can hang, too).
    std::vector<std::shared_future<Probe>> probing;
    for (const auto& path : paths) {
        probing.push_back(pool.submit<Probe>([path, options] { return probe(path, options); }));
    }
    std::vector<Probe> probes;
    int64_t wanted = 0; // frames the stride gives from every file, as the containers say
    for (size_t i = 0; i < paths.size(); ++i) {
        auto p = pool.await(probing[i], options.stallSeconds, nullptr, nullptr, tick);
        if (!p) {
            out.skipped.push_back({paths[i], stalledReason(options.stallSeconds)});
        } else if (!p->error.empty()) {
            out.skipped.push_back({paths[i], p->error});
        } else {
            wanted += (p->frames + stride - 1) / stride;
            probes.push_back(*p);
        }
    }
    if (shared->cancel) {
        out.cancelled = true;
        return out;
    }
    // Cache when the frames at training size fit the budget; else keep an evenly
    // spaced sample of them that does, and read clips from the files.
    const int64_t budgetFrames =
        std::max<int64_t>(1, options.budgetBytes / frameBytes(options.sizePx));
    const bool fits = wanted <= budgetFrames;
    bool caching = options.mode == "cache" || (options.mode != "stream" && fits);
    shared->budgetFrames = budgetFrames;
    shared->unbounded = options.mode == "cache";
    shared->keepEvery =
        caching ? 1 : std::max<int64_t>(1, (wanted + budgetFrames - 1) / budgetFrames);
    const auto reportProgress = [&] {
        if (progress && !shared->cancel && !progress(shared->decoded.load(), wanted)) {
            shared->cancel = true;
        }
    };
    struct Job {
        std::shared_future<Indexed> result;
        std::shared_ptr<std::atomic<int64_t>> beat;
    };
    std::vector<Job> jobs;
    for (const Probe& p : probes) {
        auto beat = std::make_shared<std::atomic<int64_t>>(0);
        jobs.push_back(
            {pool.submit<Indexed>([shared, p, beat] { return indexVideo(*shared, p, *beat); }),
             beat});
    }
    std::vector<Indexed> results(probes.size());
    std::vector<bool> good(probes.size(), false);
    for (size_t i = 0; i < probes.size(); ++i) {
        auto r = pool.await(jobs[i].result, options.stallSeconds, jobs[i].beat.get(), nullptr,
                            reportProgress);
        reportProgress();
        if (shared->cancel) {
            out.cancelled = true;
            return out;
        }
        if (!r) {
            out.skipped.push_back({probes[i].path, stalledReason(options.stallSeconds)});
            continue;
        }
        if (!r->error.empty() || r->frames == 0) {
            out.skipped.push_back(
                {probes[i].path, !r->error.empty() ? r->error
                                 : r->broke ? "breaks off before its first frame could be decoded"
                                            : "has no frames that can be decoded"});
            continue;
        }
        results[i] = std::move(*r);
        good[i] = true;
        caching = caching && !results[i].overBudget;
    }
    // The set, in the order given.
    std::vector<IndexedVideo> indexed;
    std::vector<cv::Mat> kept;
    std::vector<torch::Tensor> differences, flows;
    int64_t total = 0;
    for (size_t i = 0; i < probes.size(); ++i) {
        if (!good[i]) {
            continue;
        }
        Indexed& r = results[i];
        const std::string name = fileName(probes[i].path);
        out.video.starts.push_back(total);
        out.video.names.push_back(probes[i].path);
        out.strides.push_back(stride);
        differences.push_back(torch::tensor(r.difference, torch::kFloat));
        flows.push_back(torch::tensor(r.flow, torch::kFloat));
        indexed.push_back({probes[i].path, probes[i].bytes, probes[i].modified, total, r.frames,
                           stride, r.width, r.height});
        total += r.frames;
        if (caching) {
            kept.insert(kept.end(), r.kept.begin(), r.kept.end());
        } else {
            // A cache given up (the budget filled up): keep the sample's frames only.
            for (size_t k = 0; k < r.kept.size(); ++k) {
                if (r.keptAt[k] % shared->keepEvery == 0) {
                    kept.push_back(r.kept[k]);
                }
            }
        }
        r.kept.clear();
        if (r.broke) {
            out.notes.push_back(name + ": breaks off after frame " + std::to_string(r.fileFrames) +
                                " of " + std::to_string(probes[i].frames) +
                                " (cut short or damaged); the " + std::to_string(r.frames) +
                                " frames read before are used");
        }
    }
    if (total == 0) {
        return out;
    }
    out.video.motion[kMotionDifference] = torch::cat(differences);
    if (options.opticalFlow) {
        out.video.motion[kMotionFlow] = torch::cat(flows);
    }
    out.sample = matsToBatch(kept, options.sizePx);
    kept.clear();
    if (caching) {
        out.video.frames = out.sample;
        return out;
    }
    out.streamed = true;
    out.video.streamedFrames = total;
    ClipReaderOptions reader;
    reader.sizePx = options.sizePx;
    reader.threads = options.threads;
    reader.stallSeconds = options.stallSeconds;
    out.video.reader = std::make_shared<VideoClipReader>(std::move(indexed), reader);
    std::ostringstream note;
    note << (out.video.videoCount() == 1 ? fileName(out.video.names.front())
                                         : std::to_string(out.video.videoCount()) + " videos")
         << ": read clip by clip from the file" << (out.video.videoCount() == 1 ? "" : "s") << " (";
    if (options.mode == "stream") {
        note << "streaming chosen";
    } else {
        note << "all " << total << " frames at " << options.sizePx << " px need "
             << budgetMegabytes(total * frameBytes(options.sizePx)) << ", over the "
             << budgetMegabytes(options.budgetBytes) << " budget";
    }
    note << "); " << out.sample.size(0) << " frames kept for the image tasks and thumbnails";
    out.notes.push_back(note.str());
    return out;
}

bool writeMjpegVideo(const std::string& path, const torch::Tensor& frames, int width, int height,
                     double fps) {
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps,
                           cv::Size(width, height));
    if (!writer.isOpened()) {
        return false;
    }
    cv::Mat big;
    for (int64_t i = 0; i < frames.size(0); ++i) {
        cv::resize(tensorToMat(frames[i]), big, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        writer.write(big);
    }
    writer.release();
    return true;
}

torch::Tensor flowMotion(const torch::Tensor& frames, const std::vector<int64_t>& starts) {
    const int64_t n = frames.size(0);
    auto motion = torch::zeros({n}, torch::kFloat);
    if (n < 2) {
        return motion;
    }
    // 8-bit luma of every frame, converted in chunks (a quarter of a float frame each).
    auto weights = torch::tensor({0.299f, 0.587f, 0.114f}).view({1, 3, 1, 1});
    auto gray = torch::empty({n, frames.size(2), frames.size(3)}, torch::kUInt8);
    for (int64_t first = 0; first < n; first += 256) {
        const int64_t count = std::min<int64_t>(256, n - first);
        gray.narrow(0, first, count)
            .copy_((frames.narrow(0, first, count).to(torch::kCPU, torch::kFloat) * weights)
                       .sum(1)
                       .mul_(255.0)
                       .round_()
                       .clamp_(0, 255));
    }
    const int h = static_cast<int>(gray.size(1)), w = static_cast<int>(gray.size(2));
    std::vector<bool> first(static_cast<size_t>(n), false);
    for (int64_t s : starts) {
        if (s < n) {
            first[static_cast<size_t>(s)] = true;
        }
    }
    auto* data = gray.data_ptr<uint8_t>();
    auto m = motion.accessor<float, 1>();
    for (int64_t i = 1; i < n; ++i) {
        if (first[static_cast<size_t>(i)]) {
            continue;
        }
        const cv::Mat prev(h, w, CV_8UC1, data + (i - 1) * h * w);
        const cv::Mat next(h, w, CV_8UC1, data + i * h * w);
        m[i] = flowMagnitude(prev, next);
    }
    return motion;
}

} // namespace pretext::io
