#include "Labelled.h"

#include "Idx.h"
#include "Rng.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace pretext::io {

namespace {
// path or path.gz, whichever exists; empty when neither does.
std::string findIdx(const fs::path& dir, const std::string& name) {
    for (const auto& candidate : {dir / name, dir / (name + ".gz")}) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
    }
    return {};
}

// `count` distinct indices of [0, n) in random order from the seed (all of them, in
// order, when count >= n).
torch::Tensor pick(int64_t n, int64_t count, uint64_t seed) {
    if (count < 0 || count >= n) {
        return torch::arange(n, torch::kLong);
    }
    auto gen = makeGenerator(seed);
    return std::get<0>(torch::randperm(n, gen, torch::kLong).narrow(0, 0, count).sort());
}

LabelledSplit toSplit(const torch::Tensor& images, const torch::Tensor& labels, int64_t available,
                      std::vector<std::string> names) {
    LabelledSplit s;
    s.images = images;
    s.labels = labels;
    s.available = available;
    s.names = std::move(names);
    return s;
}

std::vector<std::string> pickNames(const std::vector<std::string>& names,
                                   const torch::Tensor& idx) {
    std::vector<std::string> picked;
    picked.reserve(static_cast<size_t>(idx.size(0)));
    const auto ix = idx.contiguous();
    for (int64_t i = 0; i < ix.size(0); ++i) {
        picked.push_back(names.at(static_cast<size_t>(ix.data_ptr<int64_t>()[i])));
    }
    return picked;
}

bool looksLikeIdxFolder(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && !findIdx(dir, "train-images-idx3-ubyte").empty();
}

LabelledData loadIdxFolder(const fs::path& dir, const LabelledOptions& o) {
    LabelledData data;
    const char* files[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    std::string paths[4];
    for (int i = 0; i < 4; ++i) {
        paths[i] = findIdx(dir, files[i]);
        if (paths[i].empty()) {
            throw std::runtime_error(
                (dir / files[i]).string() +
                "[.gz]: missing (an MNIST-layout folder holds "
                "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte "
                "and t10k-labels-idx1-ubyte, each plain or .gz)");
        }
    }
    int64_t trainClasses = 0, testClasses = 0;
    data.train = readIdxSplit(paths[0], paths[1], o.maxTrain, o.seed, &trainClasses);
    data.test = readIdxSplit(paths[2], paths[3], o.maxTest, o.seed ^ 0x7E57ULL, &testClasses);
    const int64_t classes = std::max(trainClasses, testClasses);
    const bool fashion = fs::weakly_canonical(dir) == fs::weakly_canonical(kFashionMnistDir);
    for (int64_t c = 0; c < classes; ++c) {
        data.classes.push_back(fashion && c < 10 ? fashionMnistClasses()[c] : std::to_string(c));
    }
    data.source = (fashion ? "Fashion-MNIST (" : "IDX files (") + dir.string() + ")";
    return data;
}

std::vector<std::string> classFolders(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_directory(ec)) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

// Images of every class folder under `dir`, labelled by `classes`' order.
void loadClassImages(const fs::path& dir, const std::vector<std::string>& classes, int sizePx,
                     std::vector<torch::Tensor>& images, std::vector<int64_t>& labels,
                     std::vector<std::string>& names, std::vector<LoadIssue>& skipped) {
    for (size_t c = 0; c < classes.size(); ++c) {
        std::vector<LoadIssue> issues;
        const auto files = collectImageFiles({(dir / classes[c]).string()}, issues);
        ImageSet set = loadImages(files, sizePx);
        skipped.insert(skipped.end(), issues.begin(), issues.end());
        skipped.insert(skipped.end(), set.skipped.begin(), set.skipped.end());
        if (set.images.defined() && set.images.size(0) > 0) {
            images.push_back(set.images);
            names.insert(names.end(), set.paths.begin(), set.paths.end());
            labels.insert(labels.end(), static_cast<size_t>(set.images.size(0)),
                          static_cast<int64_t>(c));
        }
    }
}

LabelledSplit capped(const torch::Tensor& images, const torch::Tensor& labels,
                     const std::vector<std::string>& names, int64_t max, uint64_t seed) {
    const auto idx = pick(images.size(0), max, seed);
    return toSplit(images.index_select(0, idx), labels.index_select(0, idx), images.size(0),
                   pickNames(names, idx));
}

LabelledData loadClassFolders(const fs::path& dir, const LabelledOptions& o) {
    LabelledData data;
    std::error_code ec;
    const bool presplit = fs::is_directory(dir / "train", ec) && fs::is_directory(dir / "test", ec);
    const fs::path trainDir = presplit ? dir / "train" : dir;
    data.classes = classFolders(trainDir);
    if (data.classes.size() < 2) {
        throw std::runtime_error(dir.string() + ": not labelled data (no IDX files, and " +
                                 std::to_string(data.classes.size()) +
                                 " class subfolder(s); a folder per class needs at least two)");
    }
    auto gather = [&](const fs::path& from, torch::Tensor& images, torch::Tensor& labels,
                      std::vector<std::string>& names) {
        std::vector<torch::Tensor> parts;
        std::vector<int64_t> ids;
        loadClassImages(from, data.classes, o.sizePx, parts, ids, names, data.skipped);
        if (parts.empty()) {
            throw std::runtime_error(from.string() +
                                     ": no image could be read in its class folders");
        }
        images = torch::cat(parts);
        labels = torch::tensor(ids, torch::kLong);
    };
    torch::Tensor images, labels;
    std::vector<std::string> names;
    gather(trainDir, images, labels, names);
    if (presplit) {
        torch::Tensor testImages, testLabels;
        std::vector<std::string> testNames;
        gather(dir / "test", testImages, testLabels, testNames);
        data.train = capped(images, labels, names, o.maxTrain, o.seed);
        data.test = capped(testImages, testLabels, testNames, o.maxTest, o.seed ^ 0x7E57ULL);
    } else {
        // One seeded shuffle, the first part for testing.
        auto gen = makeGenerator(o.seed ^ 0x5B117ULL);
        const auto order = torch::randperm(images.size(0), gen, torch::kLong);
        const int64_t nTest = std::max<int64_t>(1, std::llround(o.testFraction * images.size(0)));
        if (nTest >= images.size(0)) {
            throw std::runtime_error(dir.string() +
                                     ": too few images to split into training and test sets");
        }
        const auto testIdx = order.narrow(0, 0, nTest),
                   trainIdx = order.narrow(0, nTest, images.size(0) - nTest);
        data.train = capped(images.index_select(0, trainIdx), labels.index_select(0, trainIdx),
                            pickNames(names, trainIdx), o.maxTrain, o.seed);
        data.test = capped(images.index_select(0, testIdx), labels.index_select(0, testIdx),
                           pickNames(names, testIdx), o.maxTest, o.seed ^ 0x7E57ULL);
    }
    data.source =
        "class folders (" + dir.string() + (presplit ? ", train/ and test/)" : ", split by seed)");
    return data;
}
} // namespace

std::vector<std::string> fashionMnistClasses() {
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

LabelledSplit readIdxSplit(const std::string& imagesPath, const std::string& labelsPath,
                           int64_t maxItems, uint64_t seed, int64_t* classCount) {
    IdxHeader ih, lh;
    // Headers first (no data), so that the counts are checked before anything large is read.
    readIdx(imagesPath, 0, 2'000'000'000, &ih);
    readIdx(labelsPath, 0, 2'000'000'000, &lh);
    if (ih.dims.size() != 3 || ih.typeCode != 0x08) {
        throw IdxError(imagesPath +
                       ": not an images file (IDX images are unsigned bytes, N x rows x columns)");
    }
    if (lh.dims.size() != 1 || lh.typeCode != 0x08) {
        throw IdxError(labelsPath +
                       ": not a labels file (IDX labels are unsigned bytes, one dimension)");
    }
    if (ih.dims[0] != lh.dims[0]) {
        throw IdxError(labelsPath + ": holds " + std::to_string(lh.dims[0]) + " labels for the " +
                       std::to_string(ih.dims[0]) + " images of " + imagesPath);
    }
    const auto raw = readIdx(imagesPath);
    const auto labels = readIdx(labelsPath).to(torch::kLong);
    const int64_t classes = labels.max().item<int64_t>() + 1;
    if (classes > 1000) {
        throw IdxError(labelsPath + ": a label of " + std::to_string(classes - 1) +
                       " (more than 1000 classes)");
    }
    if (classCount != nullptr) {
        *classCount = classes;
    }
    const auto idx = pick(raw.size(0), maxItems, seed);
    auto images = raw.index_select(0, idx)
                      .unsqueeze(1)
                      .to(torch::kFloat32)
                      .div_(255.0)
                      .expand({-1, 3, -1, -1});
    std::vector<std::string> names;
    names.reserve(static_cast<size_t>(idx.size(0)));
    const std::string file = fs::path(imagesPath).filename().string();
    const auto at = idx.accessor<int64_t, 1>();
    for (int64_t i = 0; i < idx.size(0); ++i) {
        names.push_back(file + "#" + std::to_string(at[i]));
    }
    return toSplit(images.contiguous(), labels.index_select(0, idx), raw.size(0), std::move(names));
}

bool isIdxSource(const std::string& spec) {
    return spec == "fashion-mnist" || looksLikeIdxFolder(fs::path(spec));
}

LabelledData loadLabelled(const std::string& spec, const LabelledOptions& options) {
    const fs::path dir = spec == "fashion-mnist" ? fs::path(kFashionMnistDir) : fs::path(spec);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        if (spec == "fashion-mnist") {
            throw std::runtime_error(dir.string() +
                                     ": missing (Debian: apt-get install dataset-fashion-mnist)");
        }
        throw std::runtime_error(spec + ": no such folder (labels come from 'fashion-mnist', an "
                                        "MNIST-layout folder of IDX files, or a folder per class)");
    }
    return looksLikeIdxFolder(dir) ? loadIdxFolder(dir, options) : loadClassFolders(dir, options);
}

} // namespace pretext::io
