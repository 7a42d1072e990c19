import ArgumentParser
import Calibration
import DriverPersona
import Foundation
import GSL
import PolicyCore
import Sim

/// `rival calibrate`: fits the free traits of a persona so that its simulated laps match a target lap-time
/// distribution (a CSV of real laps, or a mean and spread), and writes the fitted persona, a summary and a plot.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a persona's free traits to a target lap-time distribution (docs/calibration.md).")

    @Option(help: "CSV of target laps: a lap_time_s (or lap_time) column, or the first column of lap times (s or m:ss.sss).")
    var target: String?
    @Option(name: .customLong("target-mean"), help: "Target mean lap (s), instead of --target.") var targetMean: Double?
    @Option(name: .customLong("target-sd"), help: "Target lap-time standard deviation (s), with --target-mean.") var targetSD: Double?
    @Option(name: .customLong("target-skewness"), help: "Target skewness (0...5), with --target-mean.") var targetSkewness: Double?
    @Option(name: .customLong("target-percentiles"),
            help: ArgumentHelp("Target percentiles of the lap time, instead of --target: percent:seconds,... (at least 3).",
                               valueName: "10:112.1,50:112.8,90:114.0"))
    var targetPercentiles: String?
    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Option(help: "The persona to start from (file or shipped name); its other traits stay as they are.") var persona = "club"
    @Option(help: ArgumentHelp("Traits to fit, comma-separated.", valueName: "trait,..."))
    var free = "brakingPointBias,brakingPointSpread,lapFormSpread,commitmentSpread"
    @Option(help: "Where to write the fitted persona.") var out = "fitted.json"
    @Option(help: ArgumentHelp("Match lap times (absolute) or laps over their set's best lap (relative).",
                               valueName: "absolute|relative"))
    var mode = "absolute"
    @Option(name: .customLong("laps-per-eval"), help: "Flying laps simulated per candidate (20...5000).") var lapsPerEval = 200
    @Option(help: "Drivers (people) per candidate (1...100).") var drivers = 10
    @Option(help: "Nelder-Mead starts (1...20).") var starts = 2
    @Option(help: "Nelder-Mead iterations per start (1...1000).") var iterations = 24
    @Option(help: "Seed of the simulated drivers and the extra starts (a non-negative integer).") var seed: UInt64 = 1
    @Option(help: "Worker threads (default: every core).") var threads: Int?
    @Option(help: "Also write the summary JSON here.") var summary: String?
    @Option(help: "Where to write the SVG plot (default: --out with .svg).") var plot: String?
    @Option(help: "Also write a self-contained HTML report (fit, traits, distributions, the fitted persona).")
    var report: String?
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        let given = [target != nil, targetMean != nil || targetSD != nil, targetPercentiles != nil].filter { $0 }.count
        if given == 0 {
            throw ValidationError("--target: expected a CSV of laps, --target-mean and --target-sd, or --target-percentiles")
        }
        if given > 1 && targetPercentiles != nil {
            throw ValidationError("--target-percentiles: expected it alone, not with --target or --target-mean")
        }
        if let spec = targetPercentiles { _ = try Self.percentilePoints(spec) }
        if target != nil && (targetMean != nil || targetSD != nil) {
            throw ValidationError("--target-mean: expected either --target or --target-mean/--target-sd, not both")
        }
        if targetMean != nil && targetSD == nil { throw ValidationError("--target-sd: missing: expected it with --target-mean") }
        guard Calibrator.Mode(rawValue: mode) != nil else { throw ValidationError("--mode: \(mode): expected absolute or relative") }
        guard (20...5000).contains(lapsPerEval) else { throw ValidationError("--laps-per-eval: \(lapsPerEval): expected 20...5000") }
        guard (1...100).contains(drivers) else { throw ValidationError("--drivers: \(drivers): expected 1...100") }
        guard (1...20).contains(starts) else { throw ValidationError("--starts: \(starts): expected 1...20") }
        guard (1...1000).contains(iterations) else { throw ValidationError("--iterations: \(iterations): expected 1...1000") }
        if let t = threads, !(1...256).contains(t) { throw ValidationError("--threads: \(t): expected 1...256") }
        _ = try freeTraits()
        try OutputPath.check(out, flag: "--out")
        if let s = summary { try OutputPath.check(s, flag: "--summary") }
        if let p = plot { try OutputPath.check(p, flag: "--plot") }
        if let r = report { try OutputPath.check(r, flag: "--report") }
    }

    func freeTraits() throws -> [TraitName] {
        let names = free.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ValidationError("--free: \(free): expected one or more trait names") }
        return try names.map { name in
            guard let trait = TraitName(rawValue: name) else {
                let hint = TraitName.closest(to: name).map { " (did you mean \($0.rawValue)?)" } ?? ""
                throw ValidationError("--free: \(name): unknown trait\(hint); expected some of "
                    + TraitName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return trait
        }
    }

    func run() throws {
        let lapTarget: LapTarget
        do {
            if let path = target { lapTarget = try LapTarget.load(csv: path) }
            else if let spec = targetPercentiles { lapTarget = try LapTarget.percentiles(try Self.percentilePoints(spec)) }
            else { lapTarget = try LapTarget.summary(mean: targetMean ?? 0, sd: targetSD ?? 0, skewness: targetSkewness) }
        } catch {
            throw UserError("\(error)")
        }
        let base: Persona
        do { base = try Persona.resolve(persona, searchDirectories: DataDirectories.candidates("personas")) }
        catch { throw UserError("--persona: \(error)") }
        let track = try trackOption.load(), car = try carOption.load()
        var settings = Calibrator.Settings()
        settings.lapsPerEvaluation = lapsPerEval
        settings.drivers = drivers
        settings.starts = starts
        settings.iterationsPerStart = iterations
        settings.seed = seed
        settings.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        // Each driver runs one standing-start lap and its share of the flying laps, with the fuel for that
        // distance, and the expert plans for that fuel.
        let config = RaceConfig(laps: Calibrator.lapsPerDriver(settings))
        let calibrator = Calibrator(source: try PolicySourceOption.source(base: "expert", policy: nil, track: track, car: car,
                                                                         config: config),
                                    car: car, config: config, base: base, free: try freeTraits(),
                                    mode: Calibrator.Mode(rawValue: mode)!, settings: settings)
        let display = ProgressDisplay(enabled: !quiet)
        if lapTarget.droppedNonFinite > 0 {
            display.note("rival calibrate: \(lapTarget.droppedNonFinite) blank or non-finite values dropped from \(lapTarget.source)")
        }
        display.note("rival calibrate: \(lapTarget.laps.count) target laps (\(lapTarget.source)); fitting "
            + "\(free) on \(track.name) in the \(car.name), \(lapsPerEval) laps a candidate")
        let result: Calibrator.Result
        do {
            result = try calibrator.fit(lapTarget) { p in
                display.bar(Double(p.evaluation) / Double(max(p.plannedEvaluations, 1)),
                            String(format: "evaluation %d of about %d, best distance %.4f", p.evaluation,
                                   p.plannedEvaluations, p.bestDistance))
            }
        } catch let e as Calibrator.Unreachable {
            throw UserError("--target: \(e.description)")
        }
        do {
            try result.persona.encodeJSON().write(toFile: out, atomically: true, encoding: .utf8)
            let plotPath = plot ?? ((out as NSString).deletingPathExtension + ".svg")
            let unit = mode == "absolute" ? "s" : "x best lap"
            try CalibrationPlot.svg(target: result.targetLaps, fitted: result.fittedLaps, unit: unit,
                                    title: "\(lapTarget.source) vs fitted \(base.name) on \(track.name), \(car.name)")
                .write(toFile: plotPath, atomically: true, encoding: .utf8)
            let summaryText = try Self.summaryJSON(result)
            if let s = summary { try summaryText.write(toFile: s, atomically: true, encoding: .utf8) }
            if let path = report {
                let page = CalibrationReportPage(result: result, base: base, targetSource: lapTarget.source, track: track.name,
                                                 car: car.name, unit: unit,
                                                 command: HTMLPage.commandLine)
                try HTMLPage.write(page.html(), to: path)
            }
            display.note("rival calibrate: wrote \(out) and \(plotPath)" + (report.map { " and \($0)" } ?? ""))
            if json {
                print(summaryText)
            } else {
                print(String(format: "1-Wasserstein %.4f %@, KS %.3f, %d evaluations, %.0f s", result.distance,
                             mode == "absolute" ? "s" : "(fraction of the best lap)", result.ks, result.evaluations,
                             result.wallSeconds))
                let t = SummaryStatistics(result.targetLaps), f = SummaryStatistics(result.fittedLaps)
                print(String(format: "  target mean %.4f sd %.4f skewness %.2f; fitted mean %.4f sd %.4f skewness %.2f",
                             t.mean, t.standardDeviation, t.skewness, f.mean, f.standardDeviation, f.skewness))
                for trait in try freeTraits() {
                    print(String(format: "  %@ = %.4g %@", trait.rawValue, result.parameters[trait] ?? .nan, trait.unit))
                }
            }
        } catch let error as UserError {
            throw error
        } catch {
            throw UserError("--out: \(out): \(error.localizedDescription)")
        }
    }

    /// `percent:seconds,...` as points; the seconds may be `m:ss.sss`.
    static func percentilePoints(_ spec: String) throws -> [(percent: Double, time: Double)] {
        try spec.split(separator: ",").map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let p = Double(parts[0].trimmingCharacters(in: .whitespaces)),
                  let t = LapTarget.parseTime(parts[1]), t.isFinite else {
                throw ValidationError("--target-percentiles: \(item): expected percent:seconds, such as 50:112.8")
            }
            return (p, t)
        }
    }

    /// `{"distance","ks","parameters":{...},"targetQuantiles":[...],"fittedQuantiles":[...],"evaluations","wallSeconds"}`.
    static func summaryJSON(_ r: Calibrator.Result) throws -> String {
        struct Summary: Encodable {
            var distance: Double, ks: Double, parameters: [String: Double]
            var targetQuantiles: [Double], fittedQuantiles: [Double], evaluations: Int, wallSeconds: Double
            var targetMean: Double, targetSD: Double, fittedMean: Double, fittedSD: Double
        }
        let t = SummaryStatistics(r.targetLaps), f = SummaryStatistics(r.fittedLaps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let s = Summary(distance: r.distance, ks: r.ks,
                        parameters: Dictionary(uniqueKeysWithValues: r.parameters.map { ($0.key.rawValue, $0.value) }),
                        targetQuantiles: r.targetQuantiles, fittedQuantiles: r.fittedQuantiles,
                        evaluations: r.evaluations, wallSeconds: r.wallSeconds, targetMean: t.mean,
                        targetSD: t.standardDeviation, fittedMean: f.mean, fittedSD: f.standardDeviation)
        return String(decoding: try encoder.encode(s), as: UTF8.self)
    }
}
