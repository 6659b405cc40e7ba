#include "Gemm.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <exception>
#include <mutex>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace pretext {

namespace {
// Below this many multiply-adds a product is not worth a second thread.
constexpr int64_t kShareFrom = 1 << 21;
// Blocks in multiples of this many rows or columns (the BLAS kernels' own blocking).
constexpr int64_t kGrain = 16;

// out = a b (+ bias), out already (m, n).
void product(at::Tensor& out, const at::Tensor& bias, const at::Tensor& a, const at::Tensor& b) {
    if (bias.defined()) {
        at::addmm_out(out, bias, a, b);
    } else {
        at::mm_out(out, a, b);
    }
}

at::Tensor shared(const at::Tensor& bias, const at::Tensor& aIn, const at::Tensor& bIn) {
    const auto a = aIn.detach();
    const auto b = bIn.detach();
    const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
    auto out = at::empty({m, n}, a.options());
    const int64_t threads = teamSize();
    const bool byRows = m >= n;
    const int64_t extent = byRows ? m : n;
    const bool worthIt = a.device().is_cpu() && a.scalar_type() == at::kFloat &&
                         b.scalar_type() == at::kFloat && threads > 1 && m * n * k >= kShareFrom &&
                         extent >= 2 * kGrain;
#if defined(_OPENMP)
    if (worthIt) {
        const int64_t blocks = (extent + kGrain - 1) / kGrain;
        const int64_t team = std::min(threads, blocks);
        std::exception_ptr failure;
        std::mutex failureLock;
#pragma omp parallel num_threads(team)
        {
            const int64_t t = omp_get_thread_num();
            const int64_t begin = std::min(extent, blocks * t / team * kGrain);
            const int64_t end = std::min(extent, blocks * (t + 1) / team * kGrain);
            if (begin < end) {
                try {
                    c10::AutoGradMode noGrad(false); // grad mode is per thread
                    auto part = out.narrow(byRows ? 0 : 1, begin, end - begin);
                    product(part,
                            bias.defined() && !byRows ? bias.narrow(0, begin, end - begin) : bias,
                            byRows ? a.narrow(0, begin, end - begin) : a,
                            byRows ? b : b.narrow(1, begin, end - begin));
                } catch (...) {
                    std::lock_guard<std::mutex> lock(failureLock);
                    failure = std::current_exception();
                }
            }
        }
        if (failure) {
            std::rethrow_exception(failure);
        }
        return out;
    }
#else
    (void)worthIt;
#endif
    product(out, bias, a, b);
    return out;
}
} // namespace

int64_t teamSize() {
    at::internal::lazy_init_num_threads();
    return at::in_parallel_region() ? 1 : at::get_num_threads();
}

at::Tensor parallelMm(const at::Tensor& a, const at::Tensor& b) {
    return shared(at::Tensor(), a, b);
}

at::Tensor parallelAddmm(const at::Tensor& bias, const at::Tensor& a, const at::Tensor& b) {
    return shared(bias, a, b);
}

} // namespace pretext
