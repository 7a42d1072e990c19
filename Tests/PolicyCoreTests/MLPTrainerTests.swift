import Foundation
import Testing
import PolicyCore

/// The batched trainer against a plain scalar reference that takes every sum in the order the trainer promises:
/// a pre-activation as the bias plus each input's term in input order, a gradient as each sample's term added in
/// sample order within each of the two halves, then the halves summed. Plain Float arithmetic is the same on
/// every machine, so equal bits here mean the trainer's results are too.
extension MLPTests {
    /// The loss and gradient (weights then biases of each layer, flat) of the scalar reference.
    static func referenceGradient(_ p: MLPParameters, inputs x: [Float], targets t: [Float], count: Int,
                                  outputWeights: [Float], labelWeights: [LabelWeight],
                                  inputWeight: InputWeight?) -> (loss: Float, gradient: [Float]) {
        let layers = p.layerCount, nIn = p.inputCount, nOut = p.outputCount
        let lossScale = 2 / Float(count * nOut)
        var sums = [0.0, 0.0]
        var halves: [[[Float]]] = []
        for (part, range) in [0..<count / 2, count / 2..<count].enumerated() {
            var gw = (0..<layers).map { [Float](repeating: 0, count: p.weights[$0].count) }
            var gb = (0..<layers).map { [Float](repeating: 0, count: p.biases[$0].count) }
            for s in range {
                var h: [[Float]] = [(0..<nIn).map { (x[s * nIn + $0] - p.inputMean[$0]) / p.inputStd[$0] }]
                var z: [[Float]] = [[]]
                for k in 0..<layers {
                    let width = p.layerSizes[k + 1], depth = p.layerSizes[k]
                    let pre = (0..<width).map { o in
                        var v = p.biases[k][o]
                        for i in 0..<depth { v = v + h[k][i] * p.weights[k][o * depth + i] }
                        return v
                    }
                    z.append(pre)
                    h.append(pre.map { p.activations[k] == .tanh ? fastTanh($0) : p.activations[k].apply($0) })
                }
                var sampleWeight: Float = 1
                if let inputWeight, inputWeight.columns.contains(where: { abs(x[s * nIn + $0]) < inputWeight.below }) {
                    sampleWeight = 1 + inputWeight.extra
                }
                var d = (0..<nOut).map { o -> Float in
                    let target = t[s * nOut + o]
                    let difference = (h[layers][o] * p.outputScale[o] + p.outputOffset[o]) - target
                    let l = labelWeights[o]
                    let weight = outputWeights[o] * (1 + l.positive * max(target, 0) + l.negative * max(-target, 0))
                        * sampleWeight
                    sums[part] += Double(weight) * Double(difference) * Double(difference)
                    return lossScale * weight * difference * p.outputScale[o]
                }
                for k in stride(from: layers - 1, through: 0, by: -1) {
                    let depth = p.layerSizes[k]
                    for o in d.indices { d[o] = d[o] * p.activations[k].derivative(z: z[k + 1][o], a: h[k + 1][o]) }
                    var below = [Float](repeating: 0, count: depth)
                    for o in d.indices {
                        gb[k][o] = gb[k][o] + d[o]
                        for i in 0..<depth {
                            gw[k][o * depth + i] = gw[k][o * depth + i] + d[o] * h[k][i]
                            below[i] = below[i] + d[o] * p.weights[k][o * depth + i]
                        }
                    }
                    d = below
                }
            }
            halves.append((0..<layers).flatMap { [gw[$0], gb[$0]] })
        }
        let gradient = zip(halves[0].joined(), halves[1].joined()).map { $0 + $1 }
        return (Float((sums[0] + sums[1]) / Double(count * nOut)), gradient)
    }

    static let trainerShapes: [([Int], [Activation])] = [
        ([73, 64, 64, 2], [.tanh, .tanh, .identity]),
        ([11, 13, 9, 3], [.tanh, .relu, .identity]),
        ([5, 17, 1], [.relu, .tanh]),
    ]

    @Test("the trainer's loss and gradient equal the scalar reference's bit for bit, 1 to 40 samples and past a chunk, on 1 and 2 threads, with either kernel",
          arguments: 0..<trainerShapes.count)
    func trainerMatchesScalarReferenceBitForBit(_ shape: Int) {
        let (sizes, activations) = Self.trainerShapes[shape]
        let p = Self.network(sizes, activations, seed: 11 + UInt64(shape))
        let nOut = p.outputCount
        let counts = sizes[0] == 73 ? [1, 2, 7, 33, 40, 150] : Array(1...40) + [150]
        for count in counts {
            let x = Self.inputs(p, count: count, seed: UInt64(count))
            var state = UInt64(count) &* 97
            let t = (0..<(count * nOut)).map { _ in Float(2 * Self.uniform(&state) - 1) }
            let outputWeights = (0..<nOut).map { Float(1 + $0) }
            let labelWeights = (0..<nOut).map { LabelWeight(positive: Float($0) + 0.5, negative: 2) }
            let inputWeight = InputWeight(columns: [0, sizes[0] - 1], below: 0.7, extra: 3)
            let reference = Self.referenceGradient(p, inputs: x, targets: t, count: count, outputWeights: outputWeights,
                                                   labelWeights: labelWeights, inputWeight: inputWeight)
            for (threads, kernel) in [1, 2].flatMap({ n in Self.kernels.map { (n, $0) } }) {
                let trainer = MLPTrainer(parameters: p)
                trainer.threads = threads
                trainer.kernel = kernel
                trainer.outputWeights = outputWeights
                trainer.labelWeights = labelWeights
                trainer.inputWeight = inputWeight
                let loss = trainer.computeGradient(inputs: x, targets: t, count: count)
                let g = trainer.gradient
                let flat = (0..<p.layerCount).flatMap { g.weights[$0] + g.biases[$0] }
                let what = "\(sizes), \(count) samples, \(threads) threads, \(kernel) kernel"
                #expect(loss.bitPattern == reference.loss.bitPattern, "\(what)")
                #expect(flat.count == p.parameterCount && reference.gradient.count == p.parameterCount)
                let differing = zip(flat, reference.gradient).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(what): \(differing) values differ")
                #expect(trainer.loss(inputs: x, targets: t, count: count).bitPattern == reference.loss.bitPattern)
            }
        }
    }
}

extension MLPTests {
    @Test("Adam steps give the same parameters bit for bit with either kernel and on 1 or 2 threads")
    func adamStepsMatchAcrossKernelsAndThreads() {
        for (sizes, activations) in Self.trainerShapes {
            let p = Self.network(sizes, activations, seed: 21)
            let count = 48
            let x = Self.inputs(p, count: count, seed: 4)
            var state: UInt64 = 5
            let t = (0..<(count * p.outputCount)).map { _ in Float(2 * Self.uniform(&state) - 1) }
            var results: [MLPParameters] = []
            for (threads, kernel) in [1, 2].flatMap({ n in Self.kernels.map { (n, $0) } }) {
                let trainer = MLPTrainer(parameters: p, adam: AdamSettings(learningRate: 0.01))
                trainer.threads = threads
                trainer.kernel = kernel
                for _ in 0..<5 { trainer.step(inputs: x, targets: t, count: count) }
                results.append(trainer.parameters)
            }
            #expect(results.allSatisfy { $0 == results[0] }, "\(sizes)")
            #expect(results[0] != p)
        }
    }
}
