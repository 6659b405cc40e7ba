#include "VideoLoader.h"

#include "MatTensor.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <opencv2/videoio.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace pretext::io {

namespace {

// Opens with FFmpeg, else with OpenCV's own Motion-JPEG reader. Not CAP_ANY: it would
// also try GStreamer and the image-sequence reader, which read a file name as a
// pattern and fill stderr with errors for a file that is simply not a video.
bool openVideo(cv::VideoCapture& capture, const std::string& path) {
    try {
        if (capture.open(path, cv::CAP_FFMPEG) && capture.isOpened()) {
            return true;
        }
        return capture.open(path, cv::CAP_OPENCV_MJPEG) && capture.isOpened();
    } catch (const cv::Exception&) {
        return false;
    }
}

struct Probe {
    std::string path;
    std::string error;
    int64_t frames = 0; // from the container; 0 when it does not say
};

Probe probe(const std::string& path, const VideoOptions& options) {
    Probe p{path, {}, 0};
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        p.error = "does not exist";
    } else if (fs::is_directory(status)) {
        p.error = "is a folder, not a video file";
    } else if (fs::file_size(path, ec) == 0) {
        p.error = "is empty (0 bytes)";
    } else {
        cv::VideoCapture capture;
        if (!openVideo(capture, path)) {
            p.error = "cannot be opened as a video (not a format OpenCV's FFmpeg backend decodes, "
                      "or the file is damaged)";
        } else {
            const double count = capture.get(cv::CAP_PROP_FRAME_COUNT);
            p.frames = std::isfinite(count) && count > 0 ? static_cast<int64_t>(count) : 0;
            // The container's claims, checked before any frame is decoded.
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

std::string fileName(const std::string& path) {
    return fs::path(path).filename().string();
}

std::string megabytes(int64_t bytes) {
    return std::to_string((bytes + (1 << 19)) >> 20) + " MB";
}

} // namespace

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
    const int64_t budgetFrames =
        std::max<int64_t>(1, options.budgetBytes / frameBytes(options.sizePx));
    std::vector<Probe> probes;
    int64_t wanted = 0; // frames the chosen stride would keep from every file
    for (const auto& path : paths) {
        Probe p = probe(path, options);
        if (!p.error.empty()) {
            out.skipped.push_back({path, p.error});
            continue;
        }
        wanted += (p.frames + stride - 1) / stride;
        probes.push_back(p);
    }
    // Over the budget: every file sampled more sparsely, by the same factor.
    const int64_t factor = wanted > budgetFrames ? (wanted + budgetFrames - 1) / budgetFrames : 1;
    const int64_t expected = std::min((wanted + factor - 1) / factor, budgetFrames);
    int64_t kept = 0;
    for (const Probe& p : probes) {
        const int64_t step = stride * factor;
        cv::VideoCapture capture;
        if (!openVideo(capture, p.path)) {
            out.skipped.push_back({p.path, "cannot be opened as a video any more"});
            continue;
        }
        std::vector<cv::Mat> frames; // small 8-bit frames; floats are made once at the end
        int64_t index = 0;
        bool broke = false, overBudget = false;
        cv::Mat frame;
        while (true) {
            if (kept + static_cast<int64_t>(frames.size()) >= budgetFrames) {
                overBudget = true;
                break;
            }
            bool ok = false;
            try {
                ok = capture.grab() && (index % step != 0 || capture.retrieve(frame));
            } catch (const cv::Exception&) {
                ok = false;
            }
            if (!ok) {
                broke = p.frames > 0 && index < p.frames - 1;
                break;
            }
            if (index % step == 0) {
                if (frame.empty() || frame.cols < 2 || frame.rows < 2) {
                    broke = true;
                    break;
                }
                frames.push_back(squareResize(frame, options.sizePx));
                if (progress && frames.size() % 8 == 0 &&
                    !progress(kept + static_cast<int64_t>(frames.size()), expected)) {
                    out.cancelled = true;
                    return out;
                }
            }
            ++index;
        }
        const std::string name = fileName(p.path);
        if (frames.empty()) {
            out.skipped.push_back(
                {p.path, broke ? "breaks off before its first frame could be decoded"
                               : "has no frames that can be decoded"});
            continue;
        }
        auto tensor =
            torch::empty({static_cast<int64_t>(frames.size()), 3, options.sizePx, options.sizePx});
        for (size_t i = 0; i < frames.size(); ++i) {
            tensor[static_cast<int64_t>(i)].copy_(matToTensor(frames[i]));
        }
        frames.clear();
        appendVideo(out.video, tensor, p.path);
        out.strides.push_back(static_cast<int>(step));
        kept += tensor.size(0);
        if (factor > 1) {
            out.notes.push_back(name + ": every " + std::to_string(step) +
                                "th frame kept (stride " + std::to_string(stride) + " would need " +
                                megabytes(wanted * frameBytes(options.sizePx)) +
                                " for all files, over the " + megabytes(options.budgetBytes) +
                                " budget)");
        }
        if (broke) {
            out.notes.push_back(name + ": breaks off after frame " + std::to_string(index) +
                                " of " + std::to_string(p.frames) +
                                " (cut short or damaged); the " + std::to_string(tensor.size(0)) +
                                " frames read before are kept");
        }
        if (overBudget) {
            out.notes.push_back(name + ": stopped at the " + megabytes(options.budgetBytes) +
                                " memory budget after " + std::to_string(tensor.size(0)) +
                                " frames");
        }
        if (progress && !progress(kept, expected)) {
            out.cancelled = true;
            return out;
        }
    }
    if (options.opticalFlow && !out.video.empty()) {
        out.video.motion[kMotionFlow] = flowMotion(out.video.frames, out.video.starts);
    }
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
    cv::Mat flow;
    for (int64_t i = 1; i < n; ++i) {
        if (first[static_cast<size_t>(i)]) {
            continue;
        }
        const cv::Mat prev(h, w, CV_8UC1, data + (i - 1) * h * w);
        const cv::Mat next(h, w, CV_8UC1, data + i * h * w);
        // Small frames: few pyramid levels and a window a fraction of the size.
        const int window = std::max(5, std::min(h, w) / 8) | 1;
        cv::calcOpticalFlowFarneback(prev, next, flow, 0.5, 2, window, 3, 5, 1.1, 0);
        cv::Mat parts[2];
        cv::split(flow, parts);
        cv::Mat magnitude;
        cv::magnitude(parts[0], parts[1], magnitude);
        m[i] = static_cast<float>(cv::mean(magnitude)[0]);
    }
    return motion;
}

} // namespace pretext::io
