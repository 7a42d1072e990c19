import Foundation
import Sim

/// Tuning of the ``ExpertDriver``. SI units; the defaults drive every shipped car on every shipped circuit.
public struct ExpertSettings: Sendable, Equatable {
    /// Seconds between decisions (default 1/60 s).
    public var decisionInterval: Double = 1.0 / 60
    /// Fraction of the car's grip the speed plan uses (default 0.95).
    public var gripScale: Double = 0.95
    /// Path-tracking preview time (s): the lateral error is predicted this far ahead.
    public var previewTime: Double = 0.5
    /// Minimum preview distance (m).
    public var minimumPreview: Double = 8
    /// Time (s) by which the line's curvature is read ahead of the car (steering lag).
    public var curvatureLead: Double = 0.08
    /// Time (s) by which the speed target is read ahead of the car (actuator and load-transfer lag).
    public var speedLead: Double = 0.15
    /// Speed-error gain (1/s): commanded acceleration per m/s of speed error.
    public var speedGain: Double = 4
    /// Yaw-rate damping (s): steering angle fraction per rad/s of yaw-rate error.
    public var yawDamping: Double = 0.1
    /// Fraction of the drive the grip ellipse leaves that the expert uses while cornering (0...1).
    public var tractionShare: Double = 0.9
    /// Time gap kept to a car ahead on the same line (s).
    public var followTimeGap: Double = 0.45
    /// Minimum bumper-to-bumper distance kept to a car ahead (m).
    public var followMinimumGap: Double = 2.5
    /// Lateral clearance kept to a car alongside (m, between the two cars' sides).
    public var sideClearance: Double = 0.5

    public init() {}
}

/// A model-based driver: follows a racing line plus a commanded lateral offset at the speed of a
/// quasi-steady-state speed profile, with curvature feed-forward and preview feedback on the path, a
/// feed-forward plus proportional speed controller, a following distance to the car ahead and side clearance
/// to cars alongside. It is the teacher of the learned policy and the yardstick of every persona.
///
/// `decide` does not allocate, lock or throw.
public final class ExpertDriver: Driver {
    /// What it drives by: line, speed profile and car limits.
    public let plan: ExpertPlan
    /// Its tuning.
    public let settings: ExpertSettings
    /// Lateral offset (m, positive = left) commanded on top of the racing line; racecraft steers through it.
    /// The target stays inside the track limits less the line's margin.
    public var offsetCommand: Double = 0

    public var decisionInterval: Double { settings.decisionInterval }

    /// A driver following `plan`.
    public init(plan: ExpertPlan, settings: ExpertSettings = ExpertSettings()) {
        self.plan = plan
        self.settings = settings
    }

    public func decide(_ view: DriverView) -> CarControls {
        let p = plan
        let track = p.track
        let v = max(view.speed, 0)
        let s = view.s
        let sample = track.sample(at: s)
        let margin = p.line.parameters.margin

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
                    let decel = 0.5 * p.table(p.brakeInputTable, otherSpeed) * p.maxBrakeForce / p.mass
                    let safe = (otherSpeed * otherSpeed + 2 * decel * max(room, 0)).squareRoot()
                    speedCap = min(speedCap, room > 0 ? safe : otherSpeed * max(0, 1 + room / 8))
                }
            }
        }
        target = min(max(target, -sample.widthRight + p.halfWidth), sample.widthLeft - p.halfWidth)

        // Path tracking: the line's curvature as feed-forward, the predicted lateral error as feedback.
        let headingError = view.headingError - p.at(p.lineAngle, s)
        let preview = max(settings.minimumPreview, v * settings.previewTime)
        let predicted = view.lateral + preview * sin(headingError) - target
        let kappaLine = p.at(p.line.curvature, s + v * settings.curvatureLead)
        let kappa = kappaLine - 2 * predicted / (preview * preview)
        var delta = p.wheelbase * kappa + p.understeerGradient * v * v * kappa
        delta += settings.yawDamping * (v * kappa - view.yawRate)
        let steering = min(max(delta / p.maxSteer, -1), 1)

        // Speed: the profile read ahead, its acceleration as feed-forward, capped behind traffic.
        let lead = s + v * settings.speedLead
        let planned = p.at(p.profile.speed, lead)
        let vTarget = min(planned, speedCap)
        let aFF = speedCap < planned ? 0 : p.at(p.profile.longitudinalAcceleration, lead)
        let aCmd = aFF + settings.speedGain * (vTarget - v)
        let resist = (p.halfRhoCdA * v * v + p.rollingForce) / p.mass
        var throttle = 0.0, brake = 0.0
        if aCmd + resist >= 0 {
            let full = p.table(p.driveTable, v)
            throttle = full > 0 ? min((aCmd + resist) / full, 1) : 1
        } else {
            let needed = -(aCmd + resist) * p.mass / p.maxBrakeForce
            brake = min(needed, p.table(p.brakeInputTable, v))
        }
        // Combined grip: cornering load (now, or planned just ahead) leaves the rest of the ellipse to the pedals.
        let lateralNow = abs(v * view.yawRate)
        let lateralPlanned = abs(v * v * kappaLine)
        let usage = min(1, max(lateralNow, lateralPlanned) / (p.gripScale * p.table(p.lateralTable, v)))
        let ellipse = (1 - usage * usage).squareRoot() * settings.tractionShare
        if brake > 0 {
            let limit = p.table(p.brakeInputTable, v) * max(ellipse, 0.25)
            brake = min(brake, limit)
        }
        // Traction: the rear tyres also carry the cornering load, so the drive gets what the grip ellipse leaves.
        if throttle > 0 {
            let full = p.table(p.driveTable, v)
            let allowed = full * ellipse + resist
            throttle = min(throttle, full > 0 ? max(allowed / full, 0) : 1)
        }
        if vTarget < 0.5 && v < 0.5 { throttle = 0; brake = max(brake, 0.3) }
        return CarControls(steering: steering, throttle: throttle, brake: brake)
    }
}
