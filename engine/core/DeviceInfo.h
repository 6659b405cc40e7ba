#pragma once
// What a run says of the device it trains on: the GPU's name and memory, and the most
// memory one step took there (the CUDA caching allocator's peak). Both need a LibTorch
// built with CUDA at compile time; against a CPU-only LibTorch (Debian's) a CUDA device
// is named by its index and no peak is known.
#include <torch/types.h>

#include <optional>
#include <string>

namespace pretext {

// "cpu", or "cuda:0 (NVIDIA H100 80GB HBM3, 79.1 GiB)".
std::string deviceLabel(const torch::Device& device);

struct DeviceMemory {
    double peakAllocatedMb = 0.0; // most memory in tensors at once since the last reading
    double reservedMb = 0.0;      // what the caching allocator holds from the driver now
};

// The device's peak since the last call (the peak is reset for the next one); none on
// the CPU or where this build cannot read the allocator.
std::optional<DeviceMemory> takePeakMemory(const torch::Device& device);

// Whether the device computes in bfloat16: the CPU (LibTorch's CPU autocast), a CUDA GPU
// of compute capability 8.0 or later; none where this build cannot ask the GPU.
std::optional<bool> computesBfloat16(const torch::Device& device);

// Whether this build reads CUDA's allocator (a LibTorch with CUDA at compile time).
bool readsDeviceMemory();

} // namespace pretext
