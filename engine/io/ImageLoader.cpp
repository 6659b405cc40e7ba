#include "ImageLoader.h"

#include "MatTensor.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;

namespace pretext::io {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct Decoded {
    cv::Mat image;      // resized, 8-bit BGR
    std::string error;  // empty on success
};

Decoded decodeOne(const std::string& path, int sizePx, const LoadLimits& limits) {
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    if (ec) {
        return {{}, "cannot be read: " + ec.message()};
    }
    if (bytes == 0) {
        return {{}, "is empty (0 bytes)"};
    }
    if (bytes > limits.maxFileBytes) {
        return {{}, "is too large (" + std::to_string(bytes >> 20) + " MB; the limit is " +
                        std::to_string(limits.maxFileBytes >> 20) + " MB)"};
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<uchar> buffer(bytes);
    if (!in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(bytes))) {
        return {{}, "cannot be read (I/O error)"};
    }
    cv::Mat image;
    try {
        image = cv::imdecode(buffer, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return {{}, "cannot be decoded: " + std::string(e.what())};
    }
    if (image.empty()) {
        return {{}, "is not an image OpenCV can decode (unknown format or damaged data)"};
    }
    if (static_cast<int64_t>(image.cols) * image.rows > limits.maxPixels) {
        return {{}, "is too large (" + std::to_string(image.cols) + "x" +
                        std::to_string(image.rows) + " pixels)"};
    }
    if (std::min(image.cols, image.rows) < limits.minSide) {
        return {{}, "is too small (" + std::to_string(image.cols) + "x" +
                        std::to_string(image.rows) + " pixels; at least " +
                        std::to_string(limits.minSide) + " per side)"};
    }
    return {squareResize(image, sizePx), {}};
}

} // namespace

bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions) {
    const std::string ext = lower(fs::path(path).extension().string());
    return std::any_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; });
}

bool hasImageExtension(const std::string& path) {
    return hasExtension(path, {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"});
}

std::vector<std::string> collectImageFiles(const std::vector<std::string>& paths,
                                           std::vector<LoadIssue>& issues) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        std::error_code ec;
        const auto status = fs::status(p, ec);
        if (ec || !fs::exists(status)) {
            issues.push_back({p, "does not exist"});
        } else if (fs::is_directory(status)) {
            std::vector<std::string> found;
            for (fs::recursive_directory_iterator it(
                     p, fs::directory_options::skip_permission_denied, ec), end;
                 !ec && it != end; it.increment(ec)) {
                if (it->is_regular_file(ec) && hasImageExtension(it->path().string())) {
                    found.push_back(it->path().string());
                }
            }
            if (ec) {
                issues.push_back({p, "could not be listed completely: " + ec.message()});
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(p);
        }
    }
    return files;
}

ImageSet loadImages(const std::vector<std::string>& paths, int sizePx, const LoadLimits& limits,
                    const std::function<void(size_t, size_t)>& progress) {
    ImageSet set;
    const auto files = collectImageFiles(paths, set.skipped);
    std::vector<Decoded> decoded(files.size());
    // Decode in chunks so that progress can be reported between them.
    const size_t chunk = 64;
    for (size_t begin = 0; begin < files.size(); begin += chunk) {
        const size_t end = std::min(files.size(), begin + chunk);
        cv::parallel_for_(cv::Range(static_cast<int>(begin), static_cast<int>(end)),
                          [&](const cv::Range& r) {
                              for (int i = r.start; i < r.end; ++i) {
                                  decoded[i] = decodeOne(files[i], sizePx, limits);
                              }
                          });
        if (progress) {
            progress(end, files.size());
        }
    }
    std::vector<torch::Tensor> tensors;
    for (size_t i = 0; i < files.size(); ++i) {
        if (!decoded[i].error.empty()) {
            set.skipped.push_back({files[i], decoded[i].error});
            continue;
        }
        tensors.push_back(matToTensor(decoded[i].image));
        set.paths.push_back(files[i]);
    }
    set.images = tensors.empty() ? torch::empty({0, 3, sizePx, sizePx}) : torch::stack(tensors);
    return set;
}

} // namespace pretext::io
