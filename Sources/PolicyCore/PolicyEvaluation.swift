import Sim

/// A policy alone on track against the limit lap: one car from a standing start, its laps from the second on
/// compared with `LapLimit`'s lap time (`rival eval`).
public struct PolicyEvaluation: Sendable, Equatable, Codable {
    /// Circuit and car names.
    public var track: String
    public var car: String
    /// Every completed lap (s); the first is from the standing start.
    public var lapTimes: [Double]
    /// The physical-limit lap time (`rival limit`, s).
    public var limitLapTime: Double
    /// Slowest lap from the second on over the limit lap time; infinity when fewer than two laps were
    /// completed (the car crashed out or stalled).
    public var ratio: Double
    /// Off-track excursions (the whole car beyond a track limit) and barrier contacts over the whole run.
    public var offTracks: Int
    public var contacts: Int

    /// Clean (no off-track, no barrier) and every lap completed.
    public var isClean: Bool { offTracks == 0 && contacts == 0 && ratio.isFinite }

    /// Drives `laps` laps (2...50) of `policy` (its encoder's circuit and car) alone, deciding every
    /// `decisionInterval` seconds. A car that does not finish within three limit laps per lap is stopped.
    public static func run(policy: any Policy, track: Track, car: CarSpec, laps: Int = 3,
                           decisionInterval: Double = 1.0 / 60, cache: RacingLineCache = .shared) -> PolicyEvaluation {
        let laps = min(max(laps, 2), 50)
        let limit = cache.limit(track: track, car: car).lapTime
        let result = race(policy: policy, track: track, car: car, laps: laps, decisionInterval: decisionInterval,
                          cache: cache).entries[0]
        let compared = result.lapTimes.dropFirst()
        let ratio = result.lapTimes.count >= min(laps, 2) && !compared.isEmpty ? compared.max()! / limit : .infinity
        return PolicyEvaluation(track: track.name, car: car.name, lapTimes: result.lapTimes, limitLapTime: limit,
                                ratio: ratio, offTracks: result.offTracks, contacts: result.barrierHits)
    }

    /// The race ``run(policy:track:car:laps:decisionInterval:cache:)`` drives (`laps` laps, 2...50, alone, stopped
    /// after three limit laps per lap), with its incidents: the trainer's failure probe reads where they were.
    static func race(policy: any Policy, track: Track, car: CarSpec, laps: Int, decisionInterval: Double,
                     cache: RacingLineCache = .shared) -> RaceResult {
        let laps = min(max(laps, 2), 50)
        let limit = cache.limit(track: track, car: car).lapTime
        let driver = PolicyDriver(policy: policy, decisionInterval: decisionInterval)
        let config = RaceConfig(laps: laps, maxDuration: 3 * limit * Double(laps) + 30)
        // One car with a valid interval and config: setting up cannot fail.
        let race = try! Race(track: track, entries: [RaceEntry(name: "Policy", car: car, driver: driver)], config: config)
        return race.run()
    }
}

/// A grid of one policy racing itself (`rival eval --traffic`): `cars` cars of one model from the race engine's
/// standing-start grid for `laps` laps, every car driven by its own ``PolicyDriver`` around the same policy, with no
/// racecraft (offset command 0). The traffic target is a race without car-to-car contact.
public struct TrafficEvaluation: Sendable, Equatable, Codable {
    /// Circuit and car names.
    public var track: String
    public var car: String
    /// Cars on the grid and laps raced.
    public var cars: Int
    public var laps: Int
    /// Car-to-car contacts, off-track excursions and barrier hits, as the race logs them (`rival race --json`'s
    /// incidents).
    public var contacts: Int
    public var offTracks: Int
    public var barrierHits: Int
    /// Cars that completed every lap.
    public var finished: Int

    /// No car-to-car contact.
    public var isClean: Bool { contacts == 0 }

    /// Races `cars` (1...40) cars for `laps` laps (1...50) with `policy`, which must be stateless between calls
    /// (``NetworkPolicy`` is): one instance drives the whole grid. The race is the one `rival race --driver policy`
    /// runs with the same cars, laps and `config` (seed, fuel, tyre wear).
    public static func run(policy: any Policy, track: Track, car: CarSpec, cars: Int = 10, laps: Int = 5,
                           config: RaceConfig = RaceConfig()) -> TrafficEvaluation {
        let cars = min(max(cars, 1), 40), laps = min(max(laps, 1), 50)
        var config = config
        config.laps = laps
        let entries = (0..<cars).map { RaceEntry(name: "Policy \($0 + 1)", car: car, driver: PolicyDriver(policy: policy)) }
        // Valid cars, laps and default intervals: setting up cannot fail.
        let result = try! Race(track: track, entries: entries, config: config).run()
        func count(_ kind: Incident.Kind) -> Int { result.incidents.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }
        return TrafficEvaluation(track: track.name, car: car.name, cars: cars, laps: laps, contacts: count(.contact),
                                 offTracks: count(.offTrack), barrierHits: count(.barrier),
                                 finished: result.entries.reduce(0) { $0 + ($1.finished ? 1 : 0) })
    }
}
