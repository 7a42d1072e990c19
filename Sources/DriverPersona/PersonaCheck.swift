import Dispatch
import Synchronization
import GSL
import PolicyCore
import Sim

/// How a set of personas laps alone on track: several drivers (people) per persona, each for a number of laps, on
/// several circuits, summarised per persona with the human-likeness figures of ``LapTimeStatistics``. Used by
/// `rival persona check` to hold the presets to their targets (docs/persona.md).
public struct PersonaCheck: Sendable {
    /// One driver's run.
    public struct Run: Sendable {
        public var persona: String
        public var track: String
        public var driver: Int
        public var traits: HumanTraits
        public var statistics: LapTimeStatistics
        /// Mean flying lap over the bare policy's mean flying lap on the same circuit.
        public var pace: Double
        /// Mistakes (off-tracks, barrier hits, running wide) per lap.
        public var mistakesPerLap: Double
        public var finished: Bool
    }

    /// One persona over every circuit and driver: medians over the drivers (mistakes: the mean).
    public struct Summary: Sendable {
        public var persona: String
        public var skill: Double
        public var pace: Double
        public var coefficientOfVariation: Double
        public var skewness: Double
        /// Share of drivers whose laps are right-skewed.
        public var rightSkewedShare: Double
        public var lagOneAutocorrelation: Double
        public var mistakesPerLap: Double
        public var medianExcess: Double
        public var unfinished: Int
    }

    public var runs: [Run]
    public var summaries: [Summary]

    /// Runs `drivers` people of each persona for `laps` laps on each source (circuit), seeds `seed`...; the work
    /// is spread over `threads` threads, and the result does not depend on their number. `progress` is called with
    /// the share of drivers done (0...1), from the worker threads.
    public static func run(personas: [Persona], sources: [PolicySource], car: CarSpec, laps: Int, drivers: Int,
                           seed: UInt64, config: RaceConfig = RaceConfig(), threads: Int = 1,
                           progress: (@Sendable (Double) -> Void)? = nil) -> PersonaCheck {
        // The bare policy's pace on each circuit.
        let bare = sources.map { LapTimeStatistics(SoloRun.drive($0, car: car, traits: .none, laps: laps, seed: seed,
                                                                 config: config).flyingLaps).mean }
        struct Job: Sendable { var p: Int; var t: Int; var d: Int }
        let jobs = personas.indices.flatMap { p in
            sources.indices.flatMap { t in (0..<drivers).map { Job(p: p, t: t, d: $0) } }
        }
        let box = ResultBox<Run>(count: jobs.count)
        let lanes = max(1, min(threads, jobs.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var k = lane
            while k < jobs.count {
                let job = jobs[k]
                let persona = personas[job.p], source = sources[job.t]
                let raceSeed = seed &+ UInt64(job.d)
                let traits = persona.sample(raceSeed: raceSeed, index: 0)
                let solo = SoloRun.drive(source, car: car, traits: traits, laps: laps, seed: raceSeed, config: config)
                let stats = LapTimeStatistics(solo.flyingLaps)
                box.set(k, Run(persona: persona.name, track: source.plan.track.name, driver: job.d, traits: traits,
                               statistics: stats, pace: stats.mean / bare[job.t],
                               mistakesPerLap: Double(solo.mistakes) / Double(max(solo.lapTimes.count, 1)),
                               finished: solo.finished))
                let finished = done.add(1, ordering: .relaxed).newValue
                progress?(Double(finished) / Double(jobs.count))
                k += lanes
            }
        }
        let runs = box.values
        let summaries = personas.map { persona -> Summary in
            let mine = runs.filter { $0.persona == persona.name && $0.statistics.count >= 3 }
            func median(_ f: (Run) -> Double) -> Double { SummaryStatistics(mine.map(f)).quantile(0.5) }
            return Summary(
                persona: persona.name, skill: persona.skill, pace: median(\.pace),
                coefficientOfVariation: median(\.statistics.coefficientOfVariation),
                skewness: median(\.statistics.skewness),
                rightSkewedShare: mine.isEmpty ? .nan : Double(mine.filter { $0.statistics.skewness > 0 }.count) / Double(mine.count),
                lagOneAutocorrelation: median(\.statistics.lagOneAutocorrelation),
                mistakesPerLap: mine.isEmpty ? .nan : mine.map(\.mistakesPerLap).reduce(0, +) / Double(mine.count),
                medianExcess: median(\.statistics.medianExcess),
                unfinished: runs.filter { $0.persona == persona.name && !$0.finished }.count)
        }
        return PersonaCheck(runs: runs, summaries: summaries)
    }
}
