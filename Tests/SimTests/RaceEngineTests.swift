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

    /// A car held against the barrier: full lock into it and a little throttle, as a pinned driver does.
    final class PinnedDriver: Driver {
        let decisionInterval = 1.0 / 60
        func decide(_ view: DriverView) -> CarControls { CarControls(steering: 1, throttle: 0.3, brake: 0) }
    }

    /// When the marshals put car 0, pinned against the left barrier of a 14 m circle at 300 m, back on the track
    /// (race time, s; NaN: not within 40 s), with car 1 (if `occupied`) standing at the left edge there.
    static func marshalled(occupied: Bool) throws -> Double {
        let track = try RaceFixtures.circle(radius: 400)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let hw = car.chassis.overallWidthM / 2
        var entries = [RaceEntry(name: "pinned", car: car, driver: PinnedDriver(),
                                 start: StartPlacement(s: 300, lateral: 7 + track.runoffWidth - hw - 0.01,
                                                       headingError: 1.2))]
        if occupied {
            entries.append(RaceEntry(name: "standing", car: car,
                                     driver: CruiseDriver(track: track, model: model, targetSpeed: 0),
                                     start: StartPlacement(s: 302, lateral: 7 - hw)))
        }
        let race = try Race(track: track, entries: entries,
                            config: RaceConfig(laps: 3, fuelRateMultiplier: 0, startingFuel: .full))
        while race.time < 40 {
            race.step()
            if race.frenet[0].lateral < 7 - hw + 1e-9 { return race.time }
        }
        #expect(race.frenet[0].lateral > 7 + track.runoffWidth - hw - 0.5, "\(race.frenet[0].lateral)")
        return .nan
    }

    @Test func marshalsPutAPinnedCarBackOnlyWhereNoCarIs() throws {
        // Alone: back on the track at the edge after 3 s pinned.
        let alone = try Self.marshalled(occupied: false)
        #expect(alone > 3 && alone < 4, "\(alone)")
        // With a car standing on that spot of the edge: still pinned after 40 s.
        #expect(try Self.marshalled(occupied: true).isNaN)
    }

    @Test func marshalsNeedASpotNoCarOverlaps() throws {
        let track = try RaceFixtures.circle(radius: 400)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let entries = (0..<2).map { i in
            RaceEntry(name: "D\(i)", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 0))
        }
        // Car 0 at -20 m, 2.5 m left of the centre; car 1 at -60 m, 2.5 m right: both on the 14 m track.
        let race = try Race(track: track, entries: entries, config: RaceConfig(laps: 1, gridSpacing: 40))
        let s0 = race.frenet[0].s
        #expect(race.frenet[0].lateral == 2.5 && race.frenet[1].lateral == -2.5)
        let edge = 7 - car.chassis.overallWidthM / 2
        let reach = car.chassis.overallLengthM + 2     // both half-lengths plus 2 m
        // For car 1: a spot where car 0 is, or within 6.6 m of it along the track and 3.04 m across, is taken.
        #expect(!race.placementIsClear(1, s: s0, lateral: 2.5))
        #expect(!race.placementIsClear(1, s: track.wrap(s0 - reach + 0.1), lateral: 2.5))
        #expect(!race.placementIsClear(1, s: track.wrap(s0 + reach - 0.1), lateral: 2.5 + 3))
        // Further along or across, it is free: the far edge (about 8.5 m across), or the same line 6.7 m on.
        #expect(race.placementIsClear(1, s: s0, lateral: -edge))
        #expect(race.placementIsClear(1, s: track.wrap(s0 + reach + 0.1), lateral: 2.5))
        #expect(race.placementIsClear(1, s: s0, lateral: 2.5 + 3.1))
        // Car 1 itself does not count for its own spot.
        #expect(race.placementIsClear(1, s: race.frenet[1].s, lateral: -2.5))
        #expect(!race.placementIsClear(0, s: race.frenet[1].s, lateral: -2.5))
    }

    @Test("the marshals put a pinned car back only where no car behind would reach it within 1.5 s")
    func marshalsWaitForCarsArriving() throws {
        let track = try RaceFixtures.circle(radius: 400)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let entries = [
            RaceEntry(name: "standing", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 0)),
            RaceEntry(name: "moving", car: car, driver: CruiseDriver(track: track, model: model, targetSpeed: 20, offset: -4)),
        ]
        let race = try Race(track: track, entries: entries, config: RaceConfig(laps: 3, gridSpacing: 50))
        while race.time < 15 { race.step() }
        let v = race.states[1].vx, s1 = race.frenet[1].s
        #expect(abs(v - 20) < 0.5, "\(v)")
        // Car 1 at about 20 m/s: a spot up to both half-lengths plus 2 m plus 1.5 s of its speed ahead of it (about
        // 36.6 m), anywhere across the track, is not given to car 0; beyond that, or behind car 1, it is.
        let reach = car.chassis.overallLengthM + 2 + 1.5 * v
        for lateral in [-5.0, 0, 5] {
            #expect(!race.placementIsClear(0, s: track.wrap(s1 + 20), lateral: lateral))
            #expect(!race.placementIsClear(0, s: track.wrap(s1 + reach - 0.5), lateral: lateral))
            #expect(race.placementIsClear(0, s: track.wrap(s1 + reach + 0.5), lateral: lateral))
            #expect(race.placementIsClear(0, s: track.wrap(s1 - 20), lateral: lateral))
        }
    }

    @Test("a nearby car's velocity across the track: its speed times the sine of its heading against the track's")
    func nearbyCarsLateralSpeed() throws {
        let track = try RaceFixtures.circle()
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        func driver() -> CruiseDriver { CruiseDriver(track: track, model: model, targetSpeed: 20) }
        let entries = [RaceEntry(name: "A", car: car, driver: driver(), start: StartPlacement(s: 100, lateral: 1, speed: 20)),
                       RaceEntry(name: "B", car: car, driver: driver(),
                                 start: StartPlacement(s: 120, lateral: -1, speed: 20, headingError: 0.1)),
                       RaceEntry(name: "C", car: car, driver: driver(),
                                 start: StartPlacement(s: 140, lateral: 0, speed: 10, headingError: -0.3))]
        let race = try Race(track: track, entries: entries, config: RaceConfig())
        let seen = race.view(for: 0).nearby
        #expect(seen.count == 2)
        #expect(abs(seen[0].lateralSpeed - 20 * sin(0.1)) < 1e-9, "\(seen[0].lateralSpeed)")
        #expect(abs(seen[1].lateralSpeed - 10 * sin(-0.3)) < 1e-9, "\(seen[1].lateralSpeed)")
        // Heading along the track: none; seen from the car ahead too.
        #expect(race.view(for: 1).nearby.withCars { $0.first { $0.index == 0 }!.lateralSpeed } == 0)
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
