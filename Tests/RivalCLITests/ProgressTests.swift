import Foundation
import Testing

/// The progress bar: drawn on a terminal once a run has lasted about two seconds, never with `--quiet`, and never
/// when standard error is not a terminal.
@Suite struct ProgressTests {
    /// Runs `rival` under `script`, which gives it a pseudo-terminal, and returns everything it wrote there.
    static func onTerminal(_ arguments: [String]) throws -> (status: Int32, screen: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([CLI.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >/dev/null"
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = CLI.repoRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A race that lasts several seconds in a debug build.
    static let longRace = ["race", "--laps", "4", "--cars", "10"]

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"))
    func barOnATerminalOnly() throws {
        let shown = try Self.onTerminal(Self.longRace)
        #expect(shown.status == 0)
        let bars = DOM.captures("\r\u{1B}\\[K\\[([#.]{20})\\] +(\\d+)%", in: shown.screen)
        #expect(bars.count >= 2, "\(shown.screen.prefix(400))")
        let percents = DOM.captures("\\] +(\\d+)%  lap", in: shown.screen).compactMap(Int.init)
        #expect(percents == percents.sorted() && (percents.last ?? 0) > (percents.first ?? 0), "\(percents)")
        #expect(shown.screen.contains("ETA") && shown.screen.contains("of 4"))
        #expect(shown.screen.hasSuffix("\r\u{1B}[K"), "the bar is cleared at the end")

        let quiet = try Self.onTerminal(Self.longRace + ["--quiet"])
        #expect(quiet.status == 0 && !quiet.screen.contains("["), "\(quiet.screen.prefix(200))")

        // Standard error not a terminal: nothing.
        let piped = try CLI.run(Self.longRace)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr.prefix(200))")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"))
    func shortRunsStayQuiet() throws {
        let short = try Self.onTerminal(["race", "--laps", "1", "--cars", "2", "--track", "Norisring", "--driver", "expert"])
        #expect(short.status == 0 && !short.screen.contains("%"), "\(short.screen.prefix(200))")
    }
}
