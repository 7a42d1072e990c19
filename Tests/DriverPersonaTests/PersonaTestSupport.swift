import Foundation
import PolicyCore
import RivalTestSupport
import Sim
@testable import DriverPersona

/// The expert on the shipped circuits and cars (`Shipped` is in RivalTestSupport).
extension Shipped {
    /// The expert as the policy under a persona, for `car` on `track` with the fuel of a `laps`-lap race.
    /// `tyreWear` is the race's wear multiplier, which the expert's wear estimate must know.
    static func expert(_ trackName: String, _ carName: String, laps: Int = 3, tyreWear: Double = 1) throws -> (PolicySource, CarSpec) {
        let track = try track(trackName), car = try car(carName)
        let fuel = RaceConfig(laps: laps).startingFuelMass(car: car, track: track)
        var settings = ExpertSettings()
        settings.tyreWearMultiplier = tyreWear
        return (PolicySource.expert(ExpertPlan(track: track, car: car, settings: settings, fuelMass: fuel), settings: settings), car)
    }
}

/// Records what a driver saw and did at each decision.
final class RecordingDriver: Driver {
    let inner: any Driver
    var samples: [(time: Double, s: Double, speed: Double, controls: CarControls)] = []
    init(_ inner: any Driver) { self.inner = inner }
    var decisionInterval: Double { inner.decisionInterval }
    func decide(_ view: DriverView) -> CarControls {
        let c = inner.decide(view)
        samples.append((view.time, view.s, view.speed, c))
        return c
    }

    /// The arc length and speed where the brake first passes `threshold` at or after arc length `from`.
    func brakingOnset(after from: Double, threshold: Double = 0.3) -> (s: Double, speed: Double)? {
        samples.first { $0.s >= from && $0.controls.brake > threshold }.map { ($0.s, $0.speed) }
    }
}

/// Traits with every limit off except those set by `edit`.
func traits(_ edit: (inout HumanTraits) -> Void) -> HumanTraits {
    var t = HumanTraits.none
    edit(&t)
    return t
}

/// Drives from 350 m before the first heavy braking zone of `source` at the planned speed, on the line, for
/// `seconds`, and returns the recorder.
func approach(_ source: PolicySource, car: CarSpec, traits: HumanTraits, seed: UInt64 = 1,
              seconds: Double = 8) throws -> (RecordingDriver, CornerMap.Corner) {
    let corner = source.corners.corners.max { $0.entrySpeed - $0.apexSpeed < $1.entrySpeed - $1.apexSpeed }!
    let plan = source.plan
    let start = plan.track.wrap(corner.brake - 350)
    let recorder = RecordingDriver(source.makeDriver(traits: traits, raceSeed: seed, index: 0))
    let placement = StartPlacement(s: start, lateral: plan.lineOffset(at: start), speed: plan.plannedSpeed(at: start))
    let race = try Race(track: plan.track, entries: [RaceEntry(name: "probe", car: car, driver: recorder, start: placement)],
                        config: RaceConfig(laps: 1, seed: seed))
    for _ in 0..<Int(seconds * 120) { race.step() }
    return (recorder, corner)
}

/// Mean and sample standard deviation.
func meanAndSD(_ x: some Collection<Double>) -> (mean: Double, sd: Double) {
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
    return (mean, variance.squareRoot())
}
