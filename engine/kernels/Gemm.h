#pragma once
// Matrix products on LibTorch's intra-op threads. The program holds the BLAS pool to
// one thread (Threads.h: two pools sized to every core oversubscribe it), so a plain
// torch::mm runs on one core. These split the product into row or column blocks, one
// per thread of the same OpenMP team LibTorch's own parallel loops use, each block a
// single-threaded BLAS call: the cores work without a second pool.
#include <ATen/core/Tensor.h>

namespace pretext {

// Threads for our own parallel kernels: LibTorch's intra-op count (1 inside a
// parallel region, as LibTorch's own loops do).
int64_t teamSize();

// a (m, k) times b (k, n), either of them possibly a transposed view; float, CPU.
// Other devices and types, and products too small to share, run torch::mm as it is.
at::Tensor parallelMm(const at::Tensor& a, const at::Tensor& b);
// bias (n) added to every row of a times b.
at::Tensor parallelAddmm(const at::Tensor& bias, const at::Tensor& a, const at::Tensor& b);

} // namespace pretext
