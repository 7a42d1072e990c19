import PolicyCore
import Sim

/// One driver alone on track for a number of laps: the measurement behind the persona tests, `rival persona check`,
/// `rival compare` and the calibration tool.
public struct SoloRun: Sendable {
    /// Every completed lap's time (s), lap 1 (the standing start) included.
    public var lapTimes: [Double]
    /// Off-tracks and barrier hits (whole laps of mistakes the race engine logged).
    public var offTracks: Int
    public var barrierHits: Int
    /// What the driver did (lapses, running wide, corners).
    public var stats: HumanDriverStats
    /// Whether every lap was completed.
    public var finished: Bool

    /// Lap times from lap 2 on (flying laps).
    public var flyingLaps: ArraySlice<Double> { lapTimes.dropFirst() }

    /// Mistakes: off-tracks, barrier hits and running wide (a wheel over the line) together.
    public var mistakes: Int { offTracks + barrierHits + stats.runWide }

    /// Drives `laps` laps of `source`'s circuit in `car` with `traits`, seeded `seed` (the driver is index 0 of that
    /// race), with the race's default fuel, wear and physics settings unless `config` says otherwise.
    public static func drive(_ source: PolicySource, car: CarSpec, traits: HumanTraits, laps: Int, seed: UInt64,
                             config: RaceConfig? = nil) -> SoloRun {
        var settings = config ?? RaceConfig()
        settings.laps = laps
        settings.seed = seed
        settings.maxDuration = 600 * Double(laps)
        let driver = source.makeDriver(traits: traits, raceSeed: seed, index: 0)
        let race: Race
        do {
            race = try Race(track: source.plan.track, entries: [RaceEntry(name: "solo", car: car, driver: driver)],
                            config: settings)
        } catch {
            preconditionFailure("SoloRun: \(error)")
        }
        let entry = race.run().entries[0]
        return SoloRun(lapTimes: entry.lapTimes, offTracks: entry.offTracks, barrierHits: entry.barrierHits,
                       stats: driver.stats, finished: entry.finished)
    }
}
