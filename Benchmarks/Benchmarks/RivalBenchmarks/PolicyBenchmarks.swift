// Benchmarks of the learned policy: one decision (encode the observation + network forward pass), a
// batched decision for a grid of 20, and one training step of its network.
import Benchmark
import Foundation
import PolicyCore
import Sim

/// The shipped network's parameters, or a freshly initialised network of the default size when no weights are
/// shipped yet (the cost does not depend on the weights' values).
private func shippedParameters() -> MLPParameters {
    let path = repoRoot.appendingPathComponent("policies/default.safetensors").path
    if let contents = try? SafetensorsFile(path: path),
       let p = try? MLPParameters(safetensors: contents, file: path, expectedSpecVersion: ObservationSpec.version) {
        return p
    }
    let hidden = TrainingSettings().hiddenLayers
    var p = MLPParameters(layerSizes: [ObservationSpec.count] + hidden + [2],
                          activations: Array(repeating: .tanh, count: hidden.count) + [.identity])
    p.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
    return p
}

/// Observations of a 20-car expert race at Monza after 20 s, as the drivers see them.
private func gridObservations() -> (ObservationEncoder, [Observation]) {
    let race = expertRace()
    let observations = (0..<20).map { Observation(view: race.view(for: $0), offsetCommand: 0.5) }
    return (ObservationEncoder(track: race.track, car: race.cars[0]), observations)
}

func policyBenchmarks() {
    // One decision in the grid, and one for a car alone on track (the same views with no other car in them): the
    // track guard's whole path, which in a grid stands down at its first check.
    for (name, alone) in [("policy.act (one decision: encode + forward)", false),
                          ("policy.actAlone (one decision, no car in view: through the track guard)", true)] {
        Benchmark(name, configuration: .init(scalingFactor: .kilo)) { benchmark in
            var (encoder, observations) = gridObservations()
            if alone { observations = observations.map { var o = $0; o.view.nearby = NearbyCars(); return o } }
            let policy = try! NetworkPolicy(parameters: shippedParameters(), encoder: encoder)
            var acc: Float = 0
            var k = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                acc += policy.act(observations[k]).steering
                k = k == 19 ? 0 : k + 1
            }
            blackHole(acc)
        }
    }

    // A grid of 20 in one call, with the guards (NetworkPolicy's default) and without the traffic guard; and 20
    // cars alone (no car in any view), with both guards and with neither.
    for (name, guarded, alone) in [("policy.actBatch (20 cars in one call; per call)", true, false),
                                   ("policy.actBatchUnguarded (the same without the traffic guard)", false, false),
                                   ("policy.actBatchAlone (20 cars, none in view, through the track guard; per call)", true, true),
                                   ("policy.actBatchAloneUnguarded (the same without the track guard)", false, true)] {
        Benchmark(name, configuration: .init(scalingFactor: .kilo)) { benchmark in
            var (encoder, observations) = gridObservations()
            if alone { observations = observations.map { var o = $0; o.view.nearby = NearbyCars(); return o } }
            let policy = try! NetworkPolicy(parameters: shippedParameters(), encoder: encoder)
            if !guarded {
                if alone { policy.trackGuard = nil } else { policy.trafficGuard = nil }
            }
            let input = UnsafeMutableBufferPointer<Observation>.allocate(capacity: 20)
            _ = input.initialize(from: observations)
            let output = UnsafeMutableBufferPointer<Action>.allocate(capacity: 20)
            output.initialize(repeating: Action())
            var acc: Float = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                policy.act(batch: UnsafeBufferPointer(input), into: output)
                acc += output[7].pedal
            }
            benchmark.stopMeasurement()
            blackHole(acc)
            input.deallocate()
            output.deallocate()
        }
    }

    // The network alone with the kernel this machine runs (MLPKernel.best) and with the portable one: one sample,
    // or a batch of the 20 cars' features in one call.
    for (name, kernel, count) in [("policy.forward (network only, one sample)", MLPKernel.best, 1),
                                  ("policy.forwardPortable (network only, one sample, portable SSE2 kernel)", .portable, 1),
                                  ("policy.forwardBatch (network only, 20 samples in one call; per call)", .best, 20)] {
        Benchmark(name, configuration: .init(scalingFactor: .kilo)) { benchmark in
            let (encoder, observations) = gridObservations()
            let network = MLP(shippedParameters())
            network.kernel = kernel
            let n = ObservationSpec.count
            let features = UnsafeMutablePointer<Float>.allocate(capacity: count * n)
            for i in 0..<count { encoder.encode(observations[count == 1 ? 3 : i], into: features + i * n) }
            let out = UnsafeMutablePointer<Float>.allocate(capacity: 2 * count)
            var acc: Float = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                network.forward(batch: UnsafeBufferPointer(start: features, count: count * n), count: count,
                                into: UnsafeMutableBufferPointer(start: out, count: 2 * count))
                acc += out[0]
            }
            benchmark.stopMeasurement()
            blackHole(acc)
            features.deallocate()
            out.deallocate()
        }
    }

    // One Adam step of the trainer on the shipped shape, as `rival train` takes it. The trainer is made on the
    // harness's first call and kept (each call measures one step).
    var trainStep: TrainStep?
    Benchmark("train.step (73-64-64-2 tanh, minibatch 256, 2 threads; per step)",
              configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        let fixture = trainStep ?? TrainStep()
        trainStep = fixture
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { fixture.step() }
        benchmark.stopMeasurement()
        blackHole(fixture.loss)
    }

    Benchmark("policy.encode (observation features only)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (encoder, observations) = gridObservations()
        let features = UnsafeMutablePointer<Float>.allocate(capacity: ObservationSpec.count)
        var acc: Float = 0
        var k = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            encoder.encode(observations[k], into: features)
            acc += features[30]
            k = k == 19 ? 0 : k + 1
        }
        benchmark.stopMeasurement()
        blackHole(acc)
        features.deallocate()
    }
}

/// A trainer for the shipped network (label and traffic weights set as `rival train` sets them, both halves of a
/// minibatch on two threads) and a fixed pool of 16 random minibatches of 256 samples, taken in turn.
private final class TrainStep {
    let trainer: MLPTrainer
    var inputs: [[Float]] = []
    var targets: [[Float]] = []
    var next = 0
    var loss: Float = 0

    init() {
        let p = shippedParameters()
        var state: UInt64 = 0x5EED
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        for _ in 0..<16 {
            inputs.append((0..<256 * p.inputCount).map { _ in uniform() })
            targets.append((0..<256 * 2).map { _ in uniform() })
        }
        trainer = MLPTrainer(parameters: p, adam: AdamSettings(learningRate: 1e-4))
        trainer.threads = 2
        trainer.outputWeights = [8, 1]
        trainer.labelWeights = [LabelWeight(positive: 2, negative: 2), LabelWeight(negative: 1)]
        trainer.inputWeight = InputWeight(columns: ObservationSpec.nearGapIndices, below: 1, extra: 2)
    }

    func step() {
        loss += trainer.step(inputs: inputs[next], targets: targets[next], count: 256)
        next = next == inputs.count - 1 ? 0 : next + 1
    }
}
