import Foundation
import Testing

/// `rival calibrate`: bad targets exit 2 with a message; a small run writes a persona, a summary and a plot.
@Suite struct CalibrateCommandTests {
    static func temporary(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-calibrate-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func badTargetsExitWithTwo() throws {
        let empty = try Self.temporary("empty.csv", "")
        let few = try Self.temporary("few.csv", "lap_time_s\n" + Array(repeating: "52.1", count: 5).joined(separator: "\n"))
        let words = try Self.temporary("words.csv", "driver,team\nann,red\n")
        let negative = try Self.temporary("negative.csv", "lap_time_s\n" + Array(repeating: "52.1", count: 10).joined(separator: "\n") + "\n-1\n")
        let cases: [([String], String)] = [
            (["calibrate"], "--target: expected a CSV of laps, --target-mean and --target-sd, or --target-percentiles"),
            (["calibrate", "--target-percentiles", "10:112,50"], "--target-percentiles: 50: expected percent:seconds"),
            (["calibrate", "--target-percentiles", "10:112,50:113"], "--target-percentiles: 2 points: expected at least 3"),
            (["calibrate", "--target", "/no/such/laps.csv"], "/no/such/laps.csv: cannot read the file"),
            (["calibrate", "--target", empty], "empty.csv: the file is empty"),
            (["calibrate", "--target", few], "few.csv: 5 laps: expected at least 10 laps in column lap_time_s"),
            (["calibrate", "--target", words], "words.csv: line 1: driver,team: no lap-time column"),
            (["calibrate", "--target", negative], "negative.csv: line 12, column lap_time_s: -1: expected a lap time in 5...3600 s"),
            (["calibrate", "--target-mean", "52"], "--target-sd: missing"),
            (["calibrate", "--target-mean", "52", "--target-sd=-1"], "--target-sd: -1.0: expected a spread above 0"),
            (["calibrate", "--target", few, "--free", "reactionTme"], "--free: reactionTme: unknown trait (did you mean reactionTime?)"),
            (["calibrate", "--target", few, "--mode", "sideways"], "--mode: sideways: expected absolute or relative"),
            (["calibrate", "--target", few, "--laps-per-eval", "5"], "--laps-per-eval: 5: expected 20...5000"),
            (["calibrate", "--target-mean", "30", "--target-sd", "0.5", "--track", "Norisring", "--laps-per-eval", "20",
              "--drivers", "2", "--quiet"], "is faster than the policy with no human limits at all"),
        ]
        for (arguments, message) in cases {
            let out = try CLI.run(arguments)
            #expect(out.status == 2, "\(arguments): status \(out.status), stderr \(out.stderr)")
            #expect(out.stderr.contains(message), "\(arguments): stderr was \(out.stderr)")
        }
    }

    @Test func smallRunWritesPersonaSummaryAndPlot() throws {
        let laps = (0..<12).map { String(format: "%.3f", 53.2 + 0.15 * Double($0 % 4)) }.joined(separator: "\n")
        let target = try Self.temporary("target.csv", "lap_time_s\n" + laps)
        let out = (target as NSString).deletingLastPathComponent + "/fitted.json"
        let summary = (target as NSString).deletingLastPathComponent + "/summary.json"
        let result = try CLI.run(["calibrate", "--target", target, "--track", "Norisring", "--persona", "pro",
                                  "--free", "brakingPointBias", "--laps-per-eval", "20", "--drivers", "2", "--starts", "1",
                                  "--iterations", "2", "--out", out, "--summary", summary, "--json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Summary: Decodable {
            var distance: Double, ks: Double, parameters: [String: Double]
            var targetQuantiles: [Double], fittedQuantiles: [Double], evaluations: Int, wallSeconds: Double
        }
        let printed = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(printed.parameters.keys.sorted() == ["brakingPointBias"])
        #expect(printed.targetQuantiles.count == 19 && printed.fittedQuantiles.count == 19)
        #expect(printed.evaluations >= 3 && printed.distance.isFinite && printed.distance >= 0)
        #expect(FileManager.default.contents(atPath: summary) != nil)
        // The fitted persona passes lint, and its comment records the fit.
        let lint = try CLI.run(["persona", "lint", out])
        #expect(lint.status == 0, "\(lint.stderr)")
        let persona = try String(contentsOfFile: out, encoding: .utf8)
        #expect(persona.contains("Fitted by rival calibrate (absolute mode)") && persona.contains("\"brakingPointBias\""))
        let svg = try String(contentsOfFile: (out as NSString).deletingPathExtension + ".svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("class=\"target\"") && svg.contains("class=\"qq\""))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 99)
    }
}
