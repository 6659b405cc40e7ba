#pragma once
// Mixed precision: forward passes under autocast, by the run's choice ("fp32", "bf16"
// or "fp16"), on the CPU (LibTorch's CPU autocast: bfloat16 only) or CUDA. fp16 needs
// loss scaling (LossScaler.h), which the trainer adds.
#include <torch/types.h>

#include <string>

namespace pretext {

// Whether `precision` is one the trainer knows ("fp32", "bf16", "fp16").
bool knownPrecision(const std::string& precision);

// The precision a run on `device` takes for the one asked: "amp" becomes bf16 where the
// device computes it and fp16 elsewhere; fp16 on the CPU is refused (LibTorch's CPU
// autocast has bfloat16 only), as is an unknown name. Throws std::invalid_argument.
std::string resolvePrecision(const std::string& requested, const torch::Device& device);

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
