#include "DeviceInfo.h"

// CMake defines PRETEXT_HAVE_CUDA_LIBTORCH when the LibTorch it found lists CUDA
// libraries; the headers are checked as well, so that a LibTorch without CUDA's own
// headers around still builds (with the CPU-only answers).
#if defined(PRETEXT_HAVE_CUDA_LIBTORCH) && __has_include(<c10/cuda/CUDACachingAllocator.h>) && \
    __has_include(<cuda_runtime_api.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#define PRETEXT_READS_CUDA 1
#else
#define PRETEXT_READS_CUDA 0
#endif

#include <sstream>

namespace pretext {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;

#if PRETEXT_READS_CUDA
int cudaIndex(const torch::Device& device) {
    if (device.has_index()) {
        return device.index();
    }
    int current = 0;
    return cudaGetDevice(&current) == cudaSuccess ? current : 0;
}
#endif
} // namespace

std::string deviceLabel(const torch::Device& device) {
    std::string label = device.str();
#if PRETEXT_READS_CUDA
    if (device.is_cuda()) {
        cudaDeviceProp props{};
        if (cudaGetDeviceProperties(&props, cudaIndex(device)) == cudaSuccess) {
            std::ostringstream out;
            out.setf(std::ios::fixed);
            out.precision(1);
            out << label << " (" << props.name << ", "
                << static_cast<double>(props.totalGlobalMem) / (1024.0 * kMiB) << " GiB)";
            label = out.str();
        }
    }
#endif
    return label;
}

std::optional<DeviceMemory> takePeakMemory(const torch::Device& device) {
#if PRETEXT_READS_CUDA
    if (device.is_cuda()) {
        namespace alloc = c10::cuda::CUDACachingAllocator;
        const int index = cudaIndex(device);
        const auto stats = alloc::getDeviceStats(static_cast<c10::DeviceIndex>(index));
        DeviceMemory m;
        // Index 0 of each statistic is the aggregate over the allocator's pools.
        m.peakAllocatedMb = static_cast<double>(stats.allocated_bytes[0].peak) / kMiB;
        m.reservedMb = static_cast<double>(stats.reserved_bytes[0].current) / kMiB;
        alloc::resetPeakStats(static_cast<c10::DeviceIndex>(index));
        return m;
    }
#else
    (void)device;
#endif
    return std::nullopt;
}

std::optional<bool> computesBfloat16(const torch::Device& device) {
    if (device.is_cpu()) {
        return true;
    }
#if PRETEXT_READS_CUDA
    if (device.is_cuda()) {
        cudaDeviceProp props{};
        if (cudaGetDeviceProperties(&props, cudaIndex(device)) == cudaSuccess) {
            return props.major >= 8;
        }
    }
#endif
    return std::nullopt;
}

bool readsDeviceMemory() {
    return PRETEXT_READS_CUDA != 0;
}

} // namespace pretext
