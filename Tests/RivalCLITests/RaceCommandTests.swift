import Foundation
import Testing

/// `rival race --fuel`: the starting fuel goes into the race and the report.
@Suite struct RaceCommandTests {
    struct Report: Decodable {
        struct Car: Decodable {
            var finished: Bool
            var laps: Int
            var offTracks: Int
            var barrierHits: Int
        }
        var startFuel: Double
        var classification: [Car]
    }

    static func race(fuel: String?) throws -> Report {
        var arguments = ["race", "--track", "Norisring", "--car", "gt3", "--cars", "2", "--laps", "1", "--json"]
        if let fuel { arguments += ["--fuel", fuel] }
        let out = try CLI.run(arguments)
        #expect(out.status == 0, "\(arguments): \(out.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(out.stdout.utf8))
    }

    @Test func startingFuel() throws {
        // Default: one lap and one in reserve of 0.029 kg/s for the 51.9 s limit lap, 3.0 kg.
        let race = try Self.race(fuel: nil)
        #expect(abs(race.startFuel - 2 * 0.029 * 51.938) < 0.01, "\(race.startFuel)")
        let full = try Self.race(fuel: "full")
        #expect(full.startFuel == 89)
        let given = try Self.race(fuel: "20.5")
        #expect(given.startFuel == 20.5)
        for report in [race, full, given] {
            #expect(report.classification.count == 2)
            #expect(report.classification.allSatisfy {
                $0.finished && $0.laps == 1 && $0.offTracks == 0 && $0.barrierHits == 0
            })
        }
    }
}
