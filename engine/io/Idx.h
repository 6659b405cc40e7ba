#pragma once
// The IDX format of MNIST and Fashion-MNIST (LeCun's layout: two zero bytes, a type
// code, the number of dimensions, big-endian 32-bit sizes, then the data), plain or
// gzip-compressed. Every problem is an IdxError whose message names the file.
#include <torch/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace pretext::io {

class IdxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct IdxHeader {
    int typeCode = 0; // 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
    std::vector<int64_t> dims; // first: item count
    int64_t elementBytes() const;
    int64_t elementCount() const; // product of dims
};

// Reads the header and the first `maxItems` items (all when < 0) of the file at `path`.
// Refuses, naming the file and the problem: a missing or unreadable file, a wrong magic
// number, an unknown type code, zero or more than four dimensions, a size of zero,
// more than `maxBytes` of data, data shorter than the header says (truncated).
// ubyte data come back as uint8, other types as the matching torch type, shape `dims`
// with the first size cut to the items read.
torch::Tensor readIdx(const std::string& path, int64_t maxItems = -1,
                      int64_t maxBytes = 2'000'000'000, IdxHeader* header = nullptr);

} // namespace pretext::io
