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
}
