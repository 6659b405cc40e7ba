// Compiled with -mavx2 -mfma (engine/core/CMakeLists.txt) and without the torch
// headers: only called once cpuSupported() has said yes.
#include "Winograd.h"

#include <algorithm>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#include <omp.h>

namespace pretext::winograd {

namespace {
// Floats of a block's transformed inputs (36 x C x tiles, about 192 KB) and products
// (36 x output channels x tiles, about 128 KB): together within one core's 512 KB of
// L2 on the machine the project is measured on. (Twice as much measured slower.)
constexpr int64_t kInputBudget = 49152;
constexpr int64_t kProductBudget = 32768;

// G (6x3) of F(4x4, 3x3): the weights' transform.
constexpr float G[6][3] = {{1.0f / 4, 0, 0},
                           {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                           {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                           {1.0f / 24, 1.0f / 12, 1.0f / 6},
                           {1.0f / 24, -1.0f / 12, 1.0f / 6},
                           {0, 0, 1}};

// Tiles of a block: where each one's 6x6 input window starts (one row and one column
// above and left of its 4x4 outputs), and in which image.
struct TileSite {
    int64_t image = 0;
    int64_t row = 0;
    int64_t col = 0;
    bool valid = false;
};

TileSite site(const Shape& s, int64_t tile) {
    const int64_t across = s.width / kOutTile;
    const int64_t perImage = across * (s.height / kOutTile);
    TileSite t;
    if (tile >= s.batch * perImage) {
        return t;
    }
    t.image = tile / perImage;
    const int64_t inImage = tile % perImage;
    t.row = (inImage / across) * kOutTile - 1;
    t.col = (inImage % across) * kOutTile - 1;
    t.valid = true;
    return t;
}

// B^T d (one axis of the input transform), on 8 tiles at once.
inline void inputAxis(const __m256* d, int64_t step, __m256* out, int64_t outStep) {
    const __m256 four = _mm256_set1_ps(4.0f);
    const __m256 five = _mm256_set1_ps(5.0f);
    const __m256 two = _mm256_set1_ps(2.0f);
    const __m256 d0 = d[0], d1 = d[step], d2 = d[2 * step], d3 = d[3 * step], d4 = d[4 * step],
                 d5 = d[5 * step];
    const __m256 a = _mm256_fnmadd_ps(four, d2, d4);  // d4 - 4 d2
    const __m256 b = _mm256_fnmadd_ps(four, d1, d3);  // d3 - 4 d1
    const __m256 c = _mm256_sub_ps(d4, d2);           // d4 - d2
    const __m256 e = _mm256_mul_ps(two, _mm256_sub_ps(d3, d1)); // 2 (d3 - d1)
    out[0] = _mm256_fnmadd_ps(five, d2, _mm256_fmadd_ps(four, d0, d4));
    out[outStep] = _mm256_add_ps(a, b);
    out[2 * outStep] = _mm256_sub_ps(a, b);
    out[3 * outStep] = _mm256_add_ps(c, e);
    out[4 * outStep] = _mm256_sub_ps(c, e);
    out[5 * outStep] = _mm256_fnmadd_ps(five, d3, _mm256_fmadd_ps(four, d1, d5));
}

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

// The 8x8 transpose of r (lane l's row of 8 values) into columns (value j of every
// lane); the first six columns are kept.
inline void transposeSix(const __m256* r, __m256* col) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    col[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    col[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    col[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    col[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    col[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    col[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
}

inline void transposeEight(const __m256* r, __m256* col) {
    __m256 six[6];
    transposeSix(r, six);
    for (int q = 0; q < 6; ++q) {
        col[q] = six[q];
    }
    const __m256 t1 = _mm256_unpackhi_ps(r[0], r[1]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t5 = _mm256_unpackhi_ps(r[4], r[5]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    col[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    col[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Which of the 8 floats from a window's first column on are inside the image and
// among its six columns.
__m256i columnMask(int64_t col, int64_t width) {
    const __m256i e = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i at = _mm256_add_epi32(e, _mm256_set1_epi32(static_cast<int>(col)));
    const __m256i left = _mm256_cmpgt_epi32(at, _mm256_set1_epi32(-1));
    const __m256i right = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(width)), at);
    const __m256i six = _mm256_cmpgt_epi32(_mm256_set1_epi32(kInTile), e);
    return _mm256_and_si256(_mm256_and_si256(left, right), six);
}

// Channel c's 6x6 windows of 8 tiles (zero outside the image), transformed, written
// to v[point * pointStride + lane]. Each window row is one masked load (nothing
// outside the image is read), and the 8 rows of a window row are transposed.
void transformInputs(const Shape& s, const float* x, int64_t c, const TileSite* sites,
                     const __m256i* masks, float* v, int64_t pointStride) {
    const int64_t h = s.height, w = s.width;
    __m256 in[kPoints], mid[kPoints], out[kPoints];
    for (int64_t i = 0; i < kInTile; ++i) {
        __m256 rows[kLanes];
        for (int64_t lane = 0; lane < kLanes; ++lane) {
            const TileSite& t = sites[lane];
            const int64_t r = t.row + i;
            if (!t.valid || r < 0 || r >= h) {
                rows[lane] = _mm256_setzero_ps();
                continue;
            }
            // The address of column t.col, which may be one before the row: the mask
            // keeps that float from being read.
            const auto at = reinterpret_cast<std::uintptr_t>(x) +
                            sizeof(float) * static_cast<std::uintptr_t>(
                                                ((t.image * s.inChannels + c) * h + r) * w + t.col);
            rows[lane] = _mm256_maskload_ps(reinterpret_cast<const float*>(at), masks[lane]);
        }
        transposeSix(rows, in + i * kInTile);
    }
    for (int64_t j = 0; j < kInTile; ++j) { // columns: B^T d
        inputAxis(in + j, kInTile, mid + j, kInTile);
    }
    for (int64_t i = 0; i < kInTile; ++i) { // rows: (B^T d) B
        inputAxis(mid + i * kInTile, 1, out + i * kInTile, 1);
    }
    for (int64_t p = 0; p < kPoints; ++p) {
        _mm256_storeu_ps(v + p * pointStride, out[p]);
    }
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

// mOut (rows, tiles) = u (rows, depth; row stride uStride) x v (depth, tiles), rows a
// multiple of 4 and tiles of 16: four rows by two registers of tiles at a time.
void multiply(const float* u, int64_t uStride, const float* v, int64_t rows, int64_t depth,
              int64_t tiles, float* mOut, bool accumulate = false) {
    for (int64_t r = 0; r < rows; r += 4) {
        const float* u0 = u + r * uStride;
        const float* u1 = u0 + uStride;
        const float* u2 = u1 + uStride;
        const float* u3 = u2 + uStride;
        for (int64_t t = 0; t < tiles; t += 16) {
            float* out = mOut + r * tiles + t;
            __m256 a0 = _mm256_setzero_ps(), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
            if (accumulate) {
                a0 = _mm256_loadu_ps(out);
                b0 = _mm256_loadu_ps(out + 8);
                a1 = _mm256_loadu_ps(out + tiles);
                b1 = _mm256_loadu_ps(out + tiles + 8);
                a2 = _mm256_loadu_ps(out + 2 * tiles);
                b2 = _mm256_loadu_ps(out + 2 * tiles + 8);
                a3 = _mm256_loadu_ps(out + 3 * tiles);
                b3 = _mm256_loadu_ps(out + 3 * tiles + 8);
            }
            const float* col = v + t;
            for (int64_t c = 0; c < depth; ++c, col += tiles) {
                const __m256 lo = _mm256_loadu_ps(col);
                const __m256 hi = _mm256_loadu_ps(col + 8);
                __m256 s = _mm256_broadcast_ss(u0 + c);
                a0 = _mm256_fmadd_ps(s, lo, a0);
                b0 = _mm256_fmadd_ps(s, hi, b0);
                s = _mm256_broadcast_ss(u1 + c);
                a1 = _mm256_fmadd_ps(s, lo, a1);
                b1 = _mm256_fmadd_ps(s, hi, b1);
                s = _mm256_broadcast_ss(u2 + c);
                a2 = _mm256_fmadd_ps(s, lo, a2);
                b2 = _mm256_fmadd_ps(s, hi, b2);
                s = _mm256_broadcast_ss(u3 + c);
                a3 = _mm256_fmadd_ps(s, lo, a3);
                b3 = _mm256_fmadd_ps(s, hi, b3);
            }
            _mm256_storeu_ps(out, a0);
            _mm256_storeu_ps(out + 8, b0);
            _mm256_storeu_ps(out + tiles, a1);
            _mm256_storeu_ps(out + tiles + 8, b1);
            _mm256_storeu_ps(out + 2 * tiles, a2);
            _mm256_storeu_ps(out + 2 * tiles + 8, b2);
            _mm256_storeu_ps(out + 3 * tiles, a3);
            _mm256_storeu_ps(out + 3 * tiles + 8, b3);
        }
    }
}

// Output channels whose products are kept at once.
int64_t outChunk(const Shape& s, int64_t tiles) {
    const int64_t budget = kProductBudget / (kPoints * tiles);
    return std::clamp<int64_t>(budget / 4 * 4, 4, s.outChannels);
}
} // namespace

bool cpuSupported() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void transformWeights(const float* g, int64_t outChannels, int64_t inChannels, bool flip, float* u) {
    const int64_t rows = flip ? inChannels : outChannels;
    const int64_t cols = flip ? outChannels : inChannels;
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
                    gf[i][j] = _mm256_fmadd_ps(_mm256_set1_ps(G[i][0]), f[j],
                                               _mm256_fmadd_ps(_mm256_set1_ps(G[i][1]), f[3 + j],
                                                               _mm256_mul_ps(_mm256_set1_ps(G[i][2]), f[6 + j])));
                }
            }
            for (int i = 0; i < 6; ++i) {
                for (int j = 0; j < 6; ++j) { // (G f) G^T
                    const __m256 v = _mm256_fmadd_ps(gf[i][0], _mm256_set1_ps(G[j][0]),
                                                     _mm256_fmadd_ps(gf[i][1], _mm256_set1_ps(G[j][1]),
                                                                     _mm256_mul_ps(gf[i][2], _mm256_set1_ps(G[j][2]))));
                    float* out = u + ((i * 6 + j) * rows + row) * cols + col0;
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

int64_t tilesPerBlock(const Shape& s) {
    const int64_t budget = kInputBudget / (kPoints * s.inChannels);
    return std::clamp<int64_t>(budget / 16 * 16, 32, 256);
}

int64_t blockCount(const Shape& s) {
    const int64_t tiles = s.batch * (s.height / kOutTile) * (s.width / kOutTile);
    const int64_t per = tilesPerBlock(s);
    return (tiles + per - 1) / per;
}

int64_t scratchFloats(const Shape& s) {
    const int64_t tiles = tilesPerBlock(s);
    return kPoints * tiles * (s.inChannels + outChunk(s, tiles)) + 16;
}

namespace {
void convolveBlocks(const Shape& s, const float* x, const float* u, const float* bias, float* y,
                    int64_t first, int64_t end, float* scratch) {
    const int64_t tiles = tilesPerBlock(s);
    const int64_t chunk = outChunk(s, tiles);
    const int64_t C = s.inChannels, K = s.outChannels;
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
        for (int64_t k0 = 0; k0 < K; k0 += chunk) {
            const int64_t rows = std::min(chunk, K - k0);
            for (int64_t p = 0; p < kPoints; ++p) {
                multiply(u + (p * K + k0) * C, C, v + p * C * tiles, rows, C, tiles,
                         m + p * chunk * tiles);
            }
            for (int64_t k = 0; k < rows; ++k) {
                for (int64_t g = 0; g < tiles; g += kLanes) {
                    transformOutputs(s, m + k * tiles + g, chunk * tiles, k0 + k,
                                     bias ? bias[k0 + k] : 0.0f, sites + g, y);
                }
            }
        }
    }
}


// A g A^T (one axis), from the 4 values of a gradient tile to the 6 points.
inline void gradAxis(const __m256* g, int64_t step, __m256* out, int64_t outStep) {
    const __m256 g0 = g[0], g1 = g[step], g2 = g[2 * step], g3 = g[3 * step];
    const __m256 even = _mm256_add_ps(g0, g2), odd = _mm256_add_ps(g1, g3);
    const __m256 even4 = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), g2, g0);
    const __m256 odd4 = _mm256_mul_ps(_mm256_set1_ps(2.0f), _mm256_fmadd_ps(_mm256_set1_ps(4.0f), g3, g1));
    out[0] = g0;
    out[outStep] = _mm256_add_ps(even, odd);
    out[2 * outStep] = _mm256_sub_ps(even, odd);
    out[3 * outStep] = _mm256_add_ps(even4, odd4);
    out[4 * outStep] = _mm256_sub_ps(even4, odd4);
    out[5 * outStep] = g3;
}

// Output channel k's gradient tiles (4x4) of 8 tiles, transformed (A g A^T), written
// to out[point * pointStride + lane].
void transformGrads(const Shape& s, const float* g, int64_t k, const TileSite* sites, float* out,
                    int64_t pointStride) {
    const int64_t h = s.height, w = s.width;
    __m256 in[kOutTile * kOutTile], mid[kInTile * kOutTile], res[kPoints];
    for (int64_t i = 0; i < kOutTile; ++i) {
        __m128 rows[kLanes];
        for (int64_t lane = 0; lane < kLanes; ++lane) {
            const TileSite& t = sites[lane];
            rows[lane] = t.valid ? _mm_loadu_ps(g + ((t.image * s.outChannels + k) * h + t.row + 1 + i) * w + t.col + 1)
                                 : _mm_setzero_ps();
        }
        // 8 rows of 4 -> 4 columns of 8 (lanes 0-3 in the low half, 4-7 in the high).
        __m256 r[4];
        for (int64_t q = 0; q < 4; ++q) {
            r[q] = _mm256_insertf128_ps(_mm256_castps128_ps256(rows[q]), rows[q + 4], 1);
        }
        const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
        const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
        // Lanes (0,1,2,3 | 4,5,6,7) of column j.
        in[i * kOutTile + 0] = _mm256_shuffle_ps(t0, t2, 0x44);
        in[i * kOutTile + 1] = _mm256_shuffle_ps(t0, t2, 0xEE);
        in[i * kOutTile + 2] = _mm256_shuffle_ps(t1, t3, 0x44);
        in[i * kOutTile + 3] = _mm256_shuffle_ps(t1, t3, 0xEE);
    }
    for (int64_t j = 0; j < kOutTile; ++j) { // columns: A g, 6 rows of 4
        gradAxis(in + j, kOutTile, mid + j, kOutTile);
    }
    for (int64_t i = 0; i < kInTile; ++i) { // rows: (A g) A^T
        gradAxis(mid + i * kOutTile, 1, res + i * kInTile, 1);
    }
    for (int64_t p = 0; p < kPoints; ++p) {
        _mm256_storeu_ps(out + p * pointStride, res[p]);
    }
}

// Tiles per chunk of the weight gradient: long enough that the per-point sums dU are
// read and written back rarely, short enough that a point's inputs stay in L2; fewer
// where that leaves a thread without a chunk.
constexpr int64_t kGradTiles = 128;

int64_t gradTiles(const Shape& s, int64_t threads) {
    const int64_t tiles = s.batch * (s.height / kOutTile) * (s.width / kOutTile);
    const int64_t share = (tiles + threads - 1) / std::max<int64_t>(1, threads);
    return std::clamp<int64_t>((share + kLanes - 1) / kLanes * kLanes, kLanes, kGradTiles);
}

int64_t gradChunkCount(const Shape& s, int64_t chunkTiles) {
    const int64_t tiles = s.batch * (s.height / kOutTile) * (s.width / kOutTile);
    return (tiles + chunkTiles - 1) / chunkTiles;
}

// dU (36, K, C) += the chunks [first, end) of tiles.
void gradientChunks(const Shape& s, const float* x, const float* g, int64_t T, int64_t first, int64_t end,
                    float* dU, float* scratch) {
    const int64_t C = s.inChannels, K = s.outChannels;
    float* gt = scratch;               // (36, K, T)
    float* vt = gt + kPoints * K * T;  // (36, T, C)
    float* stage = vt + kPoints * T * C; // (36, 8 channels, 8 lanes)
    TileSite sites[kGradTiles];
    __m256i masks[kGradTiles];
    for (int64_t chunk = first; chunk < end; ++chunk) {
        for (int64_t t = 0; t < T; ++t) {
            sites[t] = site(s, chunk * T + t);
            masks[t] = columnMask(sites[t].col, s.width);
        }
        for (int64_t k = 0; k < K; ++k) {
            for (int64_t t = 0; t < T; t += kLanes) {
                transformGrads(s, g, k, sites + t, gt + k * T + t, K * T);
            }
        }
        // The inputs' transforms, 8 channels by 8 tiles at a time, transposed so that
        // channels are contiguous: (36, T, C).
        for (int64_t c0 = 0; c0 < C; c0 += kLanes) {
            for (int64_t t = 0; t < T; t += kLanes) {
                for (int64_t c = 0; c < kLanes; ++c) {
                    transformInputs(s, x, c0 + c, sites + t, masks + t, stage + c * kLanes, kLanes * kLanes);
                }
                for (int64_t p = 0; p < kPoints; ++p) {
                    __m256 rows[kLanes], cols[kLanes];
                    for (int64_t c = 0; c < kLanes; ++c) {
                        rows[c] = _mm256_loadu_ps(stage + p * kLanes * kLanes + c * kLanes);
                    }
                    transposeEight(rows, cols);
                    for (int64_t lane = 0; lane < kLanes; ++lane) {
                        _mm256_storeu_ps(vt + (p * T + t + lane) * C + c0, cols[lane]);
                    }
                }
            }
        }
        for (int64_t p = 0; p < kPoints; ++p) {
            multiply(gt + p * K * T, T, vt + p * T * C, K, T, C, dU + p * K * C, true);
        }
    }
}
} // namespace

void convolve(const Shape& s, const float* x, const float* u, const float* bias, float* y,
              int64_t threads, float* scratch) {
    const int64_t blocks = blockCount(s);
    const int64_t floats = scratchFloats(s);
    if (threads <= 1 || blocks < 2) {
        convolveBlocks(s, x, u, bias, y, 0, blocks, scratch);
        return;
    }
    // As LibTorch's parallel_for: no num_threads clause (it would make GNU OpenMP keep
    // another pool), the team split by thread number, idle threads beyond `threads`.
#pragma omp parallel
    {
        const int64_t team = std::min<int64_t>(omp_get_num_threads(), threads);
        const int64_t id = omp_get_thread_num();
        const int64_t per = (blocks + team - 1) / team;
        const int64_t first = id * per;
        if (id < team && first < blocks) {
            convolveBlocks(s, x, u, bias, y, first, std::min(blocks, first + per), scratch + id * floats);
        }
    }
}


int64_t weightGradientScratchFloats(const Shape& s) {
    const int64_t perThread = kPoints * s.outChannels * s.inChannels + // dU
                              kPoints * kGradTiles * (s.outChannels + s.inChannels) + kPoints * kLanes * kLanes;
    return perThread;
}

void weightGradient(const Shape& s, const float* x, const float* g, int64_t threads, float* scratch,
                    float* dW) {
    const int64_t chunkTiles = gradTiles(s, threads);
    const int64_t chunks = gradChunkCount(s, chunkTiles);
    const int64_t floats = weightGradientScratchFloats(s);
    const int64_t sums = kPoints * s.outChannels * s.inChannels;
    int64_t used = 1;
    if (threads <= 1 || chunks < 2) {
        std::fill(scratch, scratch + sums, 0.0f);
        gradientChunks(s, x, g, chunkTiles, 0, chunks, scratch, scratch + sums);
    } else {
#pragma omp parallel
        {
            const int64_t team = std::min<int64_t>(omp_get_num_threads(), threads);
            const int64_t id = omp_get_thread_num();
            const int64_t per = (chunks + team - 1) / team;
            const int64_t first = id * per;
            float* mine = scratch + id * floats;
            if (id < team) {
                std::fill(mine, mine + sums, 0.0f);
                if (first < chunks) {
                    gradientChunks(s, x, g, chunkTiles, first, std::min(chunks, first + per), mine, mine + sums);
                }
            }
#pragma omp single
            used = team;
        }
    }
    for (int64_t i = 1; i < used; ++i) { // the threads' sums into the first's
        const float* other = scratch + i * floats;
        for (int64_t e = 0; e < sums; ++e) {
            scratch[e] += other[e];
        }
    }
    // dW = G^T dU G for every (k, c).
    const int64_t pairs = s.outChannels * s.inChannels;
    for (int64_t kc = 0; kc < pairs; ++kc) {
        float du[6][6];
        for (int p = 0; p < 36; ++p) {
            du[p / 6][p % 6] = scratch[p * pairs + kc];
        }
        float half[3][6]; // G^T dU
        for (int a = 0; a < 3; ++a) {
            for (int q = 0; q < 6; ++q) {
                float sum = 0;
                for (int p = 0; p < 6; ++p) {
                    sum += G[p][a] * du[p][q];
                }
                half[a][q] = sum;
            }
        }
        for (int a = 0; a < 3; ++a) {
            for (int b = 0; b < 3; ++b) {
                float sum = 0;
                for (int q = 0; q < 6; ++q) {
                    sum += half[a][q] * G[q][b];
                }
                dW[kc * 9 + a * 3 + b] = sum;
            }
        }
    }
}
} // namespace pretext::winograd

#else // no AVX2 and FMA in this build: never used (cpuSupported() says no)

namespace pretext::winograd {
bool cpuSupported() {
    return false;
}
void transformWeights(const float*, int64_t, int64_t, bool, float*) {}
int64_t tilesPerBlock(const Shape&) {
    return 16;
}
int64_t blockCount(const Shape&) {
    return 0;
}
int64_t scratchFloats(const Shape&) {
    return 0;
}
void convolve(const Shape&, const float*, const float*, const float*, float*, int64_t, float*) {}
int64_t weightGradientScratchFloats(const Shape&) {
    return 0;
}
void weightGradient(const Shape&, const float*, const float*, int64_t, float*, float*) {}
} // namespace pretext::winograd

#endif
