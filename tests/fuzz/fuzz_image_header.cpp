// Image headers: any bytes give a size or a reason, never a read outside the buffer
// (AddressSanitizer) and never a "success" without a positive size.
#include "ImageHeader.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const pretext::io::ImageHeader h = pretext::io::readImageHeader(data, size);
    if (h.ok() && (h.width <= 0 || h.height <= 0 || h.format.empty())) {
        std::abort();
    }
    if (!h.ok() && h.error.empty()) {
        std::abort();
    }
    return 0;
}
