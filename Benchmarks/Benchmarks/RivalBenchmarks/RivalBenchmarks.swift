// Rival's release-mode benchmarks. Run from the repository root with `scripts/bench`.
// Each benchmark reports per-operation figures: scalingFactor .kilo means 1,000 operations per iteration, so
// the reported time is per 1,000 operations (for example "us" per 1,000 steps = ns per step).
import Benchmark
import Foundation
import GSL
import PolicyCore
import Sim

let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shippedTrack(_ name: String) -> Track {
    try! Track.resolve(name, searchDirectories: [repoRoot.appendingPathComponent("tracks").path])
}

func shippedCar(_ name: String) -> CarSpec {
    try! CarSpec.resolve(name, searchDirectories: [repoRoot.appendingPathComponent("cars").path])
}

/// 20 GT3 experts at Monza, 20 s (2,400 steps) into a long race: the grid has spread out.
func expertRace() -> Race {
    let track = shippedTrack("Monza")
    let car = shippedCar("gt3")
    let config = RaceConfig(laps: 1000, maxDuration: 1e9)
    let race = try! Race(track: track, entries: ExpertGrid.entries(track: track, car: car, count: 20, config: config),
                         config: config)
    for _ in 0..<2400 { race.step() }
    return race
}

/// A near-free driver for the "no driver" figure: decides at 10 Hz with a few multiplications (centreline
/// preview steering, throttle up to 15 m/s), so its cost spreads over 12 physics steps and the car stays on the
/// track, where the race engine spends its time.
private final class HoldDriver: Driver {
    let decisionInterval = 0.1
    let track: Track
    let wheelbase: Double
    let maxSteer: Double
    init(track: Track, car: CarSpec) {
        self.track = track
        wheelbase = car.chassis.wheelbaseM
        maxSteer = car.steering.maxAngleRad
    }
    func decide(_ view: DriverView) -> CarControls {
        let preview = max(8, view.speed * 0.5)
        let error = view.lateral + preview * view.headingError
        let kappa = track.sample(at: view.s + 5).curvature - 2 * error / (preview * preview)
        let steer = min(max(wheelbase * kappa / maxSteer, -1), 1)
        return CarControls(steering: steer, throttle: view.speed < 15 ? 0.5 : 0, brake: 0)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )
    policyBenchmarks()
    personaBenchmarks()
    capiBenchmarks()

    Benchmark("sim.vehicleStep (gt3, dynamics only)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let model = VehicleModel(spec: shippedCar("gt3"))
        var state = CarState(vx: 40)
        let controls = CarControls(steering: 0.05, throttle: 0.7, brake: 0)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            model.step(&state, controls: controls, surface: .track, dt: 1.0 / 120)
            if state.speed > 60 { state = CarState(vx: 40) }
        }
        blackHole(state)
    }

    Benchmark("sim.carStep (1 car: dynamics + projection + timing, 10 Hz hold driver)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let track = shippedTrack("Monza")
        let car = shippedCar("gt3")
        let race = try! Race(track: track, entries: [RaceEntry(name: "A", car: car, driver: HoldDriver(track: track, car: car))],
                             config: RaceConfig(laps: 1000, maxDuration: 1e9))
        for _ in 0..<1200 { race.step() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { race.step() }
        blackHole(race.time)
    }

    Benchmark("sim.raceStep (20 cars, 10 Hz hold drivers)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let track = shippedTrack("Monza")
        let car = shippedCar("gt3")
        let entries = (0..<20).map { i in RaceEntry(name: "D\(i)", car: car, driver: HoldDriver(track: track, car: car)) }
        let race = try! Race(track: track, entries: entries, config: RaceConfig(laps: 1000, maxDuration: 1e9))
        for _ in 0..<1200 { race.step() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { race.step() }
        blackHole(race.time)
    }

    Benchmark("sim.raceStep (20 cars, expert drivers at 60 Hz)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let race = expertRace()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { race.step() }
        blackHole(race.time)
    }

    Benchmark("sim.trackProject (local Frenet projection)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let track = shippedTrack("Spa")
        var s = 0.0
        var acc = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let p = track.point(s: s, lateral: 3)
            let f = track.project(x: p.x + 0.3, y: p.y - 0.2, near: s)
            acc += f.lateral
            s = track.wrap(s + 0.55)
        }
        blackHole(acc)
    }

    Benchmark("gsl.gaussianDraw", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let stream = GSLRandomStream(seed: 1)
        var acc = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { acc += stream.gaussian(sd: 1) }
        blackHole(acc)
    }
}
