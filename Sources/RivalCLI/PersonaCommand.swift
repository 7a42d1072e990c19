import ArgumentParser

/// `rival persona`: persona files (check them, sample drivers from them, print their schema).
struct PersonaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona",
        abstract: "Persona files: check them, sample drivers from them, print their JSON Schema.",
        subcommands: [PersonaLintCommand.self, PersonaSampleCommand.self, PersonaCheckCommand.self, PersonaTraitsCommand.self, PersonaSchemaCommand.self])
}
