import ArgumentParser
import DriverPersona

/// `rival persona schema`: the JSON Schema of persona files (`personas/persona.schema.json`).
struct PersonaSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema (draft 2020-12) of persona files.")

    func run() throws {
        print(Persona.jsonSchema, terminator: "")
    }
}
