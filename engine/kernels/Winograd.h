#pragma once
// 3x3 convolutions (stride 1, padding 1) by Winograd's minimal filtering F(4x4, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each
// 4x4 block of outputs comes from a 6x6 block of inputs with 36 multiplications per
// input and output channel instead of 144, so a quarter of the direct convolution's
// multiply-adds, at the price of the transforms and float rounding a little larger
// than the direct sum's (relative error around 1e-6 to 1e-5 here).
//
// This header has no LibTorch in it: the kernels are compiled for AVX2 and FMA in a
// file of their own, and only called after the CPU has been asked whether it has them
// (winogradCpuSupported), so nothing compiled for AVX2 can run on a CPU without it.
#include <cstdint>

namespace pretext::winograd {

constexpr int64_t kOutTile = 4; // outputs per tile side
constexpr int64_t kInTile = 6;  // inputs per tile side
constexpr int64_t kPoints = 36; // kInTile squared: the transformed tile's points
constexpr int64_t kLanes = 8;   // tiles transformed together (one AVX register)

bool cpuSupported();

// Rows of the transformed weights: the output channels rounded up to a multiple of 4
// (the matrix products run four rows at a time; the rows added are zero).
inline int64_t paddedRows(int64_t rows) {
    return (rows + 3) / 4 * 4;
}

// u (36, paddedRows(K), C): the weights g (K, C, 3, 3) transformed, G g G^T. With flip,
// the weights of the convolution's input gradient instead: g's roles of K and C
// swapped and each 3x3 kernel turned by 180 degrees, so u is (36, paddedRows(C), K).
void transformWeights(const float* g, int64_t outChannels, int64_t inChannels, bool flip, float* u);

struct Shape {
    int64_t batch, inChannels, outChannels, height, width; // NCHW: height, width multiples of 4
    // NCHW inputs: channels per image in memory when x holds more than the inChannels
    // used (the first ones of each image); 0: inChannels.
    int64_t imageChannels = 0;
    int64_t inputStride() const { return imageChannels > 0 ? imageChannels : inChannels; }
};

// Floats of scratch one thread needs.
int64_t scratchFloats(const Shape& s);

// y (N, K, H, W) = 3x3 convolution of x (N, C, H, W), padding 1, with the transformed
// weights u (36, paddedRows(K), C) and bias (K, or null); any channel counts. The blocks of tiles
// are shared out among at most `threads` threads of an OpenMP team (the calling thread's, as
// LibTorch's own parallel loops use it), each with its own scratchFloats() of `scratch`.
void convolve(const Shape& s, const float* x, const float* u, const float* bias, float* y,
              int64_t threads, float* scratch);

// The same convolution of a channels-last x (N, H, W, C in memory) into a
// channels-last y (N, H, W, K): C and K multiples of 8, sides of any length (the tiles
// at the right and bottom edges partly outside the map).
void convolveChannelsLast(const Shape& s, const float* x, const float* u, const float* bias,
                          float* y, int64_t threads, float* scratch);

// The weight gradient of that convolution: dW (K, C, 3, 3) from its input x (N, C, H,
// W) and the output's gradient g (N, K, H, W), as the gradient of the same F(4x4, 3x3)
// computation: per transformed point, dU = (A g A^T) summed with (B^T x B) over the
// tiles (one matrix product per point, a quarter of the direct kernel's multiply-adds),
// then dW = G^T dU G. C a multiple of 16, K of 4. Same threads as convolve().
int64_t weightGradientScratchFloats(const Shape& s);
void weightGradient(const Shape& s, const float* x, const float* g, int64_t threads, float* scratch,
                    float* dW);
// The same for channels-last x and g (C a multiple of 16, K of 8, any sides).
void weightGradientChannelsLast(const Shape& s, const float* x, const float* g, int64_t threads,
                                float* scratch, float* dW);

} // namespace pretext::winograd
