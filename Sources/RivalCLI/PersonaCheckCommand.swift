import ArgumentParser
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// `rival persona check`: the preset personas (or given ones) alone on track, several people each, over several
/// circuits; prints pace, lap-time spread, skewness, autocorrelation and mistakes per persona against the targets
/// of docs/persona.md.
struct PersonaCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lap the personas alone on track and print their human-likeness figures against the targets.")

    @Argument(help: "Persona files or names (default: the six presets).") var files: [String] = []
    @Option(help: "Circuits, comma-separated.") var tracks = "Monza,Catalunya,Budapest"
    @OptionGroup var carOption: CarOption
    @Option(help: "Laps per driver (3...200).") var laps = 20
    @Option(help: "Drivers (people) per persona and circuit (1...100).") var drivers = 5
    @Option(help: "First race seed (a non-negative integer).") var seed: UInt64 = 1
    @Option(help: "Worker threads (default: every core).") var threads: Int?
    @Flag(help: "Print a Markdown table.") var markdown = false
    @Flag(help: "No progress bar.") var quiet = false

    func validate() throws {
        guard (3...200).contains(laps) else { throw ValidationError("--laps: \(laps): expected an integer in 3...200") }
        guard (1...100).contains(drivers) else { throw ValidationError("--drivers: \(drivers): expected an integer in 1...100") }
        if let t = threads, !(1...256).contains(t) { throw ValidationError("--threads: \(t): expected an integer in 1...256") }
    }

    func run() throws {
        let names = files.isEmpty ? Persona.presetNames : files
        let personas = try names.map { name in
            do { return try Persona.resolve(name, searchDirectories: DataDirectories.candidates("personas")) }
            catch { throw UserError("\(error)") }
        }
        let car = try carOption.load()
        let config = RaceConfig(laps: laps)
        let sources = try ShippedData.tracks(tracks, flag: "--tracks").map { track in
            try PolicySourceOption.source(base: "expert", policy: nil, track: track, car: car, config: config)
        }
        let start = Date()
        let display = ProgressDisplay(enabled: !quiet)
        let check = PersonaCheck.run(personas: personas, sources: sources, car: car, laps: laps, drivers: drivers,
                                     seed: seed, config: config,
                                     threads: threads ?? ProcessInfo.processInfo.activeProcessorCount) { share in
            display.bar(share, "\(personas.count) personas x \(sources.count) circuits x \(drivers) drivers")
        }
        display.clear()
        print(Self.table(check, markdown: markdown))
        print("\n\(names.count) personas x \(sources.count) circuits x \(drivers) drivers x \(laps) laps, "
            + "\(car.name), seed \(seed): " + String(format: "%.0f s", Date().timeIntervalSince(start)))
    }

    /// Targets (issue 5, from real data): CV of pro 0.1-0.4 %, club 0.4-1.2 %, rookie above 1.5 %.
    static func cvTarget(_ persona: String) -> String {
        switch persona {
        case "pro": return "0.1-0.4"
        case "club": return "0.4-1.2"
        case "rookie": return "> 1.5"
        default: return ""
        }
    }

    static func table(_ check: PersonaCheck, markdown: Bool) -> String {
        let header = ["persona", "skill", "pace", "CV %", "CV target %", "skewness", "right-skewed", "lag-1 r",
                      "excess s", "mistakes/lap", "unfinished"]
        let rows = check.summaries.map { s in
            [s.persona, String(format: "%.2f", s.skill), String(format: "%.4f", s.pace),
             String(format: "%.2f", 100 * s.coefficientOfVariation), cvTarget(s.persona),
             String(format: "%.2f", s.skewness), String(format: "%.0f %%", 100 * s.rightSkewedShare),
             String(format: "%.2f", s.lagOneAutocorrelation), String(format: "%.2f", s.medianExcess),
             String(format: "%.2f", s.mistakesPerLap), String(s.unfinished)]
        }
        if markdown {
            var lines = ["| " + header.joined(separator: " | ") + " |",
                         "|" + String(repeating: "---|", count: header.count)]
            for r in rows { lines.append("| " + r.joined(separator: " | ") + " |") }
            return lines.joined(separator: "\n")
        }
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c.leftPad(widths[i]) }
                .joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
