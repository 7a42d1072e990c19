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
    /// Speed the expert aims for at each line sample (m/s), planned at ``gripScale`` of each axle's grip.
    let speed: [Double]
    /// Planned longitudinal acceleration from each sample to the next (m/s^2).
    let acceleration: [Double]
    /// Lap time of a flying lap at the planned speeds (s).
    public let plannedLapTime: Double
    /// Fraction of the car's grip the plan uses (0.5...1).
    public let gripScale: Double
    /// Fraction of the rear axle's grip the plan uses while the rear also brakes or drives in a corner (0.5...1):
    /// a saturated rear axle spins the car, a saturated front one only runs wide, so the rear keeps more margin.
    public let rearGripScale: Double
    /// Fuel the plan assumes on board (kg): a full tank unless told otherwise, so the car is never heavier than planned.
    public let fuelMass: Double
    /// Angle of the line to the centreline at each sample (rad, positive = heading left of the track).
    let lineAngle: [Double]
    /// The car as the controller models it.
    let car: ExpertCarModel
    /// The combined limits the controller drives to (its own shares of each axle, a little above the plan's).
    let limits: ExpertLimits
    /// The steady straight-line braking limit at 1 m/s steps (m/s^2, drag included).
    let brakingTable: [Double]
    let halfWidth: Double
    let carLength: Double

    /// Builds (or takes from `cache`) the line and builds the profile for `car` on `track`.
    /// - Parameters:
    ///   - settings: the grip shares to plan with (``ExpertSettings/gripScale``, ``ExpertSettings/rearGripScale``,
    ///     ``ExpertSettings/rearReserve``).
    ///   - safetyMargin: distance the line keeps from each track limit beyond half the car's width (m).
    ///   - fuelMass: fuel on board to plan with (kg); nil means a full tank.
    public init(track: Track, car: CarSpec, settings: ExpertSettings = ExpertSettings(), safetyMargin: Double = 0.5,
                fuelMass: Double? = nil, cache: RacingLineCache = .shared) {
        self.track = track
        let model = VehicleModel(spec: car)
        self.model = model
        self.gripScale = min(max(settings.gripScale, 0.5), 1)
        self.rearGripScale = min(max(settings.rearGripScale, 0.5), 1)
        let fuel = max(fuelMass ?? car.powertrain.fuelCapacityKg, 0)
        self.fuelMass = fuel
        let line = cache.line(track: track, parameters: RacingLine.Parameters(
            vehicleWidth: car.chassis.overallWidthM, safetyMargin: safetyMargin))
        self.line = line
        lineAngle = (0..<track.count).map { i in
            remainder(line.heading[i] - track.heading[i], 2 * .pi)
        }
        let carModel = ExpertCarModel(car: car, fuelMass: fuel)
        self.car = carModel
        let reserve = min(max(settings.rearReserve, 0), 0.9)
        let planLimits = ExpertLimits(model: model, car: carModel, frontShare: self.gripScale,
                                      rearShare: self.rearGripScale, rearReserve: reserve, fuelMass: fuel)
        let profile = ExpertProfile(line: line, limits: planLimits, gripScale: self.gripScale)
        limits = ExpertLimits(model: model, car: carModel, frontShare: min(max(settings.brakeShare, 0.5), 1),
                              rearShare: min(max(settings.rearBrakeShare, 0.5), 1), rearReserve: reserve, fuelMass: fuel)
        if ProcessInfo.processInfo.environment["OLDPROFILE"] != nil {
            let old = SpeedProfile(line: line, vehicle: model, gripScale: self.gripScale, fuelMass: fuel)
            speed = old.speed
            acceleration = old.longitudinalAcceleration
            plannedLapTime = old.lapTime
        } else {
            speed = profile.speed
            acceleration = profile.acceleration
            plannedLapTime = profile.lapTime
        }
        halfWidth = car.chassis.overallWidthM / 2
        carLength = car.chassis.overallLengthM
        let top = Int(model.topSpeed(fuelMass: fuel).rounded(.up)) + 2
        brakingTable = (0...top).map { model.maxBrakingDeceleration(speed: Double($0), fuelMass: fuel) }
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
    public func plannedSpeed(at s: Double) -> Double { at(speed, s) }
}
