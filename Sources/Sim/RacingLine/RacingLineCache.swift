import Synchronization

/// A thread-safe store of racing lines and speed profiles, so that a race computes each line once for all the
/// cars that share it, and each profile once per car.
///
/// Lines are keyed by the track (name, sample count and length) and the line's parameters; profiles also by the
/// car (its name, with the whole spec compared so that an edited car with the same name is recomputed) and the
/// grip share. Lookups and insertions hold a lock (`Mutex`); the computations run outside it, so different
/// tracks or cars compute in parallel (two threads asking for the same missing entry may both compute it; the
/// results are identical and the first one stored is kept). Entries are never evicted: call `removeAll()`
/// between events if memory matters (a line and a profile take about 100 bytes per metre of track).
///
/// Built on `Synchronization.Mutex`, which Apple platforms have from macOS 15 / iOS 18; on Linux it is always
/// available.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
public final class RacingLineCache: Sendable {
    private struct LineKey: Hashable {
        var track: String
        var count: Int
        var length: Double
        var parameters: RacingLine.Parameters
    }

    private struct ProfileKey: Hashable {
        var line: LineKey
        var car: String
        var gripScale: Double
    }

    private struct Store {
        var lines: [LineKey: RacingLine] = [:]
        var profiles: [ProfileKey: (spec: CarSpec, profile: SpeedProfile)] = [:]
    }

    private let store = Mutex(Store())

    /// An empty cache.
    public init() {}

    /// A process-wide cache for callers that do not manage their own.
    public static let shared = RacingLineCache()

    /// The racing line of `track` for `parameters`, computed on first use.
    public func line(track: Track, parameters: RacingLine.Parameters = RacingLine.Parameters()) -> RacingLine {
        let key = LineKey(track: track.name, count: track.count, length: track.length, parameters: parameters)
        if let line = store.withLock({ $0.lines[key] }) { return line }
        let line = RacingLine(track: track, parameters: parameters)
        return store.withLock { store in
            if let existing = store.lines[key] { return existing }
            store.lines[key] = line
            return line
        }
    }

    /// The speed profile of `car` (fresh tyres, no fuel) on its racing line on `track` (the car's overall width
    /// plus `safetyMargin` metres from each limit), planned at `gripScale` of the grip; computed on first use.
    public func profile(track: Track, car: CarSpec, safetyMargin: Double = 0.5, gripScale: Double = 1) -> SpeedProfile {
        let parameters = RacingLine.Parameters(vehicleWidth: car.chassis.overallWidthM, safetyMargin: safetyMargin)
        let lineKey = LineKey(track: track.name, count: track.count, length: track.length, parameters: parameters)
        let key = ProfileKey(line: lineKey, car: car.name, gripScale: gripScale)
        if let entry = store.withLock({ $0.profiles[key] }), entry.spec == car { return entry.profile }
        let profile = SpeedProfile(
            line: line(track: track, parameters: parameters), vehicle: VehicleModel(spec: car), gripScale: gripScale)
        return store.withLock { store in
            if let entry = store.profiles[key], entry.spec == car { return entry.profile }
            store.profiles[key] = (car, profile)
            return profile
        }
    }

    /// The lap-time limit of `car` on `track` (see `LapLimit.compute(track:car:safetyMargin:gripScale:)`), from
    /// the cached line and profile.
    public func limit(track: Track, car: CarSpec, safetyMargin: Double = 0.5, gripScale: Double = 1) -> LapLimit {
        LapLimit(
            track: track, car: car,
            profile: profile(track: track, car: car, safetyMargin: safetyMargin, gripScale: gripScale))
    }

    /// Number of lines and profiles held.
    public var count: (lines: Int, profiles: Int) {
        store.withLock { ($0.lines.count, $0.profiles.count) }
    }

    /// Forgets every line and profile.
    public func removeAll() {
        store.withLock { $0 = Store() }
    }
}
