#pragma once
// Mixed precision: forward passes under autocast, by the run's choice ("fp32" or
// "bf16"), on the CPU (LibTorch's CPU autocast, bfloat16) or CUDA.
#include <torch/types.h>

#include <string>

namespace pretext {

// Whether `precision` is one the trainer knows ("fp32", "bf16").
bool knownPrecision(const std::string& precision);

// Autocast on for the scope's lifetime on this thread (autocast state is thread-local),
// then off again with its cache cleared; nothing for "fp32".
class AutocastScope {
public:
    AutocastScope(const std::string& precision, const torch::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_active = false;
    bool m_cuda = false;
    bool m_wasEnabled = false;
    at::ScalarType m_wasType = at::kFloat;
};

} // namespace pretext
