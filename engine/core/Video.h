#pragma once
// Frames of one or more videos, cached at training size or read clip by clip from the
// files, and the windows of consecutive frames that temporal tasks sample their tuples
// from. Plain LibTorch: decoding lives in engine/io, which fills a VideoFrames.
#include "SampleSource.h"

#include <torch/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pretext {

// Motion measures by name; "difference" is always present, "flow" when io computed it.
inline const char* const kMotionDifference = "difference";
inline const char* const kMotionFlow = "flow";

struct VideoFrames {
    // (N,3,S,S) float in [0,1], CPU, videos one after another: every frame, when the set
    // is cached; undefined when it is read clip by clip (then `reader` reads them).
    torch::Tensor frames;
    std::shared_ptr<ClipReader> reader; // set when `frames` is not
    int64_t streamedFrames = 0;         // frames of the set when `frames` is not set
    std::vector<int64_t> starts;        // first frame of each video, ascending, starts[0] == 0
    std::vector<std::string> names;     // one per video
    // Per frame, how much it moved since the previous frame of its video (0 for a
    // video's first frame). "difference": mean |Δ| in percent of full scale;
    // "flow": mean optical-flow magnitude in pixels at the size it was measured
    // (64 px for video files, the training size for the demo video).
    std::map<std::string, torch::Tensor> motion;

    int64_t frameCount() const { return frames.defined() ? frames.size(0) : streamedFrames; }
    bool streamed() const { return !frames.defined() && reader != nullptr; }
    int64_t videoCount() const { return static_cast<int64_t>(starts.size()); }
    int64_t videoEnd(int64_t v) const {
        return v + 1 < videoCount() ? starts[static_cast<size_t>(v + 1)] : frameCount();
    }
    bool empty() const { return frameCount() == 0; }
};

// Mean absolute difference against the previous frame of the same video, in percent.
torch::Tensor frameDifferenceMotion(const torch::Tensor& frames,
                                    const std::vector<int64_t>& starts);

// One video's frames appended to a set (its motion by frame difference filled in).
void appendVideo(VideoFrames& set, const torch::Tensor& frames, const std::string& name);

// What a temporal task asks of the video: windows of `length` consecutive frames with
// motion, measured by `motion`. Relative (the default): each video keeps the fraction
// `keep` of its own windows that move most (the windows at or above the (1 - keep)
// quantile of its motion distribution), so a static-camera street scene and a
// hand-held clip both give windows; windows with no motion at all are never kept.
// Absolute: the windows whose mean motion reaches `minMotion`.
struct WindowSpec {
    int64_t length = 0;     // 0: the task trains on single images, not windows
    double minMotion = 0.0; // absolute: threshold in the measure's unit
    std::string motion = kMotionDifference;
    bool relative = false;
    double keep = 0.5; // relative: fraction of each video's windows kept
};

// Every window that fits inside one video, its motion, and how it is used. The last
// eighth of each video long enough (at least 4 windows' length) is held out; windows
// that would straddle the cut are used by neither side, so no frame is shared.
struct WindowPlan {
    int64_t length = 0;
    torch::Tensor starts;           // (W) int64 first frame of each window
    torch::Tensor video;            // (W) int64 video of each window
    torch::Tensor score;            // (W) float mean motion of the frames after the first
    torch::Tensor moving;           // (W) bool score >= the window's video's threshold
    torch::Tensor train;            // (W) bool used for training
    torch::Tensor heldOut;          // (W) bool used to judge the model
    double minMotion = 0.0;         // absolute threshold, or the lowest of the videos'
    std::vector<double> thresholds; // per video: the threshold its windows met
    bool relative = false;
    double keep = 1.0;
    std::string motion; // the measure used ("flow" falls back to "difference")
    int64_t trainCount() const;
    int64_t heldOutCount() const;
    torch::Tensor trainStarts() const;
    // Up to `limit` held-out window starts, evenly spread over all of them.
    torch::Tensor heldOutStarts(int64_t limit) const;
    std::string note() const; // one line for the data panel and the run's config
};

WindowPlan planWindows(const VideoFrames& video, const WindowSpec& spec);

// The windows starting at `starts` as clips (B, length, 3, S, S), on frames' device.
torch::Tensor gatherWindows(const torch::Tensor& frames, const torch::Tensor& starts,
                            int64_t length);

// The same from a set cached or streamed, not augmented (centre squares), on the CPU.
// A streamed window that cannot be read is left out; `kept` (when given) receives the
// starts of the clips returned.
torch::Tensor readWindows(const VideoFrames& video, const torch::Tensor& starts, int64_t length,
                          torch::Tensor* kept = nullptr);

// Up to `count` usable window starts evenly spread over the plan's training and
// held-out windows, for previews.
torch::Tensor spreadStarts(const WindowPlan& plan, int64_t count);

// A timeline per video (up to `maxVideos`): one bar per window column, its height the
// motion, green where used for training, blue where held out, grey below the
// threshold (drawn as a red line). (3,H,W) float in [0,1].
torch::Tensor drawMotionTimeline(const VideoFrames& video, const WindowPlan& plan,
                                 int widthPx = 480, int maxVideos = 4);

} // namespace pretext
