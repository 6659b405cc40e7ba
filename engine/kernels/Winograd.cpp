// Compiled with -mavx2 -mfma (engine/core/CMakeLists.txt) and without the torch
// headers: only called once cpuSupported() has said yes.
#include "Winograd.h"

#include <algorithm>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include "WinogradKernels.h"

namespace pretext::winograd {

using namespace kernels;

namespace {
// Floats of a block's transformed inputs (36 x C x tiles, about 192 KB) and products
// (36 x output channels x tiles, about 128 KB): together within one core's 512 KB of
// L2 on the machine the project is measured on. (Twice as much measured slower.)
constexpr int64_t kInputBudget = 49152;
constexpr int64_t kProductBudget = 32768;

// A^T m (one axis of the output transform), on 8 tiles at once.
inline void outputAxis(const __m256* m, int64_t step, __m256* out, int64_t outStep) {
    const __m256 m1 = m[step], m2 = m[2 * step], m3 = m[3 * step], m4 = m[4 * step];
    const __m256 s12 = _mm256_add_ps(m1, m2), d12 = _mm256_sub_ps(m1, m2);
    const __m256 s34 = _mm256_add_ps(m3, m4), d34 = _mm256_sub_ps(m3, m4);
    out[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
    out[outStep] = _mm256_fmadd_ps(_mm256_set1_ps(2.0f), d34, d12);
    out[2 * outStep] = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), s34, s12);
    out[3 * outStep] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8.0f), d34, d12), m[5 * step]);
}

// Output channel k of 8 tiles: the products' inverse transform, plus the bias,
// written into y (4 floats per tile row, after a 4x8 transpose).
void transformOutputs(const Shape& s, const float* m, int64_t pointStride, int64_t k, float bias,
                      const TileSite* sites, float* y) {
    __m256 in[kPoints], mid[kInTile * kOutTile], out[kOutTile];
    for (int64_t p = 0; p < kPoints; ++p) {
        in[p] = _mm256_loadu_ps(m + p * pointStride);
    }
    for (int64_t j = 0; j < kInTile; ++j) { // columns: A^T m, 4 rows of 6
        outputAxis(in + j, kInTile, mid + j, kInTile);
    }
    const __m256 b = _mm256_set1_ps(bias);
    const int64_t h = s.height, w = s.width;
    for (int64_t i = 0; i < kOutTile; ++i) { // rows: (A^T m) A
        outputAxis(mid + i * kInTile, 1, out, 1);
        const __m256 a0 = _mm256_add_ps(out[0], b), a1 = _mm256_add_ps(out[1], b);
        const __m256 a2 = _mm256_add_ps(out[2], b), a3 = _mm256_add_ps(out[3], b);
        const __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
        const __m256 t2 = _mm256_unpacklo_ps(a2, a3), t3 = _mm256_unpackhi_ps(a2, a3);
        const __m256 q[4] = {_mm256_shuffle_ps(t0, t2, 0x44), _mm256_shuffle_ps(t0, t2, 0xEE),
                             _mm256_shuffle_ps(t1, t3, 0x44), _mm256_shuffle_ps(t1, t3, 0xEE)};
        for (int64_t lane = 0; lane < kLanes; ++lane) {
            const TileSite& t = sites[lane];
            if (!t.valid) {
                continue;
            }
            float* row = y + ((t.image * s.outChannels + k) * h + t.row + 1 + i) * w + t.col + 1;
            const __m256 v = q[lane % 4];
            _mm_storeu_ps(row, lane < 4 ? _mm256_castps256_ps128(v) : _mm256_extractf128_ps(v, 1));
        }
    }
}

// Tiles per block for these channels: the block's transformed inputs and products
// stay in the core's own cache. A multiple of 16.
int64_t tilesPerBlock(const Shape& s) {
    const int64_t budget = kInputBudget / (kPoints * s.inChannels);
    return std::clamp<int64_t>(budget / 16 * 16, 32, 256);
}

int64_t blockCount(const Shape& s) {
    const int64_t per = tilesPerBlock(s);
    return (tileCount(s) + per - 1) / per;
}

// Output channels whose products are kept at once: a multiple of 4, or of 8 for
// channels-last outputs (written 8 channels at a time).
int64_t outChunk(const Shape& s, int64_t tiles, int64_t multiple = 4) {
    const int64_t budget = kProductBudget / (kPoints * tiles);
    return std::clamp<int64_t>(budget / multiple * multiple, multiple, paddedRows(s.outChannels));
}

// Output channels k to k + 8 of 8 tiles into a channels-last y: each channel's 4x4
// outputs, then per output position the 8 channels of each tile (one 8x8 transpose)
// stored together; positions outside the map are not written.
void transformOutputsChannelsLast(const Shape& s, const float* m, int64_t pointStride,
                                  int64_t channelStride, int64_t k, const float* bias,
                                  const TileSite* sites, float* y) {
    __m256 out[kLanes][kOutTile * kOutTile];
    for (int64_t ch = 0; ch < kLanes; ++ch) {
        __m256 in[kPoints], mid[kInTile * kOutTile];
        const float* mc = m + ch * channelStride;
        for (int64_t p = 0; p < kPoints; ++p) {
            in[p] = _mm256_loadu_ps(mc + p * pointStride);
        }
        for (int64_t j = 0; j < kInTile; ++j) {
            outputAxis(in + j, kInTile, mid + j, kInTile);
        }
        const __m256 b = _mm256_set1_ps(bias ? bias[k + ch] : 0.0f);
        for (int64_t i = 0; i < kOutTile; ++i) {
            __m256* row = out[ch] + i * kOutTile;
            outputAxis(mid + i * kInTile, 1, row, 1);
            for (int64_t j = 0; j < kOutTile; ++j) {
                row[j] = _mm256_add_ps(row[j], b);
            }
        }
    }
    for (int64_t q = 0; q < kOutTile * kOutTile; ++q) {
        __m256 channels[kLanes], tiles[kLanes];
        for (int64_t ch = 0; ch < kLanes; ++ch) {
            channels[ch] = out[ch][q];
        }
        transposeEight(channels, tiles);
        for (int64_t lane = 0; lane < kLanes; ++lane) {
            const TileSite& t = sites[lane];
            const int64_t r = t.row + 1 + q / kOutTile, col = t.col + 1 + q % kOutTile;
            if (t.valid && r < s.height && col < s.width) {
                _mm256_storeu_ps(y + ((t.image * s.height + r) * s.width + col) * s.outChannels + k,
                                 tiles[lane]);
            }
        }
    }
}

void convolveBlocks(const Shape& s, const float* x, const float* u, const float* bias, float* y,
                    int64_t first, int64_t end, float* scratch) {
    const int64_t tiles = tilesPerBlock(s);
    const int64_t chunk = outChunk(s, tiles);
    const int64_t C = s.inChannels, K = s.outChannels, rowsOfU = paddedRows(K);
    float* v = scratch;                       // (36, C, tiles)
    float* m = scratch + kPoints * C * tiles; // (36, chunk, tiles)
    TileSite sites[256];
    __m256i masks[256];
    for (int64_t block = first; block < end; ++block) {
        for (int64_t t = 0; t < tiles; ++t) {
            sites[t] = site(s, block * tiles + t);
            masks[t] = columnMask(sites[t].col, s.width);
        }
        for (int64_t c = 0; c < C; ++c) {
            for (int64_t g = 0; g < tiles; g += kLanes) {
                transformInputs(s, x, c, sites + g, masks + g, v + c * tiles + g, C * tiles);
            }
        }
        for (int64_t k0 = 0; k0 < rowsOfU; k0 += chunk) {
            const int64_t rows = std::min(chunk, rowsOfU - k0);
            for (int64_t p = 0; p < kPoints; ++p) {
                multiply(u + (p * rowsOfU + k0) * C, C, v + p * C * tiles, rows, C, tiles,
                         m + p * chunk * tiles);
            }
            for (int64_t k = 0; k < std::min(rows, K - k0);
                 ++k) { // the padded rows are not outputs
                for (int64_t g = 0; g < tiles; g += kLanes) {
                    transformOutputs(s, m + k * tiles + g, chunk * tiles, k0 + k,
                                     bias ? bias[k0 + k] : 0.0f, sites + g, y);
                }
            }
        }
    }
}

// convolveBlocks for channels-last x and y (C and K multiples of 8, any sides).
void convolveBlocksChannelsLast(const Shape& s, const float* x, const float* u, const float* bias,
                                float* y, int64_t first, int64_t end, float* scratch) {
    const int64_t tiles = tilesPerBlock(s);
    const int64_t chunk = outChunk(s, tiles, kLanes);
    const int64_t C = s.inChannels, K = s.outChannels;
    float* v = scratch;                       // (36, C, tiles)
    float* m = scratch + kPoints * C * tiles; // (36, chunk, tiles)
    TileSite sites[256];
    __m256 in[kLanes][kPoints];
    for (int64_t block = first; block < end; ++block) {
        for (int64_t t = 0; t < tiles; ++t) {
            sites[t] = site(s, block * tiles + t);
        }
        for (int64_t g = 0; g < tiles; g += kLanes) {
            for (int64_t c = 0; c < C; c += kLanes) {
                loadWindowsChannelsLast(s, x, c, sites + g, in);
                for (int64_t ch = 0; ch < kLanes; ++ch) {
                    transformWindows(in[ch], v + (c + ch) * tiles + g, C * tiles);
                }
            }
        }
        for (int64_t k0 = 0; k0 < K; k0 += chunk) {
            const int64_t rows = std::min(chunk, K - k0);
            for (int64_t p = 0; p < kPoints; ++p) { // K a multiple of 8: no padded rows
                multiply(u + (p * K + k0) * C, C, v + p * C * tiles, rows, C, tiles,
                         m + p * chunk * tiles);
            }
            for (int64_t k = 0; k < rows; k += kLanes) {
                for (int64_t g = 0; g < tiles; g += kLanes) {
                    transformOutputsChannelsLast(s, m + k * tiles + g, chunk * tiles, tiles, k0 + k,
                                                 bias, sites + g, y);
                }
            }
        }
    }
}

} // namespace

bool cpuSupported() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void transformWeights(const float* g, int64_t outChannels, int64_t inChannels, bool flip,
                      float* u) {
    const int64_t rows = flip ? inChannels : outChannels;
    const int64_t cols = flip ? outChannels : inChannels;
    const int64_t rowsOfU = paddedRows(rows);
    for (int64_t p = 0; p < kPoints; ++p) { // the padding rows
        std::fill(u + (p * rowsOfU + rows) * cols, u + (p + 1) * rowsOfU * cols, 0.0f);
    }
    // u's (row, col) comes from the kernel (k, c) = (row, col), or (col, row) turned.
    // Eight columns at a time: their kernels' taps gathered into one register each.
    const int64_t laneStride = flip ? inChannels * 9 : 9;
    const __m256i lanes = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                             _mm256_set1_epi32(static_cast<int>(laneStride)));
    for (int64_t row = 0; row < rows; ++row) {
        for (int64_t col0 = 0; col0 < cols; col0 += kLanes) {
            const int64_t width = std::min<int64_t>(kLanes, cols - col0);
            const float* first = g + (flip ? col0 * inChannels + row : row * inChannels + col0) * 9;
            __m256 f[9];
            for (int t = 0; t < 9; ++t) {
                const float* tap = first + (flip ? 8 - t : t);
                if (width == kLanes) {
                    f[t] = _mm256_i32gather_ps(tap, lanes, 4);
                } else { // the last columns, fewer than eight
                    alignas(32) float v[kLanes] = {};
                    for (int64_t l = 0; l < width; ++l) {
                        v[l] = tap[l * laneStride];
                    }
                    f[t] = _mm256_load_ps(v);
                }
            }
            __m256 gf[6][3]; // G f
            for (int i = 0; i < 6; ++i) {
                for (int j = 0; j < 3; ++j) {
                    gf[i][j] = _mm256_fmadd_ps(
                        _mm256_set1_ps(G[i][0]), f[j],
                        _mm256_fmadd_ps(_mm256_set1_ps(G[i][1]), f[3 + j],
                                        _mm256_mul_ps(_mm256_set1_ps(G[i][2]), f[6 + j])));
                }
            }
            for (int i = 0; i < 6; ++i) {
                for (int j = 0; j < 6; ++j) { // (G f) G^T
                    const __m256 v = _mm256_fmadd_ps(
                        gf[i][0], _mm256_set1_ps(G[j][0]),
                        _mm256_fmadd_ps(gf[i][1], _mm256_set1_ps(G[j][1]),
                                        _mm256_mul_ps(gf[i][2], _mm256_set1_ps(G[j][2]))));
                    float* out = u + ((i * 6 + j) * rowsOfU + row) * cols + col0;
                    if (width == kLanes) {
                        _mm256_storeu_ps(out, v);
                    } else {
                        alignas(32) float w[kLanes];
                        _mm256_store_ps(w, v);
                        std::copy(w, w + width, out);
                    }
                }
            }
        }
    }
}

int64_t scratchFloats(const Shape& s) {
    const int64_t tiles = tilesPerBlock(s);
    return kPoints * tiles *
               (s.inChannels + std::max(outChunk(s, tiles), outChunk(s, tiles, kLanes))) +
           16;
}

void convolve(const Shape& s, const float* x, const float* u, const float* bias, float* y,
              int64_t threads, float* scratch) {
    const int64_t floats = scratchFloats(s);
    shareOut(blockCount(s), threads, [&](int64_t id, int64_t first, int64_t end) {
        convolveBlocks(s, x, u, bias, y, first, end, scratch + id * floats);
    });
}

void convolveChannelsLast(const Shape& s, const float* x, const float* u, const float* bias,
                          float* y, int64_t threads, float* scratch) {
    const int64_t floats = scratchFloats(s);
    shareOut(blockCount(s), threads, [&](int64_t id, int64_t first, int64_t end) {
        convolveBlocksChannelsLast(s, x, u, bias, y, first, end, scratch + id * floats);
    });
}

} // namespace pretext::winograd

#else // no AVX2 and FMA in this build: never used (cpuSupported() says no)

namespace pretext::winograd {
bool cpuSupported() {
    return false;
}
void transformWeights(const float*, int64_t, int64_t, bool, float*) {}
int64_t scratchFloats(const Shape&) {
    return 0;
}
void convolve(const Shape&, const float*, const float*, const float*, float*, int64_t, float*) {}
void convolveChannelsLast(const Shape&, const float*, const float*, const float*, float*, int64_t,
                          float*) {}
} // namespace pretext::winograd

#endif
