/// The human limits of one sampled person: every number a ``HumanDriver`` needs, drawn from a ``Persona``.
///
/// All zero (``none``) is a driver with no limits: it drives exactly as the bare policy. SI units; each field's
/// unit and allowed range are in ``TraitName`` (and in `personas/persona.schema.json`).
public struct HumanTraits: Sendable, Equatable {
    /// Perception-to-action delay (s, 0...1): the policy decides on the world as it was this long ago.
    public var reactionTime: Double = 0
    /// Share of its own (fresh) reaction time that the driver has learned into its braking points (0...1): 1
    /// brakes as if it had no delay; 0 brakes a full reaction time late. Fatigue and lapses add delay that is
    /// never anticipated.
    public var anticipation: Double = 1
    /// Weber fraction of distance perception (0...0.5): the standard deviation of log(perceived / true distance)
    /// to the next braking point.
    public var distanceWeber: Double = 0
    /// Weber fraction of speed perception (0...0.3): the standard deviation of log(perceived / true speed).
    public var speedWeber: Double = 0
    /// Correlation time of perception errors (s, 0.5...120): how long a misjudgement persists.
    public var perceptionTimeConstant: Double = 10
    /// Mean braking-point bias (m, -50...100): positive brakes early, negative late.
    public var brakingPointBias: Double = 0
    /// Corner-to-corner standard deviation of the braking point (m, 0...50).
    public var brakingPointSpread: Double = 0
    /// Lap-to-lap standard deviation of a shift shared by all braking points of a lap (m, 0...50): form.
    public var lapFormSpread: Double = 0
    /// Correlation of that shift from one lap to the next (0...0.95).
    public var lapFormCorrelation: Double = 0
    /// Risk compensation (standard deviations, 0...4): the margin the driver keeps in hand against its own
    /// variability: braking points earlier by `riskMargin` times the spread of its braking points
    /// (`sqrt(brakingPointSpread^2 + lapFormSpread^2)`), corner speeds lower by `riskMargin` times the spread of its
    /// speed judgement (`sqrt(speedWeber^2 + commitmentSpread^2)`). Lower takes more risk and makes more mistakes.
    public var riskMargin: Double = 2
    /// Corner-to-corner standard deviation of commitment (0...0.2): the log of how much faster than the driver
    /// really is it believes itself through a corner; positive = under-commits (slower), negative = over-commits.
    public var commitmentSpread: Double = 0
    /// Signal-dependent motor noise (0...0.3): steering and pedal are executed as u (1 + k e).
    public var motorNoise: Double = 0
    /// Additive motor remnant (0...0.05): standard deviation of steering and pedal noise, as a fraction of full.
    public var motorRemnant: Double = 0
    /// Racecraft aggression (0...1): gap accepted for a pass, following distance, defending, contact risk.
    public var aggression: Double = 0.5
    /// Minutes on task before fatigue sets in (min, 0...600).
    public var fatigueOnset: Double = 600
    /// Time constant of fatigue once it sets in (min, 1...600): F(t) = 1 - exp(-(t - onset) / constant).
    public var fatigueTimeConstant: Double = 60
    /// Relative growth of delay and noise at full fatigue (0...5): delay x (1 + gain F).
    public var fatigueGain: Double = 0
    /// Attention lapses per minute when fresh (0...10).
    public var lapseRate: Double = 0
    /// Median lapse duration (s, 0...3); each lapse is lognormal around it (sigma 0.4), clipped to 0.2...3 s.
    public var lapseDuration: Double = 0.6
    /// Relative growth of the lapse rate at full fatigue (0...20): rate x (1 + gain F).
    public var fatigueLapseGain: Double = 0

    /// No limits: the bare policy.
    public static let none = HumanTraits()

    public init() {}

    /// The value of `trait`.
    public subscript(trait: TraitName) -> Double {
        get {
            switch trait {
            case .reactionTime: reactionTime
            case .anticipation: anticipation
            case .distanceWeber: distanceWeber
            case .speedWeber: speedWeber
            case .perceptionTimeConstant: perceptionTimeConstant
            case .brakingPointBias: brakingPointBias
            case .brakingPointSpread: brakingPointSpread
            case .lapFormSpread: lapFormSpread
            case .lapFormCorrelation: lapFormCorrelation
            case .riskMargin: riskMargin
            case .commitmentSpread: commitmentSpread
            case .motorNoise: motorNoise
            case .motorRemnant: motorRemnant
            case .aggression: aggression
            case .fatigueOnset: fatigueOnset
            case .fatigueTimeConstant: fatigueTimeConstant
            case .fatigueGain: fatigueGain
            case .lapseRate: lapseRate
            case .lapseDuration: lapseDuration
            case .fatigueLapseGain: fatigueLapseGain
            }
        }
        set {
            switch trait {
            case .reactionTime: reactionTime = newValue
            case .anticipation: anticipation = newValue
            case .distanceWeber: distanceWeber = newValue
            case .speedWeber: speedWeber = newValue
            case .perceptionTimeConstant: perceptionTimeConstant = newValue
            case .brakingPointBias: brakingPointBias = newValue
            case .brakingPointSpread: brakingPointSpread = newValue
            case .lapFormSpread: lapFormSpread = newValue
            case .lapFormCorrelation: lapFormCorrelation = newValue
            case .riskMargin: riskMargin = newValue
            case .commitmentSpread: commitmentSpread = newValue
            case .motorNoise: motorNoise = newValue
            case .motorRemnant: motorRemnant = newValue
            case .aggression: aggression = newValue
            case .fatigueOnset: fatigueOnset = newValue
            case .fatigueTimeConstant: fatigueTimeConstant = newValue
            case .fatigueGain: fatigueGain = newValue
            case .lapseRate: lapseRate = newValue
            case .lapseDuration: lapseDuration = newValue
            case .fatigueLapseGain: fatigueLapseGain = newValue
            }
        }
    }

    /// The same traits with every value clamped into its trait's range (a sampled tail never leaves it).
    public var clamped: HumanTraits {
        var copy = self
        for trait in TraitName.allCases { copy[trait] = min(max(self[trait], trait.range.lowerBound), trait.range.upperBound) }
        return copy
    }
}

/// The name of one trait as written in persona files (`"reactionTime"`), with its unit, range and meaning.
public enum TraitName: String, CaseIterable, Sendable, Codable {
    case reactionTime, anticipation, distanceWeber, speedWeber, perceptionTimeConstant
    case brakingPointBias, brakingPointSpread, lapFormSpread, lapFormCorrelation, riskMargin, commitmentSpread
    case motorNoise, motorRemnant, aggression
    case fatigueOnset, fatigueTimeConstant, fatigueGain
    case lapseRate, lapseDuration, fatigueLapseGain

    /// The unit, as written in documentation and error messages (`"s"`, `"m"`, `"fraction"`, ...).
    public var unit: String {
        switch self {
        case .reactionTime, .perceptionTimeConstant, .lapseDuration: "s"
        case .brakingPointBias, .brakingPointSpread, .lapFormSpread: "m"
        case .fatigueOnset, .fatigueTimeConstant: "min"
        case .lapseRate: "per min"
        case .distanceWeber, .speedWeber, .commitmentSpread, .motorNoise, .motorRemnant: "fraction"
        case .riskMargin: "sd"
        case .anticipation, .lapFormCorrelation, .aggression, .fatigueGain, .fatigueLapseGain: "1"
        }
    }

    /// The values a sampled trait may take; samples outside are clamped, constants outside are rejected.
    public var range: ClosedRange<Double> {
        switch self {
        case .reactionTime: 0...1
        case .anticipation: 0...1
        case .distanceWeber: 0...0.5
        case .speedWeber: 0...0.3
        case .perceptionTimeConstant: 0.5...120
        case .brakingPointBias: -50...100
        case .brakingPointSpread, .lapFormSpread: 0...50
        case .lapFormCorrelation: 0...0.95
        case .riskMargin: 0...4
        case .commitmentSpread: 0...0.2
        case .motorNoise: 0...0.3
        case .motorRemnant: 0...0.05
        case .aggression: 0...1
        case .fatigueOnset: 0...600
        case .fatigueTimeConstant: 1...600
        case .fatigueGain: 0...5
        case .lapseRate: 0...10
        case .lapseDuration: 0...3
        case .fatigueLapseGain: 0...20
        }
    }

    /// One line saying what the trait does.
    public var summary: String {
        switch self {
        case .reactionTime: "perception-to-action delay: the policy decides on the world as it was this long ago"
        case .anticipation: "share of the fresh reaction time learned into braking points (1 = brakes as if undelayed)"
        case .distanceWeber: "Weber fraction of distance perception (sd of the log error on the distance to the next braking point)"
        case .speedWeber: "Weber fraction of speed perception (sd of the log error on the perceived speed)"
        case .perceptionTimeConstant: "correlation time of perception errors (Ornstein-Uhlenbeck)"
        case .brakingPointBias: "mean braking-point bias; positive brakes early"
        case .brakingPointSpread: "corner-to-corner standard deviation of the braking point"
        case .lapFormSpread: "lap-to-lap standard deviation of a braking-point shift shared by the whole lap"
        case .lapFormCorrelation: "correlation of that shift from one lap to the next"
        case .riskMargin: "risk compensation: margin kept against its own braking-point and speed-judgement spread, in standard deviations"
        case .commitmentSpread: "corner-to-corner standard deviation of commitment (log speed misjudgement in a corner)"
        case .motorNoise: "signal-dependent motor noise: steering and pedal executed as u (1 + k e)"
        case .motorRemnant: "additive motor noise on steering and pedal (fraction of full)"
        case .aggression: "racecraft: gap accepted for a pass, following distance, defending, contact risk"
        case .fatigueOnset: "time on task before fatigue sets in"
        case .fatigueTimeConstant: "time constant of fatigue growth once it sets in"
        case .fatigueGain: "relative growth of delay and noise at full fatigue"
        case .lapseRate: "attention lapses per minute when fresh"
        case .lapseDuration: "median lapse duration (lognormal, sigma 0.4, clipped to 0.2...3 s)"
        case .fatigueLapseGain: "relative growth of the lapse rate at full fatigue"
        }
    }
}
