#pragma once
// Image files as a SampleSource (engine/core): a pool of decode threads turns each
// requested sample into its crop at training size (OpenCV decode, reduced decoding of
// JPEGs where the crop allows, crop, resize, flip), uint8 until the batch is formed,
// with the next batch decoded while the current one trains. A set whose decoded images
// fit the cache budget keeps them after the first decode (at up to twice the training
// size, so crops keep their detail); a larger one streams from the files, and resident
// memory does not depend on the number of files. No Qt.
#include "ImageIndex.h"
#include "SampleSource.h"

#include <memory>

namespace pretext::io {

struct FileSourceOptions {
    int sizePx = 64;
    int threads = 0;                        // decode threads; 0: half the usable CPUs, at least 1
    int64_t cacheBudgetBytes = 512ll << 20; // decoded images kept when the set fits
    std::string mode = "auto";              // auto | cache | stream
    LoadLimits limits;
    double stallSeconds = 30.0; // a file whose decoding takes longer is reported and skipped
};

// Counters since the source was made, for the benchmark and the status bar.
struct PipelineStats {
    int64_t decoded = 0;      // samples produced
    int64_t fromCache = 0;    // of which from decoded images kept in memory
    double decodeSeconds = 0; // time spent decoding and augmenting, summed over threads
    double waitSeconds = 0;   // time fetch() waited for samples not ready
    int64_t cachedBytes = 0;
};

class ImageFileSource : public SampleSource {
public:
    // Splits the index: up to 128 files (an eighth of the set, evenly spread over it)
    // held out when it has 64 or more. Throws std::runtime_error when it is empty.
    ImageFileSource(ImageIndex index, const FileSourceOptions& options);
    ~ImageFileSource() override;
    ImageFileSource(const ImageFileSource&) = delete;
    ImageFileSource& operator=(const ImageFileSource&) = delete;

    int64_t trainCount() const override;
    int64_t sizePx() const override;
    void setAugment(const AugmentSpec& spec, uint64_t seed) override;
    torch::Tensor fetch(const std::vector<SampleRequest>& requests) override;
    void prefetch(const std::vector<SampleRequest>& requests) override;
    torch::Tensor sampleWith(const std::vector<SampleRequest>& requests, const AugmentSpec& spec,
                             uint64_t seed) override;
    torch::Tensor heldOut() override;
    torch::Tensor spread(int64_t count) override;
    std::vector<SkippedSample> skipped() const override;
    std::string describe() const override;

    bool cached() const;
    int threads() const;
    PipelineStats stats() const;
    // The training file behind a training index, and the held-out files.
    const std::string& trainPath(int64_t index) const;
    std::vector<std::string> heldOutPaths() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace pretext::io
