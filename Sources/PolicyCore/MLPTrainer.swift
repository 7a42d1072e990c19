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
/// The loss of a minibatch of `count` samples with `m` outputs is `sum (y - t)^2 / (count * m)`. The input
/// normalisation and output scaling are fixed (not trained). Everything is deterministic: the same parameters,
/// minibatches and settings give the same result on every run. Not thread-safe.
public final class MLPTrainer {
    /// Layer sizes, input to output.
    public let layerSizes: [Int]
    /// Adam settings, used by ``step(inputs:targets:count:)``; may be changed between steps.
    public var adam: AdamSettings
    /// Adam steps taken so far (the bias correction uses it).
    public private(set) var stepCount = 0

    /// The network's fixed parts (sizes, activations, normalisation, scaling, metadata).
    private var template: MLPParameters
    /// All weights and biases, flat: per layer the weights (row-major [out][in]) then the bias.
    private var theta: [Float]
    /// The last computed gradient, same layout as `theta`.
    private var grad: [Float]
    /// Adam's first and second moments, same layout as `theta`.
    private var moment1: [Float]
    private var moment2: [Float]
    /// Offsets of each layer's weights and bias in `theta`.
    private let weightOffsets: [Int]
    private let biasOffsets: [Int]
    /// Per layer, the pre-activations and activations of the current sample (activation 0 is the normalised input).
    private var preActivations: [[Float]]
    private var activationValues: [[Float]]
    /// Per layer, dLoss/d(activation) of the current sample.
    private var activationGradients: [[Float]]

    /// A trainer starting from `parameters`.
    ///
    /// - Precondition: the parameters are consistent.
    public init(parameters: MLPParameters, adam: AdamSettings = AdamSettings()) {
        if let problem = parameters.inconsistency() { preconditionFailure("inconsistent MLP parameters: \(problem)") }
        layerSizes = parameters.layerSizes
        self.adam = adam
        template = parameters
        var theta: [Float] = []
        var weightOffsets: [Int] = [], biasOffsets: [Int] = []
        for k in 0..<parameters.layerCount {
            weightOffsets.append(theta.count)
            theta += parameters.weights[k]
            biasOffsets.append(theta.count)
            theta += parameters.biases[k]
        }
        self.theta = theta
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        grad = [Float](repeating: 0, count: theta.count)
        moment1 = grad
        moment2 = grad
        preActivations = layerSizes.map { [Float](repeating: 0, count: $0) }
        activationValues = preActivations
        activationGradients = preActivations
    }

    /// The current parameters (allocates a copy).
    public var parameters: MLPParameters {
        var p = template
        for k in 0..<layerSizes.count - 1 {
            p.weights[k] = Array(theta[weightOffsets[k]..<biasOffsets[k]])
            p.biases[k] = Array(theta[biasOffsets[k]..<(biasOffsets[k] + layerSizes[k + 1])])
        }
        return p
    }

    /// The gradient from the last ``computeGradient(inputs:targets:count:)`` or ``step(inputs:targets:count:)``
    /// (allocates a copy).
    public var gradient: MLPGradient {
        var weights: [[Float]] = [], biases: [[Float]] = []
        for k in 0..<layerSizes.count - 1 {
            weights.append(Array(grad[weightOffsets[k]..<biasOffsets[k]]))
            biases.append(Array(grad[biasOffsets[k]..<(biasOffsets[k] + layerSizes[k + 1])]))
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
        pass(inputs: inputs, targets: targets, count: count, backward: true)
    }

    /// One Adam step on a minibatch: computes the gradient, updates every weight and bias, and returns the
    /// minibatch loss before the update.
    @discardableResult
    public func step(inputs: [Float], targets: [Float], count: Int) -> Float {
        let loss = computeGradient(inputs: inputs, targets: targets, count: count)
        stepCount += 1
        let b1 = adam.beta1, b2 = adam.beta2
        let correction1 = 1 - Float(pow(Double(b1), Double(stepCount)))
        let correction2 = 1 - Float(pow(Double(b2), Double(stepCount)))
        let rate = adam.learningRate, epsilon = adam.epsilon
        for j in theta.indices {
            let g = grad[j]
            moment1[j] = b1 * moment1[j] + (1 - b1) * g
            moment2[j] = b2 * moment2[j] + (1 - b2) * g * g
            let mHat = moment1[j] / correction1
            let vHat = moment2[j] / correction2
            theta[j] -= rate * mHat / (vHat.squareRoot() + epsilon)
        }
        return loss
    }

    /// Forward (and, when `backward`, backward) over the minibatch; returns the mean squared error.
    private func pass(inputs: [Float], targets: [Float], count: Int, backward: Bool) -> Float {
        let nIn = layerSizes[0], nOut = layerSizes[layerSizes.count - 1], layerCount = layerSizes.count - 1
        precondition(count > 0 && inputs.count == count * nIn && targets.count == count * nOut,
                     "need count > 0, count * inputCount inputs and count * outputCount targets")
        if backward { for j in grad.indices { grad[j] = 0 } }
        let lossScale = 2 / Float(count * nOut)
        var sumSquares = 0.0
        for s in 0..<count {
            for i in 0..<nIn {
                activationValues[0][i] = (inputs[s * nIn + i] - template.inputMean[i]) / template.inputStd[i]
            }
            for k in 0..<layerCount {
                let inWidth = layerSizes[k], outWidth = layerSizes[k + 1]
                let activation = template.activations[k]
                let w = weightOffsets[k], b = biasOffsets[k]
                for o in 0..<outWidth {
                    var z = theta[b + o]
                    for i in 0..<inWidth { z += theta[w + o * inWidth + i] * activationValues[k][i] }
                    preActivations[k + 1][o] = z
                    activationValues[k + 1][o] = activation.apply(z)
                }
            }
            for o in 0..<nOut {
                let y = activationValues[layerCount][o] * template.outputScale[o] + template.outputOffset[o]
                let difference = y - targets[s * nOut + o]
                sumSquares += Double(difference) * Double(difference)
                activationGradients[layerCount][o] = lossScale * difference * template.outputScale[o]
            }
            guard backward else { continue }
            for k in stride(from: layerCount - 1, through: 0, by: -1) {
                let inWidth = layerSizes[k], outWidth = layerSizes[k + 1]
                let activation = template.activations[k]
                let w = weightOffsets[k], b = biasOffsets[k]
                if k > 0 { for i in 0..<inWidth { activationGradients[k][i] = 0 } }
                for o in 0..<outWidth {
                    let delta = activationGradients[k + 1][o]
                        * activation.derivative(z: preActivations[k + 1][o], a: activationValues[k + 1][o])
                    grad[b + o] += delta
                    for i in 0..<inWidth {
                        grad[w + o * inWidth + i] += delta * activationValues[k][i]
                        if k > 0 { activationGradients[k][i] += theta[w + o * inWidth + i] * delta }
                    }
                }
            }
        }
        return Float(sumSquares / Double(count * nOut))
    }
}
