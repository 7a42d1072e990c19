import ArgumentParser
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// `rival compare --persona FILE`: the persona against the classic scripted slowdown (the same policy with its
/// speed targets scaled) at the same mean lap time, side by side, with real amateur figures for reference.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a persona with a scripted slowdown of the same policy at the same mean lap time.")

    @Option(help: "Persona file or name.") var persona = "club"
    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Option(help: "Laps per driver (5...200).") var laps = 20
    @Option(help: "Drivers (people) of the persona (1...100).") var drivers = 10
    @Option(help: "Race seed (a non-negative integer).") var seed: UInt64 = 1
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "No progress bar.") var quiet = false

    func validate() throws {
        guard (5...200).contains(laps) else { throw ValidationError("--laps: \(laps): expected an integer in 5...200") }
        guard (1...100).contains(drivers) else { throw ValidationError("--drivers: \(drivers): expected an integer in 1...100") }
    }

    func run() throws {
        let chosen: Persona
        do { chosen = try Persona.resolve(persona, searchDirectories: DataDirectories.candidates("personas")) }
        catch { throw UserError("--persona: \(error)") }
        let track = try trackOption.load(), car = try carOption.load()
        let config = RaceConfig(laps: laps)
        let source = try PolicySourceOption.source(base: "expert", policy: nil, track: track, car: car, config: config)
        let display = ProgressDisplay(enabled: !quiet)
        let result = SlowdownComparison.run(persona: chosen, source: source, car: car, laps: laps, drivers: drivers,
                                            seed: seed, config: config) { share in
            display.bar(share, "\(drivers) \(chosen.name) drivers, then the scripted slowdown")
        }
        display.clear()
        if json {
            struct Report: Encodable {
                var persona: String, track: String, car: String, laps: Int, drivers: Int, seed: UInt64
                var speedFactor: Double
                var personaFigures: SlowdownComparison.Figures, baselineFigures: SlowdownComparison.Figures
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Report(
                persona: chosen.name, track: track.name, car: car.name, laps: laps, drivers: drivers, seed: seed,
                speedFactor: result.speedFactor, personaFigures: result.persona, baselineFigures: result.baseline)),
                as: UTF8.self))
            return
        }
        let p = result.persona, b = result.baseline
        print("\(chosen.name) vs scripted slowdown (speed targets x " + String(format: "%.4f", result.speedFactor)
            + "), \(track.name), \(car.name), \(drivers) drivers x \(laps) laps, seed \(seed)\n")
        let rows: [(String, String, String, String)] = [
            ("mean lap (s)", String(format: "%.3f", p.meanLap), String(format: "%.3f", b.meanLap), "-"),
            ("lap-time CV (%)", String(format: "%.2f", 100 * p.coefficientOfVariation),
             String(format: "%.2f", 100 * b.coefficientOfVariation), "0.5-1.2"),
            ("skewness", String(format: "%.2f", p.skewness), String(format: "%.2f", b.skewness), "0.3-1.3"),
            ("lag-1 autocorrelation", String(format: "%.2f", p.lagOneAutocorrelation),
             String(format: "%.2f", b.lagOneAutocorrelation), "about 0.3 (F1)"),
            ("braking-point spread (m)", String(format: "%.1f", p.brakingPointSpread),
             String(format: "%.1f", b.brakingPointSpread), "3-8 (club, estimate)"),
            ("mistakes per lap", String(format: "%.2f", p.mistakesPerLap), String(format: "%.2f", b.mistakesPerLap), "-"),
        ]
        print("figure".padding(toLength: 26, withPad: " ", startingAt: 0) + "persona".leftPad(10) + "scripted".leftPad(10)
            + "   real amateurs")
        for r in rows {
            print(r.0.padding(toLength: 26, withPad: " ", startingAt: 0) + r.1.leftPad(10) + r.2.leftPad(10) + "   " + r.3)
        }
        print("\nReal figures: spec-series amateurs (CV quartiles 0.47/0.73/1.17 %, skewness 0.32/0.74/1.29); "
            + "F1 lag-1 autocorrelation about 0.3 (../shared/HUMAN_LIMITS.md).")
    }
}
