import Foundation
@testable import PolicyCore
import Sim
import Testing
import RivalTestSupport

/// The training pipeline on a tiny budget (the real run is `rival train`, docs/policy.md).
@Suite("DAgger training pipeline")
struct PolicyTrainerTests {
    static func settings() -> TrainingSettings {
        var s = TrainingSettings()
        s.hiddenLayers = [16]
        s.trainingTracks = ["Monza"]
        s.validationTracks = []
        s.cars = ["gt3"]
        s.iterations = 2
        s.extraIterations = 0
        s.episodesPerIteration = 4
        s.episodeDuration = 6
        s.epochsPerIteration = 3
        s.batchSize = 64
        s.learningRate = 3e-3
        return s
    }

    static func trainer(threads: Int = 2) throws -> PolicyTrainer {
        try PolicyTrainer(settings: settings(), trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                          cars: [Shipped.car("gt3")], threads: threads)
    }

    @Test("iteration 0 collects expert-labelled samples and the loss falls; iteration 1 lets the network drive")
    func pipeline() throws {
        let trainer = try Self.trainer()
        let first = trainer.runIteration()
        #expect(first.expertShare == 1)
        #expect(first.table == nil)                         // the whole table only with settings.fullTable
        #expect(first.newSamples > 1000)
        #expect(first.samples == trainer.sampleCount)
        #expect(trainer.inputs.count == trainer.sampleCount * ObservationSpec.count)
        #expect(trainer.inputs.allSatisfy { $0.isFinite })
        // Residual targets: the expert's action (-1...1) minus the prior's (-1...1).
        #expect(trainer.targets.allSatisfy { abs($0) <= 2 })
        #expect(trainer.parameters.metadata[ActionPrior.metadataKey] == ActionPrior.purePursuit.rawValue)
        // Learning: the last epoch's loss is well below the first's.
        #expect(first.loss < 0.8 * first.firstEpochLoss, "loss \(first.firstEpochLoss) -> \(first.loss)")
        let second = trainer.runIteration()
        #expect(second.expertShare == 0.5)
        #expect(second.samples == first.samples + second.newSamples)
        #expect(trainer.iteration == 2)
        #expect(trainer.parameters.metadata[MLPMetadataKey.specVersion] == ObservationSpec.version)
    }

    @Test("with the whole table on, a report counts every training and validation run as rival eval drives them")
    func fullTable() throws {
        var settings = Self.settings()
        settings.fullTable = true
        settings.validationTracks = ["Norisring"]
        let tracks = [try Shipped.track("Monza"), try Shipped.track("Norisring")], car = try Shipped.car("gt3")
        let trainer = try PolicyTrainer(settings: settings, trainingTracks: [tracks[0]], validationTracks: [tracks[1]],
                                        cars: [car])
        trainer.runIteration()
        let table = try #require(trainer.history[0].table)
        #expect(table.runs == 2 && table.trainingRuns == 1 && table.validationRuns == 1)
        // The same runs, driven as rival eval drives them: the plan for a 3-lap race's fuel, 60 decisions a second.
        let runs = try tracks.map { track in
            let fuel = RaceConfig(laps: 3).startingFuelMass(car: car, track: track)
            let policy = try NetworkPolicy(parameters: trainer.parameters,
                                           encoder: ObservationEncoder(track: track, car: car, fuelMass: fuel))
            return PolicyEvaluation.run(policy: policy, track: track, car: car)
        }
        #expect(table == PolicyTrainer.TableSummary(training: [runs[0]], validation: [runs[1]]))
        #expect(runs[1] == trainer.validate(trainer.parameters)[0])
        // Counting: a clean run within the target counts as such; more clean runs win, then more within the targets,
        // then the lower median ratio.
        func run(_ ratio: Double, offTracks: Int = 0) -> PolicyEvaluation {
            PolicyEvaluation(track: "T", car: "C", lapTimes: [100, 100 * ratio, 100 * ratio], limitLapTime: 100,
                             ratio: ratio, offTracks: offTracks, contacts: 0)
        }
        let a = PolicyTrainer.TableSummary(training: [run(1.02), run(1.05), run(1.01, offTracks: 1)],
                                           validation: [run(1.035), run(.infinity)])
        #expect(a.clean == 3 && a.runs == 5 && a.trainingWithinTarget == 1 && a.validationWithinTarget == 1)
        #expect(a.medianRatio == 1.035)
        let b = PolicyTrainer.TableSummary(training: [run(1.02), run(1.02), run(1.01, offTracks: 1)],
                                           validation: [run(1.035), run(.infinity)])
        let c = PolicyTrainer.TableSummary(training: [run(1.04), run(1.05), run(1.2)], validation: [run(1.1), run(1.1)])
        #expect(b.isBetter(than: a) && !a.isBetter(than: b) && c.isBetter(than: b) && !a.isBetter(than: a))
        // Kept through a checkpoint's history.
        let encoded = try JSONEncoder().encode(trainer.history[0])
        #expect(try JSONDecoder().decode(PolicyTrainer.IterationReport.self, from: encoded).table == table)
    }

    @Test("a run started from a trained network lets it drive from iteration 0 and keeps its normalisation; a wrong one is refused")
    func startFromNetwork() throws {
        let trained = try Self.trainer()
        trained.runIteration()
        var settings = Self.settings()
        settings.initialNetwork = "trained.safetensors"
        settings.iterations = 1
        let tuned = try PolicyTrainer(settings: settings, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                      cars: [Shipped.car("gt3")])
        try tuned.start(from: trained.parameters, file: "trained.safetensors")
        #expect(tuned.parameters.weights == trained.parameters.weights)
        let report = tuned.runIteration()
        #expect(report.expertShare == 0.5)                 // the network drives half the decisions at once
        #expect(tuned.parameters.inputMean == trained.parameters.inputMean && tuned.parameters.inputStd == trained.parameters.inputStd)
        #expect(tuned.parameters.weights != trained.parameters.weights)
        #expect(report.loss < report.firstEpochLoss * 1.05)
        // A network of other sizes, or one started too late, is refused with the file named.
        let wide = MLPParameters(layerSizes: [ObservationSpec.count, 32, 2], activations: [.tanh, .identity])
        let fresh = try PolicyTrainer(settings: settings, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                      cars: [Shipped.car("gt3")])
        let error = try #require(throws: LoadError.self) { try fresh.start(from: wide, file: "wide.safetensors") }
        #expect(error.description.contains("wide.safetensors") && error.description.contains("73,32,2")
                && error.description.contains("73,16,2"))
        #expect(throws: LoadError.self) { try tuned.start(from: trained.parameters, file: "late.safetensors") }
    }

    @Test("closing episodes start every opponent ahead and slower; a share of 0 draws the episodes as before")
    func closingEpisodes() throws {
        let trainer = try Self.trainer()
        var settings = Self.settings()
        settings.opponentShare = 1
        settings.standingStartShare = 0
        func episode(_ index: Int, _ closing: Double?) -> PolicyTrainer.EpisodeData {
            var s = settings
            s.closingShare = closing
            return PolicyTrainer.episode(index: index, iteration: 0, share: 1, learner: nil, contexts: trainer.training,
                                         settings: s)
        }
        let width = ObservationSpec.count
        let gap = 57, speedDifference = 59   // opponent0.gap (scale 150 m) and .speedDifference (scale 10 m/s)
        var seen = 0
        for index in 0..<6 {
            // No closing share and a share of 0 give the same episode, to the bit (no extra random draws).
            let plain = episode(index, nil)
            #expect(plain.inputs == episode(index, 0).inputs && plain.targets == episode(index, 0).targets)
            // The learner's first sample: its nearest opponent is 15 to 120 m ahead (a little less after the first
            // decision) and at least 20 % slower; beyond the observation's 60 m it is not given yet (the padding).
            let closing = episode(index, 1)
            #expect(closing.inputs.count >= width)
            let first = Array(closing.inputs.prefix(width))
            guard first[gap] != 1 else {
                #expect(first[speedDifference] == 0)
                continue
            }
            seen += 1
            #expect(first[gap] * 150 > 14 && first[gap] * 150 <= 60, "episode \(index): gap \(first[gap] * 150) m")
            let own = first[0] * 50   // speed (scale 50 m/s)
            #expect(first[speedDifference] * 10 < -0.19 * own,
                    "episode \(index): speed difference \(first[speedDifference] * 10) m/s at \(own) m/s")
        }
        #expect(seen >= 2)
    }

    @Test("grid episodes start 4 to 10 recorded cars at rest on the race's grid; a share of 0 draws as before")
    func gridEpisodes() throws {
        let trainer = try Self.trainer()
        func episode(_ index: Int, _ grid: Double?) -> PolicyTrainer.EpisodeData {
            var s = Self.settings()
            s.gridShare = grid
            return PolicyTrainer.episode(index: index, iteration: 0, share: 1, learner: nil, contexts: trainer.training,
                                         settings: s)
        }
        let width = ObservationSpec.count
        for index in 0..<4 {
            let plain = episode(index, nil)
            #expect(plain.inputs == episode(index, 0).inputs && plain.targets == episode(index, 0).targets)
            let grid = episode(index, 1)
            let samples = grid.inputs.count / width
            // Every car records its first decision at rest with a car within 10 m (grid slots are 8 m apart): one
            // such row per car.
            var atRest = 0
            for r in 0..<samples where grid.inputs[r * width] == 0 && abs(grid.inputs[r * width + 57] * 150) < 10 {
                atRest += 1
            }
            #expect(atRest >= 4 && atRest <= 10, "episode \(index): \(atRest) cars recorded at rest beside another")
            // 6 s of racing for 4 to 10 cars at 60 decisions a second, less what stopped recording.
            #expect(samples > 4 * 60 * 3, "episode \(index): \(samples) samples")
        }
    }

    @Test("failure episodes start 50 to 200 m before a recent failure on its circuit; without one they draw as before; failures are recorded and kept in a checkpoint")
    func failureEpisodes() throws {
        let trainer = try Self.trainer()
        let length = trainer.training[0].track.length
        let recent = [PolicyTrainer.Failure(context: 0, s: 120)]
        func episode(_ index: Int, _ share: Double?, _ failures: [PolicyTrainer.Failure]) -> PolicyTrainer.EpisodeData {
            var s = Self.settings()
            s.failureShare = share
            return PolicyTrainer.episode(index: index, iteration: 0, share: 1, learner: nil, contexts: trainer.training,
                                         failures: failures, settings: s)
        }
        for index in 0..<4 {
            // No share, a share of 0, or no failures yet: the same episode, to the bit (no extra random draws).
            let plain = episode(index, nil, recent)
            #expect(plain.inputs == episode(index, 0, recent).inputs && plain.targets == episode(index, 0, recent).targets)
            #expect(plain.inputs == episode(index, 1, []).inputs)
            // Every episode of a share of 1 starts before the failure at 120 m, round the end of the lap.
            let start = episode(index, 1, recent).start
            let before = (120 - start + length).truncatingRemainder(dividingBy: length)
            #expect(before >= 50 && before <= 200, "episode \(index): starts \(before) m before the failure")
        }
        // The tiny network fails when it drives (iteration 1): the spots are on the circuit, and a checkpoint keeps
        // them.
        var settings = Self.settings()
        settings.failureShare = 0.5
        let run = try PolicyTrainer(settings: settings, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                    cars: [Shipped.car("gt3")])
        run.runIteration()
        #expect(run.failures.isEmpty)    // the expert alone drove
        let second = run.runIteration()
        #expect(run.failures.count >= 1 && run.failures.count <= second.crashedEpisodes)
        #expect(run.failures.allSatisfy { $0.context == 0 && $0.s >= 0 && $0.s < length })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rival-failures-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try run.save(to: directory)
        let resumed = try PolicyTrainer(settings: settings, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                        cars: [Shipped.car("gt3")])
        try resumed.restore(from: directory)
        #expect(resumed.failures == run.failures)
    }

    @Test("the failure probe finds every off-track and barrier hit of the network's own solo laps, where rival eval --no-track-guard finds them")
    func failureProbe() throws {
        // The shipped network leaves the track at Norisring in the GT3 car without its track guard (docs/policy.md,
        // "Results" and "The track guard"); the probe looks for the network's own failures, so without the guard.
        let track = try Shipped.track("Norisring"), car = try Shipped.car("gt3")
        var settings = Self.settings()
        settings.trainingTracks = ["Norisring"]
        let trainer = try PolicyTrainer(settings: settings, trainingTracks: [track], validationTracks: [], cars: [car])
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let shipped = try MLPParameters(safetensors: try SafetensorsFile(path: path), file: path,
                                        expectedSpecVersion: ObservationSpec.version)
        let spots = trainer.probeFailures(shipped)
        let policy = try NetworkPolicy(parameters: shipped, encoder: trainer.training[0].encoder)
        policy.trackGuard = nil
        let evaluation = PolicyEvaluation.run(policy: policy, track: track, car: car, laps: 2)
        #expect(spots.count >= 1)
        #expect(spots.count == evaluation.offTracks + evaluation.contacts)
        #expect(spots.allSatisfy { $0.context == 0 && $0.s >= 0 && $0.s < track.length })
    }

    @Test("a grid of learners that stands still goes on recording: a jam gets the expert's labels")
    func jamsAreRecorded() throws {
        let trainer = try Self.trainer()
        var settings = Self.settings()
        settings.gridShare = 1
        settings.episodeDuration = 10
        // A learner that always brakes fully (the prior's pedal minus 2, clamped), driving alone (expert share 0).
        var parameters = trainer.parameters
        for l in parameters.weights.indices { parameters.weights[l] = parameters.weights[l].map { _ in 0 } }
        parameters.outputOffset = [0, -2]
        let data = PolicyTrainer.episode(index: 0, iteration: 1, share: 0, learner: parameters,
                                         contexts: trainer.training, settings: settings)
        let width = ObservationSpec.count, samples = data.inputs.count / width
        // Every car (4 to 10) stands on its slot, 8 m from the next, for the whole episode: all of it is recorded
        // (10 s at 60 decisions a second), not only the first 4 s as for a car stalled on its own.
        #expect((0..<samples).allSatisfy { data.inputs[$0 * width] == 0 })
        #expect(samples % 600 == 0 && (4...10).contains(samples / 600), "\(samples) samples")
        #expect(data.targets.allSatisfy { $0.isFinite })
    }

    @Test("forgetting the samples with a car alongside keeps every other sample, in order, with its target")
    func forgetAlongside() throws {
        var settings = Self.settings()
        settings.gridShare = 1
        let trainer = try PolicyTrainer(settings: settings, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                        cars: [Shipped.car("gt3")])
        trainer.runIteration()
        let width = ObservationSpec.count, gaps = [57, 60, 63, 66]
        #expect(gaps.map { ObservationSpec.features[$0].name } == (0..<4).map { "opponent\($0).gap" })
        let near = { (row: ArraySlice<Float>) in gaps.contains { abs(row[row.startIndex + $0] * 150) < 6.1 } }
        var keptInputs: [Float] = [], keptTargets: [Float] = []
        for i in 0..<trainer.sampleCount where !near(trainer.inputs[(i * width)..<((i + 1) * width)]) {
            keptInputs += trainer.inputs[(i * width)..<((i + 1) * width)]
            keptTargets += trainer.targets[(2 * i)..<(2 * i + 2)]
        }
        let before = trainer.sampleCount
        let dropped = trainer.forgetSamples(withCarWithin: 6.1)
        // A grid start puts cars within 6.1 m (slots are 8 m apart, diagonally; 4.6 m cars merging).
        #expect(dropped > 0 && dropped < before / 2, "\(dropped) of \(before)")
        #expect(trainer.sampleCount == before - dropped)
        #expect(trainer.inputs == keptInputs && trainer.targets == keptTargets)
        #expect(trainer.forgetSamples(withCarWithin: 6.1) == 0)
    }

    @Test("the same seed trains the same network at any thread count, and a resumed run matches the whole run")
    func determinismAndResume() throws {
        let whole = try Self.trainer(threads: 2)
        try whole.run()
        #expect(whole.iteration == 2)
        let single = try Self.trainer(threads: 1)
        try single.run()
        #expect(single.parameters == whole.parameters)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rival-train-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.trainer()
        first.runIteration()
        try first.save(to: directory)
        let resumed = try Self.trainer()
        try resumed.restore(from: directory)
        #expect(resumed.iteration == 1)
        #expect(resumed.sampleCount == first.sampleCount)
        try resumed.run()
        #expect(resumed.parameters == whole.parameters)
        func timeless(_ reports: [PolicyTrainer.IterationReport]) -> [String] {
            reports.map { "\($0.iteration) \($0.samples) \($0.newSamples) \($0.crashedEpisodes) \($0.firstEpochLoss) \($0.loss)" }
        }
        #expect(timeless(resumed.history) == timeless(whole.history))
    }

    @Test("a checkpoint keeps every iteration's network; the average of the last k is their element-wise mean")
    func averageOfIterations() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rival-train-avg-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try Self.trainer()
        trainer.runIteration()
        try trainer.save(to: directory)
        let first = trainer.parameters
        trainer.runIteration()
        try trainer.save(to: directory)
        let second = trainer.parameters
        let average = try PolicyTrainer.averagedNetwork(last: 2, in: directory)
        for k in 0..<first.layerCount {
            for j in first.weights[k].indices {
                #expect(average.weights[k][j] == Float((Double(first.weights[k][j]) + Double(second.weights[k][j])) / 2))
            }
            for j in first.biases[k].indices {
                #expect(average.biases[k][j] == Float((Double(first.biases[k][j]) + Double(second.biases[k][j])) / 2))
            }
        }
        #expect(average.inputMean == first.inputMean && average.weights != second.weights)
        #expect(try PolicyTrainer.averagedNetwork(last: 1, in: directory) == MLPParameters(
            safetensors: SafetensorsFile(path: directory + "/iteration-1.safetensors"), file: "x"))
        let tooMany = try #require(throws: LoadError.self) { try PolicyTrainer.averagedNetwork(last: 3, in: directory) }
        #expect(tooMany.description.contains("the last 3 iterations: 1...2"))
        // Networks of different runs (another normalisation) are not averaged.
        var stranger = second
        stranger.inputStd[0] *= 2
        let error = try #require(throws: LoadError.self) { try MLPParameters.average([first, stranger], files: ["a", "b"]) }
        #expect(error.description == "b: the input normalisation of a (networks of one training run)")
    }

    @Test("a checkpoint from other settings, or a damaged data set, is refused with the file named")
    func badCheckpoints() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rival-train-bad-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try Self.trainer()
        trainer.runIteration()
        try trainer.save(to: directory)
        var other = Self.settings()
        other.seed = 2
        let stranger = try PolicyTrainer(settings: other, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                         cars: [Shipped.car("gt3")])
        #expect(throws: LoadError(file: directory + "/trainer.json", location: "settings",
                                  expected: "the settings of the run being resumed")) {
            try stranger.restore(from: directory)
        }
        // Only the schedule may differ: a run can be resumed to go on for longer.
        var longer = Self.settings()
        longer.iterations = 5
        let extended = try PolicyTrainer(settings: longer, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                         cars: [Shipped.car("gt3")])
        try extended.restore(from: directory)
        #expect(extended.iteration == 1)
        // A warm restart: a new step size, decay and data cap, counted from the iteration it restarts at.
        var restarted = longer
        restarted.learningRate = 3e-4
        restarted.learningRateDecay = 0.5
        restarted.learningRateRestart = 1
        restarted.maximumSamples = 3_000_000
        restarted.steeringTargetWeight = 5
        restarted.brakingTargetWeight = 4
        restarted.closingShare = 0.5
        restarted.gridShare = 0.15
        restarted.trafficWeight = 3
        #expect(restarted.sameRun(as: Self.settings()))
        let warm = try PolicyTrainer(settings: restarted, trainingTracks: [Shipped.track("Monza")], validationTracks: [],
                                     cars: [Shipped.car("gt3")])
        try warm.restore(from: directory)
        #expect(warm.iteration == 1)
        #expect(restarted.learningRate(iteration: 1) == 3e-4 && restarted.learningRate(iteration: 3) == 7.5e-5)
        #expect(Self.settings().learningRate(iteration: 2) == Self.settings().learningRate * pow(Self.settings().learningRateDecay, 2))
        var bad = restarted
        bad.learningRateRestart = -1
        #expect(bad.validate() == "learningRateRestart: -1: expected an iteration in 0...1000")
        bad = restarted
        bad.brakingTargetWeight = -1
        #expect(bad.validate() == "brakingTargetWeight: -1.0: expected 0...100")
        bad = restarted
        bad.trafficWeight = .nan
        #expect(bad.validate() == "trafficWeight: nan: expected 0...100")
        bad = restarted
        bad.closingShare = 1.5
        #expect(bad.validate() == "closingShare: 1.5: expected 0...1")
        bad = restarted
        bad.gridShare = -0.5
        #expect(bad.validate() == "gridShare: -0.5: expected 0...1")
        // The weighting is kept in the checkpoint's settings, and a checkpoint written before it existed (no
        // such keys) still loads, as no weighting.
        let encoded = try JSONEncoder().encode(restarted)
        #expect(try JSONDecoder().decode(TrainingSettings.self, from: encoded) == restarted)
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.settings())) as! [String: Any]
        old.removeValue(forKey: "steeringTargetWeight")
        old.removeValue(forKey: "brakingTargetWeight")
        old.removeValue(forKey: "closingShare")
        old.removeValue(forKey: "gridShare")
        old.removeValue(forKey: "trafficWeight")
        let decoded = try JSONDecoder().decode(TrainingSettings.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(decoded.steeringTargetWeight == nil && decoded.brakingTargetWeight == nil && decoded.closingShare == nil
                && decoded == Self.settings())
        let dataset = directory + "/dataset.bin"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dataset))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: dataset))
        #expect(throws: LoadError.self) { try Self.trainer().restore(from: directory) }
        do {
            try Self.trainer().restore(from: directory)
        } catch let error as LoadError {
            #expect(error.description.hasPrefix(dataset + ": \(bytes.count - 3) bytes: expected 8 + 4 x"))
        }
        #expect(throws: LoadError(file: "/nonexistent/trainer.json", expected: "missing or unreadable (not a checkpoint directory?)")) {
            try Self.trainer().restore(from: "/nonexistent")
        }
    }
}
