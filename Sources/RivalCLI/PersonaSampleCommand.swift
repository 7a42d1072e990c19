import ArgumentParser
import DriverPersona
import Foundation

/// `rival persona sample FILE`: the traits that drivers 0..<n of a race draw from a persona, next to the
/// persona's mean of each trait; a table (traits down, drivers across, ten drivers a block) or JSON.
struct PersonaSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample the traits of drivers 0..<n from a persona, as a race with this seed would.")

    @Argument(help: "A persona file, or the name of a shipped persona (club finds personas/club.json).")
    var file: String
    @Option(name: .customLong("n"), parsing: .unconditional, help: "Drivers to sample (1...10000).")
    var count = 10
    @Option(parsing: .unconditional, help: "Race seed (a non-negative integer): the same seed gives the same drivers.")
    var seed = "1"
    @Flag(help: "Print JSON instead of a table.") var json = false

    /// Drivers per block of the table: 10 keeps it within 120 columns (28 for the label, 8 for each number).
    static let driversPerBlock = 10

    func validate() throws {
        guard (1...10000).contains(count) else { throw ValidationError("--n: \(count): expected an integer in 1...10000") }
        guard UInt64(seed) != nil else {
            throw ValidationError("--seed: \(seed): expected a non-negative integer (0...\(UInt64.max))")
        }
    }

    func run() throws {
        let persona: Persona
        do {
            persona = try Persona.resolve(file, searchDirectories: DataDirectories.candidates("personas"))
        } catch {
            throw UserError(error.description)
        }
        let raceSeed = UInt64(seed) ?? 1
        let drivers = (0..<count).map { persona.sample(raceSeed: raceSeed, index: $0) }
        if json {
            print(try jsonReport(persona, drivers: drivers, raceSeed: raceSeed))
        } else {
            print(table(persona, drivers: drivers, raceSeed: raceSeed), terminator: "")
        }
    }

    /// One row per trait (`name (unit)`, the persona's mean, then a column per driver), in blocks of
    /// ``driversPerBlock`` drivers.
    func table(_ persona: Persona, drivers: [HumanTraits], raceSeed: UInt64) -> String {
        var out = "\(persona.name) (skill \(Self.number(persona.skill))), race seed \(raceSeed), drivers "
            + "0...\(drivers.count - 1)\nmean: the persona's mean of each trait; draws are clamped into the trait's range\n"
        for start in stride(from: 0, to: drivers.count, by: Self.driversPerBlock) {
            let block = start..<min(start + Self.driversPerBlock, drivers.count)
            out += "\n" + Self.pad("trait (unit)", 28) + Self.right("mean", 8)
                + block.map { Self.right("\($0)", 8) }.joined() + "\n"
            for trait in TraitName.allCases {
                let label = trait.unit == "1" ? trait.rawValue : "\(trait.rawValue) (\(trait.unit))"
                out += Self.pad(label, 28) + Self.right(Self.number(persona.distribution(trait).mean), 8)
                    + block.map { Self.right(Self.number(drivers[$0][trait]), 8) }.joined() + "\n"
            }
        }
        return out
    }

    /// The same as JSON: persona, skill, seed, the mean of each trait and each driver's traits.
    func jsonReport(_ persona: Persona, drivers: [HumanTraits], raceSeed: UInt64) throws -> String {
        struct Driver: Encodable {
            var index: Int
            var traits: [String: Double]
        }
        struct Report: Encodable {
            var persona: String
            var skill: Double
            var seed: UInt64
            var mean: [String: Double]
            var drivers: [Driver]
        }
        func values(_ value: (TraitName) -> Double) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: TraitName.allCases.map { ($0.rawValue, value($0)) })
        }
        let report = Report(
            persona: persona.name, skill: persona.skill, seed: raceSeed,
            mean: values { persona.distribution($0).mean },
            drivers: drivers.enumerated().map { index, traits in Driver(index: index, traits: values { traits[$0] }) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Four significant digits, or three where four would take more than seven characters: `0.2412`, `13.24`,
    /// `600`, `0.00444`.
    static func number(_ value: Double) -> String {
        let text = String(format: "%.4g", value)
        return text.count <= 7 ? text : String(format: "%.3g", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
