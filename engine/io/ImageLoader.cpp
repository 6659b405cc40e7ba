#include "ImageLoader.h"

#include "ImageHeader.h"
#include "MatTensor.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
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

std::string megapixels(int64_t pixels) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MP", static_cast<double>(pixels) / 1e6);
    return text;
}

// Whether a JPEG's end-of-image marker (FF D9) is among its last bytes (some writers
// pad after it).
bool hasJpegEnd(const std::vector<uchar>& bytes) {
    const size_t from = bytes.size() > 4096 ? bytes.size() - 4096 : 0;
    for (size_t i = bytes.size(); i-- > from + 1;) {
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9) {
            return true;
        }
    }
    return false;
}

} // namespace

std::string fileSizeProblem(uint64_t bytes, const LoadLimits& limits) {
    if (bytes == 0) {
        return "is empty (0 bytes)";
    }
    if (bytes > limits.maxFileBytes) {
        return "is too large (" + std::to_string(bytes >> 20) + " MB; the limit is " +
               std::to_string(limits.maxFileBytes >> 20) + " MB)";
    }
    return {};
}

std::string headerProblem(const ImageHeader& header, const LoadLimits& limits) {
    if (!header.ok()) {
        return header.error;
    }
    const std::string size = std::to_string(header.width) + "x" + std::to_string(header.height);
    if (header.width > limits.maxPixels / header.height) {
        return "is too large: its " + header.format + " header says " + size + " pixels (" +
               megapixels(header.width * header.height) + "), over the limit of " +
               megapixels(limits.maxPixels) + " (it can be raised)";
    }
    if (std::min(header.width, header.height) < limits.minSide) {
        return "is too small (" + size + " pixels; at least " + std::to_string(limits.minSide) +
               " per side)";
    }
    return {};
}

DecodedImage decodeImageFile(const std::string& path, const LoadLimits& limits, int reduce) {
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    if (ec) {
        return {{}, "cannot be read: " + ec.message()};
    }
    if (const std::string problem = fileSizeProblem(bytes, limits); !problem.empty()) {
        return {{}, problem};
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<uchar> buffer(bytes);
    if (!in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(bytes))) {
        return {{}, "cannot be read (I/O error)"};
    }
    // The size comes from the header, before any pixel is decoded: a file claiming
    // 30000x30000 pixels is refused without allocating them.
    const ImageHeader header = readImageHeader(buffer.data(), buffer.size());
    if (const std::string problem = headerProblem(header, limits); !problem.empty()) {
        return {{}, problem};
    }
    if (header.format == "JPEG" && !hasJpegEnd(buffer)) {
        // libjpeg would fill the missing rows with grey and call it a success.
        return {{}, "is cut short: the JPEG data end without an end-of-image marker"};
    }
    cv::Mat image;
    const int flag = reduce >= 8   ? cv::IMREAD_REDUCED_COLOR_8
                     : reduce >= 4 ? cv::IMREAD_REDUCED_COLOR_4
                     : reduce >= 2 ? cv::IMREAD_REDUCED_COLOR_2
                                   : cv::IMREAD_COLOR;
    const int64_t factor = reduce >= 8 ? 8 : reduce >= 4 ? 4 : reduce >= 2 ? 2 : 1;
    try {
        image = cv::imdecode(buffer, flag);
    } catch (const cv::Exception& e) {
        return {{}, "cannot be decoded: " + std::string(e.what())};
    }
    if (image.empty()) {
        return {{}, "is a damaged " + header.format + " file (its pixel data cannot be decoded)"};
    }
    // (A JPEG's EXIF orientation may swap the two; a reduced decode rounds up or down.)
    const auto near = [factor](int64_t decoded, int64_t claimed) {
        return factor == 1 ? decoded == claimed
                           : std::abs(decoded - (claimed + factor - 1) / factor) <= 1;
    };
    const bool sameSize = (near(image.cols, header.width) && near(image.rows, header.height)) ||
                          (near(image.cols, header.height) && near(image.rows, header.width));
    if (!sameSize) {
        return {{},
                "decodes to " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                    " pixels, not the " + std::to_string(header.width) + "x" +
                    std::to_string(header.height) + " its header says; it is not loaded"};
    }
    return {image, {}};
}

namespace {

DecodedImage decodeOne(const std::string& path, int sizePx, const LoadLimits& limits) {
    DecodedImage d = decodeImageFile(path, limits);
    if (d.error.empty()) {
        d.image = squareResize(d.image, sizePx);
    }
    return d;
}

} // namespace

bool hasExtension(const std::string& path, std::initializer_list<const char*> extensions) {
    const std::string ext = lower(fs::path(path).extension().string());
    return std::any_of(extensions.begin(), extensions.end(),
                       [&](const char* e) { return ext == e; });
}

bool hasImageExtension(const std::string& path) {
    // GIF is listed so that a folder's GIFs are named as unreadable, not silently left out.
    return hasExtension(path, {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".ppm",
                               ".pgm", ".pbm", ".pnm", ".gif"});
}

std::vector<std::string> collectImageFiles(const std::vector<std::string>& paths,
                                           std::vector<LoadIssue>& issues) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        std::error_code ec;
        const auto status = fs::status(p, ec);
        if (ec && fs::is_symlink(fs::symlink_status(p))) {
            issues.push_back({p, "is a symbolic link that cannot be followed: " + ec.message()});
        } else if (ec || !fs::exists(status)) {
            issues.push_back({p, "does not exist"});
        } else if (fs::is_directory(status)) {
            std::vector<std::string> found;
            for (fs::recursive_directory_iterator
                     it(p, fs::directory_options::skip_permission_denied, ec),
                 end;
                 !ec && it != end; it.increment(ec)) {
                const std::string file = it->path().string();
                if (!hasImageExtension(file)) {
                    continue;
                }
                std::error_code fileEc;
                if (it->is_regular_file(fileEc)) {
                    found.push_back(file);
                } else if (fileEc || it->is_symlink(fileEc)) {
                    // A link in a loop, or to nothing: said, not silently left out.
                    issues.push_back(
                        {file, "is a symbolic link that cannot be followed" +
                                   (fileEc ? ": " + fileEc.message() : std::string())});
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
    std::vector<DecodedImage> decoded(files.size());
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
