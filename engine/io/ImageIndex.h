#pragma once
// The index of an image set that may be far larger than memory: every file's path,
// size in pixels (read from its header, no pixel decoded), byte size and modification
// time, built by several threads at once. Files whose header cannot be read, or that
// break the limits, are named with the reason and left out. No Qt.
#include "ImageLoader.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pretext::io {

struct IndexedImage {
    std::string path;
    int32_t width = 0;
    int32_t height = 0;
    int64_t bytes = 0;
    int64_t modified = 0; // file time, in the file system's ticks
};

struct ImageIndex {
    std::vector<IndexedImage> images; // in the order the sources list them (folders sorted)
    std::vector<LoadIssue> skipped;
    double seconds = 0.0; // time the index took
};

// Whether `path` is a list of image paths (.txt or .lst): one path per line, relative
// paths taken from the list's folder, blank lines and lines starting with # ignored.
bool isImageList(const std::string& path);

// Expands folders (recursively) and lists, then reads each file's header in `threads`
// threads (0: every usable CPU). progress(done, total) is called from the calling
// thread now and then.
ImageIndex indexImages(const std::vector<std::string>& paths, const LoadLimits& limits = {},
                       int threads = 0, const std::function<void(size_t, size_t)>& progress = {});

// The file's size and time now, to tell whether it changed since it was indexed; false
// when it cannot be read.
bool fileStamp(const std::string& path, int64_t* bytes, int64_t* modified);

} // namespace pretext::io
