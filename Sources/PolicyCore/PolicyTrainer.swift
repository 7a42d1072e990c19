import Dispatch
import Foundation
import GSL
import Sim

/// Trains a ``NetworkPolicy`` by imitation of the ``ExpertDriver`` with DAgger (Ross, Gordon and Bagnell, 2011):
/// iteration 0 collects episodes driven by the expert; every later iteration lets the current network drive
/// (the expert's share of decisions halves each time), labels every visited state with the expert's action,
/// adds the samples to the data set and retrains on all of it. Episodes are randomised (circuit, car, start
/// position, speed, offset and heading, offset commands, reaction delay and noise on the learner's view,
/// exploration noise, opponents), so that the policy meets the states a persona's errors lead to.
///
/// Deterministic for a seed at any thread count: episodes are seeded by (seed, iteration, episode) and gathered
/// in episode order, minibatches by (seed, iteration, epoch). Each iteration starts a fresh Adam optimiser, so a
/// run resumed from a checkpoint continues exactly as the uninterrupted run would.
public final class PolicyTrainer {
    /// What the trainer drives on: one per circuit and car.
    struct Context: Sendable {
        var track: Track
        var car: CarSpec
        var plan: ExpertPlan
        var slowPlan: ExpertPlan
        var encoder: ObservationEncoder
    }

    /// One iteration's figures.
    public struct IterationReport: Sendable, Equatable, Codable {
        /// Iteration number (0 = expert only).
        public var iteration: Int
        /// Share of decisions the expert took while collecting.
        public var expertShare: Double
        /// Samples collected this iteration and in the data set after it.
        public var newSamples: Int
        public var samples: Int
        /// Episodes in which a recorded car crashed (barrier, spin or stall) before the end.
        public var crashedEpisodes: Int
        /// Mean training loss over the first and the last epoch.
        public var firstEpochLoss: Double
        public var loss: Double
        /// Validation: mean and worst lap ratio (lap 2 over the limit; a car that did not finish counts 2), runs
        /// clean, runs in all, and the score (mean ratio plus 0.05 per incident per run; lower is better).
        public var validationMeanRatio: Double
        public var validationWorstRatio: Double
        public var validationClean: Int
        public var validationRuns: Int
        public var score: Double
        /// Wall time of the iteration (s).
        public var seconds: Double
        /// The whole table, every circuit with every car alone, when ``TrainingSettings/fullTable`` is on.
        public var table: TableSummary? = nil
    }

    /// An iteration's network alone on every training and validation circuit with every car (three laps, laps 2
    /// and 3 compared, as the validation runs and `rival eval` drive them), counted against the policy's targets.
    public struct TableSummary: Sendable, Codable, Equatable {
        /// Runs without an off-track or barrier hit that finished, of all runs.
        public var clean: Int
        public var runs: Int
        /// Clean runs within ``trainingTarget`` of the limit on the training circuits, of the runs there.
        public var trainingWithinTarget: Int
        public var trainingRuns: Int
        /// Clean runs within ``validationTarget`` of the limit on the validation circuits, of the runs there.
        public var validationWithinTarget: Int
        public var validationRuns: Int
        /// The median lap ratio over all runs (a car that did not finish counts 2).
        public var medianRatio: Double

        /// The targets: the slowest compared lap within 3 % of the limit lap on a training circuit, 4 % on a
        /// validation circuit (docs/policy.md).
        public static let trainingTarget = 1.03
        public static let validationTarget = 1.04

        /// The summary of `training` and `validation` runs.
        public init(training: [PolicyEvaluation], validation: [PolicyEvaluation]) {
            let all = training + validation
            clean = all.filter(\.isClean).count
            runs = all.count
            trainingWithinTarget = training.filter { $0.isClean && $0.ratio <= Self.trainingTarget }.count
            trainingRuns = training.count
            validationWithinTarget = validation.filter { $0.isClean && $0.ratio <= Self.validationTarget }.count
            validationRuns = validation.count
            medianRatio = SummaryStatistics(all.map { $0.ratio.isFinite ? $0.ratio : 2 }).quantile(0.5)
        }

        /// Whether this table is better than `other`: more clean runs, then more within the targets, then a lower
        /// median ratio.
        public func isBetter(than other: TableSummary) -> Bool {
            let mine = (clean, trainingWithinTarget + validationWithinTarget)
            let theirs = (other.clean, other.trainingWithinTarget + other.validationWithinTarget)
            return mine != theirs ? mine > theirs : medianRatio < other.medianRatio
        }
    }

    /// Progress of a run, for a display.
    public struct Progress: Sendable {
        /// Iteration running, and the planned total (it may grow while validation improves).
        public var iteration: Int
        public var plannedIterations: Int
        /// What it is doing: "collecting", "training" or "validating".
        public var phase: String
        /// Fraction of the phase done (0...1).
        public var fraction: Double
        /// Samples in the data set.
        public var samples: Int
        /// The last finished iteration's report, if any.
        public var last: IterationReport?
        /// Seconds since the run (or the resumed run) started.
        public var elapsed: Double
    }

    /// The settings.
    public let settings: TrainingSettings
    /// The network as trained so far.
    public private(set) var parameters: MLPParameters
    /// The network with the best validation score so far, and its iteration.
    public private(set) var bestParameters: MLPParameters
    public private(set) var bestIteration = -1
    /// Iterations finished.
    public private(set) var iteration = 0
    /// Reports of the finished iterations.
    public private(set) var history: [IterationReport] = []
    /// Where learner cars failed in recent episodes (newest last, at most ``failureMemory``): the starts of
    /// ``TrainingSettings/failureShare``'s episodes.
    public private(set) var failures: [Failure] = []
    /// How many failure spots ``failures`` keeps.
    public static let failureMemory = 512
    /// The aggregated data set: features (`ObservationSpec.count` per sample) and expert actions (2 per sample).
    public private(set) var inputs: [Float] = []
    public private(set) var targets: [Float] = []
    /// Threads used for episodes and validation.
    public var threads: Int

    let training: [Context]
    let validation: [Context]

    /// The race every episode and validation run is set in: 3 laps, so the cars carry a 3-lap race's fuel.
    static let raceConfig = RaceConfig(laps: 3, maxDuration: 1e9)

    /// Samples in the data set.
    public var sampleCount: Int { targets.count / 2 }

    /// A trainer on `trainingTracks` (and `validationTracks` for the score) with `cars`. Builds the experts'
    /// plans and the encoders (the racing lines come from the shared cache).
    public init(settings: TrainingSettings, trainingTracks: [Track], validationTracks: [Track], cars: [CarSpec],
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(RaceSetupError) {
        if let problem = settings.validate() { throw RaceSetupError(problem) }
        guard !trainingTracks.isEmpty, !cars.isEmpty else { throw RaceSetupError("need at least one circuit and one car") }
        self.settings = settings
        self.threads = max(1, threads)
        func contexts(_ tracks: [Track]) -> [Context] {
            let pairs = tracks.flatMap { t in cars.map { (t, $0) } }
            let box = ResultBox<Context>(count: pairs.count)
            let slow = ExpertSettings.with(gripScale: settings.slowOpponentGrip)
            DispatchQueue.concurrentPerform(iterations: pairs.count) { i in
                let (t, c) = pairs[i]
                // Episodes and validation races start with a 3-lap race's fuel; the plans are made for it.
                let fuel = Self.raceConfig.startingFuelMass(car: c, track: t)
                let plan = ExpertPlan(track: t, car: c, fuelMass: fuel)
                box.set(i, Context(track: t, car: c, plan: plan,
                                   slowPlan: ExpertPlan(track: t, car: c, settings: slow, fuelMass: fuel),
                                   encoder: ObservationEncoder(plan: plan)))
            }
            return box.values
        }
        training = contexts(trainingTracks)
        validation = contexts(validationTracks)
        let sizes = [ObservationSpec.count] + settings.hiddenLayers + [2]
        var p = MLPParameters(layerSizes: sizes,
                              activations: Array(repeating: .tanh, count: settings.hiddenLayers.count) + [.identity],
                              seed: settings.seed)
        p.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        if let prior = settings.prior { p.metadata[ActionPrior.metadataKey] = prior.rawValue }
        parameters = p
        bestParameters = p
    }

    /// Starts the run from `network` instead of random weights (before the first iteration); the settings must
    /// describe it (``TrainingSettings/initialNetwork``). Throws, naming `file`, when the run has begun or the
    /// network's layer sizes or action prior differ from the settings'.
    public func start(from network: MLPParameters, file: String) throws(LoadError) {
        guard iteration == 0, settings.initialNetwork != nil else {
            throw LoadError(file: file, expected: "a run that has not begun, with settings.initialNetwork set")
        }
        try Self.checkStart(network, settings: settings, file: file)
        var p = network
        p.metadata = parameters.metadata
        parameters = p
        bestParameters = p
    }

    /// Throws, naming `file`, unless a run with `settings` can start from `network`: the same layer sizes
    /// (`ObservationSpec.count`, the hidden widths, 2), tanh hidden layers, and an action prior as the settings say.
    public static func checkStart(_ network: MLPParameters, settings: TrainingSettings, file: String) throws(LoadError) {
        let sizes = [ObservationSpec.count] + settings.hiddenLayers + [2]
        let activations = Array(repeating: Activation.tanh, count: settings.hiddenLayers.count) + [.identity]
        guard network.layerSizes == sizes, network.activations == activations else {
            throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.layerSizes)",
                            value: network.layerSizes.map(String.init).joined(separator: ","),
                            expected: sizes.map(String.init).joined(separator: ",")
                                + " with tanh hidden layers, as the settings give (--hidden)")
        }
        let prior = settings.prior?.rawValue
        guard network.metadata[ActionPrior.metadataKey] == prior else {
            throw LoadError(file: file, location: "__metadata__.\(ActionPrior.metadataKey)",
                            value: network.metadata[ActionPrior.metadataKey] ?? "",
                            expected: prior.map { "\($0), a residual network" } ?? "absent")
        }
    }

    /// Drops every sample in which another car was within `distance` metres of arc length, ahead or behind
    /// (the observation's opponent gaps), and returns how many went. For a resumed run whose expert changed how
    /// it races wheel to wheel: the old labels there would contradict the new ones (the data set keeps no states
    /// to label again).
    @discardableResult
    public func forgetSamples(withCarWithin distance: Double) -> Int {
        let width = ObservationSpec.count, n = sampleCount
        let limit = Float(distance / ObservationSpec.opponentRange)
        let gaps = ObservationSpec.gapIndices
        var kept = 0
        for i in 0..<n {
            let base = i * width
            if gaps.contains(where: { abs(inputs[base + $0]) < limit }) { continue }
            if kept != i {
                for j in 0..<width { inputs[kept * width + j] = inputs[base + j] }
                targets[2 * kept] = targets[2 * i]
                targets[2 * kept + 1] = targets[2 * i + 1]
            }
            kept += 1
        }
        inputs.removeLast((n - kept) * width)
        targets.removeLast((n - kept) * 2)
        return n - kept
    }

    /// Sets the run's state (from a checkpoint).
    func restore(parameters: MLPParameters, best: MLPParameters, iteration: Int, bestIteration: Int,
                 history: [IterationReport], failures: [Failure], inputs: [Float], targets: [Float]) {
        self.failures = failures.filter { $0.context >= 0 && $0.context < training.count && $0.s.isFinite }
        self.parameters = parameters
        bestParameters = best
        self.iteration = iteration
        self.bestIteration = bestIteration
        self.history = history
        self.inputs = inputs
        self.targets = targets
    }

    // MARK: - The loop

    /// Runs iterations until `settings.iterations` are done, then more (up to `extraIterations`) while the
    /// validation score improves. Calls `progress` often and `checkpoint` after every iteration.
    public func run(progress: (Progress) -> Void = { _ in }, checkpoint: (PolicyTrainer) throws -> Void = { _ in }) rethrows {
        let start = Date()
        while true {
            let planned = max(settings.iterations, iteration + 1)
            if iteration >= settings.iterations {
                let sinceBest = iteration - 1 - bestIteration
                if sinceBest >= 1 || iteration >= settings.iterations + settings.extraIterations { break }
            }
            runIteration { phase, fraction in
                progress(Progress(iteration: iteration, plannedIterations: planned, phase: phase, fraction: fraction,
                                  samples: sampleCount, last: history.last, elapsed: Date().timeIntervalSince(start)))
            }
            try checkpoint(self)
        }
    }

    /// One DAgger iteration: collect, aggregate, train, validate.
    @discardableResult
    public func runIteration(progress: (String, Double) -> Void = { _, _ in }) -> IterationReport {
        let started = Date()
        let k = iteration
        let share = settings.expertShare(iteration: k)
        // Collect.
        let learner: MLPParameters? = k == 0 && settings.initialNetwork == nil ? nil : parameters
        let episodes = settings.episodesPerIteration
        let box = ResultBox<EpisodeData>(count: episodes)
        if settings.failureProbe == true, (settings.failureShare ?? 0) > 0, let learner {
            failures = probeFailures(learner)
        }
        let contexts = training, settings = settings, failures = failures
        let chunk = max(1, (episodes + threads - 1) / threads)
        progress("collecting", 0)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for e in (worker * chunk)..<min(episodes, (worker + 1) * chunk) {
                box.set(e, Self.episode(index: e, iteration: k, share: share, learner: learner,
                                        contexts: contexts, failures: failures, settings: settings))
            }
        }
        var newSamples = 0, crashed = 0
        for data in box.values {
            inputs += data.inputs
            targets += data.targets
            newSamples += data.targets.count / 2
            if data.crashed { crashed += 1 }
            if settings.failureProbe != true, let failure = data.failure { self.failures.append(failure) }
        }
        let forgotten = self.failures.count - Self.failureMemory
        if forgotten > 0 { self.failures.removeFirst(forgotten) }
        let excess = sampleCount - settings.maximumSamples
        if excess > 0 {
            inputs.removeFirst(excess * ObservationSpec.count)
            targets.removeFirst(excess * 2)
        }
        if k == 0 && settings.initialNetwork == nil {
            parameters.setNormalisation(inputs: inputs, count: sampleCount)
            // Outputs (or residuals) in -1...1 (-2...2).
            parameters.outputScale = [1, 1]
            parameters.outputOffset = [0, 0]
        }
        // Train.
        let (firstLoss, loss) = train(iteration: k) { progress("training", $0) }
        // Validate.
        progress("validating", 0)
        let runs = validate(parameters)
        var table: TableSummary?
        if settings.fullTable == true {
            progress("validating", 0.25)
            table = TableSummary(training: evaluate(parameters, on: training), validation: runs)
        }
        let ratios = runs.map { $0.ratio.isFinite ? min($0.ratio, 2) : 2 }
        let incidents = runs.reduce(0) { $0 + $1.offTracks + $1.contacts }
        let mean = ratios.isEmpty ? .nan : ratios.reduce(0, +) / Double(ratios.count)
        let score = ratios.isEmpty ? Double(loss) : mean + 0.05 * Double(incidents) / Double(runs.count)
        let report = IterationReport(
            iteration: k, expertShare: share, newSamples: newSamples, samples: sampleCount, crashedEpisodes: crashed,
            firstEpochLoss: Double(firstLoss), loss: Double(loss), validationMeanRatio: mean, validationWorstRatio: ratios.max() ?? .nan,
            validationClean: runs.filter(\.isClean).count, validationRuns: runs.count, score: score,
            seconds: Date().timeIntervalSince(started), table: table)
        if bestIteration < 0 || score < history[bestIteration].score {
            bestIteration = k
            bestParameters = parameters
        }
        history.append(report)
        iteration += 1
        return report
    }

    /// Epochs of minibatch Adam over the whole data set; returns the first and the last epoch's mean loss.
    private func train(iteration k: Int, progress: (Double) -> Void) -> (Float, Float) {
        let n = sampleCount, width = ObservationSpec.count, batch = min(settings.batchSize, n)
        guard n > 0 else { return (.nan, .nan) }
        let rate = settings.learningRate(iteration: k)
        let trainer = MLPTrainer(parameters: parameters, adam: AdamSettings(learningRate: Float(rate)))
        trainer.outputWeights = [Float(settings.steeringWeight), 1]
        let steer = Float(settings.steeringTargetWeight ?? 0), brake = Float(settings.brakingTargetWeight ?? 0)
        trainer.labelWeights = [LabelWeight(positive: steer, negative: steer), LabelWeight(negative: brake)]
        if let traffic = settings.trafficWeight, traffic > 0 {
            // Another car within the near range: a near gap below 1 in magnitude (the padding is 1).
            trainer.inputWeight = InputWeight(columns: ObservationSpec.nearGapIndices, below: 1, extra: Float(traffic))
        }
        trainer.threads = min(threads, 2)
        var order = Array(0..<n)
        var batchInputs = [Float](repeating: 0, count: batch * width)
        var batchTargets = [Float](repeating: 0, count: batch * 2)
        var firstLoss: Float = .nan, lastLoss: Float = .nan
        let batches = n / batch
        for epoch in 0..<settings.epochsPerIteration {
            let random = GSLRandomStream(seed: SeedDerivation.seed(raceSeed: settings.seed, index: k * 1000 + epoch,
                                                                   salt: 0x5EED_BA7C))
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(random.uniform() * Double(i + 1))
                order.swapAt(i, min(j, i))
            }
            var sum = 0.0
            for b in 0..<batches {
                inputs.withUnsafeBufferPointer { x in
                    targets.withUnsafeBufferPointer { y in
                        batchInputs.withUnsafeMutableBufferPointer { bx in
                            batchTargets.withUnsafeMutableBufferPointer { by in
                                for r in 0..<batch {
                                    let s = order[b * batch + r]
                                    for f in 0..<width { bx[r * width + f] = x[s * width + f] }
                                    by[2 * r] = y[2 * s]
                                    by[2 * r + 1] = y[2 * s + 1]
                                }
                            }
                        }
                    }
                }
                sum += Double(trainer.step(inputs: batchInputs, targets: batchTargets, count: batch))
                if b % 50 == 0 {
                    progress((Double(epoch) + Double(b) / Double(batches)) / Double(settings.epochsPerIteration))
                }
            }
            lastLoss = Float(sum / Double(max(batches, 1)))
            if epoch == 0 { firstLoss = lastLoss }
        }
        parameters = trainer.parameters
        return (firstLoss, lastLoss)
    }

    /// Three laps of `parameters` alone on every validation circuit with every car (laps 2 and 3 compared).
    public func validate(_ parameters: MLPParameters, laps: Int = 3) -> [PolicyEvaluation] {
        evaluate(parameters, on: validation, laps: laps)
    }

    /// Three laps of `parameters` alone in each of `contexts` (a circuit with a car; laps 2 and 3 compared), in
    /// order, on the trainer's threads.
    func evaluate(_ parameters: MLPParameters, on contexts: [Context], laps: Int = 3) -> [PolicyEvaluation] {
        guard !contexts.isEmpty else { return [] }
        let box = ResultBox<PolicyEvaluation>(count: contexts.count)
        let decision = settings.decisionInterval
        let chunk = (contexts.count + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for i in (worker * chunk)..<min(contexts.count, (worker + 1) * chunk) {
                let c = contexts[i]
                // With its default guards, as `rival eval` drives it: the score is the policy that would ship.
                let policy = try! NetworkPolicy(parameters: parameters, encoder: c.encoder)
                box.set(i, PolicyEvaluation.run(policy: policy, track: c.track, car: c.car, laps: laps,
                                                decisionInterval: decision))
            }
        }
        return box.values
    }

    // MARK: - Episodes

    struct EpisodeData: Sendable {
        var inputs: [Float] = []
        var targets: [Float] = []
        var crashed = false
        /// Where the episode's own learner car (not a grid's) failed, if it did.
        var failure: Failure?
        /// Where the first car started (m of arc length; NaN on a grid).
        var start = Double.nan
    }

    /// A spot where a learner car failed: the training context (circuit and car, an index into the trainer's
    /// training contexts) and the arc length (m) where it left the track, spun or stalled.
    public struct Failure: Sendable, Codable, Equatable {
        public var context: Int
        public var s: Double
    }

    /// Where `network` fails driving alone and clean (``TrainingSettings/failureProbe``): two laps on every training
    /// circuit with every car, as `rival eval --no-track-guard` drives them (no delay, no noise, no guard: these are
    /// the network's own failures), every off-track and barrier hit a spot, in context order.
    func probeFailures(_ network: MLPParameters) -> [Failure] {
        let contexts = training, interval = settings.decisionInterval
        let box = ResultBox<[Failure]>(count: contexts.count)
        DispatchQueue.concurrentPerform(iterations: contexts.count) { i in
            let c = contexts[i]
            let policy = try! NetworkPolicy(parameters: network, encoder: c.encoder)
            policy.trackGuard = nil
            let result = PolicyEvaluation.race(policy: policy, track: c.track, car: c.car, laps: 2,
                                               decisionInterval: interval)
            box.set(i, result.incidents.filter { $0.kind != .contact }.map { Failure(context: i, s: $0.s) })
        }
        return Array(box.values.joined().suffix(Self.failureMemory))
    }

    /// One randomised episode (see the type's documentation).
    static func episode(index: Int, iteration: Int, share: Double, learner: MLPParameters?, contexts: [Context],
                        failures: [Failure] = [], settings: TrainingSettings) -> EpisodeData {
        let random = GSLRandomStream(seed: SeedDerivation.seed(raceSeed: settings.seed, index: iteration * 1_000_003 + index,
                                                               salt: 0xDA66E5))
        var contextIndex = min(Int(random.uniform() * Double(contexts.count)), contexts.count - 1)
        // Failure episodes (drawn only when the setting is on and there are failures, so that runs without them draw
        // as before): the circuit and car of a recent failure, started 50 to 200 m before it.
        var failureStart: Double?
        let failureShare = settings.failureShare ?? 0
        if failureShare > 0 && !failures.isEmpty && random.uniform() < failureShare {
            let failure = failures[min(Int(random.uniform() * Double(failures.count)), failures.count - 1)]
            contextIndex = failure.context
            failureStart = failure.s - 50 - 150 * random.uniform()
        }
        let context = contexts[contextIndex]
        let track = context.track, plan = context.plan
        // The learner drives unguarded (no TrafficGuard, no TrackGuard): DAgger must see, and the expert must label,
        // the states the network's own decisions lead to.
        let learnerPolicy = learner.map { parameters in
            let policy = try! NetworkPolicy(parameters: parameters, encoder: context.encoder)
            policy.trafficGuard = nil
            policy.trackGuard = nil
            return policy
        }
        let delay = random.uniform() < 0.5 ? 0 : random.uniform() * settings.maximumDelay
        let standing = random.uniform() < settings.standingStartShare
        let speedFraction = standing ? 0 : settings.startSpeedRange.lowerBound
            + random.uniform() * (settings.startSpeedRange.upperBound - settings.startSpeedRange.lowerBound)
        let margin = context.car.chassis.overallWidthM / 2 + 0.3

        func placement(_ s: Double, lateralSpread: Double, speedFactor: Double = 1) -> StartPlacement {
            let sample = track.sample(at: s)
            let lateral = min(max(plan.lineOffset(at: s) + random.gaussian(sd: lateralSpread),
                                  -sample.widthRight + margin), sample.widthLeft - margin)
            let speed = speedFactor * speedFraction * plan.plannedSpeed(at: s)
            let heading = plan.at(plan.lineAngle, s) + random.gaussian(sd: settings.startHeadingSpread)
            return StartPlacement(s: s, lateral: lateral, speed: speed, headingError: heading,
                                  yawRate: speed * plan.lineCurvature(at: s))
        }
        func driver(_ p: ExpertPlan, learner: NetworkPolicy?, share: Double, recording: Bool, salt: Int) -> DAggerDriver {
            let stream = GSLRandomStream(seed: SeedDerivation.seed(raceSeed: settings.seed,
                                                                   index: iteration * 1_000_003 + index, salt: UInt64(salt)))
            var expertSettings = ExpertSettings()
            expertSettings.decisionInterval = settings.decisionInterval
            return DAggerDriver(expert: ExpertDriver(plan: p, settings: expertSettings), learner: learner,
                                encoder: context.encoder, settings: settings, random: stream, expertShare: share,
                                delay: delay, recording: recording)
        }

        // Grid episodes (drawn only when the setting is on, so that runs without it draw as before): 4 to 10 cars,
        // every one driven by the learner and recorded, from the race's own standing-start grid.
        let gridShare = settings.gridShare ?? 0
        if failureStart == nil && gridShare > 0 && random.uniform() < gridShare {
            let count = 4 + min(Int(random.uniform() * 7), 6)
            let drivers = (0..<count).map { driver(plan, learner: learnerPolicy, share: share, recording: true, salt: 20 + $0) }
            let entries = drivers.enumerated().map { RaceEntry(name: "grid \($0.offset)", car: context.car, driver: $0.element) }
            guard let race = try? Race(track: track, entries: entries, config: raceConfig) else { return EpisodeData() }
            return record(race, drivers, settings: settings, plan: plan, margin: margin, context: nil)
        }
        let drawn = random.uniform() * track.length
        let s0 = failureStart.map { track.wrap($0) } ?? drawn
        var drivers = [driver(plan, learner: learnerPolicy, share: share, recording: true, salt: 1)]
        var entries = [RaceEntry(name: "learner", car: context.car, driver: drivers[0],
                                 start: placement(s0, lateralSpread: settings.startLateralSpread))]
        if random.uniform() < settings.opponentShare {
            let count = 1 + min(Int(random.uniform() * Double(settings.maximumOpponents)), settings.maximumOpponents - 1)
            // Closing episodes (drawn only when the setting is on, so that runs without it draw as before): every
            // opponent starts ahead and slower, so the learner closes on it fast, as on the first lap or behind a car
            // that went off.
            let closingShare = settings.closingShare ?? 0
            let closing = closingShare > 0 && random.uniform() < closingShare
            var used = [0.0]
            for o in 0..<count {
                var gap = 0.0
                for _ in 0..<20 {
                    gap = closing ? 15 + 105 * random.uniform() : -60 + 140 * random.uniform()
                    if used.allSatisfy({ abs($0 - gap) > 9 }) { break }
                }
                guard used.allSatisfy({ abs($0 - gap) > 9 }) else { continue }
                used.append(gap)
                let speedFactor = closing ? 0.3 + 0.5 * random.uniform() : 1
                let slow = random.uniform() < 0.5
                let d = slow ? driver(context.slowPlan, learner: nil, share: 1, recording: false, salt: 10 + o)
                    : driver(plan, learner: learnerPolicy, share: share, recording: true, salt: 10 + o)
                drivers.append(d)
                entries.append(RaceEntry(name: "opponent \(o)", car: context.car, driver: d,
                                         start: placement(s0 + gap, lateralSpread: 2 * settings.startLateralSpread,
                                                          speedFactor: speedFactor)))
            }
        }
        guard let race = try? Race(track: track, entries: entries, config: raceConfig) else { return EpisodeData() }
        var data = record(race, drivers, settings: settings, plan: plan, margin: margin, context: contextIndex)
        data.start = s0
        return data
    }

    /// Runs an episode's race for ``TrainingSettings/episodeDuration`` and gathers what its recording cars recorded.
    /// A learner first car's failure is kept with `context` (nil: not kept, as on a grid).
    static func record(_ race: Race, _ drivers: [DAggerDriver], settings: TrainingSettings, plan: ExpertPlan,
                       margin: Double, context: Int?) -> EpisodeData {
        let track = race.track
        let steps = Int(settings.episodeDuration * raceConfig.physicsRate)
        var crashed = false
        var failure: Failure?
        for step in 0..<steps {
            race.step()
            guard step % 12 == 11 else { continue }
            var anyRecording = false
            for (i, d) in drivers.enumerated() where d.recording {
                // A car well off the track, turned away from the line, or stalled on its own is out of what the
                // policy is for: stop recording it (the expert's labels there would only blur the fit). A car stalled
                // within 10 m of another is in a jam, which the policy has to learn to clear: it goes on recording
                // (grids of policies stood jammed for whole races, and no episode had labelled a jam).
                let f = race.frenet[i], st = race.states[i]
                let sample = track.sample(at: f.s)
                let view = race.view(for: i)
                let offTrack = f.lateral - margin > sample.widthLeft + 0.5 || f.lateral + margin < -sample.widthRight - 0.5
                let spun = abs(view.headingError - plan.at(plan.lineAngle, f.s)) > 0.6
                let jammed = (0..<view.nearby.count).contains { abs(view.nearby[$0].gap) < 10 }
                let stalled = race.time > 4 && st.vx < 2 && !jammed
                if offTrack || spun || stalled {
                    d.recording = false
                    crashed = true
                    if i == 0, d.learner != nil, let context { failure = Failure(context: context, s: f.s) }
                } else {
                    anyRecording = true
                }
            }
            if !anyRecording { break }
        }
        var data = EpisodeData(crashed: crashed, failure: failure)
        for d in drivers where d.sampleCount > 0 {
            data.inputs += d.inputs
            data.targets += d.targets
        }
        return data
    }
}

extension ExpertSettings {
    /// The defaults with the plan's grip shares (front and rear) scaled to `gripScale`.
    static func with(gripScale: Double) -> ExpertSettings {
        var s = ExpertSettings()
        s.gripScale = gripScale
        s.rearGripScale = min(s.rearGripScale, gripScale - 0.02)
        return s
    }
}

/// Results written by several threads, each to its own index (used by the trainer, the persona check and the
/// calibrator, within the package).
package final class ResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    package init(count: Int) { storage = Array(repeating: nil, count: count) }
    package func set(_ i: Int, _ value: T) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }
    /// The values set, in index order.
    package var values: [T] { storage.compactMap { $0 } }
}
