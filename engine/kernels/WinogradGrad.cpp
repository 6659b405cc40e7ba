// The weight gradient of the Winograd convolution (Winograd.h). Compiled with -mavx2
// -mfma like Winograd.cpp, and like it without the torch headers.
#include "Winograd.h"

#include <algorithm>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include "WinogradKernels.h"

namespace pretext::winograd {

using namespace kernels;

namespace {
// A g A^T (one axis), from the 4 values of a gradient tile to the 6 points.
inline void gradAxis(const __m256* g, int64_t step, __m256* out, int64_t outStep) {
    const __m256 g0 = g[0], g1 = g[step], g2 = g[2 * step], g3 = g[3 * step];
    const __m256 even = _mm256_add_ps(g0, g2), odd = _mm256_add_ps(g1, g3);
    const __m256 even4 = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), g2, g0);
    const __m256 odd4 =
        _mm256_mul_ps(_mm256_set1_ps(2.0f), _mm256_fmadd_ps(_mm256_set1_ps(4.0f), g3, g1));
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
            rows[lane] =
                t.valid ? _mm_loadu_ps(g + ((t.image * s.outChannels + k) * h + t.row + 1 + i) * w +
                                       t.col + 1)
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
// read and written back rarely, short enough that a point's inputs stay in L2; and as
// many chunks as make every thread's share the same (288 tiles on two threads: three
// chunks of 96, not 128, 128 and 32, which left one thread twice the work).
constexpr int64_t kGradTiles = 128;

int64_t gradTiles(const Shape& s, int64_t threads) {
    const int64_t team = std::max<int64_t>(1, threads);
    int64_t chunks = (tileCount(s) + kGradTiles - 1) / kGradTiles;
    chunks = (chunks + team - 1) / team * team;
    const int64_t per = (tileCount(s) + chunks - 1) / chunks;
    return std::clamp<int64_t>((per + kLanes - 1) / kLanes * kLanes, kLanes, kGradTiles);
}

int64_t gradChunkCount(const Shape& s, int64_t chunkTiles) {
    return (tileCount(s) + chunkTiles - 1) / chunkTiles;
}

// dU (36, K, C) += the chunks [first, end) of tiles.
void gradientChunks(const Shape& s, const float* x, const float* g, int64_t T, int64_t first,
                    int64_t end, float* dU, float* scratch) {
    const int64_t C = s.inChannels, K = s.outChannels;
    float* gt = scratch;                 // (36, K, T)
    float* vt = gt + kPoints * K * T;    // (36, T, C)
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
                    transformInputs(s, x, c0 + c, sites + t, masks + t, stage + c * kLanes,
                                    kLanes * kLanes);
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
// gradientChunks for channels-last x and g: the transforms run across 8 channels of
// one tile at a time (no transposes), so the gradients' come out as (36, T, K) and
// are read with a depth stride of K.
void gradientChunksChannelsLast(const Shape& s, const float* x, const float* g, int64_t T,
                                int64_t first, int64_t end, float* dU, float* scratch) {
    const int64_t C = s.inChannels, K = s.outChannels, h = s.height, w = s.width;
    float* gt = scratch;              // (36, T, K)
    float* vt = gt + kPoints * K * T; // (36, T, C)
    for (int64_t chunk = first; chunk < end; ++chunk) {
        for (int64_t t = 0; t < T; ++t) {
            const TileSite site = kernels::site(s, chunk * T + t);
            for (int64_t k = 0; k < K; k += kLanes) {
                __m256 in[kOutTile * kOutTile], mid[kInTile * kOutTile], res[kPoints];
                for (int64_t q = 0; q < kOutTile * kOutTile; ++q) {
                    const int64_t r = site.row + 1 + q / kOutTile,
                                  col = site.col + 1 + q % kOutTile;
                    in[q] = site.valid && r < h && col < w
                                ? _mm256_loadu_ps(g + ((site.image * h + r) * w + col) * K + k)
                                : _mm256_setzero_ps();
                }
                for (int64_t j = 0; j < kOutTile; ++j) {
                    gradAxis(in + j, kOutTile, mid + j, kOutTile);
                }
                for (int64_t i = 0; i < kInTile; ++i) {
                    gradAxis(mid + i * kOutTile, 1, res + i * kInTile, 1);
                }
                for (int64_t p = 0; p < kPoints; ++p) {
                    _mm256_storeu_ps(gt + (p * T + t) * K + k, res[p]);
                }
            }
            for (int64_t c = 0; c < C; c += kLanes) {
                __m256 in[kPoints];
                for (int64_t q = 0; q < kPoints; ++q) {
                    const int64_t r = site.row + q / kInTile, col = site.col + q % kInTile;
                    in[q] = site.valid && r >= 0 && r < h && col >= 0 && col < w
                                ? _mm256_loadu_ps(x + ((site.image * h + r) * w + col) * C + c)
                                : _mm256_setzero_ps();
                }
                transformWindows(in, vt + t * C + c, T * C);
            }
        }
        for (int64_t p = 0; p < kPoints; ++p) {
            multiply(gt + p * T * K, 1, vt + p * T * C, K, T, C, dU + p * K * C, true, K);
        }
    }
}

// The threads' sums dU into the first's, then dW = G^T dU G for every (k, c).
void finishWeightGradient(const Shape& s, float* scratch, int64_t floats, int64_t used, float* dW) {
    const int64_t sums = kPoints * s.outChannels * s.inChannels;
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

using Chunks = void (*)(const Shape&, const float*, const float*, int64_t, int64_t, int64_t, float*,
                        float*);

// The chunks of tiles shared out among the threads, each summing into its own dU.
void weightGradientBy(Chunks chunks, const Shape& s, const float* x, const float* g,
                      int64_t threads, float* scratch, float* dW) {
    const int64_t chunkTiles = gradTiles(s, threads);
    const int64_t floats = weightGradientScratchFloats(s);
    const int64_t sums = kPoints * s.outChannels * s.inChannels;
    const int64_t used = shareOut(gradChunkCount(s, chunkTiles), threads,
                                  [&](int64_t id, int64_t first, int64_t end) {
                                      float* mine = scratch + id * floats;
                                      std::fill(mine, mine + sums, 0.0f);
                                      chunks(s, x, g, chunkTiles, first, end, mine, mine + sums);
                                  });
    finishWeightGradient(s, scratch, floats, used, dW);
}
} // namespace

int64_t weightGradientScratchFloats(const Shape& s) {
    const int64_t perThread = kPoints * s.outChannels * s.inChannels + // dU
                              kPoints * kGradTiles * (s.outChannels + s.inChannels) +
                              kPoints * kLanes * kLanes;
    return perThread;
}

void weightGradient(const Shape& s, const float* x, const float* g, int64_t threads, float* scratch,
                    float* dW) {
    weightGradientBy(gradientChunks, s, x, g, threads, scratch, dW);
}

void weightGradientChannelsLast(const Shape& s, const float* x, const float* g, int64_t threads,
                                float* scratch, float* dW) {
    weightGradientBy(gradientChunksChannelsLast, s, x, g, threads, scratch, dW);
}
} // namespace pretext::winograd

#else // no AVX2 and FMA in this build: never used (cpuSupported() says no)

namespace pretext::winograd {
int64_t weightGradientScratchFloats(const Shape&) {
    return 0;
}
void weightGradient(const Shape&, const float*, const float*, int64_t, float*, float*) {}
void weightGradientChannelsLast(const Shape&, const float*, const float*, int64_t, float*, float*) {
}
} // namespace pretext::winograd

#endif
