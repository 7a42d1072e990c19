import Foundation
import Sim

/// A safety layer between the learned policy and the car's line (and, alone on track, its speed), the companion of
/// ``TrafficGuard`` (shielding in the sense of Alshiekh et al., "Safe Reinforcement Learning via Shielding", AAAI
/// 2018): the network drives, and the guard steps in only where its action is about to take the car off, in the two
/// ways the shipped network's solo failures start (docs/policy.md, "What the solo failures are"):
///
/// - Speed (``capsSpeed``): faster than the speed plan (the limit speed profile the expert drives) read
///   ``speedLead`` seconds ahead, by more than ``speedMargin``, it brakes ``brakeGain`` per m/s over. The plan is read
///   as the driver perceives it (``Observation/speedPlanShift`` and ``Observation/speedPlanScale``). Under personas
///   (``underPersonas``) this part is off: the speed is the persona's to get wrong.
/// - Line: when the course the car is on strays from its target line (the racing line plus the offset command) by
///   more than ``errorThreshold`` one preview distance ahead (the expert's path law: ``ExpertDriver``'s prediction,
///   half a second or at least 8 m), its steering is moved towards the expert's own steering for that state
///   (``ExpertDriver``'s path, yaw-rate and front-slip law, worked out from the car's state alone), by a share that
///   grows from none at the threshold to all of it ``errorRange`` further, and its throttle is cut by ``lift`` times
///   that share (in traffic only with no car close behind, ``liftGapBehind``). Steering is only ever moved further
///   towards the line, never away from it.
///
/// With another car in view (the observation lists one) the speed cap is off and the line part's line is the
/// expert's traffic target (``steersInTraffic``): the command's line moved clear of a car alongside and out of the
/// lane of a close car ahead (``ExpertPlan/trafficTarget(_:lateral:nearby:widthLeft:widthRight:settings:)``); a
/// slow car with a car closing from behind keeps to its side of the racing line (``rejoinSpeedShare``), and a car off
/// the track stays off it while one on the track is beside it or just behind (``rejoinGapBehind``). In
/// traffic the network leaves its line on purpose, and the speed there is the ``TrafficGuard``'s. Measured in 10-car
/// races, pulling cars back to the command's line, or capping their speed, in traffic turned fewer off-tracks into
/// more contacts and stalled grids; steering towards the traffic target cut contacts and off-tracks on all four
/// networks measured (docs/policy.md, "The track guard"). ``NetworkPolicy`` applies it by default; the
/// learner of ``PolicyTrainer`` drives without it (DAgger has to see where the network's own decisions lead).
public struct TrackGuard: Sendable, Equatable {
    /// Whether the guard holds the car to the speed plan (default true). ``underPersonas`` leaves it out.
    public var capsSpeed = true
    /// Speed above the perceived plan (m/s, default 0.25) before the guard brakes.
    public var speedMargin: Double = 0.25
    /// Brake per m/s above the plan plus the margin (1/(m/s); default 0.5: full braking 2 m/s beyond the margin).
    public var brakeGain: Double = 0.5
    /// How far ahead the plan is read (s, default 0.05: the expert's own lead).
    public var speedLead: Double = ExpertSettings().speedLead
    /// Predicted distance from the target line (m, default 0.6) at which the guard starts to steer.
    public var errorThreshold: Double = 0.6
    /// Further distance (m, default 2) over which its share of the steering grows to all of it.
    public var errorRange: Double = 2
    /// Share of the throttle cut at the guard's full share (default 1: none left).
    public var lift: Double = 1
    /// Whether the line part stays on with other cars in view (default true), aiming at the expert's traffic target
    /// (``ExpertPlan/trafficTarget(_:lateral:nearby:widthLeft:widthRight:settings:)``) rather than the command's line,
    /// without the speed cap (speed in traffic is the ``TrafficGuard``'s). False: the guard stands down whenever
    /// another car is in view.
    public var steersInTraffic = true
    /// In traffic the throttle is cut only when no car is within a car length plus this (m, default 10: the expert's
    /// ``ExpertSettings/mergeGap``) behind: a car lifting in front of another was hit at the start of three 10-car
    /// races (the pole car crossing to the racing line), and ``TrafficGuard`` holds the speed in traffic anyway.
    public var liftGapBehind: Double = 10
    /// Turning, alone (no other car in view) and on the track, not under personas (``underPersonas``): in a tight
    /// corner (the racing line's curvature beyond ``turnCurvature``), a steering short of the racing line's own (its
    /// curvature's steering on the kinematic bicycle, the observation's `lineSteer`) by more than this (a fraction of
    /// full lock, default 0.05) is moved towards the expert's steering, by a share growing from none there to all of it
    /// ``turnRange`` further; only ever further into the corner. 0 turns it off. A network that eases off the lock at a
    /// hairpin's apex runs wide before the line part's prediction sees it: at Montreal's hairpin the shipped network
    /// unwound from -0.27 to +0.33 of lock in half a second at 20 m/s, and the Formula car went off there on every lap
    /// (docs/policy.md, "The turn part").
    public var turnShortfall: Double = 0.05
    /// Further shortfall (fraction of full lock, default 0.1) over which the turn part's share grows to all of it.
    public var turnRange: Double = 0.1
    /// The racing line's curvature (1/m, default 0.02: radius under 50 m) beyond which the turn part acts.
    public var turnCurvature: Double = 0.02
    /// Below this speed (m/s, default 5) the guard does nothing: standing starts, and cars recovering from a spin.
    public var minimumSpeed: Double = 5
    /// Rejoining: in traffic, a car slower than this share of the plan's speed where it is (default 0.6: a car
    /// recovering from an off-track or a spin), while a car behind closes on it faster than ``rejoinClosing`` and
    /// would reach it within ``rejoinWarning``, stays off the track if it is off it (its centre beyond an edge: its
    /// target is where it is, so it runs along the run-off and comes no nearer the track), and otherwise keeps to its
    /// own side of the racing line, its target moved out to ``rejoinEdgeMargin`` plus half its width inside the
    /// edge on that side; 0 turns it off. The rule a racing driver is held to: rejoin only when it is safe. In
    /// 10-car races 16 of the shipped network's 26 contacts were a recovering car cutting back across the track in
    /// front of a car arriving at race speed; holding such a car back instead made it an obstacle, and aiming a car
    /// in the run-off at the edge still brought it onto the track in front of the arriving car (docs/policy.md,
    /// "Rejoining").
    public var rejoinSpeedShare: Double = 0.6
    /// How soon (s, default 3) a car closing from behind must reach this one for ``rejoinSpeedShare`` to act.
    public var rejoinWarning: Double = 3
    /// How much faster (m/s, default 3) a car behind must be for ``rejoinSpeedShare`` to act.
    public var rejoinClosing: Double = 3
    /// Off the track, a car also stays off it, whatever its speed and however slowly the other car comes, while a car
    /// on the track is beside it or within a car length plus this behind it (m, default 10, the expert's
    /// ``ExpertSettings/mergeGap``; negative: off). The speed rule above missed cars coming back at nearly the speed
    /// of a car on the track beside them: in 300 8-to-12-car races of the shipped network this rule and
    /// ``TrafficGuard/watchesCarsOffTrack`` left 266 without contact against 255 (docs/policy.md, "Cars coming back").
    public var rejoinGapBehind: Double = 10
    /// Distance (m, default 0.5) between a rejoining car's side and the track's edge that its target keeps.
    public var rejoinEdgeMargin: Double = 0.5

    /// The default guard.
    public init() {}

    /// The guard under a persona (``capsSpeed`` and the turn part, ``turnShortfall``, off; the line part as the
    /// default's): a human driver's speed is the persona's to get wrong. With the speed cap, the plan the driver
    /// perceives (read where the car was one reaction time ago) held club and rookie drivers to a lagging plan out of
    /// corners, braking them hard while cornering: 14 of 30 solo persona races did not finish against 1 without the
    /// guard and 0 with this one. The turn part, steering by the expert's law on that late view, added off-tracks
    /// (32 against 19 in the same 30 races) (docs/policy.md, "The track guard" and "The turn part").
    public static let underPersonas: TrackGuard = {
        var g = TrackGuard()
        g.capsSpeed = false
        g.turnShortfall = 0
        return g
    }()

    /// `action` for `observation` held to the plan's speed and, when the car strays, steered back towards its line
    /// (on the encoder's car and circuit), with the offset command `offsetCommand` (nil: the observation's own).
    /// With another car in view only the line part acts, on the traffic target. Unchanged below ``minimumSpeed`` or
    /// for a view that is not finite. Does not allocate.
    @inline(__always)
    public func apply(_ action: Action, to observation: Observation, encoder: ObservationEncoder,
                      offsetCommand: Double? = nil) -> Action {
        withUnsafePointer(to: self) { g in
            withUnsafePointer(to: observation) {
                Self.apply(g, action, to: $0, offsetCommand: offsetCommand ?? observation.offsetCommand, encoder: encoder,
                           here: nil)
            }
        }
    }

    /// ``apply(_:to:encoder:offsetCommand:)`` of the guard at `g` for the observation at `observation`, both read in
    /// place (`NetworkPolicy`'s hot path), with the car's spot on the encoder's table when the encoder has located it
    /// already (nil: located here).
    @inline(__always)
    static func apply(_ g: UnsafePointer<TrackGuard>, _ action: Action, to observation: UnsafePointer<Observation>,
                      offsetCommand: Double, encoder: ObservationEncoder, here spot: ObservationEncoder.Spot?) -> Action {
        let viewAt = observation.pointer(to: \.view)!
        let inTraffic = viewAt.pointee.nearby.count > 0
        guard !inTraffic || g.pointee.steersInTraffic else { return action }
        let view = TrafficGuard.Fields(viewAt)
        let v = view.speed
        guard v > g.pointee.minimumSpeed, v.isFinite, view.s.isFinite, view.lateral.isFinite,
              view.headingError.isFinite, view.lateralSpeed.isFinite, viewAt.pointee.yawRate.isFinite else { return action }
        var guarded = action

        // Speed, alone: the plan as the driver perceives it (as the encoder reads it for the network).
        if g.pointee.capsSpeed && !inTraffic {
            let shift = observation.pointee.speedPlanShift, judged = observation.pointee.speedPlanScale
            let planned = encoder.at(ObservationEncoder.Column.planSpeed,
                                     encoder.locate(view.s + v * g.pointee.speedLead + (shift.isFinite ? shift : 0)))
                * (judged.isFinite && judged > 0 ? judged : 1)
            let over = v - planned - g.pointee.speedMargin
            if over > 0 { guarded.pedal = min(guarded.pedal, Float(-min(g.pointee.brakeGain * over, 1))) }
        }

        // Line: the expert's path law (ExpertDriver: the lateral error predicted one preview distance along the
        // car's course, the course taken against the line's direction). In traffic the line is the expert's traffic
        // target: the command's line moved clear of the cars alongside and of those ahead it would cut across.
        let here = spot ?? encoder.locate(view.s)
        var target = encoder.targetLateral(here, offsetCommand: offsetCommand.isFinite ? offsetCommand : 0)
        if inTraffic {
            let widthLeft = encoder.at(ObservationEncoder.Column.widthLeft, here)
            let widthRight = encoder.at(ObservationEncoder.Column.widthRight, here)
            target = encoder.plan.trafficTarget(target, lateral: view.lateral, nearby: viewAt.pointer(to: \.nearby)!,
                                                widthLeft: widthLeft, widthRight: widthRight, settings: expertSettings)
            let offTrack = view.lateral > widthLeft || view.lateral < -widthRight
            let slow = v < g.pointee.rejoinSpeedShare * encoder.at(ObservationEncoder.Column.planSpeed, here)
            if (slow && carClosing(g, viewAt))
                || (offTrack && carBeside(g, viewAt, carLength: encoder.plan.carLength, widthLeft: widthLeft,
                                          widthRight: widthRight)) {
                // Rejoining with a car coming, or off the track with a car on it beside or just behind: off the
                // track, where it is (no nearer the track); on it, this car's side of the racing line, out at the edge.
                let edge = encoder.plan.halfWidth + g.pointee.rejoinEdgeMargin
                if offTrack {
                    target = view.lateral
                } else {
                    target = view.lateral >= encoder.at(ObservationEncoder.Column.lineOffset, here)
                        ? max(target, widthLeft - edge) : min(target, edge - widthRight)
                }
            }
        }
        // Turning, alone and on the track: well short of the lock a tight corner's line takes, towards the expert's
        // steering.
        var expert: Double? = nil
        if !inTraffic && g.pointee.turnShortfall > 0 {
            let curvature = encoder.at(ObservationEncoder.Column.lineCurvature, here)
            if abs(curvature) > g.pointee.turnCurvature,
               view.lateral < encoder.at(ObservationEncoder.Column.widthLeft, here),
               view.lateral > -encoder.at(ObservationEncoder.Column.widthRight, here) {
                let steering = Double(guarded.steering)
                let lineSteer = encoder.at(ObservationEncoder.Column.lineSteer, here)
                let short = (curvature > 0 ? lineSteer - steering : steering - lineSteer) - g.pointee.turnShortfall
                if short > 0 {
                    let wanted = expertSteering(observation, speed: v, target: target, encoder: encoder)
                    expert = wanted
                    let moved = steering + min(short / g.pointee.turnRange, 1) * (wanted - steering)
                    guarded.steering = Float(curvature > 0 ? max(steering, moved) : min(steering, moved))
                }
            }
        }
        let lineAngle = encoder.at(ObservationEncoder.Column.lineAngle, here)
        let preview = max(ObservationEncoder.minimumPreview, v * ObservationEncoder.previewTime)
        // A bound first, without the transcendental functions or a division: |sin x| <= |x| and |atan y| <= |y|,
        // so the predicted error is at most |lateral - target| + preview min(|heading - line| + |vy| / v, 1); the
        // test is that bound times v (plus a rounding allowance). Most decisions end here.
        let apart = abs(view.lateral - target) * v
        let turned = abs(view.headingError - lineAngle) * v + abs(view.lateralSpeed)
        guard apart + preview * min(turned, v) > (g.pointee.errorThreshold - 1e-9) * v else { return guarded }
        let course = view.headingError + atan2(view.lateralSpeed, v) - lineAngle
        let predicted = view.lateral + preview * sin(course) - target
        let excess = abs(predicted) - g.pointee.errorThreshold
        guard excess > 0 else { return guarded }
        let share = min(excess / g.pointee.errorRange, 1)
        let wanted = expert ?? expertSteering(observation, speed: v, target: target, encoder: encoder)
        let steering = Double(guarded.steering)
        let moved = steering + share * (wanted - steering)
        // Left of the line (predicted > 0) the correction is to the right (lower steering), and the reverse.
        guarded.steering = Float(predicted > 0 ? min(steering, moved) : max(steering, moved))
        if guarded.pedal > 0 && (!inTraffic || clearBehind(g, viewAt, carLength: encoder.plan.carLength)) {
            guarded.pedal *= Float(1 - g.pointee.lift * share)
        }
        return guarded
    }

    /// The expert's steering for the car of `observation` (speed `v`, aiming at lateral offset `target`), without
    /// the driver's state (``ExpertDriver/steeringLaw(plan:settings:view:speed:target:axles:frontLongitudinal:rearLongitudinal:)``):
    /// the load transfer from the acceleration the car feels, the axles' longitudinal forces from the held action's
    /// pedal, fresh tyres.
    @inline(__always)
    static func expertSteering(_ observation: UnsafePointer<Observation>, speed v: Double, target: Double,
                               encoder: ObservationEncoder) -> Double {
        let plan = encoder.plan, m = plan.car
        let view = observation.pointee.view
        let ax = view.longitudinalAcceleration.isFinite ? min(max(view.longitudinalAcceleration, -60), 30) : 0
        let grip = plan.track.surface(s: view.s, lateral: view.lateral).gripFactor
        let axles = m.axles(ax: ax, speedSquared: v * v + view.lateralSpeed * view.lateralSpeed, gripFactor: grip)
        let pedal = Double(observation.pointee.previousAction.pedal)
        let held = pedal.isFinite ? min(max(pedal, -1), 1) : 0
        let front = held < 0 ? held * m.maxBrakeForce * m.brakeFront : 0
        let rear = held < 0 ? held * m.maxBrakeForce * (1 - m.brakeFront) : held * m.engineForce(v)
        return ExpertDriver.steeringLaw(plan: plan, settings: expertSettings, view: view, speed: v, target: target,
                                        axles: axles, frontLongitudinal: front, rearLongitudinal: rear).steering
    }

    /// Whether no car is within a car length plus ``liftGapBehind`` behind the car of the view at `viewAt`.
    @inline(__always)
    static func clearBehind(_ g: UnsafePointer<TrackGuard>, _ viewAt: UnsafePointer<DriverView>, carLength: Double) -> Bool {
        let reach = carLength + g.pointee.liftGapBehind
        return !NearbyCars.withCars(at: viewAt.pointer(to: \.nearby)!) { cars in
            cars.contains { $0.gap < 0 && $0.gap > -reach }
        }
    }

    /// Whether a car on the track (its centre within `widthLeft` and `widthRight` of the centreline, this car's own
    /// widths) is beside the car of the view at `viewAt` or within a car length plus ``rejoinGapBehind`` behind it
    /// (ahead by up to a car length plus ``ExpertSettings/alongsideMargin`` counts as beside).
    @inline(__always)
    static func carBeside(_ g: UnsafePointer<TrackGuard>, _ viewAt: UnsafePointer<DriverView>, carLength: Double,
                          widthLeft: Double, widthRight: Double) -> Bool {
        let behind = g.pointee.rejoinGapBehind
        guard behind >= 0 else { return false }
        let back = -(carLength + behind), front = carLength + expertSettings.alongsideMargin
        return NearbyCars.withCars(at: viewAt.pointer(to: \.nearby)!) { cars in
            cars.contains { $0.gap > back && $0.gap < front && $0.lateral <= widthLeft && $0.lateral >= -widthRight }
        }
    }

    /// Whether a car behind the car of the view at `viewAt` closes on it faster than ``rejoinClosing`` and would reach
    /// it within ``rejoinWarning``.
    @inline(__always)
    static func carClosing(_ g: UnsafePointer<TrackGuard>, _ viewAt: UnsafePointer<DriverView>) -> Bool {
        let closing = g.pointee.rejoinClosing, warning = g.pointee.rejoinWarning
        return NearbyCars.withCars(at: viewAt.pointer(to: \.nearby)!) { cars in
            cars.contains { $0.gap < 0 && $0.speedDifference > closing && -$0.gap < warning * $0.speedDifference }
        }
    }

    /// The expert's default settings, whose path and steering gains the guard steers by.
    static let expertSettings = ExpertSettings()
}
