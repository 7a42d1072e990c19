#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import DriverPersona
import Foundation
import GSL
import PolicyCore
import Sim

/// Fits the free traits of a persona so that its simulated laps match a target lap-time distribution.
///
/// Each candidate is simulated with common random numbers: the same drivers (seeds), each alone on track for
/// the same number of laps, so two candidates differ only by their traits and the objective is smooth enough
/// for Nelder-Mead. The distance is the 1-Wasserstein distance between the empirical distributions of the target
/// laps and the simulated flying laps (absolute seconds, or each lap over its own set's best lap in relative
/// mode). GSL's Nelder-Mead (nmsimplex2) runs from several starts in turn, each trait mapped onto its range by a
/// logistic, so no candidate leaves it; a candidate's drivers are simulated in parallel, and the result does not
/// depend on the number of threads.
public struct Calibrator: Sendable {
    /// Absolute seconds, or laps over the best lap of their own set (data from another circuit or car).
    public enum Mode: String, Sendable, CaseIterable, Codable {
        case absolute, relative
    }

    /// Budget and sampling.
    public struct Settings: Sendable {
        /// Flying laps simulated per candidate (split over ``drivers``).
        public var lapsPerEvaluation = 200
        /// Drivers (people) per candidate, each with its own stream.
        public var drivers = 10
        /// Nelder-Mead starts: the base persona's values, then seeded points around them.
        public var starts = 2
        /// Nelder-Mead iterations per start.
        public var iterationsPerStart = 24
        /// The seed of the drivers' streams and of the extra starts.
        public var seed: UInt64 = 1
        /// Worker threads for a candidate's drivers.
        public var threads = 1
        public init() {}
    }

    /// The progress of a fit, after each candidate.
    public struct Progress: Sendable {
        public var evaluation: Int
        public var plannedEvaluations: Int
        public var bestDistance: Double
        public var elapsed: Double
    }

    /// A finished fit.
    public struct Result: Sendable {
        /// The base persona with the free traits set to the fitted constants (and a comment saying how).
        public var persona: Persona
        /// The fitted value of each free trait.
        public var parameters: [TraitName: Double]
        /// 1-Wasserstein distance (s in absolute mode, a fraction of the best lap in relative mode) and the KS
        /// statistic of the fitted persona's laps against the target.
        public var distance: Double
        public var ks: Double
        /// Target and fitted quantiles at 5, 10, ..., 95 % (in the mode's unit).
        public var targetQuantiles: [Double]
        public var fittedQuantiles: [Double]
        /// The fitted persona's simulated laps (in the mode's unit) and the target's.
        public var fittedLaps: [Double]
        public var targetLaps: [Double]
        public var evaluations: Int
        public var wallSeconds: Double
    }

    /// A target that cannot be reached: faster than the policy laps with no limits at all.
    public struct Unreachable: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let source: PolicySource
    public let car: CarSpec
    public let config: RaceConfig
    public let base: Persona
    public let free: [TraitName]
    public let mode: Mode
    public let settings: Settings

    public init(source: PolicySource, car: CarSpec, config: RaceConfig, base: Persona, free: [TraitName], mode: Mode,
                settings: Settings) {
        self.source = source
        self.car = car
        self.config = config
        self.base = base
        self.free = free
        self.mode = mode
        self.settings = settings
    }

    /// Laps per driver with `settings`, the standing-start lap included.
    public static func lapsPerDriver(_ settings: Settings) -> Int {
        max(2, Int((Double(settings.lapsPerEvaluation) / Double(max(settings.drivers, 1))).rounded(.up)) + 1)
    }
    var lapsPerDriver: Int { Self.lapsPerDriver(settings) }

    /// The flying laps (s) of `drivers` people of `persona`, each alone on track; driver d uses seed `seed + d`.
    public func simulate(_ persona: Persona) -> [Double] {
        let laps = lapsPerDriver
        let box = ResultBox<[Double]>(count: settings.drivers)
        let lanes = max(1, min(settings.threads, settings.drivers))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var d = lane
            while d < settings.drivers {
                let raceSeed = settings.seed &+ UInt64(d)
                let traits = persona.sample(raceSeed: raceSeed, index: 0)
                let run = SoloRun.drive(source, car: car, traits: traits, laps: laps, seed: raceSeed, config: config)
                // A lap not completed counts as a very slow one (twice the driver's slowest), so a candidate that
                // crashes out is far from any human target rather than missing.
                var flying = Array(run.flyingLaps)
                let slowest = flying.max() ?? 600
                while flying.count < laps - 1 { flying.append(2 * slowest) }
                box.set(d, flying)
                d += lanes
            }
        }
        return box.values.flatMap { $0 }
    }

    /// `laps` in the mode's unit.
    func inMode(_ laps: [Double]) -> [Double] {
        guard mode == .relative, let best = laps.filter(\.isFinite).min(), best > 0 else { return laps }
        return laps.map { $0 / best }
    }

    /// The persona with the free traits set to `values` (constants), others as in the base.
    public func persona(_ values: [Double]) -> Persona {
        var p = base
        for (trait, value) in zip(free, values) { p.overrides[trait] = .constant(value) }
        return p
    }

    /// The unconstrained coordinate of a trait value, and back (a logistic onto the trait's range, kept 0.1 %
    /// inside it).
    func coordinate(_ trait: TraitName, _ value: Double) -> Double {
        let r = trait.range
        let u = min(max((value - r.lowerBound) / (r.upperBound - r.lowerBound), 0.001), 0.999)
        return log(u / (1 - u))
    }
    func value(_ trait: TraitName, _ z: Double) -> Double {
        let r = trait.range
        return r.lowerBound + (r.upperBound - r.lowerBound) / (1 + exp(-z))
    }

    /// Fits the free traits to `target`, calling `progress` after every candidate.
    /// - Throws: ``Unreachable`` when the target is faster than the policy with no limits at all (absolute mode).
    public func fit(_ target: LapTarget, progress: (Progress) -> Void = { _ in }) throws -> Result {
        let start = Date()
        let targetLaps = inMode(target.laps)
        if mode == .absolute {
            let bare = simulate(Persona(name: "alien", skill: 1))
            let fastest = SummaryStatistics(bare).quantile(0.5)
            let median = SummaryStatistics(target.laps).quantile(0.5)
            if median < fastest * 0.995 {
                throw Unreachable(description: String(
                    format: "the target's median lap %.3f s is faster than the policy with no human limits at all "
                        + "(%.3f s on %@ in the %@): no persona can reach it; check the circuit and car, or use "
                        + "--mode relative", median, fastest, source.plan.track.name, car.name))
            }
        }
        let planned = settings.starts * settings.iterationsPerStart
        var evaluations = 0
        var best = (distance: Double.infinity, values: free.map { base.distribution($0).mean })
        func objective(_ z: [Double]) -> Double {
            let values = zip(free, z).map { value($0.0, $0.1) }
            let d = SampleDistance.wasserstein(targetLaps, inMode(simulate(persona(values))))
            evaluations += 1
            if d < best.distance { best = (d, values) }
            progress(Progress(evaluation: evaluations, plannedEvaluations: planned, bestDistance: best.distance,
                              elapsed: Date().timeIntervalSince(start)))
            return d
        }
        let origin = free.map { coordinate($0, base.distribution($0).mean) }
        let stream = GSLRandomStream(raceSeed: settings.seed, index: 0, salt: 0x6361_6C69_62)  // "calib"
        for s in 0..<max(settings.starts, 1) {
            let from = s == 0 ? origin : origin.map { $0 + stream.gaussian(sd: 1) }
            let minimiser = NelderMead(maxIterations: settings.iterationsPerStart, sizeTolerance: 1e-3)
            _ = try minimiser.minimize(start: from, step: Array(repeating: 0.4, count: free.count), objective: objective)
        }
        let fitted = persona(best.values)
        let fittedLaps = inMode(simulate(fitted))
        let ps = stride(from: 0.05, through: 0.951, by: 0.05).map { $0 }
        let wall = Date().timeIntervalSince(start)
        var described = fitted
        let unit = mode == .absolute ? "s" : "of the best lap"
        described.comment = String(format: "Fitted by rival calibrate (%@ mode) to %@ (%d laps): 1-Wasserstein %.4f %@, "
            + "KS %.3f, seed %llu, %d evaluations", mode.rawValue, target.source, target.laps.count, best.distance,
            unit, SampleDistance.kolmogorovSmirnov(targetLaps, fittedLaps), settings.seed, evaluations)
        return Result(persona: described, parameters: Dictionary(uniqueKeysWithValues: zip(free, best.values)),
                      distance: best.distance, ks: SampleDistance.kolmogorovSmirnov(targetLaps, fittedLaps),
                      targetQuantiles: SummaryStatistics.quantiles(of: targetLaps, at: ps),
                      fittedQuantiles: SummaryStatistics.quantiles(of: fittedLaps, at: ps),
                      fittedLaps: fittedLaps, targetLaps: targetLaps, evaluations: evaluations, wallSeconds: wall)
    }
}
