#pragma once
// An image's format and size read from the first bytes of its file, before any pixel
// is decoded, so that a file claiming 30000x30000 pixels (a decompression bomb) is
// refused without allocating. Pure C++: no OpenCV, no torch (it is fuzzed alone).
#include <cstddef>
#include <cstdint>
#include <string>

namespace pretext::io {

struct ImageHeader {
    std::string format; // "PNG", "JPEG", "BMP", "WebP", "TIFF", "PNM"; empty when unknown
    int64_t width = 0;
    int64_t height = 0;
    std::string error; // empty when the size was read; otherwise why not, for a person
    bool ok() const { return error.empty(); }
};

// Reads the size from a PNG IHDR, a JPEG frame header (SOFn), a BMP info header, a
// WebP VP8/VP8L/VP8X chunk, a TIFF's first directory or a PNM header. Any other
// content, a header cut short, or a size of 0 gives an error (text files and GIFs are
// named as such). Never reads outside [data, data + size).
ImageHeader readImageHeader(const unsigned char* data, size_t size);

} // namespace pretext::io
