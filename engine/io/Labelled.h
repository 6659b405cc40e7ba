#pragma once
// Labelled images for judging an encoder (the linear probe): the MNIST IDX layout
// (Fashion-MNIST as Debian's dataset-fashion-mnist installs it, gzip or plain) or a
// folder per class. Each split is capped and drawn with a seed, so memory stays small
// and a probe can be repeated exactly.
#include "ImageLoader.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace pretext::io {

// Where Debian's dataset-fashion-mnist package puts the four files.
inline const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct LabelledSplit {
    torch::Tensor images;  // (N,3,H,W) float in [0,1], CPU (grayscale repeated to 3 channels)
    torch::Tensor labels;  // (N) int64 in [0, classes)
    int64_t available = 0; // images the source holds for this split, before the cap
    // Where each image came from: its file, or "IDX-FILE#INDEX" for an IDX image.
    std::vector<std::string> names;
};

struct LabelledData {
    LabelledSplit train, test;
    std::vector<std::string> classes;
    std::string source; // what was read, for reports
    std::vector<LoadIssue> skipped;
};

struct LabelledOptions {
    int64_t maxTrain = 10000;
    int64_t maxTest = 10000;
    uint64_t seed = 1;
    int sizePx = 64;           // folder-per-class images are decoded at this size
    double testFraction = 0.2; // folder-per-class without train/ and test/ subfolders
};

// `spec`: "fashion-mnist"; a folder holding train-images-idx3-ubyte[.gz],
// train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz];
// or a folder with one subfolder per class (or train/ and test/ holding those).
// Throws std::runtime_error (IdxError for IDX problems) naming the file and the problem.
LabelledData loadLabelled(const std::string& spec, const LabelledOptions& options = {});

// The images of an IDX images file and its labels file as a split: checks that the
// counts agree and the labels are in range; `maxItems` drawn with `seed` when fewer.
LabelledSplit readIdxSplit(const std::string& imagesPath, const std::string& labelsPath,
                           int64_t maxItems, uint64_t seed, int64_t* classCount = nullptr);

// Whether `spec` names IDX data: "fashion-mnist", or a folder holding
// train-images-idx3-ubyte[.gz].
bool isIdxSource(const std::string& spec);

// Fashion-MNIST's class names, in label order.
std::vector<std::string> fashionMnistClasses();

} // namespace pretext::io
