import Foundation
import Sim

/// A model-based driver: follows a racing line plus a commanded lateral offset at the speed of a per-axle
/// quasi-steady-state speed plan (``ExpertPlan``).
///
/// - Path: the line's curvature read slightly ahead, plus a preview correction of the lateral error predicted
///   along the car's course (body slip included), within what the axles can hold at this speed.
/// - Steering: a yaw-rate controller in the force domain. The yaw-rate reference is the path's, plus the
///   rotation that sets up the body slip the rear axle needs for its share of the cornering force. The rear
///   axle's force follows from its slip; the front force that gives the wanted yaw acceleration is turned into a
///   front slip through the inverse magic formula, saturated at the tyre's peak, and the road-wheel angle is that
///   slip plus the front axle's course. A sliding rear (oversteer) lowers the front force asked for, down to
///   counter-steer; a saturated front (understeer) is never asked for more than its peak.
/// - Speed: the plan's speed read slightly ahead with its acceleration as feed-forward, turned into drive or brake
///   force with drag, rolling resistance and the tyres' cornering drag. Drive and brake are limited per axle to
///   what the cornering load leaves of each friction ellipse, on the tabulated steady loads and on the loads of
///   the next step (trail braking, traction). Tyre wear is estimated from the tyres' work; an axle that locks
///   under braking lowers the grip the driver trusts for a while.
/// - Traffic: a following distance to a car ahead whose path it meets, no cutting across a close car ahead, side
///   clearance to cars alongside, and giving way (dropping back) to a car alongside that is ahead.
///
/// It is the teacher of the learned policy and the yardstick of every persona. `decide` does not allocate, lock
/// or throw; it reads the plan's tables and does no root-finding.
public final class ExpertDriver: Driver {
    /// What it drives by: line, speed plan, tabulated limits and car model.
    public let plan: ExpertPlan
    /// Its tuning. The plan's grip shares come from the settings the plan was built with.
    public let settings: ExpertSettings
    /// Lateral offset (m, positive = left) commanded on top of the racing line; racecraft steers through it.
    /// The target stays inside the track limits less the line's margin.
    public var offsetCommand: Double = 0
    /// Where the speed plan is read relative to the car (m, positive = further on: brakes early); see
    /// ``Observation/speedPlanShift``. 0 for the expert itself.
    public var speedPlanShift: Double = 0
    /// Factor on the planned speeds as the driver judges them (see ``Observation/speedPlanScale``); 1 for the expert.
    public var speedPlanScale: Double = 1

    /// Speed and time at the last decision, and the longitudinal acceleration since (the load transfer).
    private var lastSpeed = 0.0
    private var lastTime = -1.0
    private var acceleration = 0.0
    /// Longitudinal force asked of each axle at the last decision (N, positive = driving).
    private var frontLongitudinal = 0.0
    private var rearLongitudinal = 0.0
    /// Brake input of the last decision (0 when it also opened the throttle) and the deceleration it should give.
    private var lastBrake = 0.0
    private var expectedDeceleration = 0.0
    /// Tyre force of the last decision (N, both axles) and the tyre wear estimated from the work so far (0...1).
    private var tyreForce = 0.0
    private var wear = 0.0
    /// Share of the modelled grip the brakes trust after an axle locked (0.85...1).
    private var gripTrust = 1.0

    public var decisionInterval: Double { settings.decisionInterval }

    /// A driver following `plan`.
    public init(plan: ExpertPlan, settings: ExpertSettings = ExpertSettings()) {
        self.plan = plan
        self.settings = settings
    }

    public func decide(_ view: DriverView) -> CarControls {
        let view = view.sanitized
        let p = plan
        let m = p.car
        let v = max(view.speed, 0)
        let vy = view.lateralSpeed
        let s = view.s
        let sample = p.track.sample(at: s)

        observe(view, v: v)
        let tyreGrip = 1 - m.gripLossAtFullWear * wear
        let grip = p.track.surface(s: s, lateral: view.lateral).gripFactor * tyreGrip
        let axles = m.axles(ax: acceleration, speedSquared: v * v + vy * vy, gripFactor: grip)
        let (target, speedCap) = traffic(view, v: v, sample: sample)

        let law = Self.steeringLaw(plan: p, settings: settings, view: view, speed: v, target: target, axles: axles,
                                   frontLongitudinal: frontLongitudinal, rearLongitudinal: rearLongitudinal)
        let steering = law.steering, kappaLine = law.kappaLine, kappa = law.kappa, frontSlip = law.frontSlip
        let frontCapacity = law.frontCapacity
        let rearForce = law.rearForce, rearSlip = law.rearSlip

        // Speed: the plan read ahead (for fresh tyres: corner speeds scale with the square root of the grip,
        // accelerations with it), its acceleration as feed-forward, capped behind traffic.
        let lead = s + v * settings.speedLead + (speedPlanShift.isFinite ? speedPlanShift : 0)
        let judged = speedPlanScale.isFinite && speedPlanScale > 0 ? speedPlanScale : 1
        let planned = p.at(p.speed, lead) * tyreGrip.squareRoot() * judged
        let vTarget = min(planned, speedCap)
        let aFF = speedCap < planned ? 0 : p.at(p.acceleration, lead) * tyreGrip * judged * judged
        let frontLateral = frontCapacity * m.lateralShape(frontSlip)
        let resist = m.halfRhoCdA * v * v + m.rollingCoefficient * (axles.frontLoad + axles.rearLoad)
            + abs(frontLateral * frontSlip) + abs(rearForce * rearSlip)
        let force = m.mass * (aFF + settings.speedGain * (vTarget - v)) + resist

        // Pedals within what the cornering load leaves of each axle's ellipse: on the tabulated steady loads and on
        // the loads of the next step (the last acceleration's transfer: the load moves only as the car's
        // acceleration does). Too fast for the plan, the load is taken at the target speed, so the car slows down.
        let needSpeed = min(v, vTarget + settings.overspeedAllowance)
        let lateralNeed = needSpeed * needSpeed * max(abs(kappaLine), abs(kappa))
        let frontNeed = m.mass * lateralNeed * m.cogToRear / m.wheelbase
        let rearNeed = m.mass * lateralNeed * m.cogToFront / m.wheelbase
        let rearSliding = abs(rearSlip) > m.peakSlip
        let share = ExpertCarModel.longitudinalShare
        var throttle = 0.0, brake = 0.0
        if force >= 0 {
            let steady = p.limits.value(p.limits.driveForce, speed: v, lateral: lateralNeed / grip) * grip
            let now = axles.rearLongitudinal * share(rearNeed, axles.rearLateral, settings.rearAxleShare)
            let drive = rearSliding ? 0 : min(force, steady, now)
            throttle = min(drive / m.engineForce(v), 1)
            frontLongitudinal = 0
            rearLongitudinal = throttle * m.engineForce(v)
        } else {
            let needed = -force / m.maxBrakeForce
            let steady = p.limits.value(p.limits.brakeInput, speed: v, lateral: lateralNeed / grip) * grip
            let frontNow = axles.frontLongitudinal * share(frontNeed, axles.frontLateral, settings.frontAxleShare)
                / (m.maxBrakeForce * m.brakeFront)
            let rearNow = rearSliding ? 0 : axles.rearLongitudinal
                * share(rearNeed, axles.rearLateral, settings.rearAxleShare) / (m.maxBrakeForce * (1 - m.brakeFront))
            let limit = min(steady, frontNow, rearNow) * gripTrust
            let straight = p.limits.straight(p.limits.straightBrakeInput, speed: v) * grip
            brake = min(needed, max(limit, settings.minimumBrakeShare * min(needed, straight)), 1)
            frontLongitudinal = -brake * m.maxBrakeForce * m.brakeFront
            rearLongitudinal = -brake * m.maxBrakeForce * (1 - m.brakeFront)
        }
        if vTarget < 0.5 && v < 0.5 {
            throttle = 0
            brake = max(brake, 0.3)
        }
        lastBrake = throttle > 0 ? 0 : brake
        expectedDeceleration = (brake * m.maxBrakeForce + resist) / m.mass
        tyreForce = (frontLateral * frontLateral + frontLongitudinal * frontLongitudinal).squareRoot()
            + (rearForce * rearForce + rearLongitudinal * rearLongitudinal).squareRoot()
        return CarControls(steering: steering, throttle: throttle, brake: brake)
    }

    /// What the steering law of ``decide(_:)`` works out for one decision.
    struct SteeringLaw {
        /// Steering, -1...1.
        var steering: Double
        /// The line's curvature read ahead, and the path's (1/m).
        var kappaLine: Double
        var kappa: Double
        /// The front slip asked for (tan alpha) and the front axle's lateral capacity left by its longitudinal force (N).
        var frontSlip: Double
        var frontCapacity: Double
        /// The rear axle's lateral force and slip now.
        var rearForce: Double
        var rearSlip: Double
    }

    /// The expert's steering (the path, yaw-rate and front-slip law of the type's description) for a car with
    /// `view` (finite) at speed `v` (at least 0) aiming at lateral offset `target`, with `axles` (its loads and peak
    /// forces) and the longitudinal force on each axle (N, + = driving). Shared by ``decide(_:)`` and the
    /// ``TrackGuard``, which reads it without the driver's state.
    @inline(__always)
    static func steeringLaw(plan p: ExpertPlan, settings: ExpertSettings, view: DriverView, speed v: Double,
                            target: Double, axles: ExpertCarModel.Axles, frontLongitudinal: Double,
                            rearLongitudinal: Double) -> SteeringLaw {
        let m = p.car
        let vx = max(view.speed, 1)
        let vy = view.lateralSpeed
        let r = view.yawRate
        let s = view.s
        // Path: the line's curvature ahead, plus the predicted lateral error along the car's course, within the
        // lateral acceleration the axles can hold in balance (with what the pedals take of them).
        let beta = atan2(vy, vx)
        let course = view.headingError + beta - p.at(p.lineAngle, s)
        let preview = max(settings.minimumPreview, v * settings.previewTime)
        let predicted = view.lateral + preview * sin(course) - target
        let kappaLine = p.at(p.line.curvature, s + v * settings.curvatureLead)
        let frontUse = min(abs(frontLongitudinal) / axles.frontLongitudinal, 1)
        let rearUse = min(abs(rearLongitudinal) / axles.rearLongitudinal, 1)
        let frontCapacity = axles.frontLateral * (1 - frontUse * frontUse).squareRoot()
        let rearCapacity = axles.rearLateral * (1 - rearUse * rearUse).squareRoot()
        let lateralLimit = min(frontCapacity * m.wheelbase / m.cogToRear, rearCapacity * m.wheelbase / m.cogToFront)
            / m.mass
        let kappaLimit = lateralLimit / max(v * v, 1)
        let kappa = min(max(kappaLine - 2 * predicted / (preview * preview), -kappaLimit), kappaLimit)

        // Yaw rate: the path's, plus the rotation that sets up the body slip the rear axle needs for its share of
        // the cornering force (beta = b kappa - rear slip); a rear sliding beyond it lowers the reference.
        let rearShare = m.mass * v * v * kappa * m.cogToFront / m.wheelbase
        let rearSlipTarget = m.slip(atFraction: rearCapacity > 0 ? rearShare / rearCapacity : 0)
        let betaTarget = m.cogToRear * kappa - rearSlipTarget
        let yawRateTarget = v * kappa - settings.slipGain * (betaTarget - beta)
        // Steering: the front force for the wanted yaw acceleration against the rear axle's actual force, as a
        // front slip within the tyre's peak, plus the front axle's course.
        let rearSlip = -(vy - m.cogToRear * r) / vx
        let rearForce = rearCapacity * m.lateralShape(rearSlip)
        let yawAcceleration = settings.yawGain * (yawRateTarget - r)
        let frontForce = (m.yawInertia * yawAcceleration + m.cogToRear * rearForce) / m.cogToFront
        let frontSlip = frontCapacity > 0 ? m.slip(atFraction: frontForce / frontCapacity) : 0
        var delta = atan2(vy + m.cogToFront * r, vx) + atan(frontSlip)
        if v < VehicleModel.dynamicSpeed {
            // Low speed: blend to the kinematic bicycle, as the car model does.
            let w = max(0, (v - VehicleModel.kinematicSpeed) / (VehicleModel.dynamicSpeed - VehicleModel.kinematicSpeed))
            delta = w * delta + (1 - w) * atan(m.wheelbase * kappa)
        }
        let steering = min(max(delta / m.maxSteer, -1), 1)
        return SteeringLaw(steering: steering, kappaLine: kappaLine, kappa: kappa, frontSlip: frontSlip,
                           frontCapacity: frontCapacity, rearForce: rearForce, rearSlip: rearSlip)
    }

    /// Updates what the driver learns between decisions: the longitudinal acceleration (the load transfer), the
    /// tyre wear (the work the tyres did, at the car model's wear rate times the settings' multiplier) and the grip it trusts under
    /// braking (a deceleration clearly below what the brake force should give means an axle locked).
    @inline(__always)
    private func observe(_ view: DriverView, v: Double) {
        let dt = view.time - lastTime
        if lastTime >= 0, dt > 1e-6, dt < 0.2 {
            acceleration = min(max((v - lastSpeed) / dt, -60), 30)
            let rate = settings.tyreWearMultiplier.isFinite ? min(max(settings.tyreWearMultiplier, 0), 100) : 1
            wear = min(wear + rate * plan.car.wearPerJoule * tyreForce * v * dt, 1)
            if lastBrake > 0.3, expectedDeceleration > 3, abs(view.yawRate) < 0.05, abs(view.lateralSpeed) < 0.5 {
                if -acceleration < settings.lockRatio * expectedDeceleration {
                    gripTrust = max(gripTrust * 0.98, 0.85)
                } else {
                    gripTrust = min(gripTrust + settings.gripRecovery * dt, 1)
                }
            }
        } else {
            acceleration = 0
        }
        lastSpeed = v
        lastTime = view.time
    }

    /// The lateral target and the speed cap of traffic (``ExpertPlan/traffic(_:speed:sample:offsetCommand:settings:)``).
    @inline(__always)
    private func traffic(_ view: DriverView, v: Double, sample: TrackSample) -> (target: Double, speedCap: Double) {
        plan.traffic(view, speed: v, sample: sample, offsetCommand: offsetCommand, settings: settings)
    }
}
