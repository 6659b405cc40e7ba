#pragma once
// The pieces both Winograd files use (Winograd.cpp: the convolution, WinogradGrad.cpp:
// the weight gradient). AVX2 and FMA code: included only by those two files, which
// are compiled for them.
#include "Winograd.h"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace pretext::winograd::kernels {

// G (6x3) of F(4x4, 3x3): the weights' transform.
inline constexpr float G[6][3] = {{1.0f / 4, 0, 0},
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

// Tiles across and down a map (the last ones partly outside it where a side is not a
// multiple of 4; only channels-last maps have such sides).
inline int64_t tilesAcross(const Shape& s) {
    return (s.width + kOutTile - 1) / kOutTile;
}

inline int64_t tileCount(const Shape& s) {
    return s.batch * tilesAcross(s) * ((s.height + kOutTile - 1) / kOutTile);
}

inline TileSite site(const Shape& s, int64_t tile) {
    const int64_t across = tilesAcross(s);
    const int64_t perImage = across * ((s.height + kOutTile - 1) / kOutTile);
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
    const __m256 a = _mm256_fnmadd_ps(four, d2, d4);            // d4 - 4 d2
    const __m256 b = _mm256_fnmadd_ps(four, d1, d3);            // d3 - 4 d1
    const __m256 c = _mm256_sub_ps(d4, d2);                     // d4 - d2
    const __m256 e = _mm256_mul_ps(two, _mm256_sub_ps(d3, d1)); // 2 (d3 - d1)
    out[0] = _mm256_fnmadd_ps(five, d2, _mm256_fmadd_ps(four, d0, d4));
    out[outStep] = _mm256_add_ps(a, b);
    out[2 * outStep] = _mm256_sub_ps(a, b);
    out[3 * outStep] = _mm256_add_ps(c, e);
    out[4 * outStep] = _mm256_sub_ps(c, e);
    out[5 * outStep] = _mm256_fnmadd_ps(five, d3, _mm256_fmadd_ps(four, d1, d5));
}

// The 8x8 transpose of r (lane l's row of 8 values) into columns (value j of every
// lane).
inline void transposeEight(const __m256* r, __m256* col) {
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
    col[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    col[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Its first six columns (a window's width); the compiler drops the other two.
inline void transposeSix(const __m256* r, __m256* col) {
    __m256 all[8];
    transposeEight(r, all);
    for (int q = 0; q < 6; ++q) {
        col[q] = all[q];
    }
}

// Which of the 8 floats from a window's first column on are inside the image and
// among its six columns.
inline __m256i columnMask(int64_t col, int64_t width) {
    const __m256i e = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i at = _mm256_add_epi32(e, _mm256_set1_epi32(static_cast<int>(col)));
    const __m256i left = _mm256_cmpgt_epi32(at, _mm256_set1_epi32(-1));
    const __m256i right = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(width)), at);
    const __m256i six = _mm256_cmpgt_epi32(_mm256_set1_epi32(kInTile), e);
    return _mm256_and_si256(_mm256_and_si256(left, right), six);
}

// B^T d B of 8 tiles' windows in[36], written to v[point * pointStride + lane].
inline void transformWindows(const __m256* in, float* v, int64_t pointStride) {
    __m256 mid[kPoints], out[kPoints];
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

// Channel c's 6x6 windows of 8 tiles (zero outside the image), transformed, written
// to v[point * pointStride + lane]. Each window row is one masked load (nothing
// outside the image is read), and the 8 rows of a window row are transposed.
inline void transformInputs(const Shape& s, const float* x, int64_t c, const TileSite* sites,
                            const __m256i* masks, float* v, int64_t pointStride) {
    const int64_t h = s.height, w = s.width;
    __m256 in[kPoints];
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
            const auto at =
                reinterpret_cast<std::uintptr_t>(x) +
                sizeof(float) * static_cast<std::uintptr_t>(
                                    ((t.image * s.inputStride() + c) * h + r) * w + t.col);
            rows[lane] = _mm256_maskload_ps(reinterpret_cast<const float*>(at), masks[lane]);
        }
        transposeSix(rows, in + i * kInTile);
    }
    transformWindows(in, v, pointStride);
}

// A channel's 6x6 windows of 8 tiles in a channels-last map (position (i, j) of every
// tile's window at x[((image H + row) W + col) C + c]), for eight channels from c on:
// in[8 channels][36 positions], each register one position of the 8 tiles. Each
// position of a tile is one load of its 8 channels (zero outside the map), the 8 tiles'
// loads then transposed.
inline void loadWindowsChannelsLast(const Shape& s, const float* x, int64_t c,
                                    const TileSite* sites, __m256 (*in)[kPoints]) {
    for (int64_t i = 0; i < kInTile; ++i) {
        for (int64_t j = 0; j < kInTile; ++j) {
            __m256 tiles[kLanes], channels[kLanes];
            for (int64_t lane = 0; lane < kLanes; ++lane) {
                const TileSite& t = sites[lane];
                const int64_t r = t.row + i, col = t.col + j;
                tiles[lane] =
                    t.valid && r >= 0 && r < s.height && col >= 0 && col < s.width
                        ? _mm256_loadu_ps(
                              x + ((t.image * s.height + r) * s.width + col) * s.inChannels + c)
                        : _mm256_setzero_ps();
            }
            transposeEight(tiles, channels);
            for (int64_t ch = 0; ch < kLanes; ++ch) {
                in[ch][i * kInTile + j] = channels[ch];
            }
        }
    }
}

// mOut (rows, tiles) = u (rows, depth; row stride uStride, depth stride uDepthStride)
// x v (depth, tiles), rows a multiple of 4 and tiles of 16: four rows by two registers
// of tiles at a time.
inline void multiply(const float* u, int64_t uStride, const float* v, int64_t rows, int64_t depth,
                     int64_t tiles, float* mOut, bool accumulate = false,
                     int64_t uDepthStride = 1) {
    for (int64_t r = 0; r < rows; r += 4) {
        const float* u0 = u + r * uStride;
        const float* u1 = u0 + uStride;
        const float* u2 = u1 + uStride;
        const float* u3 = u2 + uStride;
        for (int64_t t = 0; t < tiles; t += 16) {
            float* out = mOut + r * tiles + t;
            __m256 a0 = _mm256_setzero_ps(), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0,
                   b3 = a0;
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
            for (int64_t c = 0, at = 0; c < depth; ++c, col += tiles, at += uDepthStride) {
                const __m256 lo = _mm256_loadu_ps(col);
                const __m256 hi = _mm256_loadu_ps(col + 8);
                __m256 s = _mm256_broadcast_ss(u0 + at);
                a0 = _mm256_fmadd_ps(s, lo, a0);
                b0 = _mm256_fmadd_ps(s, hi, b0);
                s = _mm256_broadcast_ss(u1 + at);
                a1 = _mm256_fmadd_ps(s, lo, a1);
                b1 = _mm256_fmadd_ps(s, hi, b1);
                s = _mm256_broadcast_ss(u2 + at);
                a2 = _mm256_fmadd_ps(s, lo, a2);
                b2 = _mm256_fmadd_ps(s, hi, b2);
                s = _mm256_broadcast_ss(u3 + at);
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

// Runs work(id, first, end) for ranges of [0, items) on at most `threads` threads of
// this thread's OpenMP team, as LibTorch's parallel_for does: no num_threads clause (it
// would make GNU OpenMP keep another pool), the team split by thread number, every
// thread id below the returned count called (with an empty range when none is left).
template <typename Work> int64_t shareOut(int64_t items, int64_t threads, const Work& work) {
    if (threads <= 1 || items < 2) {
        work(0, 0, items);
        return 1;
    }
    int64_t used = 1;
#pragma omp parallel
    {
        const int64_t team = std::min<int64_t>(omp_get_num_threads(), threads);
        const int64_t id = omp_get_thread_num();
        const int64_t per = (items + team - 1) / team;
        if (id < team) {
            const int64_t first = std::min(items, id * per);
            work(id, first, std::min(items, first + per));
        }
#pragma omp single
        used = team;
    }
    return used;
}

} // namespace pretext::winograd::kernels
