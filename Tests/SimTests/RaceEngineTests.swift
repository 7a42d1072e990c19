import Foundation
import Testing
@testable import Sim

@Suite struct RaceEngineTests {
    @Test func setupRejectsBadGrids() throws {
        let track = try RaceFixtures.circle()
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        #expect(throws: RaceSetupError("cars: 0: expected 1...40 cars")) {
            try Race(track: track, entries: [], config: RaceConfig())
        }
        let many = (0..<41).map { _ in RaceEntry(name: "x", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 10)) }
        #expect(throws: RaceSetupError("cars: 41: expected 1...40 cars")) {
            try Race(track: track, entries: many, config: RaceConfig())
        }
        let one = [RaceEntry(name: "x", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 10))]
        #expect(throws: RaceSetupError("laps: 0: expected an integer in 1...1000")) {
            try Race(track: track, entries: one, config: RaceConfig(laps: 0))
        }
        #expect(throws: RaceSetupError("tyreWearMultiplier: -1.0: expected 0...100")) {
            try Race(track: track, entries: one, config: RaceConfig(tyreWearMultiplier: -1))
        }
    }

    @Test func lapTimingMatchesDistanceOverSpeed() throws {
        let track = try RaceFixtures.circle(radius: 300)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let speed = 30.0
        let driver = CruiseDriver(track: track, model: model, targetSpeed: speed)
        let race = try Race(track: track, entries: [RaceEntry(name: "A", car: car, driver: driver)],
                            config: RaceConfig(laps: 3, fuelRateMultiplier: 0))
        let result = race.run()
        let e = result.entries[0]
        #expect(e.finished)
        #expect(e.lapTimes.count == 3)
        #expect(e.sectorTimes.count == 9)
        // Laps 2 and 3 are flying laps at the cruise speed: length / speed within 0.5%.
        let expected = track.length / speed
        for lap in e.lapTimes.dropFirst() { #expect(abs(lap - expected) / expected < 0.005) }
        // Sectors add up to laps, laps add up to the total.
        for lap in 0..<3 {
            let sum = e.sectorTimes[3 * lap] + e.sectorTimes[3 * lap + 1] + e.sectorTimes[3 * lap + 2]
            #expect(abs(sum - e.lapTimes[lap]) < 1e-9)
        }
        #expect(abs(e.lapTimes.reduce(0, +) - e.totalTime) < 1e-9)
        #expect(e.bestLap == e.lapTimes.min())
        // Lap 1 includes the standing start and the run from the grid slot: slower than a flying lap.
        #expect(e.lapTimes[0] > e.lapTimes[1])
        #expect(result.incidents.isEmpty)
    }

    @Test func sameSeedSameRaceBitForBit() throws {
        let track = try RaceFixtures.circle()
        let car = try RaceFixtures.car()
        func run() throws -> Race {
            let model = VehicleModel(spec: car)
            let entries = (0..<6).map { i in
                RaceEntry(name: "D\(i)", car: car,
                          driver: CruiseDriver(track: track, model: model, targetSpeed: 25 + Double(i), offset: 0))
            }
            // These cruise drivers share one line and pile into each other; two end up against the barrier with
            // the throttle open. A full tank keeps them running to the flag (the race distance's fuel would run
            // dry there, and an unfinished car's NaN finish time never compares equal).
            let race = try Race(track: track, entries: entries, config: RaceConfig(laps: 2, seed: 9, startingFuel: .full))
            race.run()
            return race
        }
        let a = try run(), b = try run()
        #expect(a.states == b.states)
        #expect(a.incidents == b.incidents)
        #expect(a.timing == b.timing)
        #expect(a.time == b.time)
        #expect(a.runningOrder() == b.runningOrder())
        #expect(Set(a.runningOrder()) == Set(0..<6))
    }

    @Test func rearEndContactIsLoggedAndConservesMomentum() throws {
        let track = try RaceFixtures.circle(radius: 400)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        // Car 0 (pole) dawdles; car 1 behind it on the same line runs into it.
        let slow = CruiseDriver(track: track, model: model, targetSpeed: 5, offset: 0)
        let fast = CruiseDriver(track: track, model: model, targetSpeed: 25, offset: 0)
        let race = try Race(track: track, entries: [RaceEntry(name: "slow", car: car, driver: slow),
                                                    RaceEntry(name: "fast", car: car, driver: fast)],
                            config: RaceConfig(laps: 1, fuelRateMultiplier: 0, gridSpacing: 40))
        var firstContactStep = -1
        var momentumBefore = 0.0
        for _ in 0..<(120 * 30) {
            let p = race.states.map { $0.vx }
            race.step()
            if firstContactStep < 0, race.incidents.contains(where: { $0.kind == .contact }) {
                firstContactStep = race.stepCount
                momentumBefore = p.reduce(0, +)
                // Mass-weighted along-track momentum changes only by what tyres and drag do in one step.
                let after = race.states.map { $0.vx }.reduce(0, +)
                #expect(abs(after - momentumBefore) < 1.0)
                break
            }
        }
        #expect(firstContactStep > 0)
        let contact = try #require(race.incidents.first { $0.kind == .contact })
        #expect(contact.car == 1 && contact.otherCar == 0)
        #expect(contact.speed > 5)
        // After resolution the two cars' discs no longer overlap much (less than 5 cm).
        let a = race.states[0], b = race.states[1]
        let d = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        #expect(d > car.chassis.overallWidthM - 0.05)
    }

    @Test func barrierStopsTheCarAndIsLogged() throws {
        let track = try RaceFixtures.circle(radius: 300, width: 12)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let driver = CruiseDriver(track: track, model: model, targetSpeed: 30)
        driver.steerToward = 40 // far beyond the left barrier (6 m + 10 m run-off)
        let race = try Race(track: track, entries: [RaceEntry(name: "A", car: car, driver: driver)],
                            config: RaceConfig(laps: 1, fuelRateMultiplier: 0))
        for _ in 0..<(120 * 20) { race.step() }
        let kinds = race.incidents.map(\.kind)
        #expect(kinds.contains(.offTrack))
        #expect(kinds.contains(.barrier))
        // The car is held inside the barrier line.
        let f = race.frenet[0]
        #expect(f.lateral + car.chassis.overallWidthM / 2 <= 6 + track.runoffWidth + 1e-6)
    }

    @Test func nearbyCarsAreSortedAndSigned() throws {
        let track = try RaceFixtures.circle()
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let entries = (0..<5).map { i in RaceEntry(name: "D\(i)", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 0)) }
        let race = try Race(track: track, entries: entries, config: RaceConfig(gridSpacing: 8))
        let view = race.view(for: 2)
        #expect(view.nearby.count == 4)
        // Grid slots are 8 m apart: cars 1 and 3 at +-8 m, 0 and 4 at +-16 m.
        #expect(abs(abs(view.nearby[0].gap) - 8) < 0.05)
        #expect(abs(abs(view.nearby[2].gap) - 16) < 0.05)
        let ahead = try #require(view.nearby.nearestAhead())
        #expect(ahead.index == 1)
        #expect(abs(ahead.gap - 8) < 0.05)
    }
}
