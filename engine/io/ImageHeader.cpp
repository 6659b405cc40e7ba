#include "ImageHeader.h"

#include <cstring>

namespace pretext::io {

namespace {

// Bounds-checked reads: every offset is checked against the buffer before use.
class Bytes {
public:
    Bytes(const unsigned char* data, size_t size) : m_data(data), m_size(size) {}
    bool has(size_t offset, size_t count) const {
        return offset <= m_size && count <= m_size - offset;
    }
    uint32_t u8(size_t o) const { return m_data[o]; }
    uint32_t be16(size_t o) const { return (u8(o) << 8) | u8(o + 1); }
    uint32_t le16(size_t o) const { return u8(o) | (u8(o + 1) << 8); }
    uint32_t be32(size_t o) const { return (be16(o) << 16) | be16(o + 2); }
    uint32_t le32(size_t o) const { return le16(o) | (le16(o + 2) << 16); }
    uint32_t le24(size_t o) const { return u8(o) | (u8(o + 1) << 8) | (u8(o + 2) << 16); }
    bool startsWith(const char* magic, size_t offset = 0) const {
        const size_t n = std::strlen(magic);
        return has(offset, n) && std::memcmp(m_data + offset, magic, n) == 0;
    }
    size_t size() const { return m_size; }

private:
    const unsigned char* m_data;
    size_t m_size;
};

ImageHeader sized(const char* format, int64_t width, int64_t height) {
    ImageHeader h;
    h.format = format;
    h.width = width;
    h.height = height;
    if (width <= 0 || height <= 0) {
        h.error = std::string("has a ") + format + " header that gives a size of " +
                  std::to_string(width) + "x" + std::to_string(height) + " pixels";
    }
    return h;
}

ImageHeader broken(const char* format, const std::string& why) {
    ImageHeader h;
    h.format = format;
    h.error = std::string("is a damaged ") + format + " file: " + why;
    return h;
}

ImageHeader png(const Bytes& b) {
    // Signature (8), then the first chunk must be IHDR: length 13, width, height.
    if (!b.has(8, 16)) {
        return broken("PNG", "it ends inside its header");
    }
    if (!b.startsWith("IHDR", 12) || b.be32(8) != 13) {
        return broken("PNG", "its first chunk is not the IHDR header");
    }
    return sized("PNG", b.be32(16), b.be32(20));
}

ImageHeader jpeg(const Bytes& b) {
    // Markers after SOI until a frame header SOFn (C0..CF except DHT C4, JPG C8, DAC CC).
    size_t o = 2;
    while (true) {
        while (b.has(o, 1) && b.u8(o) != 0xFF) {
            ++o; // tolerate junk between segments, as decoders do
        }
        while (b.has(o, 1) && b.u8(o) == 0xFF) {
            ++o; // fill bytes
        }
        if (!b.has(o, 1)) {
            return broken("JPEG", "it ends before its frame header (cut short?)");
        }
        const uint32_t marker = b.u8(o++);
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            continue; // markers without a length
        }
        if (marker == 0xD9 || marker == 0xDA) {
            return broken("JPEG", "it has no frame header before its image data");
        }
        if (!b.has(o, 2)) {
            return broken("JPEG", "it ends inside a segment header (cut short?)");
        }
        const uint32_t length = b.be16(o);
        if (length < 2) {
            return broken("JPEG", "a segment has an impossible length");
        }
        const bool frame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (length < 8 || !b.has(o, 8)) {
                return broken("JPEG", "its frame header is cut short");
            }
            const int64_t height = b.be16(o + 3);
            if (height == 0) {
                return broken("JPEG", "its height is given later in the file (DNL), which is "
                                      "not supported");
            }
            return sized("JPEG", b.be16(o + 5), height);
        }
        o += length;
    }
}

ImageHeader bmp(const Bytes& b) {
    if (!b.has(14, 4)) {
        return broken("BMP", "it ends inside its header");
    }
    const uint32_t infoSize = b.le32(14);
    if (infoSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
        if (!b.has(18, 4)) {
            return broken("BMP", "it ends inside its header");
        }
        return sized("BMP", b.le16(18), b.le16(20));
    }
    if (infoSize < 40 || !b.has(18, 8)) {
        return broken("BMP", "its info header is too short");
    }
    // Signed 32-bit; a negative height means rows stored top-down.
    const int64_t width = static_cast<int32_t>(b.le32(18));
    int64_t height = static_cast<int32_t>(b.le32(22));
    if (height < 0) {
        height = -height;
    }
    return sized("BMP", width, height);
}

ImageHeader webp(const Bytes& b) {
    if (!b.has(12, 8)) {
        return broken("WebP", "it ends inside its header");
    }
    if (b.startsWith("VP8X", 12)) {
        if (!b.has(24, 6)) {
            return broken("WebP", "its VP8X header is cut short");
        }
        return sized("WebP", int64_t{b.le24(24)} + 1, int64_t{b.le24(27)} + 1);
    }
    if (b.startsWith("VP8L", 12)) {
        if (!b.has(20, 5) || b.u8(20) != 0x2F) {
            return broken("WebP", "its lossless header is cut short or has no signature");
        }
        const uint32_t bits = b.le32(21);
        return sized("WebP", int64_t{bits & 0x3FFF} + 1, int64_t{(bits >> 14) & 0x3FFF} + 1);
    }
    if (b.startsWith("VP8 ", 12)) {
        if (!b.has(20, 10) || b.u8(23) != 0x9D || b.u8(24) != 0x01 || b.u8(25) != 0x2A) {
            return broken("WebP", "its lossy header is cut short or has no start code");
        }
        return sized("WebP", b.le16(26) & 0x3FFF, b.le16(28) & 0x3FFF);
    }
    return broken("WebP", "its first chunk is not VP8, VP8L or VP8X");
}

ImageHeader tiff(const Bytes& b) {
    const bool little = b.u8(0) == 'I';
    auto u16 = [&](size_t o) { return little ? b.le16(o) : b.be16(o); };
    auto u32 = [&](size_t o) { return little ? b.le32(o) : b.be32(o); };
    if (!b.has(4, 4)) {
        return broken("TIFF", "it ends inside its header");
    }
    const size_t ifd = u32(4);
    if (!b.has(ifd, 2)) {
        return broken("TIFF", "its first directory lies outside the file (cut short?)");
    }
    const uint32_t entries = u16(ifd);
    int64_t width = -1, height = -1;
    for (uint32_t i = 0; i < entries; ++i) {
        const size_t e = ifd + 2 + size_t{12} * i;
        if (!b.has(e, 12)) {
            return broken("TIFF", "its first directory is cut short");
        }
        const uint32_t tag = u16(e);
        const uint32_t type = u16(e + 2);
        if (tag != 256 && tag != 257) {
            continue;
        }
        // SHORT values sit in the first two bytes of the value field; LONG in all four.
        const int64_t value = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : -1;
        if (value < 0) {
            return broken("TIFF", "its image size has an unexpected type");
        }
        (tag == 256 ? width : height) = value;
    }
    if (width < 0 || height < 0) {
        return broken("TIFF", "its first directory gives no image width and height");
    }
    return sized("TIFF", width, height);
}

ImageHeader pnm(const Bytes& b) {
    // "P1".."P6", then width and height in ASCII, separated by whitespace and comments.
    size_t o = 2;
    int64_t values[2] = {0, 0};
    for (int64_t& v : values) {
        while (b.has(o, 1)) {
            const uint32_t c = b.u8(o);
            if (c == '#') {
                while (b.has(o, 1) && b.u8(o) != '\n') {
                    ++o;
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++o;
            } else {
                break;
            }
        }
        int digits = 0;
        while (b.has(o, 1) && b.u8(o) >= '0' && b.u8(o) <= '9') {
            if (++digits > 9) {
                return broken("PNM", "its size has too many digits");
            }
            v = v * 10 + (b.u8(o++) - '0');
        }
        if (digits == 0) {
            return broken("PNM", "its header has no width and height");
        }
    }
    return sized("PNM", values[0], values[1]);
}

bool looksLikeText(const Bytes& b) {
    const size_t n = b.size() < 256 ? b.size() : 256;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t c = b.u8(i);
        if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F) {
            return false;
        }
    }
    return n > 0;
}

} // namespace

ImageHeader readImageHeader(const unsigned char* data, size_t size) {
    const Bytes b(data, size);
    if (size == 0) {
        ImageHeader h;
        h.error = "is empty (0 bytes)";
        return h;
    }
    if (b.startsWith("\x89PNG\r\n\x1a\n")) {
        return png(b);
    }
    if (b.has(0, 3) && b.u8(0) == 0xFF && b.u8(1) == 0xD8 && b.u8(2) == 0xFF) {
        return jpeg(b);
    }
    if (b.startsWith("BM")) {
        return bmp(b);
    }
    if (b.startsWith("RIFF") && b.startsWith("WEBP", 8)) {
        return webp(b);
    }
    // TIFF: "II" with 42 little-endian, or "MM" with 42 big-endian (43: BigTIFF).
    if (b.has(0, 4) && (b.startsWith("II") || b.startsWith("MM"))) {
        const uint32_t version = b.u8(0) == 'I' ? b.le16(2) : b.be16(2);
        if (version == 42) {
            return tiff(b);
        }
        if (version == 43) {
            ImageHeader h;
            h.format = "TIFF";
            h.error = "is a BigTIFF file, which is not supported";
            return h;
        }
    }
    if (b.has(0, 3) && b.u8(0) == 'P' && b.u8(1) >= '1' && b.u8(1) <= '6') {
        return pnm(b);
    }
    ImageHeader h;
    if (b.startsWith("GIF8")) {
        h.format = "GIF";
        h.error = "is a GIF, which this program does not read (convert it to PNG)";
    } else if (looksLikeText(b)) {
        h.error = "is a text file, not an image";
    } else {
        h.error = "is not an image this program reads (its first bytes are not those of a PNG, "
                  "JPEG, BMP, WebP, TIFF or PNM file)";
    }
    return h;
}

} // namespace pretext::io
