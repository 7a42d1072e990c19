import Foundation
import GSL
import PolicyCore
import RivalTestSupport
import Sim
import Testing
@testable import Calibration
@testable import DriverPersona

@Suite("Lap targets")
struct LapTargetTests {
    @Test("times in seconds or m:ss.sss; the lap_time_s column first; blanks dropped and counted")
    func parsing() throws {
        #expect(LapTarget.parseTime("1:52.345") == 112.345)
        #expect(LapTarget.parseTime(" 98.5 ") == 98.5)
        #expect(LapTarget.parseTime("")?.isNaN == true)
        #expect(LapTarget.parseTime("fast") == nil)
        #expect(LapTarget.parseTime("1:75.0") == nil)
        let rows = (0..<12).map { "\($0),\($0 == 3 ? "" : "1:5\($0 % 10).000"),x" }.joined(separator: "\n")
        let t = try LapTarget.parse(csv: "lap,lap_time,note\n" + rows, file: "laps.csv")
        #expect(t.laps.count == 11 && t.droppedNonFinite == 1)
        #expect(t.laps[0] == 110 && t.source == "laps.csv, column lap_time")
        // No named column: the first column of lap times (not `lap`, whose 0 is not a plausible time).
        let plain = try LapTarget.parse(csv: "lap,seconds\n" + (1...10).map { "\($0),\(100 + Double($0) / 10)" }.joined(separator: "\n"),
                                        file: "p.csv")
        #expect(plain.laps.first == 100.1 && plain.source == "p.csv, column seconds")
    }

    @Test("bad targets say what is wrong, where")
    func badTargets() {
        func message(_ csv: String) -> String {
            do { _ = try LapTarget.parse(csv: csv, file: "t.csv"); return "no error" } catch { return error.description }
        }
        #expect(message("") == "t.csv: the file is empty; expected a header line and one lap per line")
        #expect(message("driver,team\nann,red\nbob,blue") .hasPrefix("t.csv: line 1: driver,team: no lap-time column"))
        #expect(message("lap_time_s\n" + Array(repeating: "100", count: 9).joined(separator: "\n") + "\n-3")
            == "t.csv: line 11, column lap_time_s: -3: expected a lap time in 5...3600 s")
        #expect(message("lap_time_s\n100\n101\nabc") == "t.csv: line 4, column lap_time_s: abc: expected a lap time in seconds or m:ss.sss")
        #expect(message("lap_time_s\n100\n101\n\n102") == "t.csv: 3 laps: expected at least 10 laps in column lap_time_s")
        #expect(message("lap_time_s\n" + Array(repeating: "99999", count: 12).joined(separator: "\n"))
            == "t.csv: line 2, column lap_time_s: 99999: expected a lap time in 5...3600 s")
    }

    @Test("a summary target has the mean, spread and skewness asked for")
    func summary() throws {
        let t = try LapTarget.summary(mean: 112.3, sd: 0.8, skewness: 1.0)
        let s = SummaryStatistics(t.laps)
        #expect(abs(s.mean - 112.3) < 0.01 && abs(s.standardDeviation - 0.8) < 0.02 && abs(s.skewness - 1) < 0.1,
                "\(s.mean) \(s.standardDeviation) \(s.skewness)")
        #expect(throws: LoadError.self) { try LapTarget.summary(mean: 112, sd: -1) }
    }

    @Test("a percentile target passes through its points")
    func percentiles() throws {
        let t = try LapTarget.percentiles([(10, 112.1), (50, 112.8), (90, 114.0)])
        let s = SummaryStatistics(t.laps)
        #expect(abs(s.quantile(0.1) - 112.1) < 0.01 && abs(s.quantile(0.5) - 112.8) < 0.01 && abs(s.quantile(0.9) - 114.0) < 0.01,
                "\(s.quantile(0.1)) \(s.quantile(0.5)) \(s.quantile(0.9))")
        #expect(s.skewness > 0)
        do {
            _ = try LapTarget.percentiles([(10, 112.1), (50, 111.8), (90, 114.0)])
            Issue.record("decreasing times accepted")
        } catch {
            #expect(error.description == "--target-percentiles: 50.0:111.8: expected percents and times that both increase from point to point")
        }
    }
}

@Suite("Distances")
struct DistanceTests {
    @Test("Wasserstein is the shift between shifted samples; KS between disjoint ones is 1")
    func distances() {
        let a = (0..<100).map { Double($0) }
        #expect(abs(SampleDistance.wasserstein(a, a.map { $0 + 0.5 }) - 0.5) < 1e-12)
        #expect(abs(SampleDistance.wasserstein([0, 1], [0, 0, 1, 1]) - 0) < 1e-12)
        #expect(abs(SampleDistance.wasserstein([0], [1, 3]) - 2) < 1e-12)
        #expect(SampleDistance.kolmogorovSmirnov(a, a.map { $0 + 1000 }) == 1)
        #expect(SampleDistance.kolmogorovSmirnov(a, a) == 0)
    }
}

@Suite("Calibration")
struct CalibrationRecoveryTests {
    /// A persona with a known braking-point bias drives 20 laps (5 people) at the Norisring; calibration from
    /// another start, with the same people (common random numbers), recovers the laps' distribution within 0.1 s
    /// and the bias within 2.5 m, on a small budget (one free trait). The documented full run (200 laps, other
    /// people, four free traits) is in docs/calibration.md.
    @Test("recovers a known persona's laps and trait")
    func recovery() throws {
        let track = try Shipped.track("Norisring"), car = try Shipped.car("gt3")
        let config = RaceConfig(laps: 5)
        let plan = ExpertPlan(track: track, car: car, fuelMass: config.startingFuelMass(car: car, track: track))
        let source = PolicySource.expert(plan)
        var truth = Persona(name: "truth", skill: 0.8)
        truth.overrides[.brakingPointBias] = .constant(12)
        var settings = Calibrator.Settings()
        settings.lapsPerEvaluation = 20
        settings.drivers = 5
        settings.starts = 1
        settings.iterationsPerStart = 12
        settings.threads = 2
        let generator = Calibrator(source: source, car: car, config: config, base: truth, free: [], mode: .absolute,
                                   settings: settings)
        let target = LapTarget(laps: generator.simulate(truth), source: "truth")
        var start = truth
        start.overrides[.brakingPointBias] = .constant(2)
        let calibrator = Calibrator(source: source, car: car, config: config, base: start, free: [.brakingPointBias],
                                    mode: .absolute, settings: settings)
        let result = try calibrator.fit(target)
        let bias = try #require(result.parameters[.brakingPointBias])
        #expect(result.distance < 0.1, "W1 \(result.distance) s")
        #expect(abs(bias - 12) < 2.5, "bias \(bias) m")
        #expect(result.evaluations <= 30)
        // The fitted persona is a valid persona file that loads back.
        let text = result.persona.encodeJSON()
        let back = try Persona.decode(data: Data(text.utf8), file: "fitted.json")
        #expect(back.overrides[.brakingPointBias] == .constant(bias))
        #expect(back.comment?.contains("1-Wasserstein") == true)
    }

    @Test("a target faster than the policy itself is unreachable, and says so")
    func unreachable() throws {
        let track = try Shipped.track("Spielberg"), car = try Shipped.car("gt3")
        let plan = ExpertPlan(track: track, car: car)
        var settings = Calibrator.Settings()
        settings.lapsPerEvaluation = 4
        settings.drivers = 2
        let calibrator = Calibrator(source: .expert(plan), car: car, config: RaceConfig(laps: 3), base: Persona(name: "club", skill: 0.5),
                                    free: [.brakingPointBias], mode: .absolute, settings: settings)
        let target = LapTarget(laps: Array(repeating: 60, count: 20), source: "too fast")
        #expect(throws: Calibrator.Unreachable.self) { try calibrator.fit(target) }
    }
}

@Suite("Calibration determinism")
struct CalibrationDeterminismTests {
    @Test("a candidate's laps are the same at any thread count")
    func threadCountDoesNotMatter() throws {
        let track = try Shipped.track("Norisring"), car = try Shipped.car("gt3")
        let config = RaceConfig(laps: 3)
        let plan = ExpertPlan(track: track, car: car, fuelMass: config.startingFuelMass(car: car, track: track))
        var settings = Calibrator.Settings()
        settings.lapsPerEvaluation = 6
        settings.drivers = 3
        func laps(threads: Int) -> [Double] {
            settings.threads = threads
            return Calibrator(source: .expert(plan), car: car, config: config, base: Persona(name: "club", skill: 0.5),
                              free: [], mode: .absolute, settings: settings).simulate(Persona(name: "club", skill: 0.5))
        }
        let one = laps(threads: 1), three = laps(threads: 3)
        #expect(one.count == 6 && one == three)
        // Different people lap differently.
        #expect(Set(one).count > 1)
    }
}
