// The C API's cost per decision: `rival_driver_decide` (argument checks, copying the C view into a DriverView,
// copying the controls out) against `HumanDriver.decide` on the same driver and the same views. The difference
// of the two figures is the C API's overhead.
import Benchmark
import CRival
import CRivalHeader
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// The views of a 20-car expert race at Monza, the same views as `rival_view`s, a Swift club driver and the same
/// driver made through the C API (its handle; the caller destroys it).
private func capiSetup() -> ([DriverView], [rival_view], HumanDriver, OpaquePointer) {
    let race = expertRace()
    let views = (0..<20).map { race.view(for: $0) }
    let fuel = RaceConfig(laps: 1000, maxDuration: 1e9).startingFuelMass(car: race.cars[0], track: race.track)
    let persona = try! Persona.resolve("club", searchDirectories: [repoRoot.appendingPathComponent("personas").path])
    let source = PolicySource.expert(ExpertPlan(track: race.track, car: race.cars[0], fuelMass: fuel))
    let swiftDriver = source.makeDriver(traits: persona.sample(raceSeed: 1, index: 0), raceSeed: 1, index: 0)
    var world: OpaquePointer?, track: OpaquePointer?, car: OpaquePointer?, club: OpaquePointer?, driver: OpaquePointer?
    precondition(rival_world_create(repoRoot.path, &world) == RIVAL_OK)
    precondition(rival_track_load(world, "Monza", &track) == RIVAL_OK)
    precondition(rival_car_load(world, "gt3", &car) == RIVAL_OK)
    precondition(rival_persona_load(world, "club", &club) == RIVAL_OK)
    precondition(rival_driver_create(track, car, club, 1, 0, fuel, &driver) == RIVAL_OK)
    rival_persona_destroy(club)
    rival_car_destroy(car)
    rival_track_destroy(track)
    rival_world_destroy(world)
    let cViews = views.map(rival_view.init)
    return (views, cViews, swiftDriver, driver!)
}

func capiBenchmarks() {
    Benchmark("capi.swift (HumanDriver.decide, club, around the expert; per decision)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (views, _, driver, handle) = capiSetup()
        defer { rival_driver_destroy(handle) }
        replayViews(driver, views, benchmark)
    }

    Benchmark("capi.c (rival_driver_decide, the same driver and views; per decision)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (_, views, _, handle) = capiSetup()
        defer { rival_driver_destroy(handle) }
        var acc = 0.0, k = 0, time = 100.0
        var controls = rival_controls()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var v = views[k]
            v.time_s = time
            if rival_driver_decide(handle, &v, &controls) == RIVAL_OK { acc += controls.steering }
            k = k == 19 ? 0 : k + 1
            time += 1.0 / 60
        }
        benchmark.stopMeasurement()
        blackHole(acc)
    }

    // Both paths in one measurement, in alternating blocks of 1,000 decisions on the same view sequence (two
    // identical drivers stay in step), so that the machine's slow spells weigh on both alike.
    let swiftMetric = BenchmarkMetric.custom("HumanDriver.decide (ns a decision)", useScalingFactor: false)
    let cMetric = BenchmarkMetric.custom("rival_driver_decide (ns a decision)", useScalingFactor: false)
    Benchmark("capi.interleaved (both, alternating blocks of 1,000 decisions)",
              configuration: .init(metrics: [swiftMetric, cMetric], maxIterations: 40)) { benchmark in
        let (views, cViews, driver, handle) = capiSetup()
        defer { rival_driver_destroy(handle) }
        var swiftTime = Duration.zero, cTime = Duration.zero
        var acc = 0.0, controls = rival_controls(), time = 100.0
        let clock = ContinuousClock()
        for _ in 0..<10 {
            let start = time
            let t0 = clock.now
            for i in 0..<1000 {
                var v = views[i % 20]
                v.time = start + Double(i) / 60
                acc += driver.decide(v).steering
            }
            let t1 = clock.now
            for i in 0..<1000 {
                var v = cViews[i % 20]
                v.time_s = start + Double(i) / 60
                if rival_driver_decide(handle, &v, &controls) == RIVAL_OK { acc += controls.steering }
            }
            let t2 = clock.now
            swiftTime += t1 - t0
            cTime += t2 - t1
            time += 1000.0 / 60
        }
        blackHole(acc)
        let ns = { (d: Duration) in Int(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000) / 10_000 }
        benchmark.measurement(swiftMetric, ns(swiftTime))
        benchmark.measurement(cMetric, ns(cTime))
    }
}
