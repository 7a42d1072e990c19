import Foundation
import Sim

/// What an ``ExpertDriver`` drives by, per track and car: the racing line (offset, its angle to the centreline,
/// its curvature), a speed plan on it (``ExpertProfile``: per-axle combined limits at a share of the grip), and the
/// car's combined limits tabulated over speed and lateral acceleration (``ExpertLimits``), so that deciding needs
/// no root-finding. Immutable; one plan is shared by every expert in the same car on the same track.
public final class ExpertPlan: Sendable {
    /// The circuit.
    public let track: Track
    /// The car model.
    public let model: VehicleModel
    /// The racing line.
    public let line: RacingLine
    /// Lap time of a flying lap at the planned speeds (s).
    public let plannedLapTime: Double
    /// Fraction of the front axle's grip and of the cornering limit the plan uses (0.5...1).
    public let gripScale: Double
    /// Fraction of the rear axle's grip the plan uses while the rear also brakes or drives in a corner (0.5...1).
    public let rearGripScale: Double
    /// Fuel the plan assumes on board (kg): a full tank unless told otherwise, so the car is never heavier than
    /// planned.
    public let fuelMass: Double
    /// Speed aimed for at each line sample (m/s).
    let speed: [Double]
    /// Planned longitudinal acceleration from each sample to the next (m/s^2).
    let acceleration: [Double]
    /// Time from sample 0 to each sample at the planned speeds (s; one entry more than the samples, the last the
    /// planned lap time).
    let elapsed: [Double]
    /// Angle of the line to the centreline at each sample (rad, positive = heading left of the track).
    let lineAngle: [Double]
    /// The car as the controller models it.
    let car: ExpertCarModel
    /// The combined limits the pedals work to (the settings' axle shares, a little above the plan's).
    let limits: ExpertLimits
    /// Half the car's overall width and its overall length (m).
    let halfWidth: Double
    let carLength: Double

    /// Takes the line from `cache` (building it if needed) and builds the speed plan and tables for `car` on
    /// `track` (about 0.2 s in a release build).
    /// - Parameters:
    ///   - settings: the grip shares to plan with (``ExpertSettings/gripScale``, ``ExpertSettings/rearGripScale``)
    ///     and to drive to (``ExpertSettings/frontAxleShare``, ``ExpertSettings/rearAxleShare``); each clamped to
    ///     0.5...1.
    ///   - safetyMargin: distance the line keeps from each track limit beyond half the car's width (m).
    ///   - fuelMass: fuel on board to plan with (kg); nil means a full tank.
    public init(track: Track, car: CarSpec, settings: ExpertSettings = ExpertSettings(), safetyMargin: Double = 0.5,
                fuelMass: Double? = nil, cache: RacingLineCache = .shared) {
        func share(_ x: Double) -> Double { x.isNaN ? 1 : min(max(x, 0.5), 1) }
        self.track = track
        let model = VehicleModel(spec: car)
        self.model = model
        gripScale = share(settings.gripScale)
        rearGripScale = share(settings.rearGripScale)
        let fuel = max(fuelMass ?? car.powertrain.fuelCapacityKg, 0)
        self.fuelMass = fuel
        let line = cache.line(track: track, parameters: RacingLine.Parameters(
            vehicleWidth: car.chassis.overallWidthM, safetyMargin: safetyMargin))
        self.line = line
        lineAngle = (0..<track.count).map { i in remainder(line.heading[i] - track.heading[i], 2 * .pi) }
        let carModel = ExpertCarModel(car: car, fuelMass: fuel)
        self.car = carModel
        let planLimits = ExpertLimits(model: model, car: carModel, frontShare: gripScale, rearShare: rearGripScale,
                                      fuelMass: fuel)
        let profile = ExpertProfile(line: line, limits: planLimits, gripScale: gripScale)
        speed = profile.speed
        acceleration = profile.acceleration
        elapsed = profile.elapsed
        plannedLapTime = profile.lapTime
        limits = ExpertLimits(model: model, car: carModel, frontShare: share(settings.frontAxleShare),
                              rearShare: share(settings.rearAxleShare), fuelMass: fuel)
        halfWidth = car.chassis.overallWidthM / 2
        carLength = car.chassis.overallLengthM
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
}

extension ExpertPlan {
    /// The racing line's offset from the centreline at arc length `s` (m, positive = left).
    public func lineOffset(at s: Double) -> Double { at(line.offset, s) }
    /// The racing line's curvature at arc length `s` (1/m, positive = turning left).
    public func lineCurvature(at s: Double) -> Double { at(line.curvature, s) }
    /// The planned speed at arc length `s` (m/s), for fresh tyres.
    public func plannedSpeed(at s: Double) -> Double { at(speed, s) }

    /// The time the plan takes from arc length `s` to `gap` metres further on (s; `gap` at least 0 and at most a
    /// lap), at the planned speeds.
    public func plannedTime(from s: Double, ahead gap: Double) -> Double {
        let t = elapsedTime(s + gap) - elapsedTime(s)
        return t >= 0 ? t : t + plannedLapTime
    }

    /// The plan's time from the lap's start to arc length `s` (wrapped; s).
    @inline(__always)
    func elapsedTime(_ s: Double) -> Double {
        let u = track.wrap(s) / track.spacing
        let i = min(Int(u), track.count - 1)
        return elapsed[i] + (elapsed[i + 1] - elapsed[i]) * (u - Double(i))
    }
}
