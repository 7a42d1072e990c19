// Fast forward passes of `MLP`: SIMD8 across outputs over the packed, transposed weights, in portable Swift or in
// the AVX2 and FMA kernel of CKernels (bit-identical: the same fused multiply-adds in the same order).
import CKernels

/// Numerator coefficients (odd powers 1...13) of the rational tanh approximation: a minimax fit of
/// `tanh(x) ~ x P(x^2) / Q(x^2)` on [-7.9053, 7.9053] (the published coefficients Eigen uses for its float tanh).
private let tanhP: (Float, Float, Float, Float, Float, Float, Float) = (
    4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
    -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16)
/// Denominator coefficients (even powers 0...6).
private let tanhQ: (Float, Float, Float, Float) = (
    4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)
/// Beyond this magnitude tanh rounds to +-1 in Float; inputs are clamped to it.
private let tanhClamp: Float = 7.90531110763549805

/// A fast hyperbolic tangent of eight lanes: a rational approximation `x P(x^2) / Q(x^2)` (degree 13 over 6) on
/// inputs clamped to +-7.905. Absolute error at most 4e-7 against Double-precision tanh (tested on a dense grid
/// over [-12, 12] against Foundation's `tanh`); odd, bounded by 1 in magnitude up to rounding, and
/// about 1.3 ns a value against 7-11 ns for glibc's `tanhf` (measured, release, baseline x86-64). NaN lanes
/// give NaN.
public func fastTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    fastTanhKernel(x)
}

/// A fast hyperbolic tangent of one value, with the accuracy of the SIMD8 form (absolute error at most 4e-7).
public func fastTanh(_ x: Float) -> Float {
    fastTanhKernel(SIMD8<Float>(repeating: x))[0]
}

/// The rational tanh approximation (see ``fastTanh(_:)``), each Horner step a rounded multiply and a rounded add
/// (the training code's tanh: plain SSE2 arithmetic on the baseline x86-64 target).
func fastTanhKernel(_ input: SIMD8<Float>) -> SIMD8<Float> {
    rationalTanh(input, fused: false)
}

/// The rational tanh of inference, each Horner step one fused multiply-add (`p x^2 + c`, rounded once), exactly
/// as CKernels' `tanh8` computes it. The same approximation as ``fastTanhKernel(_:)``; the two may differ in the
/// last bits.
@inline(__always)
func inferenceTanh(_ input: SIMD8<Float>) -> SIMD8<Float> {
    rationalTanh(input, fused: true)
}

/// One Horner step, `p x^2 + c`: one fused multiply-add when `fused`, else a rounded multiply and a rounded add.
@inline(__always)
private func horner(_ p: SIMD8<Float>, _ x2: SIMD8<Float>, _ c: Float, fused: Bool) -> SIMD8<Float> {
    fused ? SIMD8(repeating: c).addingProduct(p, x2) : p * x2 + SIMD8(repeating: c)
}

/// The rational tanh approximation, its Horner steps fused or not (`fused` is a constant at every call).
@inline(__always)
private func rationalTanh(_ input: SIMD8<Float>, fused: Bool) -> SIMD8<Float> {
    // Clamp with compare-and-select: SIMD's `clamped` and `pointwiseMin` compile to calls, and lane-by-lane
    // `min`/`max` to branches. Comparisons with a NaN lane are false, so NaN stays NaN.
    let high = SIMD8<Float>(repeating: tanhClamp), low = SIMD8<Float>(repeating: -tanhClamp)
    var x = input.replacing(with: high, where: input .> high)
    x = x.replacing(with: low, where: x .< low)
    let x2 = x * x
    var p = SIMD8<Float>(repeating: tanhP.6)
    p = horner(p, x2, tanhP.5, fused: fused)
    p = horner(p, x2, tanhP.4, fused: fused)
    p = horner(p, x2, tanhP.3, fused: fused)
    p = horner(p, x2, tanhP.2, fused: fused)
    p = horner(p, x2, tanhP.1, fused: fused)
    p = horner(p, x2, tanhP.0, fused: fused)
    p = p * x
    var q = SIMD8<Float>(repeating: tanhQ.3)
    q = horner(q, x2, tanhQ.2, fused: fused)
    q = horner(q, x2, tanhQ.1, fused: fused)
    q = horner(q, x2, tanhQ.0, fused: fused)
    return p / q
}

/// Writes the clamp bound and the coefficients of the rational tanh to `k` (12 floats, in the order the AVX2
/// kernel reads them: clamp, numerator P0...P6, denominator Q0...Q3), so both kernels use the same Float values.
func writeTanhConstants(_ k: UnsafeMutablePointer<Float>) {
    let values: [Float] = [tanhClamp, tanhP.0, tanhP.1, tanhP.2, tanhP.3, tanhP.4, tanhP.5, tanhP.6,
                           tanhQ.0, tanhQ.1, tanhQ.2, tanhQ.3]
    for (n, v) in values.enumerated() { k[n] = v }
}

/// Loads eight Floats from 32-byte-aligned memory.
@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).load(as: SIMD8<Float>.self)
}

/// Stores eight Floats to 32-byte-aligned memory.
@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Applies an activation to eight lanes.
@inline(__always)
private func activate(_ v: SIMD8<Float>, _ activation: Activation) -> SIMD8<Float> {
    switch activation {
    case .tanh: return inferenceTanh(v)
    case .relu: return v.replacing(with: 0, where: v .< 0)
    case .identity: return v
    }
}

extension MLP {
    /// Evaluates the network for one input (`inputCount` raw, unnormalised values) and writes `outputCount`
    /// values to `output`. Does not allocate; not thread-safe (writes this instance's scratch buffers).
    ///
    /// - Precondition: `input.count >= inputCount` and `output.count >= outputCount`.
    public func forward(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count >= inputCount && output.count >= outputCount, "buffer too small")
        guard let x = input.baseAddress, let y = output.baseAddress else { return }
        if kernel == .avx2 {
            forwardAVX2(x, count: 1, y)
        } else {
            forwardOne(x, y)
        }
    }

    /// Evaluates the network for `count` inputs stored row-major in `batch` (`count * inputCount` values) and
    /// writes `count * outputCount` values row-major to `output`. Four samples are evaluated together so that
    /// each weight load serves four of them (the AVX2 kernel takes up to 32 samples through a layer before the
    /// next). Every output is bit-identical to evaluating that sample alone with ``forward(_:into:)``, with either
    /// kernel (the same sums in the same order). Does not allocate; not thread-safe.
    ///
    /// - Precondition: the buffers hold at least `count` rows.
    public func forward(batch: UnsafeBufferPointer<Float>, count: Int,
                        into output: UnsafeMutableBufferPointer<Float>) {
        precondition(count >= 0 && batch.count >= count * inputCount && output.count >= count * outputCount,
                     "buffer too small for the batch")
        guard count > 0, let x = batch.baseAddress, let y = output.baseAddress else { return }
        if kernel == .avx2 {
            var s = 0
            while s < count {
                let n = min(MLP.scratchLanes, count - s)
                forwardAVX2(x + s * inputCount, count: n, y + s * outputCount)
                s += n
            }
            return
        }
        var s = 0
        while s + MLP.batchLanes <= count {
            forwardFour(x + s * inputCount, y + s * outputCount)
            s += MLP.batchLanes
        }
        while s < count {
            forwardOne(x + s * inputCount, y + s * outputCount)
            s += 1
        }
    }

    /// Convenience for tests and tools: evaluates one input given as an array (allocates the result).
    public func forward(_ input: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: outputCount)
        input.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { y in forward(x, into: y) }
        }
        return result
    }

    /// Up to ``scratchLanes`` samples (rows of `inputCount` values) through the AVX2 kernel, one layer at a time
    /// for all of them (the layer's weights stay in the first-level cache).
    private func forwardAVX2(_ input: UnsafePointer<Float>, count: Int, _ output: UnsafeMutablePointer<Float>) {
        var source = input
        var sourceStride = inputCount
        var target = scratchA
        var spare = scratchB
        for layer in layers {
            let code: Int32
            switch layer.activation {
            case .tanh: code = Int32(RIVAL_ACTIVATION_TANH)
            case .relu: code = Int32(RIVAL_ACTIVATION_RELU)
            case .identity: code = Int32(RIVAL_ACTIVATION_IDENTITY)
            }
            rival_dense_layer_avx2(weightStorage + layer.weightOffset, biasStorage + layer.biasOffset, layer.inputs,
                                   layer.padded, code, tanhConstants, source, sourceStride, target, maxWidth, count)
            source = UnsafePointer(target)
            sourceStride = maxWidth
            swap(&target, &spare)
        }
        for s in 0..<count {
            let h = source + s * maxWidth
            let y = output + s * outputCount
            for o in 0..<outputCount { y[o] = h[o] * outputScaleStorage[o] + outputOffsetStorage[o] }
        }
    }

    /// One sample through every layer.
    private func forwardOne(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        var source = input
        var target = scratchA
        var spare = scratchB
        for layer in layers {
            layerOne(layer, source, target)
            source = UnsafePointer(target)
            swap(&target, &spare)
        }
        for o in 0..<outputCount {
            output[o] = source[o] * outputScaleStorage[o] + outputOffsetStorage[o]
        }
    }

    /// One layer for one sample: `target[0..<padded] = activation(W x + b)`.
    @inline(__always)
    private func layerOne(_ layer: PackedLayer, _ x: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>) {
        let w = UnsafePointer(weightStorage + layer.weightOffset)
        let b = UnsafePointer(biasStorage + layer.biasOffset)
        let stride = layer.padded, n = layer.inputs
        var o = 0
        // Four blocks of eight outputs: one broadcast of x[i] feeds four independent accumulators.
        while o + 32 <= stride {
            var a0 = load8(b + o), a1 = load8(b + o + 8), a2 = load8(b + o + 16), a3 = load8(b + o + 24)
            var row = w + o
            for i in 0..<n {
                let xi = SIMD8<Float>(repeating: x[i])
                a0 = a0.addingProduct(load8(row), xi)
                a1 = a1.addingProduct(load8(row + 8), xi)
                a2 = a2.addingProduct(load8(row + 16), xi)
                a3 = a3.addingProduct(load8(row + 24), xi)
                row += stride
            }
            store8(activate(a0, layer.activation), target + o)
            store8(activate(a1, layer.activation), target + o + 8)
            store8(activate(a2, layer.activation), target + o + 16)
            store8(activate(a3, layer.activation), target + o + 24)
            o += 32
        }
        while o + 16 <= stride {
            var a0 = load8(b + o), a1 = load8(b + o + 8)
            var row = w + o
            for i in 0..<n {
                let xi = SIMD8<Float>(repeating: x[i])
                a0 = a0.addingProduct(load8(row), xi)
                a1 = a1.addingProduct(load8(row + 8), xi)
                row += stride
            }
            store8(activate(a0, layer.activation), target + o)
            store8(activate(a1, layer.activation), target + o + 8)
            o += 16
        }
        while o < stride {
            // One block, summed in input order like the batched kernel, so that a sample's outputs are
            // bit-identical whether it is evaluated alone or in a batch.
            var a0 = load8(b + o)
            var row = w + o
            for i in 0..<n {
                a0 = a0.addingProduct(load8(row), SIMD8(repeating: x[i]))
                row += stride
            }
            store8(activate(a0, layer.activation), target + o)
            o += 8
        }
    }

    /// Four samples (rows `input`, `input + inputCount`, ...) through every layer; lane `s` of the scratch
    /// buffers holds sample `s`'s activations at offset `s * maxWidth`.
    private func forwardFour(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        var source = input
        var sourceStride = inputCount
        var target = scratchA
        var spare = scratchB
        for layer in layers {
            layerFour(layer, source, sourceStride, target)
            source = UnsafePointer(target)
            sourceStride = maxWidth
            swap(&target, &spare)
        }
        for s in 0..<MLP.batchLanes {
            let h = source + s * maxWidth
            let y = output + s * outputCount
            for o in 0..<outputCount { y[o] = h[o] * outputScaleStorage[o] + outputOffsetStorage[o] }
        }
    }

    /// One layer for four samples: each weight block load is multiplied by all four samples' inputs.
    @inline(__always)
    private func layerFour(_ layer: PackedLayer, _ x: UnsafePointer<Float>, _ xStride: Int,
                           _ target: UnsafeMutablePointer<Float>) {
        let w = UnsafePointer(weightStorage + layer.weightOffset)
        let b = UnsafePointer(biasStorage + layer.biasOffset)
        let stride = layer.padded, n = layer.inputs
        let x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride
        let t0 = target, t1 = target + maxWidth, t2 = target + 2 * maxWidth, t3 = target + 3 * maxWidth
        var o = 0
        while o < stride {
            let bias = load8(b + o)
            var a0 = bias, a1 = bias, a2 = bias, a3 = bias
            var row = w + o
            for i in 0..<n {
                let wi = load8(row)
                a0 = a0.addingProduct(wi, SIMD8(repeating: x0[i]))
                a1 = a1.addingProduct(wi, SIMD8(repeating: x1[i]))
                a2 = a2.addingProduct(wi, SIMD8(repeating: x2[i]))
                a3 = a3.addingProduct(wi, SIMD8(repeating: x3[i]))
                row += stride
            }
            store8(activate(a0, layer.activation), t0 + o)
            store8(activate(a1, layer.activation), t1 + o)
            store8(activate(a2, layer.activation), t2 + o)
            store8(activate(a3, layer.activation), t3 + o)
            o += 8
        }
    }
}
