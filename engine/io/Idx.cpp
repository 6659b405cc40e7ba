#include "Idx.h"

#include <torch/torch.h>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace pretext::io {

namespace {
struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw IdxError(path + ": " + problem);
}

// Reads exactly n bytes unless the file ends first; returns how many were read.
int64_t readBytes(gzFile f, void* into, int64_t n) {
    int64_t done = 0;
    auto* out = static_cast<unsigned char*>(into);
    while (done < n) {
        const auto chunk = static_cast<unsigned>(std::min<int64_t>(n - done, 1 << 30));
        const int got = gzread(f, out + done, chunk);
        if (got <= 0) {
            break;
        }
        done += got;
    }
    return done;
}

torch::ScalarType scalarType(int code) {
    switch (code) {
    case 0x08:
        return torch::kUInt8;
    case 0x09:
        return torch::kInt8;
    case 0x0B:
        return torch::kInt16;
    case 0x0C:
        return torch::kInt32;
    case 0x0D:
        return torch::kFloat32;
    case 0x0E:
        return torch::kFloat64;
    default:
        return torch::kUInt8;
    }
}
} // namespace

int64_t IdxHeader::elementBytes() const {
    switch (typeCode) {
    case 0x08:
    case 0x09:
        return 1;
    case 0x0B:
        return 2;
    case 0x0C:
    case 0x0D:
        return 4;
    case 0x0E:
        return 8;
    default:
        return 0;
    }
}

int64_t IdxHeader::elementCount() const {
    int64_t n = dims.empty() ? 0 : 1;
    for (const int64_t d : dims) {
        n *= d;
    }
    return n;
}

torch::Tensor readIdx(const std::string& path, int64_t maxItems, int64_t maxBytes,
                      IdxHeader* headerOut) {
    // zlib reads gzip files and passes plain files through unchanged.
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file) {
        fail(path, std::string("cannot be opened: ") + std::strerror(errno));
    }
    unsigned char magic[4];
    const int64_t got = readBytes(file.get(), magic, 4);
    if (got == 0) {
        fail(path, "is empty (or not a readable gzip file)");
    }
    if (got < 4 || magic[0] != 0 || magic[1] != 0) {
        fail(path, "is not an IDX file (its first bytes are not the IDX magic number 00 00 <type> "
                   "<dims>)");
    }
    IdxHeader h;
    h.typeCode = magic[2];
    if (h.elementBytes() == 0) {
        char code[8];
        std::snprintf(code, sizeof code, "0x%02X", h.typeCode);
        fail(path, std::string("has an unknown IDX data type code ") + code);
    }
    const int rank = magic[3];
    if (rank < 1 || rank > 4) {
        fail(path, "claims " + std::to_string(rank) + " dimensions (an IDX file here has 1 to 4)");
    }
    for (int i = 0; i < rank; ++i) {
        unsigned char b[4];
        if (readBytes(file.get(), b, 4) < 4) {
            fail(path, "is truncated inside its header");
        }
        const int64_t size =
            (int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | b[3];
        if (size == 0) {
            fail(path, "has a dimension of size 0 (dimension " + std::to_string(i + 1) + ")");
        }
        h.dims.push_back(size);
    }
    int64_t perItem = h.elementBytes();
    for (size_t i = 1; i < h.dims.size(); ++i) {
        perItem *= h.dims[i];
        if (perItem > maxBytes) {
            break;
        }
    }
    const int64_t items = maxItems >= 0 ? std::min(maxItems, h.dims[0]) : h.dims[0];
    if (perItem > maxBytes || items > maxBytes / perItem) {
        fail(path, "would need more than " + std::to_string(maxBytes / (1024 * 1024)) +
                       " MB for the items asked for (its header claims " +
                       std::to_string(h.dims[0]) + " items of " + std::to_string(perItem) +
                       " bytes)");
    }
    std::vector<int64_t> shape = h.dims;
    shape[0] = items;
    auto out = torch::empty(shape, torch::TensorOptions().dtype(scalarType(h.typeCode)));
    const int64_t want = items * perItem;
    const int64_t read = readBytes(file.get(), out.data_ptr(), want);
    if (read < want) {
        fail(path, "is truncated: its header promises " + std::to_string(h.dims[0]) + " items of " +
                       std::to_string(perItem) + " bytes, the data end after " +
                       std::to_string(read / perItem) + " whole items");
    }
    if (h.elementBytes() > 1) {
        // IDX is big-endian; swap each element's bytes in place.
        auto* bytes = static_cast<unsigned char*>(out.data_ptr());
        const int64_t width = h.elementBytes();
        for (int64_t i = 0; i < want; i += width) {
            std::reverse(bytes + i, bytes + i + width);
        }
    }
    if (headerOut != nullptr) {
        *headerOut = h;
    }
    return out;
}

} // namespace pretext::io
