import Foundation

/// The built products next to the test bundle (`.build/<triple>/<config>/`): `libCRival.so`, `rival`, and a way
/// to run programs and capture their output.
enum BuiltProducts {
    /// The repository root (for `include/`, `Examples/` and the data folders).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder holding the test bundle and the package's products.
    static var folder: URL {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return bundle.deletingLastPathComponent()
    }

    static var library: URL { folder.appendingPathComponent("libCRival.so") }
    static var rival: URL { folder.appendingPathComponent("rival") }

    /// What a finished program printed and its exit status.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `program` with `arguments` in the repository root.
    static func run(_ program: URL, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The first of `names` found on the PATH.
    static func tool(_ names: String...) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }
}
