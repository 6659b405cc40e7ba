#pragma once
// The index pass over video files (whatever OpenCV's FFmpeg backend opens): each file
// read once, in parallel, every stride-th frame measured for motion at a low resolution
// (frame difference, optical flow). When the frames at training size fit the memory
// budget they are kept (cached); otherwise the set is read clip by clip during training
// (VideoClipReader) and only an evenly spaced sample of frames, within the budget, is
// kept for the image tasks and the thumbnails. Progress and cancellation; a file that
// cannot be opened, has no frames or whose decoder stalls is reported with its path and
// reason; one that breaks off keeps the frames read before the break, and says so. No Qt.
#include "ImageLoader.h"
#include "Video.h"

#include <opencv2/videoio.hpp>

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
    std::string mode = "auto";  // auto (cache when it fits the budget) | cache | stream
    int threads = 0;            // decode threads; 0: half the usable CPUs, at least 1
    double stallSeconds = 30.0; // a file with no frame decoded for this long is skipped
    int motionPx = 64;          // side of the frames motion is measured on
    // Bounds on what a file's container claims, checked before decoding a frame.
    int64_t maxPixels = 64'000'000; // width x height of a frame
    int64_t maxFrames = 10'000'000; // frames in one file (over 90 hours at 30 fps)
};

struct VideoLoad {
    VideoFrames video; // cached (frames), or streamed (reader)
    // Frames kept at training size, (K,3,S,S) float: all of them (== video.frames) when
    // cached; when streamed, every k-th, as many as the budget holds.
    torch::Tensor sample;
    bool streamed = false;
    std::vector<LoadIssue> skipped; // files that gave no frame
    std::vector<std::string> notes; // "<file>: ..." sampling and truncation notes
    std::vector<int> strides;       // stride used per loaded video
    bool cancelled = false;         // the loader stopped on request; nothing is loaded
};

// Opens with FFmpeg, else with OpenCV's own Motion-JPEG reader; false when neither can.
bool openVideo(cv::VideoCapture& capture, const std::string& path);

// Bytes one cached frame takes at this size (float RGB).
int64_t frameBytes(int sizePx);

// progress(framesDone, framesExpected) is called from the calling thread a few times a
// second; returning false cancels the load.
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
