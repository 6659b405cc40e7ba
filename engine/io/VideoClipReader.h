#pragma once
// Video files read clip by clip (a ClipReader, engine/core): each requested window is
// decoded from where it starts in its file (a seek, or reading on when the file is
// already close before it), its frames cropped and flipped by one draw and resized to
// the training size, by a pool of decode threads, the next batch's clips decoded while
// the current one trains. Nothing but the open files and the batches in flight is held,
// whatever the length of the videos. No Qt.
#include "SampleSource.h"

#include <memory>
#include <string>
#include <vector>

namespace pretext::io {

// A video as the index pass found it.
struct IndexedVideo {
    std::string path;
    int64_t bytes = 0, modified = 0; // the file's stamp when indexed
    int64_t first = 0;               // its first frame in the set's numbering (VideoFrames::starts)
    int64_t frames = 0;              // frames it gives (after the stride)
    int stride = 1;                  // file frames per frame given
    int width = 0, height = 0;
};

struct ClipReaderOptions {
    int sizePx = 64;
    int threads = 0;            // decode threads; 0: half the usable CPUs, at least 1
    double stallSeconds = 30.0; // a clip with no frame decoded for this long is given up on
};

// Counters since the reader was made (the benchmark, the status bar).
struct ClipReaderStats {
    int64_t clips = 0;
    int64_t seeks = 0;        // clips that started with a seek
    int64_t readOn = 0;       // clips read on from where a file was
    double decodeSeconds = 0; // summed over threads
    double waitSeconds = 0;   // read() waiting for clips not ready
};

class VideoClipReader : public ClipReader {
public:
    VideoClipReader(std::vector<IndexedVideo> videos, const ClipReaderOptions& options);
    ~VideoClipReader() override;
    VideoClipReader(const VideoClipReader&) = delete;
    VideoClipReader& operator=(const VideoClipReader&) = delete;

    int64_t sizePx() const override;
    torch::Tensor read(const std::vector<ClipRequest>& requests, int64_t length,
                       const AugmentSpec& spec, uint64_t seed,
                       std::vector<bool>* ok = nullptr) override;
    void prefetch(const std::vector<ClipRequest>& requests, int64_t length, const AugmentSpec& spec,
                  uint64_t seed) override;
    bool unusable(int64_t start) const override;
    std::vector<SkippedSample> skipped() const override;
    std::string describe() const override;

    int threads() const;
    ClipReaderStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace pretext::io
