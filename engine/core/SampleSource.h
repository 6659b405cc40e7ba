#pragma once
// Where a run's training samples come from when they are not one tensor in memory: a
// set of image files decoded on the fly (engine/io's ImageFileSource streams them, or
// caches them decoded when they fit), or videos read clip by clip (engine/io's
// VideoClipReader). The trainer draws the epoch order and asks for samples by index
// (clips by first frame); the source decodes, crops and flips them as each sample's
// draw says (Augment.h), so a batch is the same whichever thread made it.
#include "Augment.h"

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pretext {

struct SampleRequest {
    int64_t index = 0; // into the training part of the set, [0, trainCount())
    uint64_t key = 0;  // the sample's place in the stream: its augmentation draw
};

// A file met during training that could not be used (vanished, changed, unreadable, or
// its decoder stalled), and why.
struct SkippedSample {
    std::string path;
    std::string reason;
};

// What every input pipeline tells a person: how it reads, and what it had to skip.
class InputReport {
public:
    virtual ~InputReport() = default;
    // Files skipped since the source was made.
    virtual std::vector<SkippedSample> skipped() const = 0;
    // One line for a person: how the set is read ("streamed from 50000 files by 2
    // decode threads", "cached: 91 images decoded, 12 MB").
    virtual std::string describe() const = 0;
};

class SampleSource : public InputReport {
public:
    // Training samples per epoch (the held-out ones are apart).
    virtual int64_t trainCount() const = 0;
    // Side of the square samples, in pixels.
    virtual int64_t sizePx() const = 0;
    // The run's augmentation and seed (set once, before the first fetch).
    virtual void setAugment(const AugmentSpec& spec, uint64_t seed) = 0;
    // The samples asked for, in order, (B,3,S,S) float in [0,1] on the CPU, cropped and
    // flipped as drawn (colour jitter is the trainer's). A sample that cannot be decoded
    // is replaced by the next usable one of the set, and reported by skipped().
    virtual torch::Tensor fetch(const std::vector<SampleRequest>& requests) = 0;
    // The samples as `spec` and `seed` draw them, leaving the run's augmentation alone
    // (previews); a sample that cannot be decoded is left out.
    virtual torch::Tensor sampleWith(const std::vector<SampleRequest>& requests,
                                     const AugmentSpec& spec, uint64_t seed) = 0;
    // What the trainer will ask for next, in order: the source may start decoding.
    virtual void prefetch(const std::vector<SampleRequest>& /*requests*/) {}
    // The held-out images (centre squares, no augmentation), fixed for the set.
    virtual torch::Tensor heldOut() = 0;
    // Up to `count` training images spread over the set, centre squares: what the task
    // analyses and the data mean is taken from.
    virtual torch::Tensor spread(int64_t count) = 0;
};

struct ClipRequest {
    int64_t start = 0; // first frame, numbered as in VideoFrames (videos one after another)
    uint64_t key = 0;  // the clip's place in the stream: its augmentation draw
};

// Windows of consecutive frames read from the video files as they are asked for, for a
// set too large to keep decoded (VideoFrames::reader). The window plan (which windows
// move, which are held out) is the trainer's, from the motion the index pass measured.
class ClipReader : public InputReport {
public:
    // Side of the square frames, in pixels.
    virtual int64_t sizePx() const = 0;
    // The clips of `length` frames asked for, (B,length,3,S,S) float in [0,1] on the CPU,
    // each clip's frames cropped and flipped by one draw of `spec` (seed, key). A clip
    // that cannot be read (its file vanished, changed, breaks off, or its decoder
    // stalled) is all zeros, `ok` (when given) says which, and skipped() names the file.
    virtual torch::Tensor read(const std::vector<ClipRequest>& requests, int64_t length,
                               const AugmentSpec& spec, uint64_t seed,
                               std::vector<bool>* ok = nullptr) = 0;
    // What read() will be asked for next, with the same arguments: decoding may start.
    virtual void prefetch(const std::vector<ClipRequest>& /*requests*/, int64_t /*length*/,
                          const AugmentSpec& /*spec*/, uint64_t /*seed*/) {}
    // Whether the video holding frame `start` has been found unreadable.
    virtual bool unusable(int64_t start) const = 0;
};

} // namespace pretext
