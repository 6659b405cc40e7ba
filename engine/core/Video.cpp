#include "Video.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace pretext {

torch::Tensor frameDifferenceMotion(const torch::Tensor& frames,
                                    const std::vector<int64_t>& starts) {
    const int64_t n = frames.size(0);
    auto motion = torch::zeros({n}, torch::kFloat);
    // In chunks, so a long video's differences never take as much memory as the video.
    constexpr int64_t kChunk = 256;
    for (int64_t first = 1; first < n; first += kChunk) {
        const int64_t count = std::min(kChunk, n - first);
        auto diff = (frames.narrow(0, first, count) - frames.narrow(0, first - 1, count))
                        .abs_()
                        .mean({1, 2, 3});
        motion.narrow(0, first, count).copy_(diff.to(torch::kCPU, torch::kFloat).mul(100.0));
    }
    for (int64_t s : starts) {
        if (s < n) {
            motion[s] = 0.0; // a video's first frame has no predecessor
        }
    }
    return motion;
}

void appendVideo(VideoFrames& set, const torch::Tensor& frames, const std::string& name) {
    const int64_t first = set.frameCount();
    set.starts.push_back(first);
    set.names.push_back(name);
    set.frames = first == 0 ? frames : torch::cat({set.frames, frames});
    auto motion = frameDifferenceMotion(frames, {0});
    auto& all = set.motion[kMotionDifference];
    all = all.defined() ? torch::cat({all, motion}) : motion;
}

int64_t WindowPlan::trainCount() const {
    return train.defined() ? train.sum().item<int64_t>() : 0;
}

int64_t WindowPlan::heldOutCount() const {
    return heldOut.defined() ? heldOut.sum().item<int64_t>() : 0;
}

torch::Tensor WindowPlan::trainStarts() const {
    return starts.masked_select(train);
}

torch::Tensor WindowPlan::heldOutStarts(int64_t limit) const {
    auto all = starts.masked_select(heldOut);
    if (all.size(0) <= limit) {
        return all;
    }
    auto pick =
        torch::linspace(0, static_cast<double>(all.size(0) - 1), limit).round().to(torch::kLong);
    return all.index_select(0, pick);
}

std::string WindowPlan::note() const {
    std::ostringstream out;
    const int64_t total = starts.defined() ? starts.size(0) : 0;
    const int64_t movingCount = moving.defined() ? moving.sum().item<int64_t>() : 0;
    out << total << " windows of " << length << " frames; " << movingCount;
    if (relative) {
        out << " are each video's top " << std::lround(100.0 * keep) << "% by motion (" << motion;
        if (!thresholds.empty()) {
            const auto [lo, hi] = std::minmax_element(thresholds.begin(), thresholds.end());
            out << " \u2265 " << std::setprecision(2) << *lo;
            if (*hi > *lo + 1e-9) {
                out << "\u2013" << *hi;
            }
        }
        out << ")";
    } else {
        out << " reach the motion threshold " << minMotion << " (" << motion << ")";
    }
    out << ": " << trainCount() << " for training, " << heldOutCount() << " held out";
    return out.str();
}

namespace {
// The threshold that keeps the fraction `keep` of these scores (the (1 - keep) quantile),
// never below a floor that tells still frames from moving ones.
double relativeThreshold(std::vector<float> scores, double keep) {
    constexpr double kStill = 1e-3; // motion a decoder's noise alone does not reach
    if (scores.empty()) {
        return kStill;
    }
    keep = std::clamp(keep, 0.0, 1.0);
    const auto n = static_cast<int64_t>(scores.size());
    const int64_t rank = std::clamp<int64_t>(
        static_cast<int64_t>(std::floor((1.0 - keep) * static_cast<double>(n))), 0, n - 1);
    std::nth_element(scores.begin(), scores.begin() + rank, scores.end());
    return std::max<double>(scores[static_cast<size_t>(rank)], kStill);
}
} // namespace

WindowPlan planWindows(const VideoFrames& video, const WindowSpec& spec) {
    WindowPlan plan;
    plan.length = std::max<int64_t>(1, spec.length);
    plan.relative = spec.relative;
    plan.keep = spec.relative ? spec.keep : 1.0;
    auto it = video.motion.find(spec.motion);
    if (it == video.motion.end() || !it->second.defined()) {
        it = video.motion.find(kMotionDifference);
    }
    torch::Tensor motion = it != video.motion.end() && it->second.defined() ? it->second
                           : video.frames.defined()
                               ? frameDifferenceMotion(video.frames, video.starts)
                               : torch::zeros({video.frameCount()});
    plan.motion = it != video.motion.end() ? it->first : kMotionDifference;
    // Prefix sums: a window's score is the mean motion of its frames after the first.
    auto cumulative =
        torch::cat({torch::zeros({1}, torch::kDouble), motion.to(torch::kDouble).cumsum(0)});
    const double* c = cumulative.data_ptr<double>();
    std::vector<int64_t> starts, videos;
    std::vector<float> scores;
    std::vector<uint8_t> trainFlags, heldFlags, movingFlags;
    const int64_t L = plan.length;
    for (int64_t v = 0; v < video.videoCount(); ++v) {
        const int64_t begin = video.starts[static_cast<size_t>(v)], end = video.videoEnd(v);
        const int64_t n = end - begin;
        // Long enough videos keep their tail for judging the model.
        const int64_t cut = n >= 4 * L ? end - std::max<int64_t>(L, n / 8) : end;
        std::vector<float> own;
        for (int64_t s = begin; s + L <= end; ++s) {
            own.push_back(static_cast<float>(
                L > 1 ? (c[s + L] - c[s + 1]) / static_cast<double>(L - 1) : 0.0));
        }
        const double threshold =
            spec.relative ? (L > 1 ? relativeThreshold(own, spec.keep) : 0.0) : spec.minMotion;
        plan.thresholds.push_back(threshold);
        for (int64_t s = begin; s + L <= end; ++s) {
            const float score = own[static_cast<size_t>(s - begin)];
            const bool moving = score >= threshold;
            starts.push_back(s);
            videos.push_back(v);
            scores.push_back(score);
            movingFlags.push_back(moving);
            trainFlags.push_back(moving && s + L <= cut);
            heldFlags.push_back(moving && s >= cut);
        }
    }
    plan.minMotion = spec.relative && !plan.thresholds.empty()
                         ? *std::min_element(plan.thresholds.begin(), plan.thresholds.end())
                         : spec.minMotion;
    const auto count = static_cast<int64_t>(starts.size());
    const auto flags = [count](const std::vector<uint8_t>& f) {
        return torch::tensor(std::vector<int64_t>(f.begin(), f.end()), torch::kLong)
            .view({count})
            .to(torch::kBool);
    };
    plan.starts = torch::tensor(starts, torch::kLong).view({count});
    plan.video = torch::tensor(videos, torch::kLong).view({count});
    plan.score = torch::tensor(scores, torch::kFloat).view({count});
    plan.moving = flags(movingFlags);
    plan.train = flags(trainFlags);
    plan.heldOut = flags(heldFlags);
    return plan;
}

torch::Tensor gatherWindows(const torch::Tensor& frames, const torch::Tensor& starts,
                            int64_t length) {
    auto offsets =
        torch::arange(length, torch::TensorOptions().dtype(torch::kLong).device(frames.device()));
    auto index = (starts.to(frames.device()).unsqueeze(1) + offsets.unsqueeze(0)).flatten();
    auto clips = frames.index_select(0, index);
    return clips.view({starts.size(0), length, frames.size(1), frames.size(2), frames.size(3)});
}

torch::Tensor readWindows(const VideoFrames& video, const torch::Tensor& starts, int64_t length,
                          torch::Tensor* kept) {
    if (!video.streamed()) {
        if (kept) {
            *kept = starts;
        }
        return gatherWindows(video.frames, starts, length);
    }
    auto cpu = starts.to(torch::kCPU, torch::kLong).contiguous();
    const int64_t* s = cpu.data_ptr<int64_t>();
    std::vector<ClipRequest> requests;
    for (int64_t i = 0; i < cpu.size(0); ++i) {
        requests.push_back({s[i], 0});
    }
    std::vector<bool> ok;
    auto clips = video.reader->read(requests, length, AugmentSpec{}, 0, &ok);
    std::vector<int64_t> good;
    for (int64_t i = 0; i < cpu.size(0); ++i) {
        if (ok[static_cast<size_t>(i)]) {
            good.push_back(i);
        }
    }
    if (static_cast<int64_t>(good.size()) < cpu.size(0)) {
        auto pick = torch::tensor(good, torch::kLong);
        clips = clips.index_select(0, pick);
        cpu = cpu.index_select(0, pick);
    }
    if (kept) {
        *kept = cpu;
    }
    return clips;
}

torch::Tensor spreadStarts(const WindowPlan& plan, int64_t count) {
    auto all = plan.starts.masked_select(plan.train.logical_or(plan.heldOut));
    if (all.size(0) <= count) {
        return all;
    }
    auto pick =
        torch::linspace(0, static_cast<double>(all.size(0) - 1), count).round().to(torch::kLong);
    return all.index_select(0, pick);
}

torch::Tensor drawMotionTimeline(const VideoFrames& video, const WindowPlan& plan, int widthPx,
                                 int maxVideos) {
    const int64_t videos = std::min<int64_t>(video.videoCount(), maxVideos);
    const int panelH = 56, gap = 6;
    const int height = static_cast<int>(std::max<int64_t>(1, videos) * (panelH + gap) - gap);
    auto image = torch::ones({3, height, widthPx}, torch::kFloat);
    if (videos == 0 || plan.starts.size(0) == 0) {
        return image;
    }
    auto px = image.accessor<float, 3>();
    auto put = [&](int x, int y, float r, float g, float b) {
        if (x >= 0 && x < widthPx && y >= 0 && y < height) {
            px[0][y][x] = r;
            px[1][y][x] = g;
            px[2][y][x] = b;
        }
    };
    // Bars scale to the larger of the highest score and twice the threshold.
    const double highest = plan.thresholds.empty()
                               ? plan.minMotion
                               : *std::max_element(plan.thresholds.begin(), plan.thresholds.end());
    const double top = std::max(plan.score.max().item<double>(), 2.0 * highest) * 1.05 + 1e-9;
    const auto starts = plan.starts.accessor<int64_t, 1>();
    const auto vid = plan.video.accessor<int64_t, 1>();
    const auto score = plan.score.accessor<float, 1>();
    const auto train = plan.train.accessor<bool, 1>();
    const auto held = plan.heldOut.accessor<bool, 1>();
    for (int64_t v = 0; v < videos; ++v) {
        const int y0 = static_cast<int>(v) * (panelH + gap);
        const int64_t begin = video.starts[static_cast<size_t>(v)];
        const int64_t span = std::max<int64_t>(1, video.videoEnd(v) - begin);
        for (int y = y0; y < y0 + panelH; ++y) {
            for (int x = 0; x < widthPx; ++x) {
                put(x, y, 0.96f, 0.96f, 0.97f);
            }
        }
        // Each column shows the strongest window starting there; used windows win ties.
        std::vector<float> colScore(static_cast<size_t>(widthPx), -1.0f);
        std::vector<int> colKind(static_cast<size_t>(widthPx), 0); // 0 unused, 1 train, 2 held out
        for (int64_t w = 0; w < plan.starts.size(0); ++w) {
            if (vid[w] != v) {
                continue;
            }
            const int x = static_cast<int>((starts[w] - begin) * widthPx / span);
            const int kind = train[w] ? 1 : held[w] ? 2 : 0;
            auto& s = colScore[static_cast<size_t>(x)];
            auto& k = colKind[static_cast<size_t>(x)];
            if (kind > k || (kind == k && score[w] > s)) {
                s = score[w];
                k = kind;
            }
        }
        for (int x = 0; x < widthPx; ++x) {
            const float s = colScore[static_cast<size_t>(x)];
            if (s < 0) {
                continue;
            }
            const int barH = std::max(1, static_cast<int>(std::lround(s / top * (panelH - 2))));
            const int kind = colKind[static_cast<size_t>(x)];
            const float r = kind == 1 ? 0.20f : kind == 2 ? 0.22f : 0.70f;
            const float g = kind == 1 ? 0.65f : kind == 2 ? 0.45f : 0.70f;
            const float b = kind == 1 ? 0.30f : kind == 2 ? 0.85f : 0.72f;
            for (int y = y0 + panelH - barH; y < y0 + panelH; ++y) {
                put(x, y, r, g, b);
            }
        }
        const double threshold = static_cast<size_t>(v) < plan.thresholds.size()
                                     ? plan.thresholds[static_cast<size_t>(v)]
                                     : plan.minMotion;
        const int lineY = std::max(
            y0, y0 + panelH - 1 - static_cast<int>(std::lround(threshold / top * (panelH - 2))));
        for (int x = 0; x < widthPx; ++x) {
            put(x, lineY, 0.85f, 0.15f, 0.15f);
        }
    }
    return image;
}

} // namespace pretext
