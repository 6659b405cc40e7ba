#include "Precision.h"

#include "DeviceInfo.h"

#include <ATen/autocast_mode.h>

#include <stdexcept>

namespace pretext {

bool knownPrecision(const std::string& precision) {
    return precision == "fp32" || precision == "bf16" || precision == "fp16" || precision == "amp";
}

std::string resolvePrecision(const std::string& requested, const torch::Device& device) {
    if (!knownPrecision(requested)) {
        throw std::invalid_argument("unknown precision '" + requested +
                                    "' (fp32, bf16, fp16 or amp)");
    }
    if (requested == "amp") {
        return computesBfloat16(device).value_or(false) ? "bf16" : "fp16";
    }
    if (requested == "fp16" && !device.is_cuda()) {
        throw std::invalid_argument(
            "fp16 needs a CUDA device: LibTorch's CPU autocast computes in bfloat16 only "
            "(choose bf16, or amp, which takes bf16 on the CPU)");
    }
    return requested;
}

AutocastScope::AutocastScope(const std::string& precision, const torch::Device& device) {
    if (precision != "bf16" && precision != "fp16") {
        return;
    }
    m_active = true;
    m_cuda = device.is_cuda();
    if (m_cuda) {
        m_wasEnabled = at::autocast::is_enabled();
        m_wasType = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(precision == "fp16" ? at::kHalf : at::kBFloat16);
        at::autocast::set_enabled(true);
    } else {
        m_wasEnabled = at::autocast::is_cpu_enabled();
        m_wasType = at::autocast::get_autocast_cpu_dtype();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
    if (!m_active) {
        return;
    }
    if (at::autocast::decrement_nesting() == 0) {
        at::autocast::clear_cache();
    }
    if (m_cuda) {
        at::autocast::set_enabled(m_wasEnabled);
        at::autocast::set_autocast_gpu_dtype(m_wasType);
    } else {
        at::autocast::set_cpu_enabled(m_wasEnabled);
        at::autocast::set_autocast_cpu_dtype(m_wasType);
    }
}

} // namespace pretext
