import CKernels
import Dispatch
import Foundation

/// Settings of the Adam optimiser (Kingma and Ba, 2015) with bias-corrected moments.
public struct AdamSettings: Sendable, Equatable {
    /// Step size (default 1e-3).
    public var learningRate: Float
    /// Decay of the first-moment (mean) estimate (default 0.9).
    public var beta1: Float
    /// Decay of the second-moment (uncentred variance) estimate (default 0.999).
    public var beta2: Float
    /// Added to the square root of the second moment to avoid division by zero (default 1e-8).
    public var epsilon: Float

    /// Adam settings; the defaults are the paper's.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// Gradients of a loss with respect to every weight and bias of a network, in the layout of
/// ``MLPParameters/weights`` (row-major `[out][in]` per layer) and ``MLPParameters/biases``.
public struct MLPGradient: Sendable, Equatable {
    /// Per layer, dLoss/dW row-major `[out][in]`.
    public var weights: [[Float]]
    /// Per layer, dLoss/db.
    public var biases: [[Float]]
}

/// Trains an ``MLPParameters`` network by behaviour cloning: the mean squared error between the network's outputs
/// (after output scaling) and target outputs, minimised with Adam over caller-chosen minibatches.
///
/// The loss of a minibatch of `count` samples with `m` outputs is `sum w_o (y - t)^2 / (count * m)`, with
/// ``outputWeights`` `w_o` (1 unless set), each scaled per sample by the target's size when ``labelWeights`` are
/// set (so that rare, large targets count more), and by the sample's inputs when ``inputWeight`` is set. The input
/// normalisation and output scaling are fixed (not trained). Everything is deterministic: the same parameters,
/// minibatches and settings give the same result on every run, on every machine, with either ``kernel`` and at
/// either ``threads``. Not thread-safe.
///
/// Each half of a minibatch goes through the layers in chunks of samples, as matrix products (MLPTrainer+Batch);
/// with two threads the second half runs on a helper thread of the trainer's own, which waits for the next step
/// by spinning briefly before it sleeps, and ends with the trainer.
public final class MLPTrainer {
    /// Layer sizes, input to output.
    public let layerSizes: [Int]
    /// Adam settings, used by ``step(inputs:targets:count:)``; may be changed between steps.
    public var adam: AdamSettings
    /// Adam steps taken so far (the bias correction uses it).
    public private(set) var stepCount = 0
    /// Weight of each output's squared error in the loss (default all 1); finite and non-negative.
    public var outputWeights: [Float] {
        didSet {
            precondition(outputWeights.count == layerSizes[layerSizes.count - 1]
                && outputWeights.allSatisfy { $0 >= 0 && $0.isFinite }, "one finite, non-negative weight per output")
        }
    }

    /// Per output, how much more a sample counts the larger its target: the output's weight is
    /// `outputWeights[o] * (1 + positive * max(t, 0) + negative * max(-t, 0))` for target `t` (default all zero:
    /// every sample counts the same). Finite and non-negative.
    public var labelWeights: [LabelWeight] {
        didSet {
            precondition(labelWeights.count == layerSizes[layerSizes.count - 1]
                && labelWeights.allSatisfy { $0.positive >= 0 && $0.positive.isFinite && $0.negative >= 0 && $0.negative.isFinite },
                "one finite, non-negative label weight per output")
        }
    }

    /// A weight on whole samples by their inputs (default none: every sample counts the same).
    public var inputWeight: InputWeight?

    /// Parallel workers for a minibatch (1 or 2). Every minibatch is split into the same two halves whatever
    /// this is, and their gradients are summed in the same order, so results do not depend on it.
    public var threads: Int = 1

    /// The code that runs the matrix products: ``MLPKernel/best`` by default. Both kernels give bit-identical
    /// results (the same products and sums in the same order, none fused), so the choice changes speed only.
    ///
    /// - Precondition: set only to a kernel available on this machine.
    public var kernel: MLPKernel = .best {
        willSet { precondition(newValue.isAvailable, "the \(newValue) kernel does not run on this machine") }
    }

    /// The network's fixed parts (sizes, activations, normalisation, scaling, metadata).
    private var template: MLPParameters
    /// The size of the flat buffers: every weight and bias, each layer's starting at a multiple of 8, the
    /// padding between (and after) them zero.
    private let paddedCount: Int
    /// All weights and biases, flat: per layer the weights (row-major [out][in]) then the bias.
    private let theta: UnsafeMutablePointer<Float>
    /// The last computed gradient, same layout as `theta`.
    private let grad: UnsafeMutablePointer<Float>
    /// The second half's gradient, summed into `grad`.
    private let grad2: UnsafeMutablePointer<Float>
    /// Adam's first and second moments, same layout as `theta`.
    private let moment1: UnsafeMutablePointer<Float>
    private let moment2: UnsafeMutablePointer<Float>
    /// Offsets of each layer's weights and bias in `theta`.
    private let weightOffsets: [Int]
    private let biasOffsets: [Int]
    /// The thread that runs the second half of each minibatch when ``threads`` is 2 (started on first use), and
    /// the half it runs next or ran last.
    private var helper: HelperThread?
    fileprivate var secondHalf: SecondHalf?
    /// Each layer's width rounded up to a multiple of 8 (the row stride of the batched scratch).
    private let strides: [Int]
    /// The weights repacked for the batched kernels (at the start and after every Adam step), per layer: transposed (`[in][stride(out)]`),
    /// row-major with padded rows (`[out][stride(in)]`) and the padded bias; then the widest stride's worth of
    /// zeros, the input normalisation's mean and standard deviation, the tanh's constants for the AVX2 kernel,
    /// and the current Adam step's settings (beta1, beta2, the two bias corrections, rate, epsilon). Padding
    /// stays zero.
    private let packed: UnsafeMutablePointer<Float>
    private let transposedOffsets: [Int]
    private let paddedRowOffsets: [Int]
    private let paddedBiasOffsets: [Int]
    private let zerosOffset: Int
    private let meanOffset: Int
    private let stdOffset: Int
    private let tanhOffset: Int
    private let adamOffset: Int
    /// Per half, `halfFloats` floats: per layer `trainerChunk` rows (of `strides[k]`) of activations (layer 0:
    /// the normalised input), pre-activations and dLoss/d(activation) (layers 1 on), then per layer the weight
    /// gradient with padded rows and the padded bias gradient. Padding stays zero.
    private let work: UnsafeMutablePointer<Float>
    private let halfFloats: Int
    private let activationOffsets: [Int]
    private let preActivationOffsets: [Int]
    private let deltaOffsets: [Int]
    private let weightGradientOffsets: [Int]
    private let biasGradientOffsets: [Int]

    /// A trainer starting from `parameters`.
    ///
    /// - Precondition: the parameters are consistent.
    public init(parameters: MLPParameters, adam: AdamSettings = AdamSettings()) {
        if let problem = parameters.inconsistency() { preconditionFailure("inconsistent MLP parameters: \(problem)") }
        layerSizes = parameters.layerSizes
        outputWeights = [Float](repeating: 1, count: parameters.outputCount)
        labelWeights = [LabelWeight](repeating: LabelWeight(), count: parameters.outputCount)
        self.adam = adam
        template = parameters
        var flat: [Float] = []
        var weightOffsets: [Int] = [], biasOffsets: [Int] = []
        for k in 0..<parameters.layerCount {
            flat += [Float](repeating: 0, count: paddedWidth(flat.count) - flat.count)
            weightOffsets.append(flat.count)
            flat += parameters.weights[k]
            biasOffsets.append(flat.count)
            flat += parameters.biases[k]
        }
        paddedCount = paddedWidth(flat.count)
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        theta = Self.allocateZeroed(paddedCount)
        theta.update(from: flat, count: flat.count)
        grad = Self.allocateZeroed(paddedCount)
        grad2 = Self.allocateZeroed(paddedCount)
        moment1 = Self.allocateZeroed(paddedCount)
        moment2 = Self.allocateZeroed(paddedCount)
        let strides = layerSizes.map(paddedWidth)
        self.strides = strides
        var packedCount = 0
        var transposedOffsets: [Int] = [], paddedRowOffsets: [Int] = [], paddedBiasOffsets: [Int] = []
        for k in 0..<parameters.layerCount {
            transposedOffsets.append(packedCount)
            packedCount += layerSizes[k] * strides[k + 1]
            paddedRowOffsets.append(packedCount)
            packedCount += layerSizes[k + 1] * strides[k]
            paddedBiasOffsets.append(packedCount)
            packedCount += strides[k + 1]
        }
        self.transposedOffsets = transposedOffsets
        self.paddedRowOffsets = paddedRowOffsets
        self.paddedBiasOffsets = paddedBiasOffsets
        zerosOffset = packedCount
        packedCount += strides.max()!
        meanOffset = packedCount
        stdOffset = packedCount + strides[0]
        tanhOffset = packedCount + 2 * strides[0]
        adamOffset = tanhOffset + 16
        packedCount += 2 * strides[0] + 24
        packed = Self.allocateZeroed(packedCount)
        writeTanhConstants(packed + tanhOffset)
        (packed + meanOffset).update(from: parameters.inputMean, count: layerSizes[0])
        (packed + stdOffset).update(from: parameters.inputStd, count: layerSizes[0])
        var halfFloats = 0
        var activationOffsets: [Int] = [], preActivationOffsets: [Int] = [], deltaOffsets: [Int] = []
        for k in layerSizes.indices {
            activationOffsets.append(halfFloats)
            halfFloats += trainerChunk * strides[k]
            preActivationOffsets.append(halfFloats)
            deltaOffsets.append(halfFloats + trainerChunk * strides[k])
            if k > 0 { halfFloats += 2 * trainerChunk * strides[k] }
        }
        var weightGradientOffsets: [Int] = [], biasGradientOffsets: [Int] = []
        for k in 0..<parameters.layerCount {
            weightGradientOffsets.append(halfFloats)
            halfFloats += layerSizes[k + 1] * strides[k]
            biasGradientOffsets.append(halfFloats)
            halfFloats += strides[k + 1]
        }
        halfFloats = paddedWidth(halfFloats)
        self.halfFloats = halfFloats
        self.activationOffsets = activationOffsets
        self.preActivationOffsets = preActivationOffsets
        self.deltaOffsets = deltaOffsets
        self.weightGradientOffsets = weightGradientOffsets
        self.biasGradientOffsets = biasGradientOffsets
        work = Self.allocateZeroed(2 * halfFloats)
        for k in 0..<parameters.layerCount { pack(layer: k) }
    }

    /// `count` zeroed floats, 64-byte aligned.
    private static func allocateZeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: count)
        p.initialize(repeating: 0, count: count)
        return p
    }

    deinit {
        helper?.stop()
        for pointer in [theta, grad, grad2, moment1, moment2, packed, work] {
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }

    /// The current parameters (allocates a copy).
    public var parameters: MLPParameters {
        var p = template
        for k in 0..<layerSizes.count - 1 {
            p.weights[k] = Array(UnsafeBufferPointer(start: theta + weightOffsets[k], count: biasOffsets[k] - weightOffsets[k]))
            p.biases[k] = Array(UnsafeBufferPointer(start: theta + biasOffsets[k], count: layerSizes[k + 1]))
        }
        return p
    }

    /// The gradient from the last ``computeGradient(inputs:targets:count:)`` or ``step(inputs:targets:count:)``
    /// (allocates a copy).
    public var gradient: MLPGradient {
        var weights: [[Float]] = [], biases: [[Float]] = []
        for k in 0..<layerSizes.count - 1 {
            weights.append(Array(UnsafeBufferPointer(start: grad + weightOffsets[k], count: biasOffsets[k] - weightOffsets[k])))
            biases.append(Array(UnsafeBufferPointer(start: grad + biasOffsets[k], count: layerSizes[k + 1])))
        }
        return MLPGradient(weights: weights, biases: biases)
    }

    /// The mean squared error of the current network on `count` samples (inputs row-major,
    /// `count * inputCount` values; targets `count * outputCount` values), without computing gradients.
    public func loss(inputs: [Float], targets: [Float], count: Int) -> Float {
        pass(inputs: inputs, targets: targets, count: count, backward: false)
    }

    /// Computes the gradient of the mean squared error over a minibatch (see ``gradient``) and returns the loss.
    @discardableResult
    public func computeGradient(inputs: [Float], targets: [Float], count: Int) -> Float {
        let loss = pass(inputs: inputs, targets: targets, count: count, backward: true)
        var j = 0
        while j < paddedCount {
            storeU(loadU(grad + j) + loadU(grad2 + j), grad + j)
            j += 8
        }
        return loss
    }

    /// One Adam step on a minibatch: computes the gradient, updates every weight and bias, and returns the
    /// minibatch loss before the update.
    @discardableResult
    public func step(inputs: [Float], targets: [Float], count: Int) -> Float {
        let loss = pass(inputs: inputs, targets: targets, count: count, backward: true)
        stepCount += 1
        let b1 = adam.beta1, b2 = adam.beta2
        let settings = packed + adamOffset
        settings[0] = b1
        settings[1] = b2
        settings[2] = 1 - Float(pow(Double(b1), Double(stepCount)))
        settings[3] = 1 - Float(pow(Double(b2), Double(stepCount)))
        settings[4] = adam.learningRate
        settings[5] = adam.epsilon
        update()
        return loss
    }

    /// Sums the two halves' gradients into `grad`, takes Adam's step on the parameters, eight at a time (the
    /// padding stays zero: its gradient is zero), and repacks the weights.
    private func update() {
        defer { for k in 0..<layerSizes.count - 1 { pack(layer: k) } }
        let settings = packed + adamOffset
        if kernel == .avx2 {
            return rival_adam_avx2(theta, grad, grad2, moment1, moment2, paddedCount, settings)
        }
        let one = SIMD8<Float>(repeating: 1), beta1 = SIMD8(repeating: settings[0]), beta2 = SIMD8(repeating: settings[1])
        let correction1 = SIMD8(repeating: settings[2]), correction2 = SIMD8(repeating: settings[3])
        let rate = SIMD8(repeating: settings[4]), epsilon = SIMD8(repeating: settings[5])
        var j = 0
        while j < paddedCount {
            let g = loadU(grad + j) + loadU(grad2 + j)
            storeU(g, grad + j)
            let m1 = beta1 * loadU(moment1 + j) + (one - beta1) * g
            let m2 = beta2 * loadU(moment2 + j) + (one - beta2) * g * g
            storeU(m1, moment1 + j)
            storeU(m2, moment2 + j)
            let mHat = m1 / correction1, vHat = m2 / correction2
            storeU(loadU(theta + j) - rate * mHat / (vHat.squareRoot() + epsilon), theta + j)
            j += 8
        }
    }

    /// Forward (and, when `backward`, backward) over the minibatch; returns the mean squared error. The
    /// minibatch is split into two fixed halves whose gradients go to `grad` and `grad2` (on two threads when
    /// ``threads`` is 2), for the caller to sum.
    private func pass(inputs: [Float], targets: [Float], count: Int, backward: Bool) -> Float {
        let nIn = layerSizes[0], nOut = layerSizes[layerSizes.count - 1]
        precondition(count > 0 && inputs.count == count * nIn && targets.count == count * nOut,
                     "need count > 0, count * inputCount inputs and count * outputCount targets")
        let half = count / 2
        let lossScale = 2 / Float(count * nOut)
        var sums = (0.0, 0.0)
        inputs.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { y in
                let xs = x.baseAddress!, ys = y.baseAddress!
                if threads > 1 && half >= 16 {
                    // The second half on the helper thread, the first here; each writes only its own
                    // gradient, scratch and result.
                    let helper = self.helper ?? HelperThread(trainer: self)
                    self.helper = helper
                    secondHalf = SecondHalf(inputs: xs, targets: ys, range: half..<count, lossScale: lossScale,
                                            backward: backward)
                    helper.post()
                    sums.0 = batchRange(xs, ys, 0..<half, grad, work, lossScale, backward)
                    helper.waitUntilDone()
                    sums.1 = secondHalf!.sum
                } else {
                    sums.0 = batchRange(xs, ys, 0..<half, grad, work, lossScale, backward)
                    sums.1 = batchRange(xs, ys, half..<count, grad2, work + halfFloats, lossScale, backward)
                }
            }
        }
        return Float((sums.0 + sums.1) / Double(count * nOut))
    }

    /// Copies layer `k`'s weights into `packed`: transposed, row-major with padded rows (for the input delta, which
    /// the first layer does not need, when the input width is not a multiple of 8; else the kernels read `theta`),
    /// and the padded bias.
    private func pack(layer k: Int) {
        let inWidth = layerSizes[k], outWidth = layerSizes[k + 1]
        let inStride = strides[k], outStride = strides[k + 1]
        let w = theta + weightOffsets[k]
        let transposed = packed + transposedOffsets[k], rows = packed + paddedRowOffsets[k]
        for i in 0..<inWidth {
            for o in 0..<outWidth { transposed[i * outStride + o] = w[o * inWidth + i] }
        }
        if k > 0 && inWidth != inStride {
            for o in 0..<outWidth { (rows + o * inStride).update(from: w + o * inWidth, count: inWidth) }
        }
        (packed + paddedBiasOffsets[k]).update(from: theta + biasOffsets[k], count: outWidth)
    }

    /// The helper thread's work: the posted second half.
    fileprivate func runSecondHalf() {
        guard var job = secondHalf else { return }
        job.sum = batchRange(job.inputs, job.targets, job.range, grad2, work + halfFloats, job.lossScale, job.backward)
        secondHalf = job
    }

    /// One half of a minibatch with the batched kernels: samples `range`, `trainerChunk` at a time through each
    /// layer, gradient into `g` (overwritten), scratch at `half` (`halfFloats` floats); returns the sum of
    /// weighted squared errors.
    private func batchRange(_ inputs: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, _ range: Range<Int>,
                            _ g: UnsafeMutablePointer<Float>, _ half: UnsafeMutablePointer<Float>, _ lossScale: Float,
                            _ backward: Bool) -> Double {
        let nIn = layerSizes[0], nOut = layerSizes[layerSizes.count - 1], layerCount = layerSizes.count - 1
        if backward {
            for k in 0..<layerCount {
                (half + weightGradientOffsets[k]).update(repeating: 0, count: layerSizes[k + 1] * strides[k])
                (half + biasGradientOffsets[k]).update(repeating: 0, count: strides[k + 1])
            }
        }
        let mean = packed + meanOffset, std = packed + stdOffset
        let scale = template.outputScale, offset = template.outputOffset
        let activations = template.activations
        let weights = outputWeights, labelWeights = self.labelWeights, inputWeight = self.inputWeight
        let zeros = UnsafePointer(packed + zerosOffset)
        let avx2 = kernel == .avx2
        var sumSquares = 0.0
        var first = range.lowerBound
        while first < range.upperBound {
            let n = min(trainerChunk, range.upperBound - first)
            let x = inputs + first * nIn, t = targets + first * nOut
            let h0 = half + activationOffsets[0], stride0 = strides[0]
            for s in 0..<n {
                let row = x + s * nIn, h = h0 + s * stride0
                var i = 0
                while i + 8 <= nIn {
                    storeU((loadU(row + i) - loadU(mean + i)) / loadU(std + i), h + i)
                    i += 8
                }
                while i < nIn {
                    h[i] = (row[i] - mean[i]) / std[i]
                    i += 1
                }
            }
            for k in 0..<layerCount {
                let outStride = strides[k + 1]
                let a = half + activationOffsets[k + 1]
                let x = half + activationOffsets[k], w = packed + transposedOffsets[k]
                let bias = packed + paddedBiasOffsets[k]
                if activations[k] == .tanh {
                    // The tanh as the sums are stored (its derivative needs only the activations).
                    multiplyRows(x, strides[k], w, layerSizes[k], bias, tanh: packed + tanhOffset, a, outStride, n,
                                 avx2: avx2)
                } else {
                    let z = half + preActivationOffsets[k + 1]
                    multiplyRows(x, strides[k], w, layerSizes[k], bias, tanh: nil, z, outStride, n, avx2: avx2)
                    for j in 0..<n * outStride { a[j] = activations[k].apply(z[j]) }
                }
            }
            let lastStride = strides[layerCount]
            let aLast = half + activationOffsets[layerCount], dLast = half + deltaOffsets[layerCount]
            for s in 0..<n {
                let sampleWeight = inputWeight?.factor(x + s * nIn) ?? 1
                for o in 0..<nOut {
                    let y = aLast[s * lastStride + o] * scale[o] + offset[o]
                    let target = t[s * nOut + o]
                    let difference = y - target
                    let weight = weights[o] * labelWeights[o].factor(target) * sampleWeight
                    sumSquares += Double(weight) * Double(difference) * Double(difference)
                    dLast[s * lastStride + o] = lossScale * weight * difference * scale[o]
                }
            }
            if backward {
                for k in stride(from: layerCount - 1, through: 0, by: -1) {
                    let outStride = strides[k + 1], inStride = strides[k]
                    let d = half + deltaOffsets[k + 1]
                    applyDerivative(activations[k], d, half + preActivationOffsets[k + 1],
                                    half + activationOffsets[k + 1], n * outStride)
                    accumulateRows(d, outStride, half + biasGradientOffsets[k], n)
                    accumulateOuter(d, outStride, layerSizes[k + 1], half + activationOffsets[k], inStride,
                                    half + weightGradientOffsets[k], n, avx2: avx2)
                    if k > 0 {
                        let rows = layerSizes[k] == inStride ? theta + weightOffsets[k] : packed + paddedRowOffsets[k]
                        multiplyRows(d, outStride, rows, layerSizes[k + 1], zeros, tanh: nil, half + deltaOffsets[k],
                                     inStride, n, avx2: avx2)
                    }
                }
            }
            first += n
        }
        if backward {
            for k in 0..<layerCount {
                let inWidth = layerSizes[k], inStride = strides[k]
                let gw = g + weightOffsets[k], source = half + weightGradientOffsets[k]
                for o in 0..<layerSizes[k + 1] {
                    (gw + o * inWidth).update(from: source + o * inStride, count: inWidth)
                }
                (g + biasOffsets[k]).update(from: half + biasGradientOffsets[k], count: layerSizes[k + 1])
            }
        }
        return sumSquares
    }
}

/// How much more a sample counts in ``MLPTrainer``'s loss the larger its target is, on either side of zero.
public struct LabelWeight: Sendable, Equatable {
    /// Extra weight per unit of a positive target.
    public var positive: Float
    /// Extra weight per unit of a negative target.
    public var negative: Float

    /// A weighting; the default (0, 0) weights every target the same.
    public init(positive: Float = 0, negative: Float = 0) {
        self.positive = positive
        self.negative = negative
    }

    /// The factor on the output's weight for `target`: `1 + positive * max(t, 0) + negative * max(-t, 0)`.
    @inline(__always)
    func factor(_ target: Float) -> Float {
        1 + positive * max(target, 0) + negative * max(-target, 0)
    }
}

/// How much more a sample counts in ``MLPTrainer``'s loss when any of some inputs is small in magnitude: for
/// example the near gaps, so that samples with a car alongside count more.
public struct InputWeight: Sendable, Equatable {
    /// The inputs looked at (indices into a sample's features, before normalisation).
    public var columns: [Int]
    /// A sample whose input in any of ``columns`` has a magnitude below this counts `1 + extra`.
    public var below: Float
    /// The extra weight.
    public var extra: Float

    public init(columns: [Int], below: Float, extra: Float) {
        self.columns = columns
        self.below = below
        self.extra = extra
    }

    /// The factor on a sample's weight, for its features at `x`.
    @inline(__always)
    func factor(_ x: UnsafePointer<Float>) -> Float {
        for c in columns where abs(x[c]) < below { return 1 + extra }
        return 1
    }
}

/// The second half of a minibatch as the helper thread runs it, and its sum of weighted squared errors.
fileprivate struct SecondHalf {
    let inputs: UnsafePointer<Float>
    let targets: UnsafePointer<Float>
    let range: Range<Int>
    let lossScale: Float
    let backward: Bool
    var sum = 0.0
}

/// A thread that runs the second half of each minibatch for an ``MLPTrainer``. Between minibatches it spins for
/// a while (they come back to back while training: waking a sleeping thread costs tens of microseconds on a
/// virtual machine, a sizeable part of a step), then sleeps until the next. Flags, shared through atomics:
/// posted (the trainer's count of halves posted), done (the last half finished), sleeping, stopping.
private final class HelperThread: @unchecked Sendable {
    /// How long the thread spins for the next half before it sleeps.
    static let spinNanoseconds: UInt64 = 500_000
    /// The trainer; it stops the thread before it goes.
    unowned(unsafe) let trainer: MLPTrainer
    private let flags: UnsafeMutablePointer<Int32>
    private let wake = DispatchSemaphore(value: 0)
    /// Halves posted so far (the trainer's side).
    private var posted: Int32 = 0

    init(trainer: MLPTrainer) {
        self.trainer = trainer
        flags = .allocate(capacity: 4)
        flags.initialize(repeating: 0, count: 4)
        let thread = Thread { [self] in run() }
        thread.start()
    }

    deinit { flags.deallocate() }

    /// Hands the trainer's `secondHalf` to the thread.
    func post() {
        posted &+= 1
        rival_atomic_store(flags, posted)
        if rival_atomic_exchange_if(flags + 2, 1, 0) == 1 { wake.signal() }
    }

    /// Returns when the last posted half is done.
    func waitUntilDone() {
        var spins = 0
        while rival_atomic_load(flags + 1) != posted {
            rival_spin_pause()
            spins += 1
            if spins >= 1024 {
                sched_yield()
                spins = 0
            }
        }
    }

    /// Ends the thread (after the half it runs, if any).
    func stop() {
        rival_atomic_store(flags + 3, 1)
        post()
    }

    private func run() {
        var seen: Int32 = 0
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var spins = 0
            while rival_atomic_load(flags) == seen {
                rival_spin_pause()
                spins += 1
                guard spins % 64 == 0, DispatchTime.now().uptimeNanoseconds > deadline else { continue }
                rival_atomic_store(flags + 2, 1)
                // A half posted since the last look: take it, unless the trainer has already cleared the flag
                // (it then signals, and that signal is consumed here).
                if rival_atomic_load(flags) == seen || rival_atomic_exchange_if(flags + 2, 1, 0) == 0 { wake.wait() }
                break
            }
            seen = rival_atomic_load(flags)
            if rival_atomic_load(flags + 3) != 0 { return }
            trainer.runSecondHalf()
            rival_atomic_store(flags + 1, seen)
        }
    }
}
