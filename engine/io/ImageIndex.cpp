#include "ImageIndex.h"

#include "ImageHeader.h"
#include "Threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;

namespace pretext::io {

namespace {
// Enough for a JPEG's frame header behind large EXIF and ICC blocks; a header further
// in is read from the whole file.
constexpr size_t kHeaderBytes = 64 * 1024;

std::string checkedHeader(const std::string& path, const LoadLimits& limits, IndexedImage& out) {
    int64_t bytes = 0, modified = 0;
    if (!fileStamp(path, &bytes, &modified)) {
        return "cannot be read";
    }
    if (std::string problem = fileSizeProblem(static_cast<uint64_t>(bytes), limits);
        !problem.empty()) {
        return problem;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "cannot be opened";
    }
    std::vector<unsigned char> head(std::min<size_t>(kHeaderBytes, static_cast<size_t>(bytes)));
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    ImageHeader header = readImageHeader(head.data(), static_cast<size_t>(in.gcount()));
    if (!header.ok() && head.size() < static_cast<size_t>(bytes)) {
        head.resize(static_cast<size_t>(bytes));
        in.clear();
        in.seekg(0);
        in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
        header = readImageHeader(head.data(), static_cast<size_t>(in.gcount()));
    }
    if (std::string problem = headerProblem(header, limits); !problem.empty()) {
        return problem;
    }
    out.width = static_cast<int32_t>(header.width);
    out.height = static_cast<int32_t>(header.height);
    out.bytes = bytes;
    out.modified = modified;
    return {};
}

std::vector<std::string> readList(const std::string& list, std::vector<LoadIssue>& issues) {
    std::ifstream in(list);
    std::vector<std::string> out;
    if (!in) {
        issues.push_back({list, "cannot be opened"});
        return out;
    }
    const fs::path base = fs::path(list).parent_path();
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const fs::path p(line);
        out.push_back(p.is_absolute() ? line : (base / p).string());
    }
    return out;
}
} // namespace

bool isImageList(const std::string& path) {
    return hasExtension(path, {".txt", ".lst"});
}

bool fileStamp(const std::string& path, int64_t* bytes, int64_t* modified) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        return false;
    }
    const auto time = fs::last_write_time(path, ec);
    if (ec) {
        return false;
    }
    *bytes = static_cast<int64_t>(size);
    *modified = static_cast<int64_t>(time.time_since_epoch().count());
    return true;
}

ImageIndex indexImages(const std::vector<std::string>& paths, const LoadLimits& limits, int threads,
                       const std::function<void(size_t, size_t)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    ImageIndex index;
    std::vector<std::string> expanded;
    for (const auto& p : paths) {
        std::error_code ec;
        if (isImageList(p) && fs::is_regular_file(p, ec)) {
            for (auto& f : readList(p, index.skipped)) {
                expanded.push_back(std::move(f));
            }
        } else {
            expanded.push_back(p);
        }
    }
    const auto files = collectImageFiles(expanded, index.skipped);
    std::vector<IndexedImage> entries(files.size());
    std::vector<std::string> errors(files.size());
    std::atomic<size_t> next{0}, done{0};
    const int workers =
        std::max(1, std::min<int>(threads > 0 ? threads : usableCpus(),
                                  static_cast<int>(std::max<size_t>(1, files.size() / 64))));
    auto work = [&] {
        for (size_t i; (i = next.fetch_add(1)) < files.size();) {
            entries[i].path = files[i];
            errors[i] = checkedHeader(files[i], limits, entries[i]);
            done.fetch_add(1);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < workers; ++t) {
        pool.emplace_back(work);
    }
    if (progress) {
        // The calling thread reports while the others read.
        while (done.load() < files.size() && !pool.empty()) {
            progress(done.load(), files.size());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    work();
    for (auto& t : pool) {
        t.join();
    }
    if (progress) {
        progress(files.size(), files.size());
    }
    index.images.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        if (errors[i].empty()) {
            index.images.push_back(std::move(entries[i]));
        } else {
            index.skipped.push_back({files[i], errors[i]});
        }
    }
    index.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return index;
}

} // namespace pretext::io
