// IDX files: any bytes are read or refused with an IdxError naming the file; what is
// read has the shape its header promises.
#include "Idx.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {
std::string tempPath() {
    char path[] = "/tmp/pretext-fuzz-idx-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) {
        std::abort();
    }
    close(fd);
    return path;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string path = tempPath();
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        pretext::io::IdxHeader header;
        const torch::Tensor t = pretext::io::readIdx(path, -1, 1 << 20, &header);
        if (t.dim() != static_cast<int64_t>(header.dims.size()) ||
            t.numel() != header.elementCount()) {
            std::abort();
        }
    } catch (const pretext::io::IdxError& e) {
        if (std::string(e.what()).rfind(path + ": ", 0) != 0) {
            std::abort(); // every message starts with the file
        }
    }
    return 0;
}
