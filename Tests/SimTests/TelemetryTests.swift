import Foundation
import Testing
@testable import Sim

@Suite struct TelemetryTests {
    @Test func telemetryIsSampledAtItsRateAndWrittenAsCSV() throws {
        let track = try RaceFixtures.circle(radius: 200)
        let car = try RaceFixtures.car()
        let model = VehicleModel(spec: car)
        let entries = (0..<2).map { i in
            RaceEntry(name: i == 0 ? "Ann, \"the fast\"" : "Bo", car: car,
                      driver: CruiseDriver(track: track, model: model, targetSpeed: 20 + 2 * Double(i), offset: i == 0 ? 3 : -3))
        }
        let race = try Race(track: track, entries: entries, config: RaceConfig(laps: 1, telemetryRate: 10))
        let result = race.run()
        #expect(result.entries.allSatisfy { $0.finished })
        // 10 Hz per running car: about 10 samples per car per second of racing.
        let perCar = Dictionary(grouping: race.telemetry, by: \.car).mapValues(\.count)
        for e in result.entries {
            let expected = e.totalTime * 10
            #expect(abs(Double(perCar[e.car] ?? 0) - expected) <= 2, "car \(e.car): \(perCar[e.car] ?? 0) vs \(expected)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-telemetry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.csv").path
        try TelemetryCSV.write(race.telemetry, names: race.names, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first.map(String.init) == TelemetryCSV.header)
        #expect(lines.count == race.telemetry.count + 1)
        // The name with a comma and quotes is escaped, and every row has the header's 15 fields after unescaping.
        #expect(lines[1].contains("\"Ann, \"\"the fast\"\"\""))
        let sample = race.telemetry[race.telemetry.count / 2]
        let row = lines[race.telemetry.count / 2 + 1]
        #expect(row.hasSuffix(",track"))
        #expect(row.contains(String(format: "%.3f", sample.speed)))
    }

    @Test func unwritableTelemetryPathNamesThePath() throws {
        #expect(throws: LoadError.self) {
            try TelemetryCSV.write([], names: [], to: "/no/such/dir/t.csv")
        }
        do {
            try TelemetryCSV.write([], names: [], to: "/no/such/dir/t.csv")
        } catch {
            #expect(error.description.hasPrefix("/no/such/dir/t.csv: cannot write telemetry"))
        }
    }
}
