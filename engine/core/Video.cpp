#include "Video.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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
    out << total << " windows of " << length << " frames; " << movingCount
        << " reach the motion threshold " << minMotion << " (" << motion << "): " << trainCount()
        << " for training, " << heldOutCount() << " held out";
    return out.str();
}

WindowPlan planWindows(const VideoFrames& video, const WindowSpec& spec) {
    WindowPlan plan;
    plan.length = std::max<int64_t>(1, spec.length);
    plan.minMotion = spec.minMotion;
    auto it = video.motion.find(spec.motion);
    if (it == video.motion.end() || !it->second.defined()) {
        it = video.motion.find(kMotionDifference);
    }
    torch::Tensor motion = it != video.motion.end() && it->second.defined()
                               ? it->second
                               : frameDifferenceMotion(video.frames, video.starts);
    plan.motion = it != video.motion.end() ? it->first : kMotionDifference;
    // Prefix sums: a window's score is the mean motion of its frames after the first.
    auto cumulative =
        torch::cat({torch::zeros({1}, torch::kDouble), motion.to(torch::kDouble).cumsum(0)});
    const double* c = cumulative.data_ptr<double>();
    std::vector<int64_t> starts, videos;
    std::vector<float> scores;
    std::vector<uint8_t> trainFlags, heldFlags;
    const int64_t L = plan.length;
    for (int64_t v = 0; v < video.videoCount(); ++v) {
        const int64_t begin = video.starts[static_cast<size_t>(v)], end = video.videoEnd(v);
        const int64_t n = end - begin;
        // Long enough videos keep their tail for judging the model.
        const int64_t cut = n >= 4 * L ? end - std::max<int64_t>(L, n / 8) : end;
        for (int64_t s = begin; s + L <= end; ++s) {
            const double score = L > 1 ? (c[s + L] - c[s + 1]) / static_cast<double>(L - 1) : 0.0;
            const bool moving = score >= spec.minMotion;
            starts.push_back(s);
            videos.push_back(v);
            scores.push_back(static_cast<float>(score));
            trainFlags.push_back(moving && s + L <= cut);
            heldFlags.push_back(moving && s >= cut);
        }
    }
    const auto count = static_cast<int64_t>(starts.size());
    plan.starts = torch::tensor(starts, torch::kLong).view({count});
    plan.video = torch::tensor(videos, torch::kLong).view({count});
    plan.score = torch::tensor(scores, torch::kFloat).view({count});
    plan.moving = plan.score >= spec.minMotion;
    plan.train =
        torch::tensor(std::vector<int64_t>(trainFlags.begin(), trainFlags.end()), torch::kLong)
            .view({count})
            .to(torch::kBool);
    plan.heldOut =
        torch::tensor(std::vector<int64_t>(heldFlags.begin(), heldFlags.end()), torch::kLong)
            .view({count})
            .to(torch::kBool);
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
    const double top =
        std::max(plan.score.max().item<double>(), 2.0 * plan.minMotion) * 1.05 + 1e-9;
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
        const int lineY =
            y0 + panelH - 1 - static_cast<int>(std::lround(plan.minMotion / top * (panelH - 2)));
        for (int x = 0; x < widthPx; ++x) {
            put(x, lineY, 0.85f, 0.15f, 0.15f);
        }
    }
    return image;
}

} // namespace pretext
