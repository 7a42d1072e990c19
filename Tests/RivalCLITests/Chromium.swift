import Foundation

/// Headless Chromium (Debian's `chromium` package, which `scripts/test` installs): renders a page as a browser
/// would, runs its script, and gives back the resulting DOM or a screenshot.
enum Chromium {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "headless Chromium not found (looked for chromium, chromium-browser, google-chrome on PATH); "
                + "scripts/test installs Debian's chromium package"
        }
    }

    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        throw Missing()
    }

    /// Runs Chromium headless on `file` with `extra` arguments; returns standard output.
    static func run(_ file: String, _ extra: [String], fragment: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = try executable()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("rival-chromium-\(UUID().uuidString)")
        // --no-sandbox: tests may run as root, where Chromium's sandbox refuses to start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + extra
            + [URL(fileURLWithPath: file).absoluteString + (fragment.map { "#" + $0 } ?? "")]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
        return String(decoding: o, as: UTF8.self)
    }

    /// The page's DOM after loading and running its script, serialised.
    static func dom(_ file: String, fragment: String? = nil) throws -> String {
        try run(file, ["--dump-dom"], fragment: fragment)
    }

    /// A PNG screenshot of the page (`width` x `height` pixels) at `png`.
    static func screenshot(_ file: String, to png: String, width: Int = 1200, height: Int = 3000) throws {
        _ = try run(file, ["--window-size=\(width),\(height)", "--screenshot=\(png)"])
    }
}

/// Small helpers to read a rendered DOM.
enum DOM {
    /// Every match of `pattern`'s first capture group.
    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            Range(m.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The markup of the element with `id` (from its start tag to the matching end of the same tag name; no nesting
    /// of the same tag inside).
    static func element(id: String, in text: String) -> String? {
        guard let start = text.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = text[..<start.lowerBound].lastIndex(of: "<") else { return nil }
        let tag = text[text.index(after: open)...].prefix { $0.isLetter }
        guard let end = text.range(of: "</\(tag)>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[open..<end.upperBound])
    }

    /// Number of times `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
