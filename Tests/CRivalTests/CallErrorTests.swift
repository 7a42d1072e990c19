import CRival
import CRivalHeader
import Foundation
import Sim
import Testing

/// Every entry point checks its arguments: bad input gives a status code and a message, never a crash.
@Suite struct CallErrorTests {
    static let root = BuiltProducts.root.path

    /// This thread's last error as a Swift string.
    static var lastError: String { String(cString: rival_last_error()) }

    /// A world on the repository's data folders, with a loaded track, car and persona (freed by `free`).
    struct Fixture {
        var world: OpaquePointer?, track: OpaquePointer?, car: OpaquePointer?, persona: OpaquePointer?

        init() throws {
            try #require(rival_world_create(CallErrorTests.root, &world) == RIVAL_OK)
            try #require(rival_track_load(world, "Norisring", &track) == RIVAL_OK, "\(CallErrorTests.lastError)")
            try #require(rival_car_load(world, "gt3", &car) == RIVAL_OK, "\(CallErrorTests.lastError)")
            try #require(rival_persona_load(world, "club", &persona) == RIVAL_OK, "\(CallErrorTests.lastError)")
        }

        func free() {
            rival_persona_destroy(persona)
            rival_car_destroy(car)
            rival_track_destroy(track)
            rival_world_destroy(world)
        }
    }

    @Test func nullArguments() throws {
        #expect(rival_world_create(nil, nil) == RIVAL_ERROR_NULL_ARGUMENT)
        #expect(Self.lastError == "out_world: is NULL")
        var track: OpaquePointer?
        #expect(rival_track_load(nil, "Monza", &track) == RIVAL_ERROR_NULL_ARGUMENT)
        #expect(Self.lastError == "world: is NULL")
        #expect(track == nil)
        var length = -1.0
        #expect(rival_track_length(nil, &length) == RIVAL_ERROR_NULL_ARGUMENT && length == -1)
        #expect(rival_driver_decide(nil, nil, nil) == RIVAL_ERROR_NULL_ARGUMENT)
        #expect(Self.lastError == "driver: is NULL")
        #expect(rival_race_run(nil) == RIVAL_ERROR_NULL_ARGUMENT)
        rival_world_destroy(nil)
        rival_race_destroy(nil)
        #expect(String(cString: rival_version()) == "0.1.0")
    }

    @Test func loadErrorsNameTheFile() throws {
        var world: OpaquePointer?
        #expect(rival_world_create("/nonexistent/rival", &world) == RIVAL_ERROR_LOAD)
        #expect(Self.lastError == "data_dir: /nonexistent/rival: expected an existing folder")
        let f = try Fixture()
        defer { f.free() }
        var track: OpaquePointer?, car: OpaquePointer?, persona: OpaquePointer?
        #expect(rival_track_load(f.world, "Nowhere", &track) == RIVAL_ERROR_LOAD)
        #expect(Self.lastError.hasPrefix("Nowhere: no circuit of that name in \(Self.root)/tracks; expected a .csv path"))
        #expect(rival_car_load(f.world, "bus", &car) == RIVAL_ERROR_LOAD)
        #expect(Self.lastError.contains("bus"))
        #expect(rival_persona_load(f.world, "wizard", &persona) == RIVAL_ERROR_LOAD)
        #expect(Self.lastError.contains("wizard"))
        #expect(track == nil && car == nil && persona == nil)
        var points = [rival_track_point](repeating: rival_track_point(x_m: 0, y_m: 0, width_right_m: 5, width_left_m: 5),
                                         count: 12)
        #expect(rival_track_from_points("tiny", &points, 5, &track) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "count: 5: expected at least 10 points")
        points[3].x_m = .nan
        #expect(rival_track_from_points("nan", &points, 12, &track) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError.hasPrefix("<points>: point 3"), "\(Self.lastError)")
    }

    @Test func aHandleOfTheWrongKind() throws {
        let f = try Fixture()
        defer { f.free() }
        var length = 0.0
        #expect(rival_track_length(f.car, &length) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "track: a car handle, expected a track handle")
        rival_track_destroy(f.car)  // ignored: not a track
        #expect(Self.lastError == "destroy: a car handle passed to the track destroy; ignored")
        var name: OpaquePointer?
        #expect(rival_car_load(f.world, "gt3", &name) == RIVAL_OK)
        rival_car_destroy(name)
    }

    @Test func trackQueries() throws {
        let f = try Fixture()
        defer { f.free() }
        var length = 0.0, s = 0.0, lateral = 0.0, heading = 0.0
        #expect(rival_track_length(f.track, &length) == RIVAL_OK)
        #expect((2200...2350).contains(length), "\(length)")  // the Norisring: 2.3 km
        #expect(rival_track_heading(f.track, 100, &heading) == RIVAL_OK)
        let swiftTrack = try Track.resolve("Norisring", searchDirectories: [Self.root + "/tracks"])
        #expect(heading == swiftTrack.sample(at: 100).heading)
        // A point 2 m left of the centreline at s = 100 m projects back to it, searching near s or the whole lap.
        let (x, y) = swiftTrack.point(s: 100, lateral: 2)
        var px = 0.0, py = 0.0
        #expect(rival_track_position(f.track, 100, 2, &px, &py) == RIVAL_OK && px == x && py == y)
        #expect(rival_track_position(f.track, 100, .nan, &px, &py) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "lateral_m: nan: expected a finite number")
        #expect(rival_track_project(f.track, x, y, 95, &s, &lateral) == RIVAL_OK)
        #expect(abs(s - 100) < 1e-6 && abs(lateral - 2) < 1e-6, "\(s) \(lateral)")
        #expect(rival_track_project(f.track, x, y, .nan, &s, &lateral) == RIVAL_OK)
        #expect(abs(s - 100) < 1e-6 && abs(lateral - 2) < 1e-6, "\(s) \(lateral)")
        #expect(rival_track_project(f.track, .nan, 0, 0, &s, &lateral) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "x_m: nan: expected a finite number")
        #expect(rival_track_project(f.track, 0, 0, .infinity, &s, &lateral) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(rival_track_heading(f.track, .infinity, &heading) == RIVAL_ERROR_INVALID_ARGUMENT)
    }

    @Test func raceArguments() throws {
        let f = try Fixture()
        defer { f.free() }
        var race: OpaquePointer?
        #expect(rival_race_create(f.world, f.track, f.car, "club:0", 1, 1, &race) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "grid: club:0: count 0: expected an integer in 1...40")
        #expect(rival_race_create(f.world, f.track, f.car, " , ", 1, 1, &race) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(rival_race_create(f.world, f.track, f.car, "club:30,pro:11", 1, 1, &race) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "grid: club:30,pro:11: 41 cars: expected 1...40")
        #expect(rival_race_create(f.world, f.track, f.car, "club", 1, 0, &race) == RIVAL_ERROR_INVALID_ARGUMENT)
        #expect(Self.lastError == "laps: 0: expected an integer in 1...1000")
        #expect(rival_race_create(f.world, f.track, f.car, "wizard:2", 1, 1, &race) == RIVAL_ERROR_LOAD)
        #expect(race == nil)
        #expect(rival_race_create(f.world, f.track, f.car, "club", 3, 1, &race) == RIVAL_OK)
        defer { rival_race_destroy(race) }
        var count: Int32 = 0, entry = rival_result_entry(), lap = 0.0
        #expect(rival_race_car_count(race, &count) == RIVAL_OK && count == 1)
        #expect(rival_race_result_count(race, &count) == RIVAL_ERROR_STATE)
        #expect(Self.lastError == "race: not finished, no result yet")
        var finished: Int32 = -1
        #expect(rival_race_step(race, &finished) == RIVAL_OK && finished == 0)
        #expect(rival_race_run(race) == RIVAL_OK)
        #expect(rival_race_step(race, &finished) == RIVAL_OK && finished == 1)
        #expect(rival_race_result_count(race, &count) == RIVAL_OK && count == 1)
        #expect(rival_race_result_entry(race, 0, &entry) == RIVAL_ERROR_OUT_OF_RANGE)
        #expect(Self.lastError == "position: 0: expected 1...1")
        #expect(rival_race_result_entry(race, 1, &entry) == RIVAL_OK)
        #expect(entry.position == 1 && entry.car == 0 && entry.finished == 1 && entry.laps == 1)
        #expect((52...65).contains(entry.best_lap_s), "\(entry.best_lap_s)")
        #expect(rival_race_result_lap_time(race, 1, 2, &lap) == RIVAL_ERROR_OUT_OF_RANGE)
        #expect(Self.lastError == "lap: 2: expected 1...1 (laps completed by position 1)")
        #expect(rival_race_result_lap_time(race, 1, 1, &lap) == RIVAL_OK && lap == entry.best_lap_s)
        var name: UnsafePointer<CChar>?
        #expect(rival_race_result_name(race, 1, &name) == RIVAL_OK)
        #expect(name.map { String(cString: $0) } == "club 1")
    }

    @Test func theLastErrorIsPerThread() throws {
        #expect(rival_world_create(nil, nil) == RIVAL_ERROR_NULL_ARGUMENT)
        final class Seen: @unchecked Sendable { var before = "", after = "" }
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            seen.before = String(cString: rival_last_error())
            _ = rival_track_load(nil, "Monza", nil)
            seen.after = String(cString: rival_last_error())
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(seen.before == "")
        #expect(seen.after == "world: is NULL")
        #expect(Self.lastError == "out_world: is NULL")
    }
}
