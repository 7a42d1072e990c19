import Dispatch
import GSL
import PolicyCore
import Sim

/// A persona against a scripted slowdown of the same policy at the same mean lap time: the human-likeness figures
/// of both, side by side (`rival compare`).
public struct SlowdownComparison: Sendable {
    /// The figures of one side, medians over its drivers.
    public struct Figures: Sendable, Equatable, Codable {
        public var meanLap: Double
        public var coefficientOfVariation: Double
        public var skewness: Double
        public var lagOneAutocorrelation: Double
        /// Median over corners of the braking point's spread over laps (m).
        public var brakingPointSpread: Double
        /// Mistakes (off-tracks, barrier hits, running wide) per lap, mean over drivers.
        public var mistakesPerLap: Double
    }

    public var persona: Figures
    public var baseline: Figures
    /// The baseline's factor on the speed targets that matches the persona's mean lap.
    public var speedFactor: Double

    /// `drivers` people of `persona` for `laps` laps each on `source`'s circuit, then the scripted slowdown whose
    /// mean lap equals theirs (bisection on its factor), for as many laps. `progress` is called with the share of
    /// the races done (0...1).
    public static func run(persona: Persona, source: PolicySource, car: CarSpec, laps: Int, drivers: Int, seed: UInt64,
                           config: RaceConfig = RaceConfig(), progress: ((Double) -> Void)? = nil) -> SlowdownComparison {
        var settings = config
        settings.laps = laps
        let bisectionSteps = 14
        let total = Double(2 * drivers + bisectionSteps)
        var done = 0.0
        func race(_ driver: any Driver, seed: UInt64) -> RaceResult.Entry {
            defer { done += 1; progress?(done / total) }
            settings.seed = seed
            let race = try! Race(track: source.plan.track, entries: [RaceEntry(name: "driver", car: car, driver: driver)],
                                 config: settings)
            return race.run().entries[0]
        }
        func figures(_ runs: [(entry: RaceResult.Entry, log: BrakingPointLog)]) -> Figures {
            let stats = runs.map { LapTimeStatistics($0.entry.lapTimes.dropFirst()) }
            func median(_ v: [Double]) -> Double { SummaryStatistics(v).quantile(0.5) }
            let mistakes = runs.map { Double($0.entry.offTracks + $0.entry.barrierHits + $0.log.runWide) / Double(max($0.entry.lapTimes.count, 1)) }
            return Figures(meanLap: stats.map(\.mean).reduce(0, +) / Double(stats.count),
                           coefficientOfVariation: median(stats.map(\.coefficientOfVariation)),
                           skewness: median(stats.map(\.skewness)),
                           lagOneAutocorrelation: median(stats.map(\.lagOneAutocorrelation)),
                           brakingPointSpread: median(runs.map { $0.log.medianSpread() }),
                           mistakesPerLap: mistakes.reduce(0, +) / Double(mistakes.count))
        }
        let people = (0..<drivers).map { d -> (entry: RaceResult.Entry, log: BrakingPointLog) in
            let raceSeed = seed &+ UInt64(d)
            let human = source.makeDriver(traits: persona.sample(raceSeed: raceSeed, index: 0), raceSeed: raceSeed, index: 0)
            let log = BrakingPointLog(human, corners: source.corners)
            return (race(log, seed: raceSeed), log)
        }
        let human = figures(people)
        // Bisection on the factor for the same mean flying lap (lap time falls as the factor rises).
        var low = 0.6, high = 1.0
        func meanLap(_ factor: Double) -> Double {
            let entry = race(ScriptedSlowdownDriver(policy: source.makePolicy(), speedFactor: factor), seed: seed)
            return LapTimeStatistics(entry.lapTimes.dropFirst()).mean
        }
        for _ in 0..<bisectionSteps {
            let mid = 0.5 * (low + high)
            if meanLap(mid) > human.meanLap { low = mid } else { high = mid }
        }
        let factor = 0.5 * (low + high)
        let scripted = (0..<drivers).map { d -> (entry: RaceResult.Entry, log: BrakingPointLog) in
            let log = BrakingPointLog(ScriptedSlowdownDriver(policy: source.makePolicy(), speedFactor: factor),
                                      corners: source.corners)
            return (race(log, seed: seed &+ UInt64(d)), log)
        }
        return SlowdownComparison(persona: human, baseline: figures(scripted), speedFactor: factor)
    }
}
