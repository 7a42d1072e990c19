// The batched (matrix-shaped) kernels of MLPTrainer: a chunk of samples goes through each layer together, so that a
// weight loaded into registers serves four samples, and a weight gradient stays in registers over the whole chunk.
// Plain SIMD8 multiplies and adds (no fused multiply-add, which the baseline x86-64 target lacks), each sum taken
// in a fixed order, so results are the same on every machine and do not depend on the tiling. The two matrix
// kernels have AVX2 twins in CKernels (the same products and sums in the same order: bit-identical), used where
// the processor has AVX2 (MLPTrainer.kernel).
import CKernels

/// Samples of a half-minibatch that go through the layers together (the scratch holds this many).
let trainerChunk = 32

/// `n` rounded up to a multiple of eight (the padded width of a layer in the trainer's scratch).
@inline(__always)
func paddedWidth(_ n: Int) -> Int { (n + 7) & ~7 }

/// Eight floats from possibly unaligned memory.
@inline(__always)
func loadU(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func loadU(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Eight floats to possibly unaligned memory.
@inline(__always)
func storeU(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// For `n` samples: `y[s][j] = start[j] + x[s][0] w[0][j] + x[s][1] w[1][j] + ...` over `depth` terms (added in
/// that order), for `j < width` (a multiple of 8). Rows: `x[s]` at `x + s * xStride`, `w[t]` at `w + t * width`,
/// `y[s]` at `y + s * width`; with `tanh` (the AVX2 kernel's tanh constants), ``fastTanhKernel(_:)`` of each sum
/// instead. The forward pass (`w` the transposed weights, `start` the bias) and the input delta (`w` the weights,
/// `start` zero). Four samples by eight columns a tile (five or four by sixteen with `avx2`).
func multiplyRows(_ x: UnsafePointer<Float>, _ xStride: Int, _ w: UnsafePointer<Float>, _ depth: Int,
                  _ start: UnsafePointer<Float>, tanh: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                  _ width: Int, _ n: Int, avx2: Bool) {
    if avx2 { return rival_multiply_rows_avx2(x, xStride, w, depth, start, tanh, y, width, n) }
    @inline(__always) func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        storeU(tanh == nil ? v : fastTanhKernel(v), p)
    }
    var s = 0
    while s + 4 <= n {
        let x0 = x + s * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride
        let y0 = y + s * width
        var j = 0
        while j < width {
            let b = loadU(start + j)
            var a0 = b, a1 = b, a2 = b, a3 = b
            var row = w + j
            for t in 0..<depth {
                let wt = loadU(row)
                a0 = a0 + SIMD8(repeating: x0[t]) * wt
                a1 = a1 + SIMD8(repeating: x1[t]) * wt
                a2 = a2 + SIMD8(repeating: x2[t]) * wt
                a3 = a3 + SIMD8(repeating: x3[t]) * wt
                row += width
            }
            store(a0, y0 + j)
            store(a1, y0 + width + j)
            store(a2, y0 + 2 * width + j)
            store(a3, y0 + 3 * width + j)
            j += 8
        }
        s += 4
    }
    while s < n {
        let x0 = x + s * xStride, y0 = y + s * width
        var j = 0
        while j < width {
            var a0 = loadU(start + j)
            var row = w + j
            for t in 0..<depth {
                a0 = a0 + SIMD8(repeating: x0[t]) * loadU(row)
                row += width
            }
            store(a0, y0 + j)
            j += 8
        }
        s += 1
    }
}

/// The weight gradient of a chunk: `g[o][i] += d[0][o] h[0][i] + d[1][o] h[1][i] + ...` over `n` samples (added
/// to `g` one at a time, in sample order), for `o < outWidth` and `i < inStride` (a multiple of 8). Rows: `d[s]`
/// at `d + s * outStride`, `h[s]` at `h + s * inStride`, `g[o]` at `g + o * inStride`. Four outputs by eight
/// inputs a tile (four by sixteen with `avx2`), kept in registers over the chunk.
func accumulateOuter(_ d: UnsafePointer<Float>, _ outStride: Int, _ outWidth: Int, _ h: UnsafePointer<Float>,
                     _ inStride: Int, _ g: UnsafeMutablePointer<Float>, _ n: Int, avx2: Bool) {
    if avx2 { return rival_accumulate_outer_avx2(d, outStride, outWidth, h, inStride, g, n) }
    var o = 0
    while o + 4 <= outWidth {
        let g0 = g + o * inStride
        var i = 0
        while i < inStride {
            var a0 = loadU(g0 + i), a1 = loadU(g0 + inStride + i)
            var a2 = loadU(g0 + 2 * inStride + i), a3 = loadU(g0 + 3 * inStride + i)
            var hs = h + i, ds = d + o
            for _ in 0..<n {
                let hv = loadU(hs)
                a0 = a0 + SIMD8(repeating: ds[0]) * hv
                a1 = a1 + SIMD8(repeating: ds[1]) * hv
                a2 = a2 + SIMD8(repeating: ds[2]) * hv
                a3 = a3 + SIMD8(repeating: ds[3]) * hv
                hs += inStride
                ds += outStride
            }
            storeU(a0, g0 + i)
            storeU(a1, g0 + inStride + i)
            storeU(a2, g0 + 2 * inStride + i)
            storeU(a3, g0 + 3 * inStride + i)
            i += 8
        }
        o += 4
    }
    while o < outWidth {
        let g0 = g + o * inStride
        var i = 0
        while i < inStride {
            var a0 = loadU(g0 + i)
            var hs = h + i, ds = d + o
            for _ in 0..<n {
                a0 = a0 + SIMD8(repeating: ds[0]) * loadU(hs)
                hs += inStride
                ds += outStride
            }
            storeU(a0, g0 + i)
            i += 8
        }
        o += 1
    }
}

/// The bias gradient of a chunk: `g[o] += d[0][o] + d[1][o] + ...` over `n` rows of `stride` (a multiple of 8)
/// values, in row order.
func accumulateRows(_ d: UnsafePointer<Float>, _ stride: Int, _ g: UnsafeMutablePointer<Float>, _ n: Int) {
    var o = 0
    while o < stride {
        var a = loadU(g + o)
        var ds = d + o
        for _ in 0..<n {
            a = a + loadU(ds)
            ds += stride
        }
        storeU(a, g + o)
        o += 8
    }
}

/// `d[j] *= activation'(z[j])` (given `a[j] = activation(z[j])`) over `count` values (a multiple of 8): the delta of
/// a layer from dLoss/d(activation).
func applyDerivative(_ activation: Activation, _ d: UnsafeMutablePointer<Float>, _ z: UnsafePointer<Float>,
                     _ a: UnsafePointer<Float>, _ count: Int) {
    switch activation {
    case .identity:
        return
    case .tanh:
        let one = SIMD8<Float>(repeating: 1)
        var j = 0
        while j < count {
            let av = loadU(a + j)
            storeU(loadU(d + j) * (one - av * av), d + j)
            j += 8
        }
    case .relu:
        for j in 0..<count { d[j] *= activation.derivative(z: z[j], a: a[j]) }
    }
}
