import ArgumentParser
import Foundation

/// `rival`: races, circuits and cars from the command line. Every command works from the repository root with
/// no flags; bad flags or files print a message naming the flag or file, the value and what was expected, and
/// exit with status 2.
@main
struct Rival: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rival",
        abstract: "Human-like AI rival drivers: races, circuits, cars.",
        subcommands: [RaceCommand.self, CompareCommand.self, CalibrateCommand.self, LimitCommand.self, ExpertCommand.self, TrainCommand.self, EvalCommand.self, SpecCommand.self, TracksCommand.self, CarsCommand.self, PersonaCommand.self],
        defaultSubcommand: RaceCommand.self
    )

    /// Parses and runs a command; any error other than a help or version request exits with status 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            var message = fullMessage(for: error)
            if message.isEmpty { message = String(describing: error) }
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data(("rival: " + message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// A user error found while running a command (a bad file, an impossible setting): printed as
/// `rival: message`, exit status 2.
struct UserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
