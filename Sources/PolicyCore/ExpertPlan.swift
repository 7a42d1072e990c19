import Foundation
import Sim

/// What an ``ExpertDriver`` plans with, per track and car: the racing line (offset, its angle to the
/// centreline, its curvature), a speed profile on it planned at a fraction of the grip, and the car's
/// longitudinal limits tabulated over speed so that deciding needs no root-finding. Immutable; one plan is
/// shared by every expert in the same car on the same track.
public final class ExpertPlan: Sendable {
    /// The circuit.
    public let track: Track
    /// The car model.
    public let model: VehicleModel
    /// The racing line.
    public let line: RacingLine
    /// The speed profile the expert aims for (planned at ``gripScale`` of the car's grip).
    public let profile: SpeedProfile
    /// Fraction of the car's grip the plan uses (0.5...1).
    public let gripScale: Double
    /// Angle of the line to the centreline at each sample (rad, positive = heading left of the track).
    let lineAngle: [Double]
    /// Full-throttle engine acceleration (before drag and rolling resistance) at 1 m/s steps (m/s^2).
    let driveTable: [Double]
    /// The largest brake input that locks no axle in steady straight-line braking, at 1 m/s steps (0...1).
    let brakeInputTable: [Double]
    /// The steady cornering limit at 1 m/s steps (m/s^2).
    let lateralTable: [Double]
    /// Car constants.
    let mass: Double
    let halfRhoCdA: Double
    let rollingForce: Double
    let maxBrakeForce: Double
    let wheelbase: Double
    let maxSteer: Double
    let understeerGradient: Double
    let halfWidth: Double
    let carLength: Double

    /// Builds (or takes from `cache`) the line and the profile for `car` on `track`.
    public init(track: Track, car: CarSpec, gripScale: Double = 0.95, safetyMargin: Double = 0.5,
                fuelMass: Double = 0, cache: RacingLineCache = .shared) {
        self.track = track
        let model = VehicleModel(spec: car)
        self.model = model
        self.gripScale = gripScale
        let line = cache.line(track: track, parameters: RacingLine.Parameters(
            vehicleWidth: car.chassis.overallWidthM, safetyMargin: safetyMargin))
        self.line = line
        profile = cache.profile(track: track, car: car, safetyMargin: safetyMargin, gripScale: gripScale)
        lineAngle = (0..<track.count).map { i in
            remainder(line.heading[i] - track.heading[i], 2 * .pi)
        }
        mass = model.totalMass(fuelMass: fuelMass)
        halfRhoCdA = 0.5 * VehicleModel.airDensity * car.aero.dragAreaM2
        rollingForce = car.tyre.rollingResistanceCoefficient * mass * VehicleModel.gravity
        maxBrakeForce = car.brakes.maxForceN
        wheelbase = car.chassis.wheelbaseM
        maxSteer = car.steering.maxAngleRad
        halfWidth = car.chassis.overallWidthM / 2
        carLength = car.chassis.overallLengthM
        let top = Int(model.topSpeed().rounded(.up)) + 2
        var drive = [Double](), brake = [Double](), lateral = [Double]()
        for v in 0...top {
            let speed = Double(v)
            let resist = (halfRhoCdA * speed * speed + rollingForce) / mass
            drive.append(model.maxDriveAcceleration(speed: speed, fuelMass: fuelMass) + resist)
            let decel = model.maxBrakingDeceleration(speed: speed, fuelMass: fuelMass)
            brake.append(min(1, max(0, (decel - resist) * mass / maxBrakeForce)))
            lateral.append(model.maxLateralAcceleration(speed: speed, fuelMass: fuelMass))
        }
        lateralTable = lateral
        driveTable = drive
        brakeInputTable = brake
        // Understeer gradient (rad per unit lateral acceleration, s^2/m * m... here per (v^2 kappa)): from the
        // axles' cornering stiffnesses B*C*D*Fz with the static load split.
        let lf = car.chassis.cogToFrontAxleM
        let lr = car.chassis.wheelbaseM - lf
        let fzFront = mass * VehicleModel.gravity * lr / car.chassis.wheelbaseM
        let fzRear = mass * VehicleModel.gravity * lf / car.chassis.wheelbaseM
        let t = car.tyre.lateral
        let cf = t.B * t.C * t.D * fzFront
        let cr = t.B * t.C * t.D * car.tyre.rearLateralGripRatio * fzRear
        understeerGradient = mass / car.chassis.wheelbaseM * (lr / cf - lf / cr)
    }

    /// Linear interpolation of a per-sample array at centreline arc length `s` (wrapped).
    @inline(__always)
    func at(_ a: [Double], _ s: Double) -> Double {
        let u = track.wrap(s) / track.spacing
        var i = Int(u)
        if i >= track.count { i = track.count - 1 }
        let f = u - Double(i)
        let j = i + 1 < track.count ? i + 1 : 0
        return a[i] + (a[j] - a[i]) * f
    }

    /// Interpolation of a 1 m/s speed table.
    @inline(__always)
    func table(_ a: [Double], _ speed: Double) -> Double {
        let u = min(max(speed, 0), Double(a.count - 1) - 1e-9)
        let i = Int(u)
        return a[i] + (a[i + 1] - a[i]) * (u - Double(i))
    }
}

extension ExpertPlan {
    /// The racing line's offset from the centreline at arc length `s` (m, positive = left).
    public func lineOffset(at s: Double) -> Double { at(line.offset, s) }
    /// The racing line's curvature at arc length `s` (1/m, positive = turning left).
    public func lineCurvature(at s: Double) -> Double { at(line.curvature, s) }
    /// The planned speed at arc length `s` (m/s).
    public func plannedSpeed(at s: Double) -> Double { at(profile.speed, s) }
}
