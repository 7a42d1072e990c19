import ArgumentParser
import DriverPersona

/// `rival persona traits`: every trait a persona file may set, with its unit, range and meaning (Markdown).
struct PersonaTraitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traits", abstract: "List the traits a persona may set: unit, range and meaning (Markdown).")

    func run() throws {
        print(TraitName.markdownTable)
    }
}
