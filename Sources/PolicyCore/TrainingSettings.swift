import Foundation

/// Settings of a DAgger training run (``PolicyTrainer``): the network, the data collection with its domain
/// randomisation, the optimiser and the schedule. SI units. The defaults are the run that produced
/// `policies/default.safetensors` (docs/policy.md).
public struct TrainingSettings: Sendable, Equatable, Codable {
    /// Seed of every random choice of the run (episodes, minibatches, initial weights).
    public var seed: UInt64 = 1
    /// What the network starts from when it is not drawn at random: a description of the weights file given to
    /// ``PolicyTrainer/start(from:file:)`` (`rival train --init`). Such a run lets the network drive from
    /// iteration 0, with the expert's share `expertShareDecay^(k + 1)` in iteration k, and keeps the file's input
    /// normalisation. nil: a run from random weights.
    public var initialNetwork: String? = nil
    /// Hidden layer widths (tanh); the output layer (2, identity) follows.
    public var hiddenLayers: [Int] = [64, 64]
    /// Circuits the policy is trained on (shipped names).
    public var trainingTracks: [String] = TrainingSettings.defaultTrainingTracks
    /// Circuits held out to measure how the policy drives a circuit it never saw.
    public var validationTracks: [String] = TrainingSettings.defaultValidationTracks
    /// Cars (shipped names); every episode draws one.
    public var cars: [String] = ["gt3", "formula", "cup"]

    // MARK: Schedule

    /// DAgger iterations at least (the first collects with the expert alone).
    public var iterations: Int = 8
    /// Further iterations allowed while the validation score keeps improving.
    public var extraIterations: Int = 2
    /// Episodes collected per iteration.
    public var episodesPerIteration: Int = 128
    /// Length of one episode (s of race time).
    public var episodeDuration: Double = 20
    /// Share of decisions the expert takes in iteration k: `expertShareDecay^k` (iteration 0: all).
    public var expertShareDecay: Double = 0.5
    /// Passes over the aggregated data after each iteration.
    public var epochsPerIteration: Int = 20
    /// Minibatch size.
    public var batchSize: Int = 256
    /// Adam step size at the first iteration; it falls by `learningRateDecay` each iteration.
    public var learningRate: Double = 1e-3
    /// Per-iteration factor on the learning rate.
    public var learningRateDecay: Double = 0.8
    /// The iteration the decay counts from (a warm restart: iteration k trains at
    /// `learningRate * learningRateDecay^(k - learningRateRestart)`); nil counts from 0.
    public var learningRateRestart: Int? = nil
    /// Most samples kept (the oldest are dropped beyond it).
    public var maximumSamples: Int = 1_500_000
    /// Whether the network is residual: it learns the expert's action minus the encoder's action prior
    /// (``ObservationEncoder/prior(_:)``) and its outputs are added to the prior when it drives.
    public var residual = true
    /// The action prior of a residual network (``ObservationEncoder/prior(_:kind:)``); nil is
    /// ``ActionPrior/purePursuit``, the shipped network's.
    public var actionPrior: ActionPrior? = nil
    /// The prior the network learns on: ``actionPrior`` when residual, else nil.
    public var prior: ActionPrior? { residual ? actionPrior ?? .purePursuit : nil }
    /// Weight of the steering error in the loss relative to the pedal's (steering needs finer precision).
    public var steeringWeight: Double = 8
    /// Extra weight of a sample's steering error per unit of its steering target (for a residual network, what the
    /// expert adds to the prior): `steeringWeight * (1 + this * |target|)`, so that the sharp corrections of
    /// hairpins and chicanes, a small share of the samples, are not averaged away. nil is 0 (every sample the same).
    public var steeringTargetWeight: Double? = nil
    /// Extra weight of a sample's pedal error per unit of brake in its target: `1 + this * max(-pedal, 0)`, so
    /// that the end of a braking zone, where behaviour cloning brakes too little, counts more. nil is 0.
    public var brakingTargetWeight: Double? = nil
    /// Extra weight of a sample with another car within ``ObservationSpec/nearRange`` (10 m): `1 + this` on both
    /// outputs, so that wheel-to-wheel states (a few per cent of the samples: the start, merging, giving way) are
    /// not averaged away. nil is 0.
    public var trafficWeight: Double? = nil

    // MARK: Domain randomisation

    /// Seconds between decisions of the learner and of the expert.
    public var decisionInterval: Double = 1.0 / 60
    /// Largest reaction delay of the learner's observations (s); each episode draws one in 0...this.
    public var maximumDelay: Double = 0.4
    /// Standard deviations of the noise on the learner's perceived speed (fraction), lateral offset (m) and
    /// heading error (rad).
    public var speedNoise: Double = 0.01
    public var lateralNoise: Double = 0.1
    public var headingNoise: Double = 0.01
    /// Standard deviations of the exploration noise added to the applied steering and pedal (DART-style, so
    /// the data covers recoveries).
    public var steeringNoise: Double = 0.005
    public var pedalNoise: Double = 0.03
    /// Whether the held action's features and the road-wheel angle (which follows the held steering) are
    /// replaced by random values (uniform over their ranges) in the recorded samples, so that the network does not
    /// learn to copy its last action.
    public var randomisesHeldAction = true
    /// Largest commanded offset from the racing line (m); a new command every 2 to 6 s, zero half the time.
    public var maximumOffsetCommand: Double = 2.5
    /// Start: standard deviation of the lateral distance from the racing line (m) and of the heading error
    /// (rad), speed range as fractions of the limit speed, share of standing starts.
    public var startLateralSpread: Double = 1.0
    public var startHeadingSpread: Double = 0.05
    public var startSpeedRange: ClosedRange<Double> = 0.5...1.0
    public var standingStartShare: Double = 0.2
    /// Share of episodes with opponents on track; 1 to `maximumOpponents` of them, half driven by a slower
    /// expert (grip share `slowOpponentGrip`).
    public var opponentShare: Double = 0.5
    public var maximumOpponents: Int = 4
    public var slowOpponentGrip: Double = 0.9
    /// Share of the episodes with opponents in which they all start ahead (15 to 120 m) at 30 to 80 % of the
    /// learner's start speed, so that the learner closes on them fast: the first lap's pack and a car that went off
    /// ahead, which the default placement (level pace, 60 m behind to 80 m ahead) almost never gives. nil is 0.
    public var closingShare: Double? = nil
    /// Share of the episodes that start from the race's standing-start grid with 4 to 10 cars, all driven by the
    /// learner and recorded: the first seconds of a race, where cars side by side merge towards the line and must
    /// not both give way (a grid of policies that did stood still at IMS). nil is 0.
    public var gridShare: Double? = nil
    /// Share of the episodes that start where the learner failed in recent iterations: 50 to 200 m before a spot
    /// where a learner car of an earlier episode left the track, spun or stalled, on that circuit with that car (the
    /// last ``PolicyTrainer/failureMemory`` such spots). DAgger then labels the approaches to the network's own
    /// mistakes more often: they are a small share of a lap, and the same corners fail lap after lap. nil is 0.
    public var failureShare: Double? = nil
    /// Where ``failureShare``'s spots come from: when true, from the current network driving two clean laps alone
    /// (no delay, no noise, as `rival eval` drives) on every training circuit with every car at the start of each
    /// iteration, every off-track and barrier hit a spot, the list replaced each iteration; nil or false, from the
    /// episodes' own failures. Changeable on a resumed run.
    public var failureProbe: Bool? = nil
    /// When true, every iteration also drives every training circuit alone with every car, as the validation
    /// circuits are driven, so that each report holds the whole table `rival eval` prints (``PolicyTrainer/TableSummary``):
    /// one iteration to the next the policy moves by several clean runs of 60, and the 15 validation runs alone
    /// cannot tell iterations apart. About 45 more runs an iteration (10 s on 2 cores). Changeable on a resumed run.
    public var fullTable: Bool? = nil

    /// The defaults.
    public init() {}

    /// The 15 shipped circuits trained on by default.
    public static let defaultTrainingTracks = [
        "Austin", "Catalunya", "Hockenheim", "IMS", "Melbourne", "Monza", "MoscowRaceway", "Norisring",
        "Nuerburgring", "Sakhir", "SaoPaulo", "Shanghai", "Silverstone", "Sochi", "Spielberg",
    ]
    /// The 5 shipped circuits held out by default.
    public static let defaultValidationTracks = ["BrandsHatch", "Budapest", "Montreal", "Spa", "YasMarina"]

    /// Whether `other` describes the same run, differing at most in its schedule: how many iterations it goes on
    /// for (``iterations``, ``extraIterations``), the learning rate and its decay and restart, the data cap
    /// (``maximumSamples``), the loss's weighting (``steeringTargetWeight``, ``brakingTargetWeight``,
    /// ``trafficWeight``), the shares of closing, grid and failure episodes (``closingShare``, ``gridShare``,
    /// ``failureShare``), where the failure spots come from (``failureProbe``) and whether each iteration drives the
    /// whole table (``fullTable``). That is what a resumed run may change.
    public func sameRun(as other: TrainingSettings) -> Bool {
        withoutSchedule(self) == withoutSchedule(other)
    }

    /// `settings` with the schedule fields set to fixed values, for ``sameRun(as:)``.
    private func withoutSchedule(_ settings: TrainingSettings) -> TrainingSettings {
        var s = settings.continuing(TrainingSettings())
        s.iterations = 0; s.extraIterations = 0
        return s
    }

    /// These settings with `saved`'s schedule apart from the iteration counts: the learning rate, its decay and
    /// restart, the data cap, the loss's weighting, the closing, grid and failure shares, the whole table, and the
    /// network the run started from. A resumed run starts from it.
    public func continuing(_ saved: TrainingSettings) -> TrainingSettings {
        var s = self
        s.learningRate = saved.learningRate; s.learningRateDecay = saved.learningRateDecay
        s.learningRateRestart = saved.learningRateRestart
        s.maximumSamples = saved.maximumSamples
        s.steeringTargetWeight = saved.steeringTargetWeight; s.brakingTargetWeight = saved.brakingTargetWeight
        s.trafficWeight = saved.trafficWeight
        s.closingShare = saved.closingShare; s.gridShare = saved.gridShare; s.failureShare = saved.failureShare
        s.failureProbe = saved.failureProbe
        s.fullTable = saved.fullTable
        s.initialNetwork = saved.initialNetwork
        return s
    }

    /// The share of decisions the expert takes in iteration `k` (the rest the network takes).
    public func expertShare(iteration k: Int) -> Double {
        if initialNetwork != nil { return pow(expertShareDecay, Double(k + 1)) }
        return k == 0 ? 1 : pow(expertShareDecay, Double(k))
    }

    /// The Adam step size of iteration `k`.
    public func learningRate(iteration k: Int) -> Double {
        learningRate * pow(learningRateDecay, Double(max(k - (learningRateRestart ?? 0), 0)))
    }

    /// The first problem with the settings as `field: value: expected`, or nil.
    public func validate() -> String? {
        if hiddenLayers.isEmpty || hiddenLayers.contains(where: { !(1...1024).contains($0) }) {
            return "hiddenLayers: \(hiddenLayers): expected one or more widths in 1...1024"
        }
        if trainingTracks.isEmpty { return "trainingTracks: []: expected at least one circuit" }
        if cars.isEmpty { return "cars: []: expected at least one car" }
        if !(1...1000).contains(iterations) { return "iterations: \(iterations): expected 1...1000" }
        if !(0...1000).contains(extraIterations) { return "extraIterations: \(extraIterations): expected 0...1000" }
        if !(1...100_000).contains(episodesPerIteration) {
            return "episodesPerIteration: \(episodesPerIteration): expected 1...100000"
        }
        if !(episodeDuration >= 1 && episodeDuration <= 3600) { return "episodeDuration: \(episodeDuration): expected 1...3600 s" }
        if !(expertShareDecay >= 0 && expertShareDecay <= 1) { return "expertShareDecay: \(expertShareDecay): expected 0...1" }
        if !(1...1000).contains(epochsPerIteration) { return "epochsPerIteration: \(epochsPerIteration): expected 1...1000" }
        if !(1...65536).contains(batchSize) { return "batchSize: \(batchSize): expected 1...65536" }
        if !(learningRate > 0 && learningRate < 1) { return "learningRate: \(learningRate): expected 0...1 (exclusive)" }
        if !(learningRateDecay > 0 && learningRateDecay <= 1) { return "learningRateDecay: \(learningRateDecay): expected 0...1" }
        if let restart = learningRateRestart, !(0...1000).contains(restart) {
            return "learningRateRestart: \(restart): expected an iteration in 0...1000"
        }
        if maximumSamples < batchSize { return "maximumSamples: \(maximumSamples): expected at least batchSize (\(batchSize))" }
        if !(decisionInterval >= 1.0 / 1000 && decisionInterval <= 0.5) {
            return "decisionInterval: \(decisionInterval): expected 0.001...0.5 s"
        }
        if !(maximumDelay >= 0 && maximumDelay <= 2) { return "maximumDelay: \(maximumDelay): expected 0...2 s" }
        if !(steeringWeight > 0 && steeringWeight.isFinite) { return "steeringWeight: \(steeringWeight): expected a positive number" }
        if let w = steeringTargetWeight, !(w >= 0 && w <= 100) {
            return "steeringTargetWeight: \(w): expected 0...100"
        }
        if let w = brakingTargetWeight, !(w >= 0 && w <= 100) { return "brakingTargetWeight: \(w): expected 0...100" }
        if let w = trafficWeight, !(w >= 0 && w <= 100) { return "trafficWeight: \(w): expected 0...100" }
        if let c = closingShare, !(c >= 0 && c <= 1) { return "closingShare: \(c): expected 0...1" }
        if let g = gridShare, !(g >= 0 && g <= 1) { return "gridShare: \(g): expected 0...1" }
        if let f = failureShare, !(f >= 0 && f <= 1) { return "failureShare: \(f): expected 0...1" }
        return nil
    }
}
