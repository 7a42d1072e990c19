// CKernels: the one piece of Rival written in C: an AVX2 (with FMA) dense-layer kernel for PolicyCore's MLP, AVX2
// kernels and atomics for its trainer (MLPTrainer), and AVX2 feature scaling and a sine-and-cosine call for its
// observation encoder. Swift has no per-function target attribute, so
// code for a wider instruction set than the package's baseline (x86-64 with SSE2) has to come from C, chosen at run
// time by a CPU check. docs/policy.md ("Inference") says more.
#ifndef RIVAL_CKERNELS_H
#define RIVAL_CKERNELS_H

#include <stddef.h>

/// Activation codes for rival_dense_layer_avx2.
enum {
    RIVAL_ACTIVATION_IDENTITY = 0,
    RIVAL_ACTIVATION_TANH = 1,
    RIVAL_ACTIVATION_RELU = 2,
};

/// 1 when this processor and operating system run AVX2 code and the processor has FMA (fused multiply-add), else 0
/// (always 0 off x86-64).
int rival_cpu_has_avx2_fma(void);

/// 1 when rival_dense_layer_avx2 runs batches on AVX-512 (the CPU and OS give AVX-512F and AVX-512VL and
/// RIVAL_NO_AVX512 was not set when the library loaded), else 0.
int rival_dense_uses_avx512(void);

/// One dense layer for `count` samples with AVX2 and FMA: for each sample s and padded output o,
/// `y[s * yStride + o] = activation(bias[o] + w[0][o] * x[s][0] + w[1][o] * x[s][1] + ...)`, each term added in
/// input order by one fused multiply-add (rounded once), as PolicyCore's portable Swift kernel does, so that
/// results are bit-identical to it.
///
/// - weights: `inputs` rows of `padded` floats (transposed, padded to a multiple of 8); bias: `padded` floats.
/// - tanhConstants: 12 floats, the clamp bound, the numerator's 7 and the denominator's 4 coefficients of
///   PolicyCore's rational tanh (passed in so that both kernels round the same constants).
/// - x: sample s's inputs at `x + s * xStride`; y: its `padded` outputs at `y + s * yStride`.
/// On a CPU with AVX-512F and AVX-512VL, batches of four samples or more run on sixteen lanes, and a last block of
/// eight outputs twenty samples a tile (the same bits; about 14 % less time for the 20-car batch on an AVX-512 Xeon);
/// the environment variable RIVAL_NO_AVX512, set when the library loads, keeps them on eight, five samples a tile
/// (rival_dense_uses_avx512 says which).
/// Must be called only when rival_cpu_has_avx2_fma() is 1; does nothing off x86-64.
void rival_dense_layer_avx2(const float *weights, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                            int activation, const float *tanhConstants,
                            const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride, ptrdiff_t count);

/// The trainer's Adam step with AVX2 over `count` parameters (a multiple of 8): `gradient += gradient2`, then
/// the moments and parameters updated as PolicyCore's portable `MLPTrainer.update` does, operation for operation
/// (IEEE multiplies, adds, divisions and square roots: bit-identical). `settings`: beta1, beta2, the two bias
/// corrections, the learning rate, epsilon. Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_adam_avx2(float *theta, float *gradient, const float *gradient2, float *moment1, float *moment2,
                     ptrdiff_t count, const float *settings);

/// The trainer's row product with AVX2, for `count` rows: `y[s * width + j] = start[j] + x[s][0] * w[0][j] +
/// x[s][1] * w[1][j] + ...` over `depth` terms, each product rounded and then added in that order (no fused
/// multiply-add), for `j < width` (a multiple of 8); `x[s]` at `x + s * xStride`, `w[t]` at `w + t * width`.
/// With `tanh` (12 floats: the constants of rival_dense_layer_avx2) not null, stores the tanh of each sum by
/// PolicyCore's rational approximation, each Horner step a rounded multiply and then a rounded add (as
/// PolicyCore's `fastTanhKernel`). Bit-identical to PolicyCore's portable `multiplyRows`. Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_multiply_rows_avx2(const float *x, ptrdiff_t xStride, const float *w, ptrdiff_t depth, const float *start,
                              const float *tanh, float *y, ptrdiff_t width, ptrdiff_t count);

/// The trainer's weight-gradient update with AVX2: `g[o * inStride + i] += d[0][o] * h[0][i] + d[1][o] * h[1][i] +
/// ...` over `count` samples, each product rounded and added to g in sample order, for `o < outWidth` and
/// `i < inStride` (a multiple of 8); `d[s]` at `d + s * outStride`, `h[s]` at `h + s * inStride`.
/// Bit-identical to PolicyCore's portable `accumulateOuter`. Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_accumulate_outer_avx2(const float *d, ptrdiff_t outStride, ptrdiff_t outWidth, const float *h,
                                 ptrdiff_t inStride, float *g, ptrdiff_t count);

/// Feature scaling for PolicyCore's observation encoder with AVX2 and FMA (four Doubles at a time): for each
/// n < count, `out[n] = Float(raw[n] / scales[n])`, or 0 where that is not finite; bit-identical to the same in scalar
/// code (IEEE division and round-to-nearest conversion). `reciprocals[n]` must be `1 / scales[n]` (rounded to nearest,
/// scales[n] > 0): the quotients are the multiplication by it corrected twice with fused multiply-adds, not divisions
/// (the divider is the slowest unit of the encoder's work). Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_scale_features_avx2(const double *raw, const double *scales, const double *reciprocals, float *out,
                               ptrdiff_t count);

/// The 16 spots of PolicyCore's observation encoder with AVX2 and FMA: for lane n < 16, `a = s + offsets[n]` (lane 0:
/// `s` itself), `u = a / spacing` (correctly rounded: `reciprocal` must be `1 / spacing` rounded to nearest, and the
/// quotient is the product corrected twice, as in rival_scale_features_avx2), `u` replaced by 0 unless at least 0,
/// `i = min((int)u, last)`, and spot n, 16 bytes at `spots + 16 n`, gets the address `table + i * stride` and then the
/// Double `u - i`: bit for bit what the encoder's Swift code computes. Every `a` must be at least 0 and below
/// `(last + 1) * spacing`. Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_locate_spots_avx2(double s, const double *offsets, double spacing, double reciprocal, ptrdiff_t last,
                             const double *table, ptrdiff_t stride, void *spots);

/// The course and racing-line features of PolicyCore's observation encoder with AVX2, from the 16 spots that
/// rival_locate_spots_avx2 writes (`count`: the table's values a row, after which come their differences), into
/// `out[0...24]`: the curvature at the seven spots `courseLanes` names, then the track width there, then for spots
/// 1...11 the racing line's point plus `command` (finite), kept within each limit less `lineMargin`, across the car's
/// forward axis (`fx`, `fy`) from (`px`, `py`). Each value the same operations in the same order as the encoder's Swift
/// code, so the same bits. Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_encode_course_avx2(const void *spots, const int *courseLanes, ptrdiff_t count, double px, double py,
                              double fx, double fy, double command, double lineMargin, double *out);

/// Sequentially consistent atomic operations on an int, and a spin-wait hint: for PolicyCore's trainer, whose
/// helper thread waits for work by spinning briefly before it sleeps. rival_atomic_exchange_if stores `desired`
/// and returns 1 when `*p` is `expected`, else returns 0.
int rival_atomic_load(const int *p);
void rival_atomic_store(int *p, int value);
int rival_atomic_exchange_if(int *p, int expected, int desired);
void rival_spin_pause(void);

/// The sine and cosine of x: glibc's sincos where it is there (the same bits as its sin and cos, in one call),
/// else sin and cos.
void rival_sincos(double x, double *sine, double *cosine);

#endif
