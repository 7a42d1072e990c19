// Benchmarks of the persona layer: a human driver's decision against the bare policy's on the same views, so the
// difference is what the human limits cost.
import Benchmark
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// Views of a 20-car expert race at Monza, and the expert plan of that race's car.
private func personaSetup() -> ([DriverView], PolicySource) {
    let race = expertRace()
    let views = (0..<20).map { race.view(for: $0) }
    let config = RaceConfig(laps: 1000, maxDuration: 1e9)
    let plan = ExpertPlan(track: race.track, car: race.cars[0],
                          fuelMass: config.startingFuelMass(car: race.cars[0], track: race.track))
    return (views, .expert(plan))
}

/// A club driver's traits, with a lapse rate high enough that lapses happen during the measurement.
private func clubTraits() -> HumanTraits {
    var t = Persona(name: "club", skill: 0.5).sample(raceSeed: 1, index: 0)
    t.lapseRate = 2
    return t
}

/// Replays `views` (one car each) to `driver` in turn, with the time moving on as in a race, under measurement.
func replayViews<D: Driver>(_ driver: D, _ views: [DriverView], _ benchmark: Benchmark) {
    var acc = 0.0
    var k = 0
    var time = 100.0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        var v = views[k]
        v.time = time
        acc += driver.decide(v).steering
        k = k == 19 ? 0 : k + 1
        time += 1.0 / 60
    }
    benchmark.stopMeasurement()
    blackHole(acc)
}

func personaBenchmarks() {
    Benchmark("persona.bare (PolicyDriver around the expert; per decision)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (views, source) = personaSetup()
        replayViews(PolicyDriver(policy: source.makePolicy()), views, benchmark)
    }

    Benchmark("persona.human (HumanDriver, club traits, around the expert; per decision)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (views, source) = personaSetup()
        replayViews(source.makeDriver(traits: clubTraits(), raceSeed: 1, index: 0), views, benchmark)
    }

    Benchmark("persona.limitsOnly (HumanDriver, club traits, around a policy that costs nothing; per decision)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (views, source) = personaSetup()
        let driver = HumanDriver(policy: ConstantPolicy(), traits: clubTraits(), corners: source.corners, raceSeed: 1, index: 0)
        replayViews(driver, views, benchmark)
    }
}

/// A policy that always answers the same: isolates the persona layer's own cost.
private final class ConstantPolicy: Policy {
    func act(_ observation: Observation) -> Action { Action(steering: 0.01, pedal: 0.5) }
}
