import Foundation
import Testing
import PolicyCore

/// The fast forward pass against the reference, the fast tanh against Foundation's, the backward pass against
/// finite differences, Adam, and a small learning run.
@Suite struct MLPTests {
    /// A network with random weights, non-trivial normalisation and output scaling.
    static func network(_ sizes: [Int], _ activations: [Activation], seed: UInt64 = 7) -> MLPParameters {
        var p = MLPParameters(layerSizes: sizes, activations: activations, seed: seed)
        var state = seed &* 31
        for k in 0..<p.layerCount {
            for o in p.biases[k].indices { p.biases[k][o] = Float(uniform(&state) - 0.5) * 0.4 }
        }
        for i in 0..<p.inputCount {
            p.inputMean[i] = Float(uniform(&state) - 0.5) * 4
            p.inputStd[i] = Float(0.5 + 2 * uniform(&state))
        }
        for o in 0..<p.outputCount {
            p.outputScale[o] = Float(0.5 + uniform(&state))
            p.outputOffset[o] = Float(uniform(&state) - 0.5)
        }
        return p
    }

    /// A deterministic uniform in [0, 1) for test data (an LCG; quality is irrelevant here).
    static func uniform(_ state: inout UInt64) -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1p-53
    }

    /// `count` random raw inputs around the network's normalisation.
    static func inputs(_ p: MLPParameters, count: Int, seed: UInt64 = 3) -> [Float] {
        var state = seed
        var values: [Float] = []
        for _ in 0..<count {
            for i in 0..<p.inputCount {
                values.append(p.inputMean[i] + p.inputStd[i] * Float(4 * uniform(&state) - 2))
            }
        }
        return values
    }

    static let architectures: [([Int], [Activation])] = [
        ([100, 64, 64, 2], [.tanh, .tanh, .identity]),
        ([7, 13, 33, 3], [.relu, .tanh, .tanh]),
        ([5, 8, 8, 2], [.tanh, .relu, .identity]),
        ([3, 40, 1], [.identity, .relu]),
        ([1, 1], [.tanh]),
    ]

    @Test func fastTanhMatchesFoundation() {
        var worst: Double = 0
        var x: Float = -12
        while x <= 12 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 1e-4 })
            let y = fastTanh(lanes)
            for j in 0..<8 { worst = max(worst, abs(Double(y[j]) - Foundation.tanh(Double(lanes[j])))) }
            x += 8e-4
        }
        #expect(worst < 1e-6, "worst absolute error \(worst)")
        #expect(fastTanh(Float.infinity) == 1 && fastTanh(-Float.infinity) == -1)
        #expect(fastTanh(Float(0)) == 0 && abs(fastTanh(Float(1e-30)) / 1e-30 - 1) < 1e-6)
        #expect(fastTanh(Float(0.3)) == -fastTanh(Float(-0.3)))
        #expect(fastTanh(Float.nan).isNaN)
    }

    /// The network's own tanh (its Horner steps fused multiply-adds, unlike ``fastTanh(_:)``'s) through a 1-1
    /// tanh layer with weight 1 and bias 0, on every kernel: as accurate as the fast tanh, odd, NaN stays NaN. (It
    /// saturates at 1 - 2.4e-7 where the unfused form rounds to 1: still within the error bound.)
    @Test(arguments: MLPTests.kernels)
    func networkTanhMatchesFoundation(_ kernel: MLPKernel) {
        var p = MLPParameters(layerSizes: [1, 1], activations: [.tanh])
        p.weights[0] = [1]; p.biases[0] = [0]; p.inputMean = [0]; p.inputStd = [1]; p.outputScale = [1]; p.outputOffset = [0]
        let mlp = MLP(p)
        mlp.kernel = kernel
        var worst: Double = 0
        var x: Float = -12
        while x <= 12 {
            let y = mlp.forward([x])[0]
            worst = max(worst, abs(Double(y) - Foundation.tanh(Double(x))))
            #expect(y == -mlp.forward([-x])[0])
            x += 1e-3
        }
        #expect(worst < 1e-6, "worst absolute error \(worst)")
        let one = mlp.forward([.infinity])[0]
        #expect(one <= 1 && one > 1 - 1e-6 && mlp.forward([-.infinity]) == [-one] && mlp.forward([0]) == [0])
        #expect(mlp.forward([.nan])[0].isNaN)
    }

    /// The kernels this machine runs (the portable one always).
    static let kernels = MLPKernel.allCases.filter(\.isAvailable)

    @Test(arguments: 0..<architectures.count, kernels)
    func forwardMatchesReference(_ index: Int, _ kernel: MLPKernel) {
        let (sizes, activations) = Self.architectures[index]
        let p = Self.network(sizes, activations)
        let mlp = MLP(p)
        mlp.kernel = kernel
        let count = 23
        let x = Self.inputs(p, count: count)
        var batchOut = [Float](repeating: .nan, count: count * p.outputCount)
        x.withUnsafeBufferPointer { input in
            batchOut.withUnsafeMutableBufferPointer { mlp.forward(batch: input, count: count, into: $0) }
        }
        for s in 0..<count {
            let row = Array(x[(s * p.inputCount)..<((s + 1) * p.inputCount)])
            let expected = p.referenceForward(row)
            let single = mlp.forward(row)
            for o in 0..<p.outputCount {
                let tolerance = 1e-5 * max(1, abs(expected[o]))
                #expect(abs(single[o] - expected[o]) <= tolerance, "\(sizes) sample \(s) output \(o)")
                #expect(abs(batchOut[s * p.outputCount + o] - expected[o]) <= tolerance,
                        "\(sizes) batch sample \(s) output \(o)")
            }
        }
    }

    @Test(arguments: kernels)
    func batchOfEveryLengthMatchesSingle(_ kernel: MLPKernel) {
        let p = Self.network([9, 17, 2], [.tanh, .identity])
        let mlp = MLP(p)
        mlp.kernel = kernel
        for count in 0...9 {
            let x = Self.inputs(p, count: count, seed: UInt64(count) + 11)
            var out = [Float](repeating: .nan, count: count * 2 + 1)
            x.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { mlp.forward(batch: input, count: count, into: $0) }
            }
            for s in 0..<count {
                let single = mlp.forward(Array(x[(s * 9)..<((s + 1) * 9)]))
                #expect(Array(out[(2 * s)..<(2 * s + 2)]) == single, "count \(count) sample \(s)")
            }
            #expect(out[count * 2].isNaN, "wrote past the batch of \(count)")
        }
    }

    /// Outputs of `mlp` with `kernel`: `count` samples of `x` batched, then each alone, as bit patterns.
    static func outputBits(_ mlp: MLP, _ kernel: MLPKernel, _ x: [Float], count: Int) -> (batch: [UInt32], single: [UInt32]) {
        mlp.kernel = kernel
        let n = mlp.inputCount, m = mlp.outputCount
        var out = [Float](repeating: .nan, count: count * m)
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { mlp.forward(batch: input, count: count, into: $0) }
        }
        let single = (0..<count).flatMap { s in mlp.forward(Array(x[(s * n)..<((s + 1) * n)])) }
        return (out.map(\.bitPattern), single.map(\.bitPattern))
    }

    /// On a CPU with AVX-512F (and RIVAL_NO_AVX512 unset) the batches of four or more run on sixteen lanes
    /// (`rival_dense_uses_avx512`), so this checks that path as well.
    @Test("the AVX2 kernel (AVX-512 for batches of four or more where the CPU has it) gives the portable kernel's outputs bit for bit, alone and in batches of 0 to 70",
          .enabled(if: MLPKernel.avx2.isAvailable, "this processor has no AVX2 and FMA"))
    func avx2MatchesPortableBitForBit() {
        // Output widths that exercise every tile: 64-wide passes, 32, 16 and 8 (alone), four-sample tiles of 16
        // and the trailing 8; batches past the 32-sample chunk.
        let shapes: [([Int], [Activation])] = [
            ([69, 64, 64, 2], [.tanh, .tanh, .identity]),
            ([20, 72, 40, 5], [.tanh, .relu, .identity]),
            ([11, 136, 24, 3], [.relu, .tanh, .tanh]),
            ([4, 1], [.tanh]),
        ]
        for (index, (sizes, activations)) in shapes.enumerated() {
            let p = Self.network(sizes, activations, seed: UInt64(index) + 5)
            let mlp = MLP(p)
            var x = Self.inputs(p, count: 70, seed: UInt64(index) + 40)
            // Saturating, non-finite and signed-zero inputs go through both kernels alike.
            x[0] = 1e30; x[1] = -.infinity; x[p.inputCount] = -0.0; x[2 * p.inputCount] = .nan
            var differing = 0, compared = 0
            for count in [0, 1, 2, 3, 4, 5, 7, 8, 20, 31, 32, 33, 36, 63, 64, 70] {
                let portable = Self.outputBits(mlp, .portable, x, count: count)
                let avx2 = Self.outputBits(mlp, .avx2, x, count: count)
                for k in 0..<portable.batch.count where portable.batch[k] != avx2.batch[k] { differing += 1 }
                for k in 0..<portable.single.count where portable.single[k] != avx2.single[k] { differing += 1 }
                #expect(avx2.batch == avx2.single, "\(sizes): AVX2 batch of \(count) against one at a time")
                compared += 2 * portable.batch.count
            }
            #expect(differing == 0, "\(sizes): \(differing) of \(compared) outputs differ")
            #expect(compared == 2 * 379 * sizes.last!)
            // The shipped width: an output with a NaN input is NaN in both; the others finite.
            let nanRow = Self.outputBits(mlp, .avx2, x, count: 3).single
            #expect(Float(bitPattern: nanRow[2 * sizes.last!]).isNaN)
            #expect(Float(bitPattern: nanRow[sizes.last!]).isFinite)
        }
        #expect(MLPKernel.best == .avx2)
        #expect(MLP(Self.network([3, 8, 1], [.tanh, .identity])).kernel == .avx2)
    }

    @Test func updateRepacksWeights() {
        let a = Self.network([6, 10, 2], [.tanh, .identity], seed: 1)
        var b = Self.network([6, 10, 2], [.tanh, .identity], seed: 2)
        b.activations = a.activations
        let mlp = MLP(a)
        mlp.update(b)
        let x = Self.inputs(b, count: 1)
        let got = mlp.forward(x), expected = b.referenceForward(x)
        for o in 0..<2 { #expect(abs(got[o] - expected[o]) <= 1e-5) }
        #expect(mlp.parameters == b)
        #expect(mlp.copy().forward(x) == got)
    }

    @Test func sizesAndSeeds() {
        let p = MLPParameters(layerSizes: [100, 64, 64, 2], activations: [.tanh, .tanh, .identity], seed: 42)
        #expect(p.flopsPerForward == 64 * 201 + 64 * 129 + 2 * 129)
        #expect(p.parameterCount == 64 * 101 + 64 * 65 + 2 * 65)
        #expect(p == MLPParameters(layerSizes: [100, 64, 64, 2], activations: [.tanh, .tanh, .identity], seed: 42))
        #expect(p != MLPParameters(layerSizes: [100, 64, 64, 2], activations: [.tanh, .tanh, .identity], seed: 43))
        let limit = Float((6.0 / 164).squareRoot())
        #expect(p.weights[0].allSatisfy { abs($0) <= limit })
    }

    /// The mean squared error of `p` in Double precision, for finite differences.
    static func doubleLoss(_ p: MLPParameters, weights: [[Double]], biases: [[Double]], inputs: [Float],
                           targets: [Float], count: Int, labelWeights: [LabelWeight]? = nil,
                           inputWeight: InputWeight? = nil) -> Double {
        var total = 0.0
        for s in 0..<count {
            // The input weighting written out independently of InputWeight.factor.
            var sampleWeight = 1.0
            if let inputWeight, inputWeight.columns.contains(where: { abs(inputs[s * p.inputCount + $0]) < inputWeight.below }) {
                sampleWeight += Double(inputWeight.extra)
            }
            var h = (0..<p.inputCount).map {
                (Double(inputs[s * p.inputCount + $0]) - Double(p.inputMean[$0])) / Double(p.inputStd[$0])
            }
            for k in 0..<p.layerCount {
                let nIn = p.layerSizes[k], nOut = p.layerSizes[k + 1]
                h = (0..<nOut).map { o in
                    var z = biases[k][o]
                    for i in 0..<nIn { z += weights[k][o * nIn + i] * h[i] }
                    switch p.activations[k] {
                    case .tanh: return Foundation.tanh(z)
                    case .relu: return max(z, 0)
                    case .identity: return z
                    }
                }
            }
            for o in 0..<p.outputCount {
                let y = h[o] * Double(p.outputScale[o]) + Double(p.outputOffset[o])
                let target = Double(targets[s * p.outputCount + o])
                let d = y - target
                // The label weighting written out independently of LabelWeight.factor.
                var w = 1.0
                if let l = labelWeights?[o] { w += target > 0 ? Double(l.positive) * target : Double(l.negative) * -target }
                total += sampleWeight * w * d * d
            }
        }
        return total / Double(count * p.outputCount)
    }

    /// Without and with a label weighting (heavier large steering targets on output 0, heavier negative targets
    /// on output 1, as `rival train --steering-target-weight --braking-target-weight` sets).
    /// And with an input weighting (samples with a small input 0 or 2 count 4 times, as `--traffic-weight 3` weights
    /// samples with a car near).
    static let gradientCases: [([Activation], [LabelWeight]?, InputWeight?)] = [
        ([.tanh, .tanh, .identity], nil, nil), ([.relu, .tanh, .tanh], nil, nil),
        ([.tanh, .tanh, .identity], [LabelWeight(positive: 5, negative: 5), LabelWeight(negative: 4)], nil),
        ([.tanh, .tanh, .identity], nil, InputWeight(columns: [0, 2], below: 0.5, extra: 3)),
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ activations: [Activation], _ labelWeights: [LabelWeight]?,
                                          _ inputWeight: InputWeight?) {
        let p = Self.network([5, 8, 8, 2], activations, seed: 5)
        let count = 6
        let x = Self.inputs(p, count: count, seed: 9)
        var state: UInt64 = 77
        let t = (0..<(count * 2)).map { _ in Float(2 * Self.uniform(&state) - 1) }
        let trainer = MLPTrainer(parameters: p)
        if let labelWeights { trainer.labelWeights = labelWeights }
        trainer.inputWeight = inputWeight
        let loss = trainer.computeGradient(inputs: x, targets: t, count: count)
        let gradient = trainer.gradient
        var weights = p.weights.map { $0.map(Double.init) }
        var biases = p.biases.map { $0.map(Double.init) }
        let unweighted = Self.doubleLoss(p, weights: weights, biases: biases, inputs: x, targets: t, count: count)
        let reference = Self.doubleLoss(p, weights: weights, biases: biases, inputs: x, targets: t, count: count,
                                        labelWeights: labelWeights, inputWeight: inputWeight)
        #expect(abs(Double(loss) - reference) < 1e-5)
        // The weighting counts: with these targets it raises the loss by more than half.
        if labelWeights != nil { #expect(reference > 1.5 * unweighted) }
        if let inputWeight {
            // Some samples weighted, some not.
            let weighted = (0..<count).filter { s in inputWeight.columns.contains { abs(x[s * 5 + $0]) < 0.5 } }.count
            #expect(weighted > 0 && weighted < count, "\(weighted) of \(count) samples weighted")
            #expect(reference > 1.1 * unweighted)
        }
        func doubleLoss(_ weights: [[Double]], _ biases: [[Double]]) -> Double {
            Self.doubleLoss(p, weights: weights, biases: biases, inputs: x, targets: t, count: count,
                            labelWeights: labelWeights, inputWeight: inputWeight)
        }
        let h = 1e-6
        var worst = 0.0
        func check(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
            let numeric = (plus - minus) / (2 * h)
            let error = abs(Double(analytic) - numeric) / max(abs(Double(analytic)), abs(numeric), 1e-4)
            worst = max(worst, error)
            #expect(error < 1e-2, "\(what): analytic \(analytic), numeric \(numeric)")
        }
        for k in 0..<p.layerCount {
            for j in weights[k].indices {
                let saved = weights[k][j]
                weights[k][j] = saved + h
                let plus = doubleLoss(weights, biases)
                weights[k][j] = saved - h
                let minus = doubleLoss(weights, biases)
                weights[k][j] = saved
                check(gradient.weights[k][j], plus, minus, "layer \(k) weight \(j)")
            }
            for j in biases[k].indices {
                let saved = biases[k][j]
                biases[k][j] = saved + h
                let plus = doubleLoss(weights, biases)
                biases[k][j] = saved - h
                let minus = doubleLoss(weights, biases)
                biases[k][j] = saved
                check(gradient.biases[k][j], plus, minus, "layer \(k) bias \(j)")
            }
        }
        #expect(worst < 1e-2)
    }

    @Test func firstAdamStepMovesEachParameterByTheLearningRate() {
        let p = Self.network([3, 4, 1], [.tanh, .identity], seed: 3)
        let x = Self.inputs(p, count: 4)
        let t: [Float] = [0.5, -0.5, 1, 0]
        let trainer = MLPTrainer(parameters: p, adam: AdamSettings(learningRate: 0.01))
        trainer.computeGradient(inputs: x, targets: t, count: 4)
        let gradient = trainer.gradient
        trainer.step(inputs: x, targets: t, count: 4)
        #expect(trainer.stepCount == 1)
        let after = trainer.parameters
        for k in 0..<2 {
            for j in p.weights[k].indices where abs(gradient.weights[k][j]) > 1e-4 {
                let expected = p.weights[k][j] - 0.01 * (gradient.weights[k][j] > 0 ? 1 : -1)
                #expect(abs(after.weights[k][j] - expected) < 1e-5)
            }
        }
        // Deterministic: a second trainer on the same data ends bit-identical.
        let again = MLPTrainer(parameters: p, adam: AdamSettings(learningRate: 0.01))
        again.step(inputs: x, targets: t, count: 4)
        #expect(again.parameters == after)
    }

    @Test func learnsSine() {
        // Full-batch Adam at 0.01 is spiky (the loss jumps to ~2e-3 now and then before settling back), so the last
        // 200 of the 1000 steps take a tenth of the rate. Measured: final loss about 1e-4.
        var p = MLPParameters(layerSizes: [1, 16, 16, 1], activations: [.tanh, .tanh, .identity], seed: 2)
        let count = 64
        let x = (0..<count).map { Float(-Double.pi + 2 * Double.pi * Double($0) / Double(count - 1)) }
        let y = x.map { Float(sin(Double($0))) }
        p.setNormalisation(inputs: x, count: count)
        let trainer = MLPTrainer(parameters: p, adam: AdamSettings(learningRate: 0.01))
        let initial = trainer.loss(inputs: x, targets: y, count: count)
        for i in 0..<1000 {
            if i == 800 { trainer.adam.learningRate = 0.001 }
            trainer.step(inputs: x, targets: y, count: count)
        }
        let final = trainer.loss(inputs: x, targets: y, count: count)
        #expect(initial > 0.1)
        #expect(final < 1e-3, "loss \(initial) -> \(final) after 1000 Adam steps")
        // The trained network evaluates the same through the fast path.
        let mlp = MLP(trainer.parameters)
        #expect(abs(mlp.forward([0.5])[0] - trainer.parameters.referenceForward([0.5])[0]) < 1e-5)
    }
}
