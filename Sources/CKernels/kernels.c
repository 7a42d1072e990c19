// The AVX2 dense-layer kernel of inference and the AVX2 kernels of the trainer (see include/CKernels.h). In the
// dense-layer kernel every multiply-add is one fused multiply-add (FMA), in the order the portable Swift kernel does
// its fused multiply-adds (Float's addingProduct); the trainer's kernels multiply and then add, as its portable Swift
// kernels do. The rest of the arithmetic is the same operations in the same order, so each kernel gives the same bits
// as its Swift twin on any machine.
#define _GNU_SOURCE     // sincos
#include "CKernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

void rival_sincos(double x, double *sine, double *cosine) {
#if defined(__GLIBC__)
    // glibc computes sincos with the code of sin and cos (tested bit for bit in PolicyTests), in one call.
    sincos(x, sine, cosine);
#else
    *sine = sin(x);
    *cosine = cos(x);
#endif
}

int rival_atomic_load(const int *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

void rival_atomic_store(int *p, int value) { __atomic_store_n(p, value, __ATOMIC_SEQ_CST); }

int rival_atomic_exchange_if(int *p, int expected, int desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ? 1 : 0;
}

void rival_spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// No contraction of a * b + c into FMA: the kernel fuses exactly where the portable kernel does (with
// _mm256_fmadd_ps), and nowhere else.
#pragma clang fp contract(off)

int rival_cpu_has_avx2_fma(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    // AVX (bit 28) and OSXSAVE (bit 27): the OS saves the YMM registers if XCR0 has bits 1 and 2 set.
    if (!(c & (1u << 27)) || !(c & (1u << 28))) return 0;
    if (!(c & (1u << 12))) return 0;    // FMA
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6u) != 6u) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 5)) ? 1 : 0;   // AVX2
}

#define AVX2_INLINE static inline __attribute__((target("avx2,fma"), always_inline))

/// PolicyCore's rational tanh on eight lanes: clamp to +-k[0], then x P(x^2) / Q(x^2) by Horner's rule, each
/// step one fused multiply-add (p x^2 + k, rounded once). The clamp is min then max with the bound first: each returns its
/// second operand when a lane is NaN, so NaN stays NaN, and otherwise picks as the portable kernel's
/// compare-and-select does (two instructions where that takes four).
AVX2_INLINE __m256 tanh8(__m256 v, const float *k) {
    const __m256 high = _mm256_set1_ps(k[0]), low = _mm256_set1_ps(-k[0]);
    const __m256 x = _mm256_max_ps(low, _mm256_min_ps(high, v));
    const __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(k[7]);
    for (int n = 6; n >= 1; n--) p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(k[n]));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(k[11]);
    for (int n = 10; n >= 8; n--) q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(k[n]));
    return _mm256_div_ps(p, q);
}

AVX2_INLINE __m256 activate8(__m256 v, int activation, const float *k) {
    switch (activation) {
    case RIVAL_ACTIVATION_TANH: return tanh8(v, k);
    case RIVAL_ACTIVATION_RELU: {
        const __m256 zero = _mm256_setzero_ps();
        return _mm256_blendv_ps(v, zero, _mm256_cmp_ps(v, zero, _CMP_LT_OQ));
    }
    default: return v;
    }
}

/// A tile of S samples by B blocks of eight outputs starting at output `o`: each weight load serves S samples,
/// each broadcast input B blocks. S and B are constants at every call, so the loops unroll into registers. The
/// activation is applied as the tile is stored (measured: faster than a separate pass over the layer).
AVX2_INLINE void tile(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded, int activation,
                      const float *k, const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride,
                      ptrdiff_t o, const int S, const int B) {
    __m256 acc[5][8];
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++) acc[s][b] = _mm256_loadu_ps(bias + o + 8 * b);
    const float *row = w + o;
    // Not unrolled: with five samples a tile, the compiler's unrolling measured slower (the body is already 27
    // instructions).
#pragma clang loop unroll(disable)
    for (ptrdiff_t i = 0; i < inputs; i++, row += padded) {
        __m256 wb[8];
        for (int b = 0; b < B; b++) wb[b] = _mm256_loadu_ps(row + 8 * b);
        for (int s = 0; s < S; s++) {
            const __m256 xi = _mm256_broadcast_ss(x + s * xStride + i);
            for (int b = 0; b < B; b++) acc[s][b] = _mm256_fmadd_ps(wb[b], xi, acc[s][b]);
        }
    }
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++)
            _mm256_storeu_ps(y + s * yStride + o + 8 * b, activate8(acc[s][b], activation, k));
}

/// Every output block of one sample: 64 outputs a pass (eight accumulators), then 32, 16, 8.
AVX2_INLINE void oneSample(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded, int activation,
                           const float *k, const float *x, float *y) {
    ptrdiff_t o = 0;
    for (; o + 64 <= padded; o += 64) tile(w, bias, inputs, padded, activation, k, x, 0, y, 0, o, 1, 8);
    if (o + 32 <= padded) { tile(w, bias, inputs, padded, activation, k, x, 0, y, 0, o, 1, 4); o += 32; }
    if (o + 16 <= padded) { tile(w, bias, inputs, padded, activation, k, x, 0, y, 0, o, 1, 2); o += 16; }
    if (o < padded) tile(w, bias, inputs, padded, activation, k, x, 0, y, 0, o, 1, 1);
}

/// Every output block of the S samples at x and y (S a constant at every call), sixteen outputs a tile, then a
/// last block of eight.
AVX2_INLINE void sampleGroup(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded, int activation,
                             const float *k, const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride,
                             const int S) {
    ptrdiff_t o = 0;
    for (; o + 16 <= padded; o += 16) tile(w, bias, inputs, padded, activation, k, x, xStride, y, yStride, o, S, 2);
    if (o < padded) tile(w, bias, inputs, padded, activation, k, x, xStride, y, yStride, o, S, 1);
}

// AVX-512 (sixteen lanes) where the CPU has it: the same fused multiply-adds per output in the same order, the same
// tanh steps and clamp, so the same bits as the eight-lane kernel and the portable one.
#define AVX512_INLINE static inline __attribute__((target("avx512f,avx512vl,avx2,fma"), always_inline))

/// Whether the CPU and OS give AVX-512F and AVX-512VL (cpuid leaf 7 EBX bits 16 and 31; XCR0 saving the opmask and
/// all 32 ZMM registers), found once when the library loads.
static int hasAVX512 = 0;

__attribute__((constructor)) static void findAVX512(void) {
    unsigned a, b, c, d;
    if (!rival_cpu_has_avx2_fma() || getenv("RIVAL_NO_AVX512")) return;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6u) != 0xE6u) return;
    __cpuid_count(7, 0, a, b, c, d);
    hasAVX512 = ((b & (1u << 16)) && (b & (1u << 31))) ? 1 : 0;
}

int rival_dense_uses_avx512(void) { return hasAVX512; }

AVX512_INLINE __m512 tanh16(__m512 v, const float *k) {
    const __m512 high = _mm512_set1_ps(k[0]), low = _mm512_set1_ps(-k[0]);
    const __m512 x = _mm512_max_ps(low, _mm512_min_ps(high, v));
    const __m512 x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(k[7]);
    for (int n = 6; n >= 1; n--) p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(k[n]));
    p = _mm512_mul_ps(p, x);
    __m512 q = _mm512_set1_ps(k[11]);
    for (int n = 10; n >= 8; n--) q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(k[n]));
    return _mm512_div_ps(p, q);
}

AVX512_INLINE __m512 activate16(__m512 v, int activation, const float *k) {
    switch (activation) {
    case RIVAL_ACTIVATION_TANH: return tanh16(v, k);
    case RIVAL_ACTIVATION_RELU: {
        const __m512 zero = _mm512_setzero_ps();
        return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, zero, _CMP_LT_OQ), v, zero);
    }
    default: return v;
    }
}

/// tile() on sixteen-lane blocks: S samples by B blocks of sixteen outputs from output `o`.
AVX512_INLINE void tile16(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded, int activation,
                          const float *k, const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride,
                          ptrdiff_t o, const int S, const int B) {
    __m512 acc[5][4];
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++) acc[s][b] = _mm512_loadu_ps(bias + o + 16 * b);
    const float *row = w + o;
#pragma clang loop unroll(disable)
    for (ptrdiff_t i = 0; i < inputs; i++, row += padded) {
        __m512 wb[4];
        for (int b = 0; b < B; b++) wb[b] = _mm512_loadu_ps(row + 16 * b);
        for (int s = 0; s < S; s++) {
            const __m512 xi = _mm512_set1_ps(x[s * xStride + i]);
            for (int b = 0; b < B; b++) acc[s][b] = _mm512_fmadd_ps(wb[b], xi, acc[s][b]);
        }
    }
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++)
            _mm512_storeu_ps(y + s * yStride + o + 16 * b, activate16(acc[s][b], activation, k));
}

/// Every sixteen-lane output block of the S samples at x and y: 64 outputs a tile, then 32, 16 (a last block of eight
/// is left to wideTile8).
AVX512_INLINE void sampleGroup16(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                                 int activation, const float *k, const float *x, ptrdiff_t xStride, float *y,
                                 ptrdiff_t yStride, const int S) {
    ptrdiff_t o = 0;
    for (; o + 64 <= padded; o += 64) tile16(w, bias, inputs, padded, activation, k, x, xStride, y, yStride, o, S, 4);
    if (o + 32 <= padded) { tile16(w, bias, inputs, padded, activation, k, x, xStride, y, yStride, o, S, 2); o += 32; }
    if (o + 16 <= padded) tile16(w, bias, inputs, padded, activation, k, x, xStride, y, yStride, o, S, 1);
}

/// A last block of eight outputs at `o` for S samples at once (S up to 20, a constant at every call), on eight lanes:
/// one weight load and S broadcasts feed S fused multiply-adds an input, in the 32 registers AVX-512 gives. Such a
/// block is a network's output layer (two outputs padded to eight), whose S sums are chains of one fused
/// multiply-add an input: five samples a tile left those chains waiting on the multiply-add's latency, twenty keep
/// both FMA pipes busy.
AVX512_INLINE void wideTile8(const float *w, const float *bias, ptrdiff_t inputs, ptrdiff_t padded, int activation,
                             const float *k, const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride,
                             ptrdiff_t o, const int S) {
    __m256 acc[20];
#pragma clang loop unroll(full)
    for (int s = 0; s < S; s++) acc[s] = _mm256_loadu_ps(bias + o);
    const float *row = w + o;
#pragma clang loop unroll(disable)
    for (ptrdiff_t i = 0; i < inputs; i++, row += padded) {
        const __m256 wb = _mm256_loadu_ps(row);
#pragma clang loop unroll(full)
        for (int s = 0; s < S; s++) acc[s] = _mm256_fmadd_ps(wb, _mm256_broadcast_ss(x + s * xStride + i), acc[s]);
    }
#pragma clang loop unroll(full)
    for (int s = 0; s < S; s++) _mm256_storeu_ps(y + s * yStride + o, activate8(acc[s], activation, k));
}

__attribute__((target("avx512f,avx512vl,avx2,fma")))
static void denseLayer16(const float *weights, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                         int activation, const float *k,
                         const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride, ptrdiff_t count) {
    ptrdiff_t s = 0;
    if (padded >= 16) {
        for (; s + 5 <= count; s += 5)
            sampleGroup16(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride,
                          yStride, 5);
        for (; s + 4 <= count; s += 4)
            sampleGroup16(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride,
                          yStride, 4);
        for (; s < count; s++)
            sampleGroup16(weights, bias, inputs, padded, activation, k, x + s * xStride, 0, y + s * yStride, 0, 1);
    }
    const ptrdiff_t o = padded - padded % 16;
    if (o == padded) return;
    // The last eight outputs, twenty samples at a time, then ten, five, and one by one.
    for (s = 0; s + 20 <= count; s += 20)
        wideTile8(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride, yStride, o, 20);
    for (; s + 10 <= count; s += 10)
        wideTile8(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride, yStride, o, 10);
    for (; s + 5 <= count; s += 5)
        wideTile8(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride, yStride, o, 5);
    for (; s < count; s++)
        wideTile8(weights, bias, inputs, padded, activation, k, x + s * xStride, 0, y + s * yStride, 0, o, 1);
}

__attribute__((target("avx2,fma")))
void rival_dense_layer_avx2(const float *weights, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                            int activation, const float *tanhConstants,
                            const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride, ptrdiff_t count) {
    const float *k = tanhConstants;
    // Four samples or more on sixteen lanes (a single sample's eight eight-lane accumulators measured no slower).
    if (hasAVX512 && count >= 4) {
        denseLayer16(weights, bias, inputs, padded, activation, k, x, xStride, y, yStride, count);
        return;
    }
    ptrdiff_t s = 0;
    // Five samples at a time, sixteen outputs a tile: ten accumulators, two weight loads and five broadcasts
    // feed ten fused multiply-adds (13 of the 16 registers; measured 5 % faster than four samples, whose
    // loads and loop take a larger share of the instructions; 4 x 3, 3 x 4, 6 x 2 and 8 x 1 tiles were slower;
    // with FMA, 4 x 2 and 6 x 2 measured slower again).
    // Then four at a time, then one.
    for (; s + 5 <= count; s += 5)
        sampleGroup(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride, yStride, 5);
    for (; s + 4 <= count; s += 4)
        sampleGroup(weights, bias, inputs, padded, activation, k, x + s * xStride, xStride, y + s * yStride, yStride, 4);
    for (; s < count; s++)
        oneSample(weights, bias, inputs, padded, activation, k, x + s * xStride, y + s * yStride);
}

/// The trainer's rational tanh on eight lanes: as tanh8, but each Horner step a rounded multiply and then a rounded
/// add, as PolicyCore's fastTanhKernel computes it.
AVX2_INLINE __m256 tanh8Unfused(__m256 v, const float *k) {
    const __m256 high = _mm256_set1_ps(k[0]), low = _mm256_set1_ps(-k[0]);
    const __m256 x = _mm256_max_ps(low, _mm256_min_ps(high, v));
    const __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(k[7]);
    for (int n = 6; n >= 1; n--) p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(k[n]));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(k[11]);
    for (int n = 10; n >= 8; n--) q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(k[n]));
    return _mm256_div_ps(p, q);
}

__attribute__((target("avx2,fma")))
void rival_adam_avx2(float *theta, float *gradient, const float *gradient2, float *moment1, float *moment2,
                     ptrdiff_t count, const float *settings) {
    const __m256 beta1 = _mm256_set1_ps(settings[0]), beta2 = _mm256_set1_ps(settings[1]);
    const __m256 correction1 = _mm256_set1_ps(settings[2]), correction2 = _mm256_set1_ps(settings[3]);
    const __m256 rate = _mm256_set1_ps(settings[4]), epsilon = _mm256_set1_ps(settings[5]);
    const __m256 one = _mm256_set1_ps(1.0f);
    for (ptrdiff_t j = 0; j < count; j += 8) {
        const __m256 g = _mm256_add_ps(_mm256_loadu_ps(gradient + j), _mm256_loadu_ps(gradient2 + j));
        _mm256_storeu_ps(gradient + j, g);
        const __m256 m1 = _mm256_add_ps(_mm256_mul_ps(beta1, _mm256_loadu_ps(moment1 + j)),
                                        _mm256_mul_ps(_mm256_sub_ps(one, beta1), g));
        const __m256 m2 = _mm256_add_ps(_mm256_mul_ps(beta2, _mm256_loadu_ps(moment2 + j)),
                                        _mm256_mul_ps(_mm256_mul_ps(_mm256_sub_ps(one, beta2), g), g));
        _mm256_storeu_ps(moment1 + j, m1);
        _mm256_storeu_ps(moment2 + j, m2);
        const __m256 mHat = _mm256_div_ps(m1, correction1), vHat = _mm256_div_ps(m2, correction2);
        const __m256 change = _mm256_div_ps(_mm256_mul_ps(rate, mHat), _mm256_add_ps(_mm256_sqrt_ps(vHat), epsilon));
        _mm256_storeu_ps(theta + j, _mm256_sub_ps(_mm256_loadu_ps(theta + j), change));
    }
}

/// Trainer tile: S rows of x by B blocks of eight columns at column j. Each product is rounded, then added (no
/// fused multiply-add: the trainer's portable Swift kernel has none), the terms in depth order; the sums go
/// through tanh8Unfused as they are stored when `tanh` is not null.
AVX2_INLINE void productTile(const float *x, ptrdiff_t xStride, const float *w, ptrdiff_t depth, const float *start,
                             const float *tanh, float *y, ptrdiff_t width, ptrdiff_t j, const int S, const int B) {
    __m256 acc[5][2];
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++) acc[s][b] = _mm256_loadu_ps(start + j + 8 * b);
    const float *row = w + j;
    for (ptrdiff_t t = 0; t < depth; t++, row += width) {
        __m256 wb[2];
        for (int b = 0; b < B; b++) wb[b] = _mm256_loadu_ps(row + 8 * b);
        for (int s = 0; s < S; s++) {
            const __m256 xs = _mm256_broadcast_ss(x + s * xStride + t);
            for (int b = 0; b < B; b++) acc[s][b] = _mm256_add_ps(acc[s][b], _mm256_mul_ps(xs, wb[b]));
        }
    }
    for (int s = 0; s < S; s++)
        for (int b = 0; b < B; b++)
            _mm256_storeu_ps(y + s * width + j + 8 * b, tanh ? tanh8Unfused(acc[s][b], tanh) : acc[s][b]);
}

/// Every column of the S rows at x and y (S a constant at every call): sixteen columns a tile, then eight.
AVX2_INLINE void productRows(const float *x, ptrdiff_t xStride, const float *w, ptrdiff_t depth, const float *start,
                             const float *tanh, float *y, ptrdiff_t width, const int S) {
    ptrdiff_t j = 0;
    for (; j + 16 <= width; j += 16) productTile(x, xStride, w, depth, start, tanh, y, width, j, S, 2);
    if (j < width) productTile(x, xStride, w, depth, start, tanh, y, width, j, S, 1);
}

__attribute__((target("avx2,fma")))
void rival_multiply_rows_avx2(const float *x, ptrdiff_t xStride, const float *w, ptrdiff_t depth, const float *start,
                              const float *tanh, float *y, ptrdiff_t width, ptrdiff_t count) {
    ptrdiff_t s = 0;
    for (; s + 5 <= count; s += 5) productRows(x + s * xStride, xStride, w, depth, start, tanh, y + s * width, width, 5);
    for (; s + 4 <= count; s += 4) productRows(x + s * xStride, xStride, w, depth, start, tanh, y + s * width, width, 4);
    for (; s < count; s++) productRows(x + s * xStride, xStride, w, depth, start, tanh, y + s * width, width, 1);
}

/// Trainer tile: R rows of g by B blocks of eight columns at column i, summed over the samples in order (each
/// product rounded, then added).
AVX2_INLINE void outerTile(const float *d, ptrdiff_t outStride, const float *h, ptrdiff_t inStride, float *g,
                           ptrdiff_t o, ptrdiff_t i, ptrdiff_t count, const int R, const int B) {
    __m256 acc[4][2];
    for (int r = 0; r < R; r++)
        for (int b = 0; b < B; b++) acc[r][b] = _mm256_loadu_ps(g + (o + r) * inStride + i + 8 * b);
    const float *hs = h + i, *ds = d + o;
    for (ptrdiff_t s = 0; s < count; s++, hs += inStride, ds += outStride) {
        __m256 hb[2];
        for (int b = 0; b < B; b++) hb[b] = _mm256_loadu_ps(hs + 8 * b);
        for (int r = 0; r < R; r++) {
            const __m256 dr = _mm256_broadcast_ss(ds + r);
            for (int b = 0; b < B; b++) acc[r][b] = _mm256_add_ps(acc[r][b], _mm256_mul_ps(dr, hb[b]));
        }
    }
    for (int r = 0; r < R; r++)
        for (int b = 0; b < B; b++) _mm256_storeu_ps(g + (o + r) * inStride + i + 8 * b, acc[r][b]);
}

/// Every column of the R rows of g from row o (R a constant at every call): sixteen columns a tile, then eight.
AVX2_INLINE void outerRows(const float *d, ptrdiff_t outStride, const float *h, ptrdiff_t inStride, float *g,
                           ptrdiff_t o, ptrdiff_t count, const int R) {
    ptrdiff_t i = 0;
    for (; i + 16 <= inStride; i += 16) outerTile(d, outStride, h, inStride, g, o, i, count, R, 2);
    if (i < inStride) outerTile(d, outStride, h, inStride, g, o, i, count, R, 1);
}

__attribute__((target("avx2,fma")))
void rival_accumulate_outer_avx2(const float *d, ptrdiff_t outStride, ptrdiff_t outWidth, const float *h,
                                 ptrdiff_t inStride, float *g, ptrdiff_t count) {
    ptrdiff_t o = 0;
    for (; o + 4 <= outWidth; o += 4) outerRows(d, outStride, h, inStride, g, o, count, 4);
    for (; o < outWidth; o++) outerRows(d, outStride, h, inStride, g, o, count, 1);
}

/// `x / b` lane by lane, correctly rounded, without the divider (for b > 0 and y = 1 / b rounded to nearest): q0 = x y
/// is within 1.5 ulps of the quotient, one correction with the exact remainder (r = x - b q, one fused multiply-add)
/// leaves it within one ulp, and a second rounds it correctly (Markstein's theorem: y within half an ulp of 1 / b and
/// q within one ulp of the quotient give RN(q + r y) = RN(x / b); P. Markstein, IBM J. Res. Dev. 34(1), 1990). A zero
/// quotient takes x's sign, as the division gives it (-0 / 5 is -0; the corrections would make it +0).
AVX2_INLINE __m256d quotient4(__m256d x, __m256d b, __m256d y) {
    const __m256d q0 = _mm256_mul_pd(x, y);
    const __m256d q1 = _mm256_fmadd_pd(_mm256_fnmadd_pd(b, q0, x), y, q0);
    const __m256d q2 = _mm256_fmadd_pd(_mm256_fnmadd_pd(b, q1, x), y, q1);
    return _mm256_or_pd(q2, _mm256_and_pd(x, _mm256_set1_pd(-0.0)));
}

__attribute__((target("avx2,fma")))
void rival_scale_features_avx2(const double *raw, const double *scales, const double *reciprocals, float *out,
                               ptrdiff_t count) {
    const __m128 magnitude = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    const __m128 infinity = _mm_set1_ps(__builtin_inff());
    ptrdiff_t n = 0;
    for (; n + 4 <= count; n += 4) {
        // Beyond the exponent range (a quotient that overflows, or one of the doubles below the floats' least
        // magnitude) the float the quotient rounds to is the division's: infinite, then 0, or a zero of raw's sign.
        const __m128 f = _mm256_cvtpd_ps(quotient4(_mm256_loadu_pd(raw + n), _mm256_loadu_pd(scales + n),
                                                   _mm256_loadu_pd(reciprocals + n)));
        // Finite lanes (|f| < infinity; false for NaN) keep their value, the others become 0.
        _mm_storeu_ps(out + n, _mm_and_ps(f, _mm_cmp_ps(_mm_and_ps(f, magnitude), infinity, _CMP_LT_OQ)));
    }
    for (; n < count; n++) {
        const float f = (float)(raw[n] / scales[n]);
        out[n] = __builtin_isfinite(f) ? f : 0.0f;
    }
}

__attribute__((target("avx2,fma")))
void rival_locate_spots_avx2(double s, const double *offsets, double spacing, double reciprocal, ptrdiff_t last,
                             const double *table, ptrdiff_t stride, void *spots) {
    const __m256d vs = _mm256_set1_pd(s), step = _mm256_set1_pd(spacing), y = _mm256_set1_pd(reciprocal);
    const __m256d zero = _mm256_setzero_pd();
    const __m128i lastRow = _mm_set1_epi32((int)last);
    const __m256i rowBytes = _mm256_set1_epi64x((long long)(stride * (ptrdiff_t)sizeof(double)));
    const __m256i base = _mm256_set1_epi64x((long long)(intptr_t)table);
    double *out = (double *)spots;
    for (int g = 0; g < 4; g++) {
        __m256d a = _mm256_add_pd(vs, _mm256_loadu_pd(offsets + 4 * g));
        if (g == 0) a = _mm256_blend_pd(a, vs, 1);     // lane 0 is s itself (s + 0 would turn -0 into +0)
        const __m256d u = quotient4(a, step, y);        // a / spacing
        // Not at least 0 (NaN included): 0. Then the row (truncated, at most the last) and the fraction past it.
        const __m256d v = _mm256_and_pd(u, _mm256_cmp_pd(u, zero, _CMP_GE_OQ));
        const __m128i row = _mm_min_epi32(_mm256_cvttpd_epi32(v), lastRow);
        const __m256d t = _mm256_sub_pd(v, _mm256_cvtepi32_pd(row));
        const __m256i address = _mm256_add_epi64(base, _mm256_mul_epi32(_mm256_cvtepi32_epi64(row), rowBytes));
        // Spots of (row address, t): lanes 0 and 1, then 2 and 3.
        const __m256d r = _mm256_castsi256_pd(address);
        const __m256d even = _mm256_unpacklo_pd(r, t), odd = _mm256_unpackhi_pd(r, t);
        _mm256_storeu_pd(out + 8 * g, _mm256_permute2f128_pd(even, odd, 0x20));
        _mm256_storeu_pd(out + 8 * g + 4, _mm256_permute2f128_pd(even, odd, 0x31));
    }
}

/// The encoder's table interpolation of four adjacent columns from `c` at a spot (row, t): each lane
/// `row[c + j] + t * row[count + c + j]`, the product rounded and then the sum (as the Swift `at4`).
AVX2_INLINE __m256d columns4(const double *row, double t, ptrdiff_t c, ptrdiff_t count) {
    return _mm256_add_pd(_mm256_loadu_pd(row + c), _mm256_mul_pd(_mm256_set1_pd(t), _mm256_loadu_pd(row + count + c)));
}

/// Four four-lane vectors transposed: lane j of out[i] is lane i of in[j].
AVX2_INLINE void transpose4(__m256d a, __m256d b, __m256d c, __m256d d, __m256d *out) {
    const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);
    const __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);
    out[0] = _mm256_permute2f128_pd(ab0, cd0, 0x20);
    out[1] = _mm256_permute2f128_pd(ab1, cd1, 0x20);
    out[2] = _mm256_permute2f128_pd(ab0, cd0, 0x31);
    out[3] = _mm256_permute2f128_pd(ab1, cd1, 0x31);
}

/// Swift's max(a, b) and min(a, b) for Double, lane by lane: `b >= a ? b : a` and `b < a ? b : a`.
AVX2_INLINE __m256d swiftMax(__m256d a, __m256d b) { return _mm256_blendv_pd(a, b, _mm256_cmp_pd(b, a, _CMP_GE_OQ)); }
AVX2_INLINE __m256d swiftMin(__m256d a, __m256d b) { return _mm256_blendv_pd(a, b, _mm256_cmp_pd(b, a, _CMP_LT_OQ)); }

__attribute__((target("avx2,fma")))
void rival_encode_course_avx2(const void *spots, const int *courseLanes, ptrdiff_t count, double px, double py,
                              double fx, double fy, double command, double lineMargin, double *out) {
    typedef struct { const double *row; double t; } Spot;
    const Spot *spot = (const Spot *)spots;
    // The course: curvature (column 4), and the widths (5 + 6), at the seven course lanes, four then three.
    for (int g = 0; g < 2; g++) {
        __m256d w[4], c[4];
        for (int j = 0; j < 4; j++) {
            const Spot p = spot[courseLanes[g * 4 + (g * 4 + j < 7 ? j : 0)]];
            w[j] = columns4(p.row, p.t, 4, count);
        }
        transpose4(w[0], w[1], w[2], w[3], c);
        const __m256d width = _mm256_add_pd(c[1], c[2]);
        if (g == 0) {
            _mm256_storeu_pd(out, c[0]);
            _mm256_storeu_pd(out + 7, width);
        } else {
            double curvature[4], widths[4];
            _mm256_storeu_pd(curvature, c[0]);
            _mm256_storeu_pd(widths, width);
            for (int j = 0; j < 3; j++) { out[4 + j] = curvature[j]; out[11 + j] = widths[j]; }
        }
    }
    // The racing line plus the command at lanes 1...11, in the car's frame: the target lateral offset (the line's
    // offset plus the command, kept within each limit less the margin), the point there relative to (px, py), and
    // its coordinate across the car's forward axis (fx, fy).
    const __m256d margin = _mm256_set1_pd(lineMargin), offset = _mm256_set1_pd(command);
    const __m256d x0 = _mm256_set1_pd(px), y0 = _mm256_set1_pd(py), ax = _mm256_set1_pd(fx), ay = _mm256_set1_pd(fy);
    for (int g = 0; g < 3; g++) {
        __m256d pose[4], edge[4], a[4], e[4];
        for (int j = 0; j < 4; j++) {
            const int n = g * 4 + j < 11 ? g * 4 + j : 10;
            const Spot p = spot[n + 1];
            pose[j] = columns4(p.row, p.t, 0, count);       // cx, cy, nx, ny
            edge[j] = columns4(p.row, p.t, 4, count);       // curvature, width left, width right, line offset
        }
        transpose4(pose[0], pose[1], pose[2], pose[3], a);
        transpose4(edge[0], edge[1], edge[2], edge[3], e);
        const __m256d lateral = _mm256_add_pd(e[3], offset);
        const __m256d low = _mm256_add_pd(_mm256_xor_pd(e[2], _mm256_set1_pd(-0.0)), margin);
        const __m256d target = swiftMin(swiftMax(lateral, low), _mm256_sub_pd(e[1], margin));
        const __m256d qx = _mm256_sub_pd(_mm256_add_pd(a[0], _mm256_mul_pd(target, a[2])), x0);
        const __m256d qy = _mm256_sub_pd(_mm256_add_pd(a[1], _mm256_mul_pd(target, a[3])), y0);
        const __m256d across = _mm256_sub_pd(_mm256_mul_pd(ax, qy), _mm256_mul_pd(ay, qx));
        if (g < 2) {
            _mm256_storeu_pd(out + 14 + 4 * g, across);
        } else {
            double last[4];
            _mm256_storeu_pd(last, across);
            for (int j = 0; j < 3; j++) out[22 + j] = last[j];
        }
    }
}

#else

int rival_cpu_has_avx2_fma(void) { return 0; }

int rival_dense_uses_avx512(void) { return 0; }

void rival_scale_features_avx2(const double *raw, const double *scales, const double *reciprocals, float *out,
                               ptrdiff_t count) {
    (void)raw; (void)scales; (void)reciprocals; (void)out; (void)count;
}

void rival_locate_spots_avx2(double s, const double *offsets, double spacing, double reciprocal, ptrdiff_t last,
                             const double *table, ptrdiff_t stride, void *spots) {
    (void)s; (void)offsets; (void)spacing; (void)reciprocal; (void)last; (void)table; (void)stride; (void)spots;
}

void rival_encode_course_avx2(const void *spots, const int *courseLanes, ptrdiff_t count, double px, double py,
                              double fx, double fy, double command, double lineMargin, double *out) {
    (void)spots; (void)courseLanes; (void)count; (void)px; (void)py; (void)fx; (void)fy; (void)command;
    (void)lineMargin; (void)out;
}

void rival_dense_layer_avx2(const float *weights, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                            int activation, const float *tanhConstants,
                            const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride, ptrdiff_t count) {
    (void)weights; (void)bias; (void)inputs; (void)padded; (void)activation; (void)tanhConstants;
    (void)x; (void)xStride; (void)y; (void)yStride; (void)count;
}

void rival_adam_avx2(float *theta, float *gradient, const float *gradient2, float *moment1, float *moment2,
                     ptrdiff_t count, const float *settings) {
    (void)theta; (void)gradient; (void)gradient2; (void)moment1; (void)moment2; (void)count; (void)settings;
}

void rival_multiply_rows_avx2(const float *x, ptrdiff_t xStride, const float *w, ptrdiff_t depth, const float *start,
                              const float *tanh, float *y, ptrdiff_t width, ptrdiff_t count) {
    (void)x; (void)xStride; (void)w; (void)depth; (void)start; (void)tanh; (void)y; (void)width; (void)count;
}

void rival_accumulate_outer_avx2(const float *d, ptrdiff_t outStride, ptrdiff_t outWidth, const float *h,
                                 ptrdiff_t inStride, float *g, ptrdiff_t count) {
    (void)d; (void)outStride; (void)outWidth; (void)h; (void)inStride; (void)g; (void)count;
}

#endif
