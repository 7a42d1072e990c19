import Foundation

/// Where the CLI looks for bundled data (`tracks/`, `cars/`, `personas/`, `policies/`): the directory named by
/// `RIVAL_DATA` if set, then the current directory, then the repository root the executable was built in
/// (`.build/<config>/rival` -> three levels up).
enum DataDirectories {
    static func candidates(_ folder: String) -> [String] {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["RIVAL_DATA"], !env.isEmpty { roots.append(env) }
        roots.append(FileManager.default.currentDirectoryPath)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            roots.append(dir.path)
            dir = dir.deletingLastPathComponent()
        }
        var seen = Set<String>()
        return roots.map { ($0 as NSString).appendingPathComponent(folder) }
            .filter { seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0) }
    }
}
