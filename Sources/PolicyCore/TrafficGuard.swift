import Foundation
import Sim

/// A safety layer between the learned policy and the car in traffic, in the sense of shielded reinforcement
/// learning (Alshiekh et al., "Safe Reinforcement Learning via Shielding", AAAI 2018): the network drives, and the
/// guard steps in only where its action breaks the expert's traffic rule, the rule the network was taught
/// (``ExpertPlan/traffic(_:speed:sample:offsetCommand:settings:)``; DAgger's labels come from the expert), so it
/// catches what imitation missed:
///
/// - Speed: no faster than the speed from which the car still stops its following distance behind a car ahead on
///   its path, nor than giving way to a car alongside and ahead allows (a car off the track, coming back, is judged
///   on where its sideways motion takes it; the lane of a car it closes on fast is taken wider, ``closingMargin``).
///   A car ahead keeping the plan's pace well ahead on the plan's time is followed at the plan's speed instead
///   (``pacedShare``). Above it the guard brakes (within the grip the cornering load leaves); just below it, it
///   closes the throttle. The pedal is only ever lowered, but in a deadlock (below).
/// - Stalled cars: a car stopped on the path ahead (after a spin, or in the run-off across the line) is steered
///   round through the offset command the network already follows, and closed on slowly; one stopped alongside is
///   passed rather than given way to. Without this a grid queues behind a stalled car for good.
/// - Deadlock: at walking pace, with nothing the rule has it follow or give way to, a network that brakes or coasts
///   is given ``unblockThrottle`` (the one case where the guard raises the pedal). Alone on track too: a car left
///   standing after a spin, with no car in view, is otherwise left there for good.
///
/// Alone on track it changes nothing else. Persona racecraft still works through it: the guard reads the observation
/// as the driver perceives it (a timid driver's scaled-up gaps, a late driver's delayed view). ``NetworkPolicy``
/// applies it by default; docs/policy.md ("The traffic guard") has the measurements.
public struct TrafficGuard: Sendable, Equatable {
    /// The traffic rule's distances, times and give-way speeds (the ``ExpertSettings`` traffic section; the
    /// rest is unused).
    public var settings = ExpertSettings()
    /// Brake per m/s above the capped speed (1/(m/s); default 0.3: full braking at about 3 m/s over).
    public var brakeGain: Double = 0.3
    /// Within this much below the capped speed (m/s; default 1) the throttle is closed.
    public var throttleMargin: Double = 1
    /// Lateral overlap margin (m, default 0.4): a car ahead whose centre is within a car width plus this of this
    /// car's path is in its lane.
    public var laneMargin: Double = 0.4
    /// How far ahead (s, default 1) the path is extended on the present lateral velocity.
    public var pathPreview: Double = 1
    /// A car ahead that this car closes on fast is taken to be in its lane when within the lane plus this much (m per
    /// second until this car would reach it, up to ``pathPreview``; default 2) of where the car's lateral motion takes
    /// it: none at ``closingMarginFrom`` m/s of closing speed or less, all of it from ``closingMarginRange`` more. A
    /// second of lateral motion extrapolated is a guess, and the faster the closing the less room there is to correct
    /// it: a GT3 car at 45 m/s running onto a car at 10 m/s (Catalunya, 1,163 m) was judged 2.47 m clear of a 2.44 m
    /// lane a second before they touched. In 300 8-to-12-car races of the shipped network: 271 without contact, 46
    /// contacts, 1,066 off-tracks, against 266, 64 and 1,278 without the margin; 2 m without the closing-speed ramp
    /// gave 276, 52 and 1,075, but narrows the room for a pass at racing pace (docs/policy.md, "Closing fast").
    public var closingMargin: Double = 2
    /// Closing speed (m/s, default 5) up to which ``closingMargin`` adds nothing.
    public var closingMarginFrom: Double = 5
    /// Further closing speed (m/s, default 10) over which ``closingMargin`` grows to all of it.
    public var closingMarginRange: Double = 10
    /// A car slower than this (m/s, default 3) is stalled: one alongside is passed, not given way to, and one
    /// ahead within ``passDistance`` is steered round (``passingOffset(_:encoder:)``).
    public var stalledSpeed: Double = 3
    /// Race time (s, default 10) before which no car counts as stalled: on a standing-start grid every car is.
    public var startGrace: Double = 10
    /// How far ahead (m, default 60) a stalled car on the car's path is steered round.
    public var passDistance: Double = 60
    /// The speed (m/s, default 6) at which the car may close on a stalled car it is steering round, from ten
    /// metres behind it down to none two metres behind.
    public var passSpeed: Double = 6
    /// The throttle (default 0.3) the guard gives a car slower than ``stalledSpeed`` (after ``startGrace``) whose
    /// network brakes or coasts while the traffic rule has it follow or give way to nothing: the rule lets it go, so
    /// it goes. Without it two cars side by side at walking pace can both hold back for good (a standing-start
    /// deadlock: in the Montreal Formula race of `rival eval --traffic` the second row stopped side by side, 2.5 m
    /// apart, both braking, and the seven cars behind them stood for the whole race). Alone on track as well: in a
    /// Hockenheim GT3 race a car spun in the run-off on the last lap, rolled back onto the track facing the wrong
    /// way and stood there braking until the race was called, every other car having finished. 0 turns it off.
    public var unblockThrottle: Float = 0.3
    /// Whether a car ahead or alongside whose centre is off the track (a car rejoining, or one sliding off) is judged
    /// on where its sideways motion (``NearbyCar/lateralSpeed``) takes it within ``pathPreview`` as well as on where
    /// it is (default true). Without it a car on the track did not see a car coming back from the run-off beside it
    /// until the two touched. A car on the track is judged on where it is: on a racing line every car moves across
    /// the track, and a second of that motion extrapolated braked cars for cars following the same line. In 8-to-12-
    /// car races of the shipped network: reading only cars off the track, 261 of 300 without contact against 255
    /// reading none (266 with ``TrackGuard/rejoinGapBehind``); reading every car's motion, 146 of 180 against 155
    /// (docs/policy.md, "Cars coming back").
    public var watchesCarsOffTrack = true
    /// A car ahead that keeps the plan's pace (at least this share of the plan's speed where it is; default 0.9) and is
    /// more than ``pacedGap`` of the plan's time ahead is followed no slower than the plan's speed here plus
    /// ``pacedMargin``, by a share that grows from none at ``pacedGap`` to all of it ``pacedRange`` further. The
    /// following speed alone assumes the car ahead holds its present speed and has this car able to slow to it at half
    /// the braking limit, so a car taking a slow corner at the plan's speed 150 m ahead (about 3 s of the plan) braked
    /// the car behind well before the plan's own braking point, and into a fast corner well below the plan's speed,
    /// a state the network has rarely seen: at Yas Marina (Formula, 4,500 m) cars braked from 69 m/s for a car at 25
    /// m/s in the next corner reached the kink before it at 50 m/s against 60 alone, and five went off there in one
    /// lap. Two cars on the plan's speeds keep their time apart, and the plan brakes this car for that corner anyway.
    /// In 300 8-to-12-car races of the shipped network: 284 without contact, 24 contacts, 926 off-tracks, against 271,
    /// 46 and 1,066 (docs/policy.md, "Following at the plan's pace").
    public var pacedShare: Double = 0.9
    /// The plan's time (s, default 1.5) between this car and a car ahead keeping the plan's pace, from which
    /// ``pacedShare`` acts; infinity turns it off.
    public var pacedGap: Double = 1.5
    /// Further plan's time (s, default 2) over which the car ahead's hold on the following speed gives way to the plan.
    public var pacedRange: Double = 2
    /// Speed over the plan (m/s, default 1) up to which a car is let follow a car keeping the plan's pace.
    public var pacedMargin: Double = 1

    /// The default guard.
    public init() {}

    /// The offset command that takes the car round a stalled car on its path (centre within a car width plus
    /// ``ExpertSettings/sideClearance`` of where it aims) up to ``passDistance`` ahead: its aim moved to that
    /// clearance on the car's own side of it, or on the other side when the track has no room there (none when
    /// neither has). The observation's own command when nothing is in the way. Does not allocate.
    @inline(__always)
    public func passingOffset(_ observation: Observation, encoder: ObservationEncoder) -> Double {
        withUnsafePointer(to: self) { g in
            withUnsafePointer(to: observation.view) {
                Self.passingOffset(g, $0, offsetCommand: observation.offsetCommand, encoder: encoder)
            }
        }
    }

    /// ``passingOffset(_:encoder:)`` of the guard at `g` for the view at `viewAt`, both read in place (a batch's
    /// views and the guard are not copied at each call), and the car's own offset command.
    @inline(__always)
    static func passingOffset(_ g: UnsafePointer<TrafficGuard>, _ viewAt: UnsafePointer<DriverView>,
                              offsetCommand: Double, encoder: ObservationEncoder) -> Double {
        let plan = encoder.plan
        var command = offsetCommand.isFinite ? offsetCommand : 0
        let view = Fields(viewAt)
        guard view.time >= g.pointee.startGrace, view.s.isFinite, view.lateral.isFinite, view.speed.isFinite else {
            return command
        }
        let clearance = 2 * plan.halfWidth + g.pointee.settings.sideClearance
        let v = max(view.speed, 0)
        return NearbyCars.withCars(at: viewAt.pointer(to: \.nearby)!) { cars in
            for other in cars {
                guard other.gap > 0, other.gap < g.pointee.passDistance,
                      v + other.speedDifference < g.pointee.stalledSpeed,
                      other.lateral.isFinite else { continue }
                let s = view.s + other.gap
                let aim = encoder.targetLateral(s: s, offsetCommand: command)
                guard abs(aim - other.lateral) < clearance else { continue }
                let sample = plan.track.sample(at: s)
                let margin = encoder.lineMargin
                let left = other.lateral + clearance, right = other.lateral - clearance
                let leftFits = left <= sample.widthLeft - margin, rightFits = right >= -sample.widthRight + margin
                let line = plan.at(plan.line.offset, s)
                if leftFits && (view.lateral >= other.lateral || !rightFits) {
                    command = left - line
                } else if rightFits {
                    command = right - line
                }
            }
            return command
        }
    }

    /// `action` for `observation`, its pedal limited to the traffic rule of the encoder's car on its circuit: a
    /// brake of ``brakeGain`` per m/s above the capped speed (at most what the car's lateral acceleration leaves of
    /// the grip), no throttle within ``throttleMargin`` below it; ``unblockThrottle`` for a car at walking pace that
    /// the rule lets go (or alone on track). Steering is never changed; non-finite views pass the action unchanged.
    /// Does not allocate.
    @inline(__always)
    public func apply(_ action: Action, to observation: Observation, encoder: ObservationEncoder) -> Action {
        withUnsafePointer(to: self) { g in
            withUnsafePointer(to: observation.view) {
                Self.apply(g, action, to: $0, offsetCommand: observation.offsetCommand, encoder: encoder)
            }
        }
    }

    /// ``apply(_:to:encoder:)`` of the guard at `g` for the view at `viewAt`, both read in place (`NetworkPolicy`'s
    /// hot path: a batch's views and the guard are not copied at each call), and the offset command the car aims by.
    @inline(__always)
    static func apply(_ g: UnsafePointer<TrafficGuard>, _ action: Action, to viewAt: UnsafePointer<DriverView>,
                      offsetCommand: Double, encoder: ObservationEncoder) -> Action {
        let view = Fields(viewAt)
        // Alone: only the unblocking throttle (a speed that is not a number compares as no speed).
        guard view.nearbyCount > 0 else { return unblocked(g, action, view, speed: view.speed) }
        guard view.speed.isFinite, view.s.isFinite, view.lateral.isFinite else { return action }
        let v = max(view.speed, 0)
        let plan = encoder.plan
        let cap = speedCap(g, viewAt, view, speed: v, encoder: encoder, offsetCommand: offsetCommand)
        let excess = v - cap
        guard excess > -g.pointee.throttleMargin else { return unblocked(g, action, view, speed: v) }
        var guarded = action
        if excess <= 0 {
            guarded.pedal = min(action.pedal, 0)
        } else {
            // Within what the cornering load leaves of the grip, so that braking does not lock the car into a slide.
            let lateral = view.lateralAcceleration.isFinite ? abs(view.lateralAcceleration) : 0
            let limit = plan.limits.value(plan.limits.brakeInput, speed: v, lateral: lateral)
            guarded.pedal = min(action.pedal, Float(-min(g.pointee.brakeGain * excess, limit, 1)))
        }
        return guarded
    }

    /// `action`, or ``unblockThrottle`` for a car slower than ``stalledSpeed`` (at speed `v`) after ``startGrace``
    /// whose action holds back more: for a car the traffic rule lets go, or one alone on track.
    @inline(__always)
    static func unblocked(_ g: UnsafePointer<TrafficGuard>, _ action: Action, _ view: Fields, speed v: Double) -> Action {
        let unblock = g.pointee.unblockThrottle
        guard unblock > 0, v < g.pointee.stalledSpeed, view.time >= g.pointee.startGrace, action.pedal < unblock else {
            return action
        }
        return Action(steering: action.steering, pedal: unblock)
    }

    /// The speed the rule allows (m/s; infinity when free). Unlike the expert, the guard cannot know where the
    /// network means to steer, so it judges paths by where the car is going: a car ahead is followed when it
    /// overlaps this car's lane now or in ``pathPreview`` seconds on the present lateral velocity; a car
    /// alongside and ahead is given way to when it is within ``sideClearance`` of this car's side, now or in
    /// ``pathPreview`` seconds on the present lateral velocity (a car closing on it sideways), and still moving faster
    /// than ``stalledSpeed`` (a car stopped in the run-off, or one stopped beside the track, would otherwise hold every
    /// car behind it for good).
    @inline(__always)
    static func speedCap(_ g: UnsafePointer<TrafficGuard>, _ viewAt: UnsafePointer<DriverView>, _ view: Fields,
                         speed v: Double, encoder: ObservationEncoder, offsetCommand: Double) -> Double {
        let plan = encoder.plan
        func aim(_ gap: Double) -> Double { encoder.targetLateral(s: view.s + gap, offsetCommand: offsetCommand) }
        let carWidth = 2 * plan.halfWidth
        let lane = carWidth + g.pointee.laneMargin
        var lateralRate = Double.nan  // the car's lateral velocity across the track (m/s), when first needed
        var cap = Double.infinity
        // Following speeds at or above this cannot bind: the guard only acts within throttleMargin of the cap.
        let reach = (v + g.pointee.throttleMargin) * (v + g.pointee.throttleMargin)
        let bound = plan.limits.minimumStraightDeceleration   // 2 x followSpeed's half deceleration, at its least
        return NearbyCars.withCars(at: viewAt.pointer(to: \.nearby)!) { cars in
            for other in cars {
                let otherSpeed = max(v + other.speedDifference, 0)
                guard other.gap > 0, other.gap.isFinite, otherSpeed.isFinite, other.lateral.isFinite else { continue }
                let apart = abs(other.lateral - view.lateral)
                let stalled = otherSpeed < g.pointee.stalledSpeed && view.time >= g.pointee.startGrace
                if other.gap < plan.carLength + g.pointee.settings.alongsideMargin {
                    guard !stalled else { continue }
                    // Beside it now, or where this car's lateral motion takes it within pathPreview.
                    let side = carWidth + g.pointee.settings.sideClearance
                    var beside = apart < side
                    if !beside {
                        let rate = lateralVelocity(&lateralRate, view, speed: v) - drift(g, of: other, view, plan: plan)
                        beside = abs(other.lateral - (view.lateral + rate * g.pointee.pathPreview)) < side
                    }
                    if beside { cap = min(cap, plan.yieldSpeed(behind: other.gap, otherSpeed, g.pointee.settings)) }
                } else {
                    // Far enough back that even the least braking stops it in time: no cap (followSpeed is at least
                    // the square root of otherSpeed^2 + 2 * bound * room while there is room).
                    let room = other.gap - plan.carLength - g.pointee.settings.followMinimumGap
                        - g.pointee.settings.followTimeGap * otherSpeed
                    if room > 0 && !stalled && reach <= otherSpeed * otherSpeed + bound * room { continue }
                    // On the path: in this car's lane now, or where its lateral motion takes it before it gets there.
                    if apart >= lane {
                        let rate = lateralVelocity(&lateralRate, view, speed: v) - drift(g, of: other, view, plan: plan)
                        let ahead = min(other.gap / max(v - otherSpeed, 1), g.pointee.pathPreview)
                        let widened = lane + widening(g, closing: v - otherSpeed) * ahead
                        guard abs(other.lateral - (view.lateral + rate * ahead)) < widened else { continue }
                    }
                    var follow = plan.followSpeed(behind: other.gap, otherSpeed, g.pointee.settings)
                    if stalled, abs(aim(other.gap) - other.lateral) >= carWidth + g.pointee.settings.sideClearance {
                        // Steering round it (passingOffset): closing in slowly, so as to get past.
                        follow = max(follow, g.pointee.passSpeed * min(max((other.gap - plan.carLength - 2) / 8, 0), 1))
                    } else if follow < cap && follow * follow < reach {
                        // Only a following speed that would bind, below the cap of the cars before it, can matter.
                        follow = pacedFollowing(g, follow, otherSpeed: otherSpeed, s: view.s, gap: other.gap,
                                                encoder: encoder)
                    }
                    cap = min(cap, follow)
                }
            }
            return cap
        }
    }

    /// `follow`, the following speed for a car `gap` metres ahead going `otherSpeed`, raised towards the plan's speed
    /// at `s` plus ``pacedMargin`` when that car keeps the plan's pace (``pacedShare``) more than ``pacedGap`` of the
    /// plan's time ahead: the plan's speed, not the speed that would stop this car behind it at its present speed.
    @inline(__always)
    static func pacedFollowing(_ g: UnsafePointer<TrafficGuard>, _ follow: Double, otherSpeed: Double, s: Double,
                               gap: Double, encoder: ObservationEncoder) -> Double {
        let there = encoder.locate(s + gap)
        guard otherSpeed >= g.pointee.pacedShare * encoder.at(ObservationEncoder.Column.planSpeed, there) else {
            return follow
        }
        let here = encoder.locate(s)
        let ahead = encoder.plannedTime(from: here, to: there) - g.pointee.pacedGap
        guard ahead > 0 else { return follow }
        let planned = encoder.at(ObservationEncoder.Column.planSpeed, here)
        return follow + min(ahead / g.pointee.pacedRange, 1) * max(planned + g.pointee.pacedMargin - follow, 0)
    }

    /// How much wider (m per second ahead) the lane of a car ahead is taken when this car closes on it at `closing`
    /// m/s: ``closingMargin`` times the share of ``closingMarginRange`` by which `closing` exceeds
    /// ``closingMarginFrom``.
    @inline(__always)
    static func widening(_ g: UnsafePointer<TrafficGuard>, closing: Double) -> Double {
        g.pointee.closingMargin * min(max((closing - g.pointee.closingMarginFrom) / g.pointee.closingMarginRange, 0), 1)
    }

    /// How fast `other` moves across the track (m/s) as the guard judges it: its ``NearbyCar/lateralSpeed`` while its
    /// centre is off the track (``watchesCarsOffTrack``), else 0 (a car on the track is judged on where it is).
    @inline(__always)
    static func drift(_ g: UnsafePointer<TrafficGuard>, of other: NearbyCar, _ view: Fields,
                      plan: ExpertPlan) -> Double {
        let drift = other.lateralSpeed
        guard g.pointee.watchesCarsOffTrack, drift != 0, drift.isFinite,
              plan.track.surface(s: view.s + other.gap, lateral: other.lateral) != .track else { return 0 }
        return drift
    }

    /// The car's lateral velocity across the track (m/s) at speed `v`, worked out on first use and kept in `cached`
    /// (NaN until then).
    @inline(__always)
    static func lateralVelocity(_ cached: inout Double, _ view: Fields, speed v: Double) -> Double {
        if cached.isNaN {
            let (sine, cosine) = sineCosine(view.headingError)
            cached = v * sine + view.lateralSpeed * cosine
        }
        return cached
    }

    /// The scalar fields of a view the guard reads, loaded from where the view lies (not the view copied).
    struct Fields {
        let time, s, lateral, speed, lateralSpeed, headingError, lateralAcceleration: Double
        let nearbyCount: Int

        @inline(__always)
        init(_ view: UnsafePointer<DriverView>) {
            time = view.pointee.time
            s = view.pointee.s
            lateral = view.pointee.lateral
            speed = view.pointee.speed
            lateralSpeed = view.pointee.lateralSpeed
            headingError = view.pointee.headingError
            lateralAcceleration = view.pointee.lateralAcceleration
            nearbyCount = view.pointee.nearby.count
        }
    }
}
