// CKernels: the one piece of Rival written in C: an AVX2 (with FMA) dense-layer kernel for PolicyCore's MLP, and AVX2 feature
// scaling and a sine-and-cosine call for its observation encoder. Swift has no per-function target attribute, so
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

/// One dense layer for `count` samples with AVX2 and FMA: for each sample s and padded output o,
/// `y[s * yStride + o] = activation(bias[o] + w[0][o] * x[s][0] + w[1][o] * x[s][1] + ...)`, each term added in
/// input order by one fused multiply-add (rounded once), as PolicyCore's portable Swift kernel does, so that
/// results are bit-identical to it.
///
/// - weights: `inputs` rows of `padded` floats (transposed, padded to a multiple of 8); bias: `padded` floats.
/// - tanhConstants: 12 floats, the clamp bound, the numerator's 7 and the denominator's 4 coefficients of
///   PolicyCore's rational tanh (passed in so that both kernels round the same constants).
/// - x: sample s's inputs at `x + s * xStride`; y: its `padded` outputs at `y + s * yStride`.
/// Must be called only when rival_cpu_has_avx2_fma() is 1; does nothing off x86-64.
void rival_dense_layer_avx2(const float *weights, const float *bias, ptrdiff_t inputs, ptrdiff_t padded,
                            int activation, const float *tanhConstants,
                            const float *x, ptrdiff_t xStride, float *y, ptrdiff_t yStride, ptrdiff_t count);

/// Feature scaling for PolicyCore's observation encoder with AVX2 (four Doubles a division): for each n < count,
/// `out[n] = Float(raw[n] / scales[n])`, or 0 where that is not finite; bit-identical to the same in scalar code
/// (IEEE division and round-to-nearest conversion). Must be called only when rival_cpu_has_avx2_fma() is 1.
void rival_scale_features_avx2(const double *raw, const double *scales, float *out, ptrdiff_t count);

/// The sine and cosine of x: glibc's sincos where it is there (the same bits as its sin and cos, in one call),
/// else sin and cos.
void rival_sincos(double x, double *sine, double *cosine);

#endif
