#pragma once
// Decodes image files and folders once into a cached tensor. A file that cannot
// be read is skipped and reported with its path and reason; the rest loads.
#include <opencv2/core.hpp>
#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace pretext::io {

struct ImageHeader; // ImageHeader.h

struct LoadIssue {
    std::string path;
    std::string reason;
};

struct LoadLimits {
    uint64_t maxFileBytes = 512ull * 1024 * 1024;
    // Width x height of one image, read from its header before decoding: 64 megapixels
    // unless the user raises it (--max-megapixels, or the GUI's Data menu).
    int64_t maxPixels = 64'000'000;
    int minSide = 8;
};

struct ImageSet {
    torch::Tensor images;           // (N,3,S,S) float in [0,1], CPU
    std::vector<std::string> paths; // one per image, in order
    std::vector<LoadIssue> skipped;
};

// Whether the path's extension (with its dot, any case) is one of `extensions`.
bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions);

// Extensions read from folders: png, jpg, jpeg, bmp, webp, tif, tiff, ppm, pgm, pbm,
// pnm, and gif (any case; GIFs are then reported as not supported).
bool hasImageExtension(const std::string& path);

// Expands folders recursively (sorted, image extensions only); files named
// explicitly are kept whatever their extension. Missing paths become issues.
std::vector<std::string> collectImageFiles(const std::vector<std::string>& paths,
                                           std::vector<LoadIssue>& issues);

// Why a file of `bytes` bytes whose header says `header` is refused under `limits`
// (empty, too large, too many pixels, too small), for a person; empty when it is not.
// Shared by decoding and by the index, so both name a file the same way.
std::string fileSizeProblem(uint64_t bytes, const LoadLimits& limits);
std::string headerProblem(const ImageHeader& header, const LoadLimits& limits);

struct DecodedImage {
    cv::Mat image;     // 8-bit BGR, whole (or reduced), empty on failure
    std::string error; // why not, for a person (after the path); empty on success
};

// Reads and checks one file (size, header, a JPEG cut short, a header that lies) and
// decodes it; `reduce` 2, 4 or 8 decodes at that fraction of the size (a JPEG's DCT
// scaling: much faster when the image is to be shrunk anyway).
DecodedImage decodeImageFile(const std::string& path, const LoadLimits& limits = {},
                             int reduce = 1);

// progress(done, total) is called from the calling thread.
ImageSet loadImages(const std::vector<std::string>& paths, int sizePx,
                    const LoadLimits& limits = {},
                    const std::function<void(size_t, size_t)>& progress = {});

} // namespace pretext::io
