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
        var arguments = ["race", "--driver", "expert", "--track", "Norisring", "--car", "gt3", "--cars", "2", "--laps", "1", "--json"]
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

/// `rival race` with personas: the default mixed grid and `--grid`.
@Suite struct PersonaRaceCommandTests {
    struct Report: Decodable {
        struct Car: Decodable {
            var car: Int
            var name: String
            var persona: String?
            var lapTimes: [Double]
            var lapTimeSpread: Double?
            var mistakes: Int
            var offTracks: Int
            var barrierHits: Int
        }
        var classification: [Car]
    }

    @Test func defaultGridMixesThePresets() throws {
        let out = try CLI.run(["race", "--laps", "1", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(out.stdout.utf8))
        #expect(report.classification.count == 10)
        let counts = Dictionary(grouping: report.classification.compactMap(\.persona), by: { $0 }).mapValues(\.count)
        #expect(counts == ["rookie": 1, "amateur": 2, "club": 3, "semi-pro": 2, "pro": 2], "\(counts)")
        #expect(report.classification.allSatisfy { $0.mistakes >= $0.offTracks + $0.barrierHits })
    }

    @Test func gridPicksPersonasInOrder() throws {
        let out = try CLI.run(["race", "--track", "Catalunya", "--grid", "club:2,pro", "--laps", "4", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(out.stdout.utf8))
        let byCar = report.classification.sorted { $0.car < $1.car }
        #expect(byCar.map(\.persona) == ["club", "club", "pro"])
        #expect(byCar.map(\.name) == ["club 1", "club 2", "pro 1"])
        // Three flying laps each: a spread, and different people lap differently.
        #expect(byCar.allSatisfy { ($0.lapTimeSpread ?? -1) > 0 })
        #expect(byCar[0].lapTimes != byCar[1].lapTimes)
        let table = try CLI.run(["race", "--track", "Catalunya", "--grid", "club:2,pro", "--laps", "4"])
        #expect(table.stdout.contains("persona") && table.stdout.contains("spread") && table.stdout.contains("mistakes"))
    }
}
