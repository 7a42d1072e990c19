import Foundation
import Sim

/// Tuning of the ``ExpertDriver``. SI units; the defaults drive every shipped car on every shipped circuit.
public struct ExpertSettings: Sendable, Equatable {
    /// Seconds between decisions (default 1/60 s).
    public var decisionInterval: Double = 1.0 / 60
    /// Fraction of the car's grip the speed plan uses (default 0.97).
    public var gripScale: Double = 0.97
    /// Fraction of the rear axle's grip the speed plan uses while the rear also brakes or drives in a corner.
    public var rearGripScale: Double = 0.95
    /// Share of the rear axle's lateral peak kept free of braking and drive even in a straight line (0...0.9): the
    /// rear tyres' cornering stiffness is what keeps the car straight.
    public var rearReserve: Double = 0
    /// Path-tracking preview time (s): the lateral error is predicted this far ahead.
    public var previewTime: Double = 0.5
    /// Minimum preview distance (m).
    public var minimumPreview: Double = 8
    /// Time (s) by which the line's curvature is read ahead of the car (steering lag).
    public var curvatureLead: Double = 0.08
    /// Time (s) by which the speed target is read ahead of the car.
    public var speedLead: Double = 0.05
    /// Speed-error gain (1/s): commanded acceleration per m/s of speed error.
    public var speedGain: Double = 4
    /// Yaw-rate gain (1/s): yaw acceleration asked per rad/s of yaw-rate error.
    public var yawGain: Double = 8
    /// Share of the rear axle's longitudinal grip, left over by its cornering load, that the throttle uses (0...1).
    public var tractionShare: Double = 0.99
    /// Body-slip gain (1/s): extra yaw rate per radian of body slip short of what the rear axle needs.
    public var slipGain: Double = 5
    /// Largest share of the rear axle's lateral capacity the body-slip target asks for (0...1): the rear tyre's
    /// curve is flat near its peak, so the last few percent cost a lot of slip and stability.
    public var rearSlipFraction: Double = 1
    /// Share of the axles' balanced cornering limit the path tracking may ask for (0...1).
    public var lateralReserve: Double = 1
    /// Share of each axle's longitudinal grip, left over by its cornering load, that the brakes use (0...1).
    public var brakeShare: Double = 0.99
    /// Share of the rear axle's longitudinal grip, left over by its cornering load, that the brakes use (0...1).
    public var rearBrakeShare: Double = 0.97
    /// Measured over expected deceleration below which a braking axle is taken to have locked (0...1).
    public var lockRatio: Double = 0.88
    /// How fast trust in the grip comes back after a lock (1/s).
    public var gripRecovery: Double = 0.02
    /// Fastest rise of the brake input (1/s; 0 = instant).
    public var brakeRate: Double = 0
    /// Share of the asked-for braking applied even when cornering leaves no grip for it (0...1): a car too fast
    /// for the corner ahead still slows down.
    public var minimumBrakeShare: Double = 0.3
    /// Time gap kept to a car ahead on the same line (s).
    public var followTimeGap: Double = 0.45
    /// Minimum bumper-to-bumper distance kept to a car ahead (m).
    public var followMinimumGap: Double = 2.5
    /// Lateral clearance kept to a car alongside (m, between the two cars' sides).
    public var sideClearance: Double = 0.5

    public init() {}
}

/// A model-based driver: follows a racing line plus a commanded lateral offset at the speed of a
/// quasi-steady-state speed profile.
///
/// - Path: the line's curvature read slightly ahead, plus a preview correction of the predicted lateral error
///   (along the car's course, body slip included), gives a yaw-rate reference.
/// - Steering: a yaw-rate controller in the force domain. The rear axle's lateral force follows from its slip;
///   the front force that gives the wanted yaw acceleration is turned into a front slip through the inverse
///   magic formula, saturated at the tyre's peak, and the road-wheel angle is that slip plus the front axle's
///   course. Sliding rear (oversteer) therefore lowers the front force asked for, down to counter-steer.
/// - Speed: the profile's speed read slightly ahead with its acceleration as feed-forward, turned into drive
///   or brake force with drag, rolling and cornering drag; the throttle is limited to the rear grip the
///   cornering load leaves, the brake to what either axle's cornering load leaves (trail braking).
/// - Traffic: a following distance to the car ahead and side clearance to cars alongside.
///
/// It is the teacher of the learned policy and the yardstick of every persona. `decide` does not allocate,
/// lock or throw.
public final class ExpertDriver: Driver {
    /// What it drives by: line, speed profile and car model.
    public let plan: ExpertPlan
    /// Its tuning.
    public let settings: ExpertSettings
    /// Lateral offset (m, positive = left) commanded on top of the racing line; racecraft steers through it.
    /// The target stays inside the track limits less the line's margin.
    public var offsetCommand: Double = 0

    /// Speed and time at the last decision, for the longitudinal acceleration (the load transfer).
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
    /// Share of the modelled grip the driver trusts after sliding under braking (0.85...1).
    private var gripTrust = 1.0

    public var decisionInterval: Double { settings.decisionInterval }
    let debugLocks = ProcessInfo.processInfo.environment["DBGLOCK"] != nil
    let debugWindow: (Double, Double)? = {
        guard let t = ProcessInfo.processInfo.environment["DBGT"].flatMap(Double.init) else { return nil }
        return (t, t + (ProcessInfo.processInfo.environment["DBGL"].flatMap(Double.init) ?? 0.5))
    }()

    /// A driver following `plan`.
    public init(plan: ExpertPlan, settings: ExpertSettings = ExpertSettings()) {
        self.plan = plan
        self.settings = settings
    }

    public func decide(_ view: DriverView) -> CarControls {
        let p = plan
        let m = p.car
        let track = p.track
        let v = max(view.speed, 0)
        let vx = max(view.speed, 1)
        let vy = view.lateralSpeed
        let r = view.yawRate
        let s = view.s
        let sample = track.sample(at: s)
        let margin = p.line.parameters.margin

        // Longitudinal acceleration since the last decision: the load transfer the tyres carry now.
        let dt = view.time - lastTime
        if lastTime >= 0, dt > 1e-6, dt < 0.2 {
            acceleration = min(max((v - lastSpeed) / dt, -60), 30)
        } else {
            acceleration = 0
        }
        if lastTime >= 0, dt > 1e-6, dt < 0.2 {
            // Tyre wear as the work the tyres did since the last decision (the car model's wear law at the default
            // rate), and an anti-lock check: braking that decelerates clearly less than the brake force should
            // means an axle slid, so trust the grip a little less (and regain it slowly).
            wear = min(wear + m.wearPerJoule * tyreForce * v * dt, 1)
            if lastBrake > 0.3, expectedDeceleration > 3, abs(r) < 0.05, abs(vy) < 0.5 {
                if -acceleration < settings.lockRatio * expectedDeceleration {
                    gripTrust = max(gripTrust * 0.98, 0.85)
                    if debugLocks { print(String(format: "LOCK t %.3f s %.1f v %.2f meas %.2f exp %.2f brake %.3f trust %.3f", view.time, s, v, -acceleration, expectedDeceleration, lastBrake, gripTrust)) }
                } else {
                    gripTrust = min(gripTrust + settings.gripRecovery * dt, 1)
                }
            }
        }
        lastSpeed = v
        lastTime = view.time
        let tyreGrip = 1 - m.gripLossAtFullWear * wear
        let grip = track.surface(s: s, lateral: view.lateral).gripFactor * tyreGrip
        let axles = m.axles(ax: acceleration, speedSquared: v * v + vy * vy, gripFactor: grip)

        // Lateral target: the racing line plus the commanded offset, kept clear of cars alongside.
        var target = min(max(p.at(p.line.offset, s) + offsetCommand, -sample.widthRight + margin),
                         sample.widthLeft - margin)
        var speedCap = Double.infinity
        let carWidth = 2 * p.halfWidth
        for k in 0..<view.nearby.count {
            let other = view.nearby[k]
            if abs(other.gap) < p.carLength + 1 {
                let clearance = carWidth + settings.sideClearance
                if other.lateral >= view.lateral {
                    target = min(target, other.lateral - clearance)
                } else {
                    target = max(target, other.lateral + clearance)
                }
            } else if other.gap > 0 {
                let inPath = abs(other.lateral - view.lateral) < carWidth + 0.3
                    || abs(other.lateral - target) < carWidth + 0.3
                if inPath {
                    let otherSpeed = max(v + other.speedDifference, 0)
                    let room = other.gap - p.carLength - settings.followMinimumGap - settings.followTimeGap * otherSpeed
                    let decel = 0.5 * p.table(p.brakingTable, otherSpeed)
                    let safe = (otherSpeed * otherSpeed + 2 * decel * max(room, 0)).squareRoot()
                    speedCap = min(speedCap, room > 0 ? safe : otherSpeed * max(0, 1 + room / 8))
                }
            }
        }
        target = min(max(target, -sample.widthRight + p.halfWidth), sample.widthLeft - p.halfWidth)

        // Path: the line's curvature ahead, plus the predicted lateral error along the car's course.
        let beta = atan2(vy, vx)
        let course = view.headingError + beta - p.at(p.lineAngle, s)
        let preview = max(settings.minimumPreview, v * settings.previewTime)
        let predicted = view.lateral + preview * sin(course) - target
        let kappaLine = p.at(p.line.curvature, s + v * settings.curvatureLead)
        let frontUse = min(abs(frontLongitudinal) / axles.frontLongitudinal, 1)
        let rearUse = min(abs(rearLongitudinal) / axles.rearLongitudinal, 1)
        let frontCapacity = axles.frontLateral * (1 - frontUse * frontUse).squareRoot()
        let rearCapacity = axles.rearLateral * (1 - rearUse * rearUse).squareRoot()
        // The path's lateral acceleration stays within what the axles can hold in balance at this speed.
        let lateralLimit = min(frontCapacity * m.wheelbase / m.cogToRear, rearCapacity * m.wheelbase / m.cogToFront)
            / m.mass
        let kappaLimit = settings.lateralReserve * lateralLimit / max(v * v, 1)
        let kappa = min(max(kappaLine - 2 * predicted / (preview * preview), -kappaLimit), kappaLimit)
        // Yaw rate: the path's, plus the rotation that sets up the body slip the rear axle needs for its share
        // of the cornering force (beta = b kappa - rear slip); a sliding rear (beta beyond it) lowers it.
        let rearShare = m.mass * v * v * kappa * m.cogToFront / m.wheelbase
        let rearFraction = rearCapacity > 0 ? rearShare / rearCapacity : 0
        let rearSlipTarget = m.slip(atFraction: min(max(rearFraction, -settings.rearSlipFraction), settings.rearSlipFraction))
        let betaTarget = m.cogToRear * kappa - rearSlipTarget
        let yawRateTarget = v * kappa - settings.slipGain * (betaTarget - beta)
        let rearSlip = -(vy - m.cogToRear * r) / vx
        let rearForce = rearCapacity * m.lateralShape(rearSlip)
        let yawAcceleration = settings.yawGain * (yawRateTarget - r)
        let frontForce = (m.yawInertia * yawAcceleration + m.cogToRear * rearForce) / m.cogToFront
        let frontSlip = frontCapacity > 0 ? m.slip(atFraction: frontForce / frontCapacity) : 0
        let frontCourse = atan2(vy + m.cogToFront * r, vx)
        var delta = frontCourse + atan(frontSlip)
        if v < VehicleModel.dynamicSpeed {
            // Low speed: blend to the kinematic bicycle, as the car model does.
            let w = max(0, (v - VehicleModel.kinematicSpeed) / (VehicleModel.dynamicSpeed - VehicleModel.kinematicSpeed))
            delta = w * delta + (1 - w) * atan(m.wheelbase * kappa)
        }
        let steering = min(max(delta / m.maxSteer, -1), 1)
        if let w = debugWindow, view.time >= w.0, view.time <= w.1 {
            print(String(format: "DBG t %.3f v %.2f r %.3f rT %.3f kap %.5f kL %.5f kLim %.5f beta %.4f betaT %.4f aRT %.4f aR %.4f Fr %.0f rCap %.0f fCap %.0f Ff %.0f aF %.4f fC %.4f d %.4f ax %.2f", view.time, v, r, yawRateTarget, kappa, kappaLine, kappaLimit, beta, betaTarget, rearSlipTarget, rearSlip, rearForce, rearCapacity, frontCapacity, frontForce, frontSlip, frontCourse, delta, acceleration))
        }

        // Speed: the profile read ahead, its acceleration as feed-forward, capped behind traffic.
        let lead = s + v * settings.speedLead
        // The plan is for fresh tyres: corner speeds scale with the square root of the grip, accelerations with it.
        let planned = p.at(p.speed, lead) * tyreGrip.squareRoot()
        let vTarget = min(planned, speedCap)
        let aFF = speedCap < planned ? 0 : p.at(p.acceleration, lead) * tyreGrip
        let aCmd = aFF + settings.speedGain * (vTarget - v)
        let frontLateralNow = frontCapacity * m.lateralShape(frontSlip)
        let resist = m.halfRhoCdA * v * v + m.rollingCoefficient * (axles.frontLoad + axles.rearLoad)
            + (ProcessInfo.processInfo.environment["OLDRESIST"] != nil ? abs(frontLateralNow * sin(delta)) : abs(frontLateralNow * frontSlip) + abs(rearForce * rearSlip))
        let force = m.mass * aCmd + resist
        // Cornering load: what the plan or the path asks at this speed, whichever is more. The tabulated limits
        // hold for steady loads; the loads of the next step (the last acceleration's transfer) bound them too,
        // since the load moves only as the car's acceleration does.
        let lateralNeed = max(v * v * abs(kappaLine), v * v * abs(kappa))
        let frontNeed = m.mass * lateralNeed * m.cogToRear / m.wheelbase
        let rearNeed = m.mass * lateralNeed * m.cogToFront / m.wheelbase
        let rearSliding = abs(rearSlip) > m.peakSlip
        let share = ExpertCarModel.longitudinalShare
        var throttle = 0.0, brake = 0.0
        if force >= 0 {
            let steady = p.limits.value(p.limits.driveForce, speed: v, lateral: lateralNeed / grip) * grip
            let rearNow = axles.rearLongitudinal
                * share(max(rearNeed, settings.rearReserve * axles.rearLateral), axles.rearLateral, settings.rearBrakeShare)
            let drive = rearSliding ? 0 : min(force, steady, rearNow)
            throttle = min(drive / m.engineForce(v), 1)
            frontLongitudinal = 0
            rearLongitudinal = throttle * m.engineForce(v)
        } else {
            let needed = -force / m.maxBrakeForce
            let steady = p.limits.value(p.limits.brakeInput, speed: v, lateral: lateralNeed / grip) * grip
            let frontNow = axles.frontLongitudinal * share(frontNeed, axles.frontLateral, settings.brakeShare)
                / (m.maxBrakeForce * m.brakeFront)
            let rearNow = rearSliding ? 0 : axles.rearLongitudinal
                * share(max(rearNeed, settings.rearReserve * axles.rearLateral), axles.rearLateral, settings.rearBrakeShare)
                / (m.maxBrakeForce * (1 - m.brakeFront))
            let limit = min(steady, frontNow, rearNow) * gripTrust
            brake = min(needed, max(limit, settings.minimumBrakeShare * needed), 1)
            if let w = debugWindow, view.time >= w.0, view.time <= w.1 {
                print(String(format: "BRK t %.3f needed %.3f steady %.3f frontNow %.3f rearNow %.3f brake %.3f planA %.2f vT %.2f v %.2f latN %.2f ax %.2f", view.time, needed, steady, frontNow, rearNow, brake, p.at(p.acceleration, s), vTarget, v, lateralNeed, acceleration))
            }
            frontLongitudinal = -brake * m.maxBrakeForce * m.brakeFront
            rearLongitudinal = -brake * m.maxBrakeForce * (1 - m.brakeFront)
        }
        if vTarget < 0.5 && v < 0.5 { throttle = 0; brake = max(brake, 0.3) }
        lastBrake = throttle > 0 ? 0 : brake
        expectedDeceleration = (brake * m.maxBrakeForce + resist) / m.mass
        tyreForce = (frontLateralNow * frontLateralNow + frontLongitudinal * frontLongitudinal).squareRoot()
            + (rearForce * rearForce + rearLongitudinal * rearLongitudinal).squareRoot()
        return CarControls(steering: steering, throttle: throttle, brake: brake)
    }
}
