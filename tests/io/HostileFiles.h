#pragma once
// Hostile files made in memory for test_hostile: real images encoded by OpenCV, a PNG
// decompression bomb, a JPEG with a forged size, a CMYK JPEG through libjpeg, IDX
// headers; and a runner that gives up on a call that does not return in time.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QString>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <jpeglib.h>
#include <zlib.h>

namespace hostile {

constexpr int kLimitS = 30; // per case; the slowest (a folder of 2,000 files) takes ~2 s

inline std::string bytesOf(const cv::Mat& image, const char* ext, std::vector<int> params = {}) {
    std::vector<uchar> out;
    if (!cv::imencode(ext, image, out, params)) {
        throw std::runtime_error(std::string("cannot encode ") + ext);
    }
    return {out.begin(), out.end()};
}

inline cv::Mat pattern(int w, int h, int type = CV_8UC3) {
    cv::Mat m(h, w, type);
    cv::randu(m, 0, type == CV_16UC3 ? 65535 : 255);
    return m;
}

inline void write(const QString& path, const std::string& bytes) {
    std::ofstream(path.toStdString(), std::ios::binary) << bytes;
}

inline void be32(std::string& s, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        s.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}

inline std::string pngChunk(const std::string& type, const std::string& data) {
    std::string c;
    be32(c, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    c += body;
    be32(c, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                        static_cast<uInt>(body.size()))));
    return c;
}

// A PNG whose header claims width x height RGB pixels and whose data is one
// megabyte of zeros compressed to about a kilobyte: a decompression bomb.
inline std::string pngBomb(uint32_t width, uint32_t height) {
    std::string ihdr;
    be32(ihdr, width);
    be32(ihdr, height);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);
    const std::string zeros(1 << 20, '\0');
    uLongf size = compressBound(zeros.size());
    std::string packed(size, '\0');
    compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
              reinterpret_cast<const Bytef*>(zeros.data()), zeros.size(), 9);
    packed.resize(size);
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", packed) +
           pngChunk("IEND", "");
}

// A real JPEG with the size in its frame header replaced.
inline std::string jpegClaiming(int width, int height) {
    std::string j = bytesOf(pattern(16, 16), ".jpg");
    for (size_t i = 2; i + 9 < j.size(); ++i) {
        if (static_cast<unsigned char>(j[i]) == 0xFF &&
            static_cast<unsigned char>(j[i + 1]) == 0xC0) {
            j[i + 5] = static_cast<char>(height >> 8);
            j[i + 6] = static_cast<char>(height & 0xFF);
            j[i + 7] = static_cast<char>(width >> 8);
            j[i + 8] = static_cast<char>(width & 0xFF);
            return j;
        }
    }
    throw std::runtime_error("no SOF0 marker");
}

// A CMYK JPEG (as print workflows write them), through libjpeg directly: OpenCV
// writes only gray and BGR.
inline std::string cmykJpeg(int w, int h) {
    jpeg_compress_struct c{};
    jpeg_error_mgr err{};
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &out, &size);
    c.image_width = static_cast<JDIMENSION>(w);
    c.image_height = static_cast<JDIMENSION>(h);
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    std::vector<unsigned char> row(static_cast<size_t>(w) * 4);
    while (c.next_scanline < c.image_height) {
        for (int x = 0; x < w; ++x) {
            row[4 * x] = static_cast<unsigned char>(x * 255 / w);
            row[4 * x + 1] = static_cast<unsigned char>(c.next_scanline * 255 / h);
            row[4 * x + 2] = 40;
            row[4 * x + 3] = 10;
        }
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    std::string bytes(reinterpret_cast<char*>(out), size);
    jpeg_destroy_compress(&c);
    std::free(out);
    return bytes;
}

inline std::string idx(const std::string& magic, std::vector<uint32_t> dims, size_t dataBytes) {
    std::string s = magic;
    for (uint32_t d : dims) {
        be32(s, d);
    }
    return s + std::string(dataBytes, '\x07');
}

// Runs f on its own thread; false when it has not returned within the limit (the
// thread is left behind: the test fails rather than hangs).
inline bool finishesWithin(int seconds, std::function<void()> f, QString* error) {
    auto promise = std::make_shared<std::promise<void>>();
    auto done = promise->get_future();
    std::thread([f = std::move(f), promise] {
        try {
            f();
            promise->set_value();
        } catch (...) {
            promise->set_exception(std::current_exception());
        }
    }).detach();
    if (done.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready) {
        return false;
    }
    try {
        done.get();
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
    }
    return true;
}

} // namespace hostile
