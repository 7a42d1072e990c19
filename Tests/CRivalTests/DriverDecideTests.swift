import CRival
import CRivalHeader
import DriverPersona
import Foundation
import PolicyCore
import Sim
import Testing

/// "Your physics, our driver": a driver made through the C API decides exactly as the Swift ``HumanDriver`` made
/// the same way, and a race of them classifies exactly as `rival_race_create`'s.
@Suite struct DriverDecideTests {
    static let root = BuiltProducts.root.path

    /// A ``Driver`` that asks a C `rival_driver` for its controls, filling a `rival_view` from the race's view as a
    /// game fills it from its own state.
    final class CDriver: Driver {
        let handle: OpaquePointer
        let decisionInterval: Double
        var view = rival_view()
        var controls = rival_controls()
        var failures = 0

        init(handle: OpaquePointer) {
            self.handle = handle
            var interval = 0.0
            _ = rival_driver_decision_interval(handle, &interval)
            decisionInterval = interval
        }

        deinit { rival_driver_destroy(handle) }

        func decide(_ v: DriverView) -> CarControls {
            view = rival_view(v)
            if rival_driver_decide(handle, &view, &controls) != RIVAL_OK { failures += 1 }
            return CarControls(steering: controls.steering, throttle: controls.throttle, brake: controls.brake)
        }
    }

    @Test func aRaceOfCDriversMatchesRivalRaceCreate() throws {
        let f = try CallErrorTests.Fixture()
        defer { f.free() }
        var pro: OpaquePointer?
        try #require(rival_persona_load(f.world, "pro", &pro) == RIVAL_OK)
        defer { rival_persona_destroy(pro) }
        let seed: UInt64 = 11
        let track = try Track.resolve("Norisring", searchDirectories: [Self.root + "/tracks"])
        let car = try CarSpec.resolve("gt3", searchDirectories: [Self.root + "/cars"])
        let config = RaceConfig(laps: 2, seed: seed)
        let fuel = config.startingFuelMass(car: car, track: track)
        // The game's side: one C driver per car, persona club, club, pro in grid order.
        var drivers: [CDriver] = []
        for (index, persona) in [f.persona, f.persona, pro].enumerated() {
            var handle: OpaquePointer?
            try #require(rival_driver_create(f.track, f.car, persona, seed, Int32(index), fuel, &handle) == RIVAL_OK,
                         "\(CallErrorTests.lastError)")
            drivers.append(CDriver(handle: try #require(handle)))
        }
        #expect(drivers[0].decisionInterval > 0 && drivers[0].decisionInterval <= 0.1)
        let names = ["club 1", "club 2", "pro 1"]
        let race = try Race(track: track, entries: zip(names, drivers).map { RaceEntry(name: $0, car: car, driver: $1) },
                            config: config)
        let result = race.run()
        #expect(drivers.allSatisfy { $0.failures == 0 })
        // The same race built by the library.
        var reference: OpaquePointer?
        try #require(rival_race_create(f.world, f.track, f.car, "club:2,pro:1", seed, 2, &reference) == RIVAL_OK)
        defer { rival_race_destroy(reference) }
        #expect(rival_race_run(reference) == RIVAL_OK)
        for entry in result.entries {
            var other = rival_result_entry()
            #expect(rival_race_result_entry(reference, Int32(entry.position), &other) == RIVAL_OK)
            #expect(Int(other.car) == entry.car && other.total_time_s == entry.totalTime && other.best_lap_s == entry.bestLap)
            #expect(entry.finished && entry.laps == 2)
            #expect((52...65).contains(entry.bestLap), "\(entry.bestLap)")
        }
    }

    @Test func decideChecksTheView() throws {
        let f = try CallErrorTests.Fixture()
        defer { f.free() }
        var driver: OpaquePointer?
        #expect(rival_driver_create(f.track, f.car, f.persona, 1, -1, 10, &driver) == RIVAL_ERROR_OUT_OF_RANGE)
        #expect(CallErrorTests.lastError == "index: -1: expected a grid slot >= 0")
        #expect(rival_driver_create(f.track, f.car, f.persona, 1, 0, 90, &driver) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(CallErrorTests.lastError == "fuel_kg: 90.0: expected a mass in 0...89.0 kg (the GT3 tank)")
        #expect(rival_driver_create(f.track, f.persona, f.persona, 1, 0, 10, &driver) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(CallErrorTests.lastError == "car: a persona handle, expected a car handle")
        try #require(rival_driver_create(f.track, f.car, f.persona, 1, 0, 10, &driver) == RIVAL_OK)
        defer { rival_driver_destroy(driver) }
        var view = rival_view()
        view.speed_mps = 30
        var controls = rival_controls(steering: 9, throttle: 9, brake: 9)
        view.speed_mps = .nan
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(CallErrorTests.lastError == "view.speed_mps: nan: expected a finite number")
        #expect(controls.steering == 9)
        view.speed_mps = 30
        view.nearby_count = 9
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_ERROR_OUT_OF_RANGE)
        #expect(CallErrorTests.lastError == "view.nearby_count: 9: expected 0...8")
        view.nearby_count = 1
        view.nearby.0 = rival_nearby_car(index: 1, gap_m: .infinity, lateral_m: 0, speed_difference_mps: 0, lateral_speed_mps: 0)
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(CallErrorTests.lastError == "view.nearby[0].gap_m: inf: expected a finite number")
        view.nearby.0.gap_m = 20
        view.nearby.0.lateral_speed_mps = -.infinity
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(CallErrorTests.lastError == "view.nearby[0].lateral_speed_mps: -inf: expected a finite number")
        view.nearby.0.lateral_speed_mps = 1.5
        view.car_index = -2
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_ERROR_OUT_OF_RANGE)
        view.car_index = 0
        #expect(rival_driver_decide(driver, &view, &controls) == RIVAL_OK)
        #expect((-1...1).contains(controls.steering) && (0...1).contains(controls.throttle) && (0...1).contains(controls.brake))
    }

    @Test func twoThreadsShareTheTrackCarAndPersona() throws {
        let f = try CallErrorTests.Fixture()
        defer { f.free() }
        // Two drivers made and driven at once on two threads from the same loaded data give the same decisions
        // as each other (the same seed and slot), and the same as one made afterwards on this thread.
        final class Shared: @unchecked Sendable {
            let track: OpaquePointer?, car: OpaquePointer?, persona: OpaquePointer?
            var first: [Double] = [], second: [Double] = []
            init(_ f: CallErrorTests.Fixture) { (track, car, persona) = (f.track, f.car, f.persona) }
        }
        @Sendable func drive(_ shared: Shared) -> [Double] {
            var handle: OpaquePointer?
            guard rival_driver_create(shared.track, shared.car, shared.persona, 5, 2, 20, &handle) == RIVAL_OK else { return [] }
            defer { rival_driver_destroy(handle) }
            var view = rival_view(), controls = rival_controls(), out: [Double] = []
            for i in 0..<300 {
                view.time_s = Double(i) / 30
                view.speed_mps = 20 + Double(i) / 10
                view.s_m = 50 + Double(i)
                view.lateral_m = sin(Double(i) / 20)
                if rival_driver_decide(handle, &view, &controls) == RIVAL_OK { out.append(controls.steering) }
            }
            return out
        }
        let shared = Shared(f)
        let done = DispatchGroup()
        done.enter()
        Thread { shared.first = drive(shared); done.leave() }.start()
        done.enter()
        Thread { shared.second = drive(shared); done.leave() }.start()
        done.wait()
        let alone = drive(shared)
        #expect(alone.count == 300)
        #expect(shared.first == alone)
        #expect(shared.second == alone)
        #expect(Set(alone).count > 10)  // the driver steers: the decisions vary along the way
    }
}
