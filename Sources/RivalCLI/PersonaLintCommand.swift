import ArgumentParser
import DriverPersona
import Foundation

/// `rival persona lint FILE...`: checks persona files; every problem of every file is one line on standard error,
/// `file: json.path: value: what is wrong`, and the exit status is 2 when there is any.
struct PersonaLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check persona files: prints 'FILE: ok', or one line per problem on standard error (exit status 2).")

    @Argument(help: "Persona files, or names of shipped personas (club finds personas/club.json).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            let problems: [String]
            do {
                let path = try Persona.path(of: file, searchDirectories: DataDirectories.candidates("personas"))
                problems = Persona.lint(path: path).map(\.description)
            } catch {
                problems = [error.description]
            }
            if problems.isEmpty {
                print("\(file): ok")
            } else {
                failed = true
                FileHandle.standardError.write(Data(problems.map { $0 + "\n" }.joined().utf8))
            }
        }
        if failed { throw ExitCode(2) }
    }
}
