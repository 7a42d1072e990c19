import CKernels
import Foundation
import GSL

/// The nonlinearity applied after a layer's affine map.
public enum Activation: String, Sendable, Equatable, CaseIterable {
    /// Hyperbolic tangent (the fast path uses ``fastTanh(_:)``, accurate to about 4e-7).
    case tanh
    /// Rectified linear unit, `max(x, 0)`.
    case relu
    /// No nonlinearity (typical for the output layer).
    case identity

    /// The activation of `z` in plain scalar arithmetic (Foundation's `tanh`), as the reference uses it.
    public func apply(_ z: Float) -> Float {
        switch self {
        case .tanh: return Foundation.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .identity: return z
        }
    }

    /// The derivative of the activation at pre-activation `z`, given its output `a` (used by the backward pass).
    public func derivative(z: Float, a: Float) -> Float {
        switch self {
        case .tanh: return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        case .identity: return 1
        }
    }
}

/// The parameters of a multilayer perceptron as plain arrays, in PyTorch's `nn.Linear` convention: layer `k`'s
/// weight is row-major `[out, in]` and maps `in` inputs to `out` outputs as `W x + b`.
///
/// The network computes, for an input `x`:
/// `h0 = (x - inputMean) / inputStd`, `h(k+1) = activation_k(W_k h_k + b_k)`, and
/// `y = h_L * outputScale + outputOffset` (element by element).
///
/// A value type: the trainer (``MLPTrainer``) updates it and the fast evaluator (``MLP``) packs it.
public struct MLPParameters: Sendable, Equatable {
    /// Widths from input to output: `[inputs, hidden..., outputs]` (at least two entries).
    public var layerSizes: [Int]
    /// One activation per layer (`layerSizes.count - 1` entries).
    public var activations: [Activation]
    /// Per layer, the weight matrix row-major `[out][in]` (`layerSizes[k+1] * layerSizes[k]` values).
    public var weights: [[Float]]
    /// Per layer, the bias (`layerSizes[k+1]` values).
    public var biases: [[Float]]
    /// Per input, the mean subtracted before the first layer.
    public var inputMean: [Float]
    /// Per input, the standard deviation the centred input is divided by (must be positive).
    public var inputStd: [Float]
    /// Per output, the factor the last layer's activation is multiplied by.
    public var outputScale: [Float]
    /// Per output, the offset added after scaling.
    public var outputOffset: [Float]
    /// Free-text metadata written to and read from the safetensors header (for example
    /// ``MLPMetadataKey/specVersion`` and ``MLPMetadataKey/provenance``). Layer sizes and activations are
    /// written from the fields above, not from here.
    public var metadata: [String: String]

    /// The number of inputs.
    public var inputCount: Int { layerSizes[0] }
    /// The number of outputs.
    public var outputCount: Int { layerSizes[layerSizes.count - 1] }
    /// The number of layers (affine maps).
    public var layerCount: Int { layerSizes.count - 1 }
    /// The number of trainable parameters (weights and biases).
    public var parameterCount: Int { (0..<layerCount).reduce(0) { $0 + layerSizes[$1 + 1] * (layerSizes[$1] + 1) } }
    /// Floating-point operations per forward pass: a multiply and an add per weight, an add per bias
    /// (normalisation, activations and output scaling not counted).
    public var flopsPerForward: Int {
        (0..<layerCount).reduce(0) { $0 + layerSizes[$1 + 1] * (2 * layerSizes[$1] + 1) }
    }

    /// A network with Glorot-uniform weights from a fixed `seed` (the same seed gives the same weights on every
    /// machine), zero biases, identity normalisation and unit output scale.
    ///
    /// - Precondition: at least two sizes, all positive, and one activation per layer.
    public init(layerSizes: [Int], activations: [Activation], seed: UInt64 = 1) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 > 0 }, "need at least two positive sizes")
        precondition(activations.count == layerSizes.count - 1, "need one activation per layer")
        self.layerSizes = layerSizes
        self.activations = activations
        var state = seed
        var weights: [[Float]] = []
        for k in 0..<(layerSizes.count - 1) {
            let fanIn = layerSizes[k], fanOut = layerSizes[k + 1]
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            weights.append((0..<(fanIn * fanOut)).map { _ in Float((2 * SeedDerivation.uniform(&state) - 1) * limit) })
        }
        self.weights = weights
        biases = layerSizes.dropFirst().map { [Float](repeating: 0, count: $0) }
        inputMean = [Float](repeating: 0, count: layerSizes[0])
        inputStd = [Float](repeating: 1, count: layerSizes[0])
        outputScale = [Float](repeating: 1, count: layerSizes[layerSizes.count - 1])
        outputOffset = [Float](repeating: 0, count: layerSizes[layerSizes.count - 1])
        metadata = [:]
    }

    /// Sets ``inputMean`` and ``inputStd`` to the per-input mean and standard deviation of `count` samples stored
    /// row-major in `inputs` (`count * inputCount` values). A standard deviation below `minimumStd` (an input that
    /// barely varies) is replaced by `minimumStd`. With `columns`, only those inputs' are set.
    public mutating func setNormalisation(inputs: [Float], count: Int, minimumStd: Float = 1e-3,
                                          only columns: Range<Int>? = nil) {
        let n = inputCount
        precondition(count > 0 && inputs.count == count * n, "inputs must hold count * inputCount values")
        for i in columns ?? 0..<n {
            var sum = 0.0, sumSquares = 0.0
            for s in 0..<count {
                let v = Double(inputs[s * n + i])
                sum += v
                sumSquares += v * v
            }
            let mean = sum / Double(count)
            let variance = max(sumSquares / Double(count) - mean * mean, 0)
            inputMean[i] = Float(mean)
            inputStd[i] = max(Float(variance.squareRoot()), minimumStd)
        }
    }

    /// The network's output for one input, computed with plain loops over arrays and Foundation's `tanh`: the
    /// reference the fast ``MLP`` is tested against. Slow; not for use in a simulation step.
    public func referenceForward(_ input: [Float]) -> [Float] {
        precondition(input.count == inputCount, "input has \(input.count) values, expected \(inputCount)")
        var h = (0..<inputCount).map { (input[$0] - inputMean[$0]) / inputStd[$0] }
        for k in 0..<layerCount {
            let nIn = layerSizes[k], nOut = layerSizes[k + 1]
            var next = [Float](repeating: 0, count: nOut)
            for o in 0..<nOut {
                var z = biases[k][o]
                for i in 0..<nIn { z += weights[k][o * nIn + i] * h[i] }
                next[o] = activations[k].apply(z)
            }
            h = next
        }
        return (0..<outputCount).map { h[$0] * outputScale[$0] + outputOffset[$0] }
    }

    /// A description of the first inconsistency between the sizes and the arrays, or nil when consistent.
    func inconsistency() -> String? {
        if layerSizes.count < 2 || layerSizes.contains(where: { $0 <= 0 }) { return "layer sizes \(layerSizes)" }
        if activations.count != layerCount { return "\(activations.count) activations for \(layerCount) layers" }
        if weights.count != layerCount || biases.count != layerCount { return "weights or biases per layer" }
        for k in 0..<layerCount {
            if weights[k].count != layerSizes[k] * layerSizes[k + 1] { return "layer \(k) weight count" }
            if biases[k].count != layerSizes[k + 1] { return "layer \(k) bias count" }
        }
        if inputMean.count != inputCount || inputStd.count != inputCount { return "input normalisation count" }
        if outputScale.count != outputCount || outputOffset.count != outputCount { return "output scaling count" }
        return nil
    }
}

/// The code that evaluates an ``MLP``'s layers. Both give bit-identical outputs (the same fused multiply-adds in
/// the same order, and the same other operations), so the choice changes speed only.
public enum MLPKernel: String, Sendable, CaseIterable {
    /// Swift SIMD8 code for the package's baseline target (x86-64 with SSE2, or any other processor). Its fused
    /// multiply-adds are instructions on arm64, but calls to libm's `fmaf` on x86-64 (compiled for the baseline,
    /// which has no FMA): correct to the bit, many times slower. There it runs only where `avx2` cannot.
    case portable
    /// A C kernel compiled for AVX2 and FMA (target CKernels): eight-wide registers, five samples a tile in
    /// batches. Runs only where the processor and OS support AVX2 and the processor has FMA (x86-64 since
    /// 2013-2015).
    case avx2

    /// Whether this kernel runs on this machine.
    public var isAvailable: Bool {
        switch self {
        case .portable: return true
        case .avx2: return MLPKernel.hasAVX2FMA
        }
    }

    /// The fastest kernel available on this machine (checked once).
    public static let best: MLPKernel = hasAVX2FMA ? .avx2 : .portable

    private static let hasAVX2FMA: Bool = rival_cpu_has_avx2_fma() == 1
}

/// Metadata keys of a policy network's safetensors header.
public enum MLPMetadataKey {
    /// The observation spec version the network was trained for (for example `"1"`).
    public static let specVersion = "observation_spec_version"
    /// Comma-separated layer widths from input to output, for example `"100,64,64,2"`.
    public static let layerSizes = "layer_sizes"
    /// Comma-separated activations, one per layer, for example `"tanh,tanh,identity"`.
    public static let activations = "activations"
    /// Free text: how the network was trained (command, seed, data, wall time).
    public static let provenance = "provenance"
    /// The observation spec version of the file a network was loaded from, when it was upgraded as it loaded
    /// (``MLPParameters/upgradedToCurrentSpec()``).
    public static let upgradedFrom = "observation_spec_upgraded_from"
}

/// A fast evaluator of an ``MLPParameters`` network: Float32, eight outputs a register (SIMD8 in Swift, or AVX2 in
/// C where the processor has it: ``MLPKernel``, bit-identical), no allocation per call.
///
/// Layout: each layer's weights are stored transposed, `[in][outPadded]` with the outputs padded to a multiple
/// of 8, so the inner loop adds `w * x[i]` to SIMD8 accumulators of eight outputs at once (written as
/// `acc + w * x`: `SIMD.addingProduct` would call libm's `fmaf` per lane on baseline x86-64). The input
/// normalisation is folded into the first layer's weights and bias (computed in Double), so a forward pass reads
/// the raw input directly. All buffers (weights, biases, scratch) are allocated once, in `init`.
///
/// Not thread-safe: a forward pass writes the instance's scratch buffers. Use one instance per thread (they are
/// cheap to copy from the same ``parameters``).
public final class MLP {
    /// The parameters this evaluator was built from (as loaded or trained, normalisation not folded).
    public private(set) var parameters: MLPParameters
    /// The number of inputs per sample.
    public let inputCount: Int
    /// The number of outputs per sample.
    public let outputCount: Int

    /// Per layer: inputs, real outputs, padded outputs (a multiple of 8), activation.
    let layers: [PackedLayer]
    /// Transposed, padded weights of every layer, 32-byte aligned, one after another.
    let weightStorage: UnsafeMutablePointer<Float>
    /// Padded biases of every layer, one after another.
    let biasStorage: UnsafeMutablePointer<Float>
    /// Output scale and offset, `outputCount` each.
    let outputScaleStorage: UnsafeMutablePointer<Float>
    let outputOffsetStorage: UnsafeMutablePointer<Float>
    /// Two ping-pong activation buffers per sample lane, `scratchLanes` lanes of `maxWidth` floats each.
    let scratchA: UnsafeMutablePointer<Float>
    let scratchB: UnsafeMutablePointer<Float>
    /// The rational tanh's clamp bound and coefficients, for the AVX2 kernel (12 floats).
    let tanhConstants: UnsafeMutablePointer<Float>
    /// The kernel the forward passes run (``MLPKernel/best`` unless set). Unchecked exclusivity: every forward
    /// pass reads it, and the class is single-threaded by contract (a dynamic check cost a runtime call a pass).
    @exclusivity(unchecked) public var kernel: MLPKernel = .best {
        willSet { precondition(newValue.isAvailable, "the \(newValue) kernel does not run on this processor") }
    }
    /// The widest padded layer.
    let maxWidth: Int
    /// Weight and bias element counts (for deallocation).
    let weightCount: Int
    let biasCount: Int

    /// Samples evaluated together by the portable batched kernel (they share each weight load).
    static let batchLanes = 4
    /// Samples the AVX2 kernel takes through one layer before the next (the scratch buffers hold this many).
    static let scratchLanes = 32

    /// One layer's packed shape.
    struct PackedLayer {
        var inputs: Int
        var outputs: Int
        var padded: Int
        var activation: Activation
        var weightOffset: Int
        var biasOffset: Int
    }

    /// Packs `parameters` for fast evaluation.
    ///
    /// - Precondition: the parameters are consistent (array sizes match ``MLPParameters/layerSizes``) and every
    ///   input standard deviation is positive (``MLPParameters`` from a safetensors file always are).
    public init(_ parameters: MLPParameters) {
        if let problem = parameters.inconsistency() { preconditionFailure("inconsistent MLP parameters: \(problem)") }
        precondition(parameters.inputStd.allSatisfy { $0 > 0 }, "input standard deviations must be positive")
        self.parameters = parameters
        inputCount = parameters.inputCount
        outputCount = parameters.outputCount
        var layers: [PackedLayer] = []
        var weightCount = 0, biasCount = 0, maxWidth = 8
        for k in 0..<parameters.layerCount {
            let nIn = parameters.layerSizes[k], nOut = parameters.layerSizes[k + 1]
            let padded = (nOut + 7) / 8 * 8
            layers.append(PackedLayer(inputs: nIn, outputs: nOut, padded: padded,
                                      activation: parameters.activations[k],
                                      weightOffset: weightCount, biasOffset: biasCount))
            weightCount += nIn * padded
            biasCount += padded
            maxWidth = max(maxWidth, padded)
        }
        self.layers = layers
        self.weightCount = weightCount
        self.biasCount = biasCount
        self.maxWidth = maxWidth
        weightStorage = MLP.allocateAligned(weightCount)
        biasStorage = MLP.allocateAligned(biasCount)
        outputScaleStorage = MLP.allocateAligned(outputCount)
        outputOffsetStorage = MLP.allocateAligned(outputCount)
        scratchA = MLP.allocateAligned(maxWidth * MLP.scratchLanes)
        scratchB = MLP.allocateAligned(maxWidth * MLP.scratchLanes)
        tanhConstants = MLP.allocateAligned(12)
        writeTanhConstants(tanhConstants)
        pack()
    }

    /// Builds an evaluator with fresh buffers for the same parameters (for another thread).
    public func copy() -> MLP {
        let other = MLP(parameters)
        other.kernel = kernel
        return other
    }

    /// Replaces the parameters (for example after a training step) without allocating new buffers.
    ///
    /// - Precondition: the new parameters have the same layer sizes, and are consistent.
    public func update(_ newParameters: MLPParameters) {
        precondition(newParameters.layerSizes == parameters.layerSizes, "layer sizes must not change")
        if let problem = newParameters.inconsistency() { preconditionFailure("inconsistent MLP parameters: \(problem)") }
        precondition(newParameters.inputStd.allSatisfy { $0 > 0 }, "input standard deviations must be positive")
        precondition(newParameters.activations == parameters.activations, "activations must not change")
        parameters = newParameters
        pack()
    }

    deinit {
        for pointer in [weightStorage, biasStorage, outputScaleStorage, outputOffsetStorage, scratchA, scratchB,
                        tanhConstants] {
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }

    /// A zeroed, 32-byte-aligned Float buffer of at least `count` values (rounded up to a multiple of 8).
    static func allocateAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
        let rounded = max((count + 7) / 8 * 8, 8)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded * MemoryLayout<Float>.stride, alignment: 32)
        let pointer = raw.bindMemory(to: Float.self, capacity: rounded)
        pointer.initialize(repeating: 0, count: rounded)
        return pointer
    }

    /// Writes the packed (transposed, padded, normalisation-folded) weights and biases from ``parameters``.
    private func pack() {
        let p = parameters
        for (k, layer) in layers.enumerated() {
            let w = weightStorage + layer.weightOffset
            let b = biasStorage + layer.biasOffset
            w.update(repeating: 0, count: layer.inputs * layer.padded)
            b.update(repeating: 0, count: layer.padded)
            for o in 0..<layer.outputs {
                // Layer 0 folds (x - mean) / std: W' = W / std, b' = b - sum W * mean / std.
                var bias = Double(p.biases[k][o])
                for i in 0..<layer.inputs {
                    var weight = Double(p.weights[k][o * layer.inputs + i])
                    if k == 0 {
                        weight /= Double(p.inputStd[i])
                        bias -= weight * Double(p.inputMean[i])
                    }
                    w[i * layer.padded + o] = Float(weight)
                }
                b[o] = Float(bias)
            }
        }
        for o in 0..<outputCount {
            outputScaleStorage[o] = p.outputScale[o]
            outputOffsetStorage[o] = p.outputOffset[o]
        }
    }
}
