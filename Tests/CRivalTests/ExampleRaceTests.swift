import Foundation
import Testing

/// The C and Python examples drive a race through the committed `include/rival.h` and the built `libCRival.so`,
/// and classify it exactly as `rival race --json` does for the same grid and seed.
@Suite struct ExampleRaceTests {
    static let (track, car, grid, seed, laps) = ("Norisring", "gt3", "club:2,pro:1,rookie:1", "7", "2")

    /// One classified car: position, car index, name, laps, total time, best lap, lap times.
    struct Line: Equatable, CustomStringConvertible {
        var position: Int, car: Int, name: String, laps: Int, totalTime: Double, bestLap: Double, lapTimes: [Double]
        var description: String { "P\(position) car \(car) \(name) \(laps) laps \(totalTime) best \(bestLap) \(lapTimes)" }
    }

    /// `rival race --json`'s classification for the test race.
    static func reference() throws -> [Line] {
        struct Report: Decodable {
            struct Car: Decodable {
                var position: Int, car: Int, name: String, laps: Int, totalTime: Double, bestLap: Double?
                var lapTimes: [Double]
            }
            var classification: [Car]
        }
        let run = try BuiltProducts.run(BuiltProducts.rival, ["race", "--track", track, "--car", car, "--grid", grid,
                                                              "--seed", seed, "--laps", laps, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8)).classification.map {
            Line(position: $0.position, car: $0.car, name: $0.name, laps: $0.laps, totalTime: $0.totalTime,
                 bestLap: $0.bestLap ?? .infinity, lapTimes: $0.lapTimes)
        }
    }

    /// The examples' tab-separated lines.
    static func parse(_ text: String) -> [Line] {
        text.split(separator: "\n").compactMap { row in
            let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7, let position = Int(f[0]), let car = Int(f[1]), let laps = Int(f[3]),
                  let total = Double(f[4]), let best = Double(f[5]) else { return nil }
            return Line(position: position, car: car, name: f[2], laps: laps, totalTime: total, bestLap: best,
                        lapTimes: f[6].split(separator: ",").compactMap { Double($0) })
        }
    }

    @Test func cExampleMatchesTheCLI() throws {
        let library = BuiltProducts.library
        try #require(FileManager.default.fileExists(atPath: library.path), "build libCRival.so first: \(library.path)")
        let cc = try #require(BuiltProducts.tool("cc", "gcc", "clang"), "no C compiler on the PATH")
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("rival-race-\(getpid())")
        defer { try? FileManager.default.removeItem(at: binary) }
        let root = BuiltProducts.root.path
        let compile = try BuiltProducts.run(cc, [
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", root + "/include", root + "/Examples/c/race.c",
            "-L", library.deletingLastPathComponent().path, "-lCRival",
            "-Wl,-rpath," + library.deletingLastPathComponent().path, "-o", binary.path,
        ])
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try BuiltProducts.run(binary, [root, Self.track, Self.car, Self.grid, Self.seed, Self.laps])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = Self.parse(run.stdout)
        let reference = try Self.reference()
        #expect(lines.count == 4)
        #expect(lines == reference)
        #expect(lines.map(\.name).sorted() == ["club 1", "club 2", "pro 1", "rookie 1"])
        // Two laps of the Norisring in a GT3 car: about 52 s each at the limit, humans a few seconds off it.
        for line in lines {
            #expect(line.laps == 2 && line.lapTimes.count == 2)
            #expect(line.lapTimes.allSatisfy { (52...65).contains($0) }, "\(line)")
            #expect(abs(line.lapTimes.reduce(0, +) - line.totalTime) < 3, "\(line)")
        }
    }

    @Test func cExampleReportsErrors() throws {
        let cc = try #require(BuiltProducts.tool("cc", "gcc", "clang"), "no C compiler on the PATH")
        let library = BuiltProducts.library
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("rival-race-err-\(getpid())")
        defer { try? FileManager.default.removeItem(at: binary) }
        let root = BuiltProducts.root.path
        let compile = try BuiltProducts.run(cc, [
            "-std=c11", "-I", root + "/include", root + "/Examples/c/race.c", "-L", library.deletingLastPathComponent().path,
            "-lCRival", "-Wl,-rpath," + library.deletingLastPathComponent().path, "-o", binary.path,
        ])
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try BuiltProducts.run(binary, [root, "Monza", "gt3", "club:0"])
        #expect(run.status == 1)
        #expect(run.stderr == "rival_race_create: error 2: grid: club:0: count 0: expected an integer in 1...40\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func theHeaderIsPlainCAndCxx() throws {
        let header = BuiltProducts.root.path + "/include/rival.h"
        let cc = try #require(BuiltProducts.tool("cc", "gcc", "clang"), "no C compiler on the PATH")
        let c = try BuiltProducts.run(cc, ["-fsyntax-only", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-x", "c", header])
        #expect(c.status == 0, "\(c.stderr)")
        guard let cxx = BuiltProducts.tool("c++", "g++", "clang++") else { return }  // C++ where a compiler is installed
        let plus = try BuiltProducts.run(cxx, ["-fsyntax-only", "-Wall", "-Wextra", "-pedantic", "-Werror", "-x", "c++", header])
        #expect(plus.status == 0, "\(plus.stderr)")
    }

    @Test func pythonExampleMatchesTheCLI() throws {
        guard let python = BuiltProducts.tool("python3") else { return }  // optional: only where Python is installed
        let root = BuiltProducts.root.path
        let run = try BuiltProducts.run(python, [
            root + "/Examples/python/race.py", BuiltProducts.library.path, root, Self.track, Self.car, Self.grid,
            Self.seed, Self.laps,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.parse(run.stdout) == (try Self.reference()))
        #expect(Self.parse(run.stdout).count == 4)
    }
}
