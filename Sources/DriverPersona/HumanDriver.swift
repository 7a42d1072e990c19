#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GSL
import PolicyCore
import Sim

/// What a ``HumanDriver`` did, for reports and tests.
public struct HumanDriverStats: Sendable, Equatable {
    /// Attention lapses started.
    public var lapses = 0
    /// Times a wheel went over the white line (running wide), counted when it happens.
    public var runWide = 0
    /// Corners approached (each one's braking point drawn).
    public var corners = 0
    /// Passes attempted and completed, defensive moves.
    public var passAttempts = 0
    public var passesCompleted = 0
    public var defences = 0
}

/// A person driving: wraps any ``Policy`` (the learned network or the expert) and imposes one sampled person's
/// ``HumanTraits``. Each limit is a mechanism on the way from the world to the policy and from the policy to the
/// car; with ``HumanTraits/none`` the driver acts exactly as a ``PolicyDriver`` with the same policy.
///
/// On each decision (default 60 Hz):
/// 1. Reaction delay: the view goes into a ``DelayLine``; the policy sees the view of `reactionTime` ago
///    (interpolated), lengthened by fatigue. During an attention lapse the view freezes (the delay grows).
/// 2. Perception: Weber-fraction errors on the distance to the next corner and on speed, each an
///    ``OrnsteinUhlenbeck`` process with `perceptionTimeConstant`, so a misjudgement persists.
/// 3. Braking points: the driver perceives the course ahead shifted by its bias (positive = brakes early) plus a
///    per-lap form shift (AR(1) over laps) and a per-corner deviation, both right-skewed (exponential less its mean); the shift fades in after each apex and out through the
///    braking zone to the next apex, so it moves where braking starts without moving the corner.
/// 4. Commitment: a per-corner speed misjudgement through the braking zone and the corner's exit.
/// 4a. Risk compensation: braking points earlier and corner speeds lower by `riskMargin` times the driver's own
///    spread of each, so that a variable driver is slower on average rather than off the road every lap.
/// 5. Racecraft: ``Racecraft`` sets the offset command and the perceived gap ahead from `aggression`.
/// 6. Motor noise: steering and pedal are executed as `u (1 + k e) + r n` with `e` an Ornstein-Uhlenbeck process
///    (0.3 s) and `n` a faster one (0.1 s), `k` growing with fatigue.
/// 7. Fatigue: `F(t) = 1 - exp(-(t - onset) / timeConstant)` after the onset (time on task = race time); delay,
///    perception and motor noise grow by `1 + fatigueGain F`, the lapse rate by `1 + fatigueLapseGain F`.
///
/// Every draw comes from the driver's own stream, so the same seed gives the same driver. `decide` does not
/// allocate, lock or throw.
public final class HumanDriver: Driver {
    /// Who decides.
    public let policy: any Policy
    /// The person's limits.
    public let traits: HumanTraits
    /// The course as the driver knows it.
    public let corners: CornerMap
    /// Seconds between decisions.
    public let decisionInterval: Double
    /// What the driver did so far.
    public var stats: HumanDriverStats {
        var s = counters
        s.passAttempts = racecraft.passAttempts
        s.passesCompleted = racecraft.passesCompleted
        s.defences = racecraft.defences
        return s
    }
    /// The lateral offset from the racing line that racecraft commands now (m, positive = left).
    public var offsetCommand: Double { racecraft.offset }
    /// The action the policy chose last (before motor noise).
    public private(set) var lastAction = Action()

    private let stream: GSLRandomStream
    private let delayLine: DelayLine
    private var racecraft: Racecraft
    private var counters = HumanDriverStats()
    private var distanceError: OrnsteinUhlenbeck
    private var speedError: OrnsteinUhlenbeck
    private var steeringNoise = OrnsteinUhlenbeck(timeConstant: 0.3)
    private var pedalNoise = OrnsteinUhlenbeck(timeConstant: 0.3)
    private var steeringRemnant = OrnsteinUhlenbeck(timeConstant: 0.1)
    private var pedalRemnant = OrnsteinUhlenbeck(timeConstant: 0.1)
    /// Decisions since the last slow tick; the slow processes (perception errors, motor noise, lapses,
    /// racecraft) move on every ``slowTicks`` decisions.
    private var tick = 0
    private var wd = 0.0, wv = 0.0, es = 0.0, ep = 0.0, rs = 0.0, rp = 0.0
    /// Fatigue, the growth it brings, and the distance misjudgement factor, as of the last slow tick.
    private var f = 0.0, grow = 1.0, distanceFactor = 0.0
    private var corner = -1
    private var cornerDeviation = 0.0
    private var commitment = 0.0
    private var exitCommitment = 0.0
    private var lapForm = 0.0
    private var lap = -1
    private var lapseEnd = -Double.infinity
    private var lapseStart = 0.0
    private var frozen = NearbyCars()
    private var wide = false
    private let carWidth: Double
    private let carLength: Double
    /// Risk compensation on braking points: `riskMargin` times their spread (m, earlier).
    private let brakingMargin: Double

    /// Decisions per update of the slow processes: perception errors (correlation time seconds), motor noise
    /// (0.1-0.3 s), lapse onsets and racecraft move on at 20 Hz when deciding at 60 Hz, which is plenty for their
    /// time scales and keeps the persona's cost per decision low.
    public static let slowTicks = 3
    /// Stream salt of the on-track draws (separate from the trait draws of ``Persona/traitSalt``).
    public static let drivingSalt: UInt64 = 0x6472_6976_696E_67  // "driving"
    /// The longest delay (reaction time grown by fatigue) a driver can have (s).
    public static let maximumDelay = 2.0

    /// A driver with `traits` deciding with `policy` every `decisionInterval` s on the course of `corners`, drawing
    /// from stream (`raceSeed`, `index`).
    public init(policy: any Policy, traits: HumanTraits, corners: CornerMap, raceSeed: UInt64, index: Int,
                decisionInterval: Double = 1.0 / 60) {
        self.policy = policy
        self.traits = traits.clamped
        self.corners = corners
        self.decisionInterval = decisionInterval
        stream = GSLRandomStream(raceSeed: raceSeed, index: index, salt: Self.drivingSalt)
        delayLine = DelayLine(interval: decisionInterval, maximumDelay: Self.maximumDelay,
                              lapLength: corners.length)
        racecraft = Racecraft(aggression: self.traits.aggression)
        let t = self.traits
        brakingMargin = t.riskMargin * (t.brakingPointSpread * t.brakingPointSpread + t.lapFormSpread * t.lapFormSpread).squareRoot()
        distanceError = OrnsteinUhlenbeck(timeConstant: self.traits.perceptionTimeConstant)
        speedError = OrnsteinUhlenbeck(timeConstant: self.traits.perceptionTimeConstant)
        let chassis = corners.plan.model.spec.chassis
        carWidth = chassis.overallWidthM
        carLength = chassis.overallLengthM
        // Start the persistent errors from their stationary distribution.
        distanceError = OrnsteinUhlenbeck(timeConstant: self.traits.perceptionTimeConstant, value: stream.gaussian(sd: 1))
        speedError = OrnsteinUhlenbeck(timeConstant: self.traits.perceptionTimeConstant, value: stream.gaussian(sd: 1))
    }

    /// A draw with mean 0 and standard deviation 1 with a long positive tail (an exponential less its mean): most
    /// braking points a little late of the driver's average, a few well early, so a lap is now and then much slower
    /// and never much faster (the right skew of real lap times).
    @inline(__always)
    private func skewed() -> Double { stream.exponential(mean: 1) - 1 }

    /// Fatigue at race time `t` (s): 0 before the onset, rising towards 1.
    @inline(__always)
    public func fatigue(at t: Double) -> Double {
        let minutes = t / 60 - traits.fatigueOnset
        return minutes <= 0 ? 0 : 1 - exp(-minutes / traits.fatigueTimeConstant)
    }

    public func decide(_ view: DriverView) -> CarControls {
        let view = view.sanitized   // a bad view (NaN from a game's physics) decides as zeros, and traps nothing
        let t = traits
        let dt = decisionInterval
        delayLine.push(view)

        // Running wide: a wheel over the white line, counted on the way out.
        let overLine = corners.isOverLine(s: view.s, lateral: view.lateral, halfWidth: carWidth / 2)
        if overLine && !wide { counters.runWide += 1 }
        wide = overLine

        // 1. Delay, and lapses that freeze the view.
        let slow = tick == 0
        tick = tick + 1 == Self.slowTicks ? 0 : tick + 1
        let slowDt = dt * Double(Self.slowTicks)
        if slow {
            f = fatigue(at: view.time)
            grow = 1 + t.fatigueGain * f
            if t.distanceWeber > 0 {
                wd = distanceError.step(slowDt, stream)
                distanceFactor = 1 - exp(t.distanceWeber * grow * wd)
            }
            if t.speedWeber > 0 { wv = speedError.step(slowDt, stream) }
            if t.motorNoise > 0 {
                es = steeringNoise.step(slowDt, stream)
                ep = pedalNoise.step(slowDt, stream)
            }
            if t.motorRemnant > 0 {
                rs = steeringRemnant.step(slowDt, stream)
                rp = pedalRemnant.step(slowDt, stream)
            }
        }
        if slow && t.lapseRate > 0 && view.time >= lapseEnd {
            let rate = t.lapseRate * (1 + t.fatigueLapseGain * f) / 60
            if stream.uniform() < rate * slowDt {
                let duration = min(max(stream.lognormal(mu: log(max(t.lapseDuration, 1e-3)), sigma: 0.4), 0.2), 3)
                lapseEnd = view.time + duration
                lapseStart = view.time
                frozen = delayLine.nearby(delayedBy: min(t.reactionTime * grow, Self.maximumDelay))
                counters.lapses += 1
            }
        }
        let delay = view.time < lapseEnd ? t.reactionTime * grow + (view.time - lapseStart)
            : min(t.reactionTime * grow, Self.maximumDelay)
        let seen = view.time < lapseEnd ? frozen : delayLine.nearby(delayedBy: delay)
        // Own motion is perceived now (feel, and an internal model that predicts over the delay: a limit
        // controller acting on a pose even 30 ms old loses the car). What the driver reacts to is late: the
        // braking and acceleration references (the speed plan is read where the car was one delay ago) and the
        // other cars (as they were).
        var p = view
        p.nearby = seen
        var planShift = -max(view.speed, 0) * (delay - t.anticipation * t.reactionTime)

        // 2-4. Perception of the course ahead and of speed.
        var speedLog = t.speedWeber * grow * wv
        var inBrakingZone = false, inCorner = false, toBraking = Double.infinity
        var nextCorner = 0, nextTurn = 1.0
        if !corners.corners.isEmpty {
            if p.lapsCompleted != lap {
                if lap >= 0, t.lapFormSpread > 0 {
                    let rho = t.lapFormCorrelation
                    lapForm = rho * lapForm + (1 - rho * rho).squareRoot() * t.lapFormSpread * skewed()
                } else if lap < 0, t.lapFormSpread > 0 {
                    lapForm = t.lapFormSpread * skewed()
                }
                lap = p.lapsCompleted
            }
            let next = corners.nextCorner(after: p.s)
            if next != corner {
                corner = next
                exitCommitment = commitment
                cornerDeviation = t.brakingPointSpread > 0 ? t.brakingPointSpread * skewed() : 0
                commitment = t.commitmentSpread > 0 ? stream.gaussian(sd: t.commitmentSpread) : 0
                counters.corners += 1
            }
            nextCorner = next
            nextTurn = corners.turn[next]
            let c = corners.corners[next]
            let previous = corners.corners[next == 0 ? corners.corners.count - 1 : next - 1]
            let bias = t.brakingPointBias + brakingMargin + lapForm + cornerDeviation
            let toApex = corners.distance(from: p.s, to: c.apex)
            let sinceApex = corners.distance(from: previous.apex, to: p.s)
            let zone = max(corners.distance(from: c.brake, to: c.apex) + bias, 5)
            let straight = corners.distance(from: previous.apex, to: c.brake)
            let rampIn = min(sinceApex / max(min(100, straight / 2), 5), 1)
            let fadeOut = min(toApex / zone, 1)
            inBrakingZone = toApex < zone
            inCorner = inBrakingZone || rampIn < 1
            toBraking = toApex - zone
            let perceivedError = min(toApex, 400) * distanceFactor
            planShift = (planShift + bias + perceivedError) * rampIn * fadeOut
            // Risk compensation: through a corner the driver keeps a margin of `riskMargin` times its uncertainty
            // about the corner's speed (its speed judgement and its commitment spread).
            let margin = t.riskMargin * (t.speedWeber * t.speedWeber + t.commitmentSpread * t.commitmentSpread).squareRoot() * grow
            speedLog += (commitment + margin) * (1 - fadeOut) + (exitCommitment + margin) * (1 - rampIn)
        }
        // Believing itself faster by exp(speedLog) is judging the planned speeds lower by as much.
        let planScale = speedLog == 0 ? 1 : exp(-speedLog)

        // 5. Racecraft.
        if slow && (p.nearby.count > 0 || racecraft.offset != 0) {
            racecraft.update(p, sample: corners.plan.track.sample(at: p.s), lineOffset: corners.plan.lineOffset(at: p.s),
                             carWidth: carWidth, carLength: carLength, nextCorner: nextCorner, nextTurn: nextTurn,
                             inBrakingZone: inBrakingZone, inCorner: inCorner, toBraking: toBraking, dt: slowDt)
        }
        if p.nearby.count > 0 {
            p.nearby = racecraft.perceived(p.nearby, carLength: carLength)
        }

        let action = policy.act(Observation(view: p, offsetCommand: racecraft.offset, previousAction: lastAction,
                                            speedPlanShift: planShift, speedPlanScale: planScale))
        lastAction = action

        // 6. Motor noise.
        var executed = action
        let k = t.motorNoise * grow
        if k > 0 || t.motorRemnant > 0 {
            executed.steering = action.steering * Float(1 + k * es) + Float(t.motorRemnant * rs)
            executed.pedal = action.pedal * Float(1 + k * ep) + Float(t.motorRemnant * rp)
        }
        return executed.controls
    }
}
