import Foundation
import Testing

/// Examples/GameLoop: a game's own car physics, driven by Rival's human drivers, laps the circuit.
@Suite struct GameLoopExampleTests {
    @Test func humanDriversLapTheGamesOwnCars() throws {
        let program = BuiltProducts.folder.appendingPathComponent("rival-game-loop")
        try #require(FileManager.default.isExecutableFile(atPath: program.path), "build rival-game-loop first")
        let run = try BuiltProducts.run(program, [BuiltProducts.root.path, "Norisring", "2", "club,pro,rookie"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.map { $0.prefix(3) } == [["0", "club", "2"], ["1", "pro", "2"], ["2", "rookie", "2"]])
        for row in rows where row.count == 4 {
            let laps = row[3].split(separator: " ").compactMap { Double($0) }
            // The Norisring's limit lap in a GT3 car is 51.9 s; the first lap starts from rest behind the line.
            #expect(laps.count == 2, "\(row)")
            #expect(laps.allSatisfy { (50...70).contains($0) }, "\(row)")
        }
        let bad = try BuiltProducts.run(program, [BuiltProducts.root.path, "Nowhere"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("rival-game-loop: Nowhere: no circuit of that name"))
    }

    /// Examples/c/drive.c: the same game loop in C through rival.h (its own physics, `rival_track_project` and
    /// `rival_track_heading` for the view, `rival_driver_decide` for the controls) laps exactly as the Swift one.
    @Test func theCGameLoopDrivesAsTheSwiftOne() throws {
        let cc = try #require(BuiltProducts.tool("cc", "gcc", "clang"), "no C compiler on the PATH")
        let folder = BuiltProducts.library.deletingLastPathComponent().path
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("rival-drive-\(getpid())")
        defer { try? FileManager.default.removeItem(at: binary) }
        let root = BuiltProducts.root.path
        let compile = try BuiltProducts.run(cc, [
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", root + "/include", root + "/Examples/c/drive.c",
            "-L", folder, "-lCRival", "-Wl,-rpath," + folder, "-lm", "-o", binary.path,
        ])
        try #require(compile.status == 0, "\(compile.stderr)")
        let c = try BuiltProducts.run(binary, [root, "Norisring", "2", "club", "pro", "rookie"])
        #expect(c.status == 0, "\(c.stderr)")
        let swift = try BuiltProducts.run(BuiltProducts.folder.appendingPathComponent("rival-game-loop"),
                                          [root, "Norisring", "2", "club,pro,rookie"])
        #expect(c.stdout.split(separator: "\n").count == 3)
        #expect(c.stdout == swift.stdout)
        let bad = try BuiltProducts.run(binary, [root, "Norisring", "1", "wizard"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("rival_persona_load: error 4: wizard"), "\(bad.stderr)")
    }
}
