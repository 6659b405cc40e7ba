#pragma once
// Decodes video files (whatever OpenCV's FFmpeg backend opens) into cached frames
// at training size: every stride-th frame, under a memory budget for all files
// together, with progress and cancellation. A file that cannot be opened or has no
// frames is reported with its path and reason; one that breaks off keeps the frames
// read before the break, and says so. No Qt.
#include "ImageLoader.h"
#include "Video.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pretext::io {

// avi, mp4, mkv, mov, mpg, mpeg, m4v, webm, wmv, ogv, flv (any case).
bool hasVideoExtension(const std::string& path);

struct VideoOptions {
    int sizePx = 64;
    int stride = 1;                            // keep every stride-th frame
    int64_t budgetBytes = 512ll * 1024 * 1024; // cached frames of all files together
    bool opticalFlow = true;                   // also measure motion by optical flow
    // Bounds on what a file's container claims, checked before decoding a frame.
    int64_t maxPixels = 64'000'000; // width x height of a frame
    int64_t maxFrames = 10'000'000; // frames in one file (over 90 hours at 30 fps)
};

struct VideoLoad {
    VideoFrames video;
    std::vector<LoadIssue> skipped; // files that gave no frame
    std::vector<std::string> notes; // "<file>: ..." sampling and truncation notes
    std::vector<int> strides;       // stride used per loaded video
    bool cancelled = false;         // the loader stopped on request; `video` is partial
};

// Bytes one cached frame takes at this size (float RGB).
int64_t frameBytes(int sizePx);

// progress(framesDone, framesExpected) is called from the calling thread every few
// frames; returning false cancels the load.
VideoLoad loadVideos(const std::vector<std::string>& paths, const VideoOptions& options,
                     const std::function<bool(int64_t, int64_t)>& progress = {});

// Writes frames (N,3,S,S) in [0,1] as a Motion-JPEG AVI of width x height pixels
// (for tests and benchmarks: a video file made here, no download). False on failure.
bool writeMjpegVideo(const std::string& path, const torch::Tensor& frames, int width, int height,
                     double fps = 25.0);

// Mean Farnebäck optical-flow magnitude (pixels) of each frame against the previous
// frame of its video; 0 for a video's first frame. (N) float.
torch::Tensor flowMotion(const torch::Tensor& frames, const std::vector<int64_t>& starts);

} // namespace pretext::io
