import CRivalHeader
import DriverPersona
import Foundation
import PolicyCore
import Sim
#if canImport(Glibc)
import Glibc
#endif

/// A race in Rival's simulator and, once run, its classification (with the drivers' names as C strings).
final class RaceHandle: Handle {
    let race: Race
    /// The classification, set when the race is over.
    private(set) var result: RaceResult?
    /// The classified drivers' names, by position, `strdup`ed; freed with the race.
    private var names: [UnsafeMutablePointer<CChar>] = []

    init(_ race: Race) {
        self.race = race
        super.init(kind: .race)
    }

    deinit { names.forEach { free($0) } }

    /// Records the classification once the race is over.
    func finishIfOver() {
        guard result == nil, race.isFinished else { return }
        let result = race.result()
        self.result = result
        names = result.entries.map { strdup($0.name) }
    }

    /// The classified entry at 1-based `position`, with its C name.
    func entry(_ position: Int32) throws(CallError) -> (RaceResult.Entry, UnsafePointer<CChar>) {
        guard let result else { throw CallError(code: RIVAL_ERROR_STATE, message: "race: not finished, no result yet") }
        guard position >= 1, Int(position) <= result.entries.count else {
            throw .range("position: \(position): expected 1...\(result.entries.count)")
        }
        let i = Int(position) - 1
        return (result.entries[i], UnsafePointer(names[i]))
    }
}

/// The `grid` argument of `rival_race_create`: `name-or-path:count` items, comma-separated, in grid order.
enum GridText {
    /// The persona file or name and count of each item; a missing count is 1.
    static func items(_ text: String) throws(CallError) -> [(name: String, count: Int)] {
        var items: [(name: String, count: Int)] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { continue }
            guard let colon = item.lastIndex(of: ":") else {
                items.append((String(item), 1))
                continue
            }
            let count = String(item[item.index(after: colon)...])
            guard let n = Int(count), (1...40).contains(n) else {
                throw .invalid("grid: \(item): count \(count): expected an integer in 1...40")
            }
            items.append((String(item[..<colon]), n))
        }
        guard !items.isEmpty else { throw .invalid("grid: \"\(text)\": expected name:count items such as club:6,pro:4") }
        let total = items.reduce(0) { $0 + $1.count }
        guard total <= 40 else { throw .invalid("grid: \(text): \(total) cars: expected 1...40") }
        return items
    }
}

/// Creates a race in Rival's simulator as `rival race --grid grid --seed seed --laps laps` builds it.
@c @implementation
public func rival_race_create(_ world: OpaquePointer?, _ track: OpaquePointer?, _ car: OpaquePointer?,
                              _ grid: UnsafePointer<CChar>?, _ seed: UInt64, _ laps: Int32,
                              _ outRace: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let world = try Handle.object(world, as: WorldHandle.self, kind: .world, "world")
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track").track
        let car = try Handle.object(car, as: CarHandle.self, kind: .car, "car").car
        let items = try GridText.items(try string(grid, "grid"))
        let out = try required(outRace, "out_race")
        guard (1...1000).contains(laps) else { throw .invalid("laps: \(laps): expected an integer in 1...1000") }
        var slots: [(persona: Persona, count: Int)] = []
        for item in items {
            do {
                slots.append((try Persona.resolve(item.name, searchDirectories: world.directories("personas")), item.count))
            } catch {
                throw .load(error)
            }
        }
        // As `rival race --grid` builds it: the expert planned for the race's starting fuel and tyre wear.
        let config = RaceConfig(laps: Int(laps), seed: seed)
        var settings = ExpertSettings()
        settings.tyreWearMultiplier = config.tyreWearMultiplier
        let plan = ExpertPlan(track: track, car: car, settings: settings,
                              fuelMass: config.startingFuelMass(car: car, track: track))
        let grid = PersonaGrid(slots: slots, source: .expert(plan, settings: settings), car: car, raceSeed: seed,
                               shuffled: false)
        do {
            give(RaceHandle(try Race(track: track, entries: grid.entries, config: config)), to: out)
        } catch {
            throw .invalid("\(error)")
        }
    }
}

/// The number of cars in the race.
@c @implementation
public func rival_race_car_count(_ race: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int32>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        try required(outCount, "out_count").pointee = Int32(race.race.carCount)
    }
}

/// Advances the race one physics step; `outFinished` (optional) is 1 once it is over.
@c @implementation
public func rival_race_step(_ race: OpaquePointer?, _ outFinished: UnsafeMutablePointer<Int32>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        if !race.race.isFinished { race.race.step() }
        race.finishIfOver()
        outFinished?.pointee = race.result == nil ? 0 : 1
    }
}

/// Runs the race to its end.
@c @implementation
public func rival_race_run(_ race: OpaquePointer?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        if !race.race.isFinished { race.race.run() }
        race.finishIfOver()
    }
}

/// The number of classified cars of a finished race.
@c @implementation
public func rival_race_result_count(_ race: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int32>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        let out = try required(outCount, "out_count")
        guard let result = race.result else {
            throw CallError(code: RIVAL_ERROR_STATE, message: "race: not finished, no result yet")
        }
        out.pointee = Int32(result.entries.count)
    }
}

/// The classification line at 1-based `position`.
@c @implementation
public func rival_race_result_entry(_ race: OpaquePointer?, _ position: Int32,
                                    _ outEntry: UnsafeMutablePointer<rival_result_entry>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        let out = try required(outEntry, "out_entry")
        let (e, _) = try race.entry(position)
        out.pointee = rival_result_entry(
            position: Int32(e.position), car: Int32(e.car), finished: e.finished ? 1 : 0, laps: Int32(e.laps),
            total_time_s: e.totalTime, best_lap_s: e.bestLap, contacts: Int32(e.contacts), off_tracks: Int32(e.offTracks))
    }
}

/// The driver's name at `position` (a C string that lives as long as the race).
@c @implementation
public func rival_race_result_name(_ race: OpaquePointer?, _ position: Int32,
                                   _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        let out = try required(outName, "out_name")
        out.pointee = try race.entry(position).1
    }
}

/// Lap `lap` (1-based) of the car at `position` (s).
@c @implementation
public func rival_race_result_lap_time(_ race: OpaquePointer?, _ position: Int32, _ lap: Int32,
                                       _ outLap: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let race = try Handle.object(race, as: RaceHandle.self, kind: .race, "race")
        let out = try required(outLap, "out_lap_s")
        let (e, _) = try race.entry(position)
        guard lap >= 1, Int(lap) <= e.lapTimes.count else {
            throw .range("lap: \(lap): expected 1...\(e.lapTimes.count) (laps completed by position \(position))")
        }
        out.pointee = e.lapTimes[Int(lap) - 1]
    }
}

/// Releases a race (NULL: nothing).
@c @implementation
public func rival_race_destroy(_ race: OpaquePointer?) {
    Handle.release(race, kind: .race)
}
