import Foundation
import Testing

/// Bad flags and files: a message naming the flag or file, the value and what was expected; exit status 2.
@Suite struct CLIErrorTests {
    @Test(arguments: [
        (["race", "--laps", "0"], "--laps: 0: expected an integer in 1...1000"),
        (["race", "--cars", "41"], "--cars: 41: expected an integer in 1...40"),
        (["race", "--cars", "abc"], "--cars"),
        (["race", "--tyre-wear=-2"], "--tyre-wear: -2.0: expected a multiplier in 0...100"),
        (["race", "--tyre-wear", "-2"], "--tyre-wear"),
        (["race", "--fuel-rate", "nan"], "--fuel-rate: nan: expected a multiplier in 0...100"),
        (["race", "--fuel", "lots"], "--fuel: lots: expected race, full or a mass in 0...500 kg"),
        (["race", "--fuel=-3"], "--fuel: -3: expected race, full or a mass in 0...500 kg"),
        (["race", "--fuel", "inf"], "--fuel: inf: expected race, full or a mass in 0...500 kg"),
        (["race", "--car", "cup", "--fuel", "40"], "--fuel: 40: expected race, full or a mass in 0...37.0 kg (the Cup tank)"),
        (["race", "--track", "Atlantis"], "--track: Atlantis"),
        (["race", "--car", "bus"], "--car: bus"),
        (["race", "--telemetry", "/no/such/folder/t.csv"], "--telemetry: /no/such/folder/t.csv: folder /no/such/folder does not exist"),
        (["race", "--seed", "-1"], "--seed"),
        (["limit", "--track", "Monza", "--car", "tractor"], "--car: tractor"),
    ])
    func badFlagsExitWithTwo(arguments: [String], message: String) throws {
        let out = try CLI.run(arguments)
        #expect(out.status == 2, "\(arguments): status \(out.status), stderr \(out.stderr)")
        #expect(out.stderr.contains(message), "\(arguments): stderr was \(out.stderr)")
    }

    @Test func unknownTrackListsTheShippedCircuits() throws {
        let out = try CLI.run(["race", "--track", "Atlantis"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("Monza"))
        #expect(out.stderr.contains("Spa"))
    }

    @Test func badTrackFileNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.csv")
        var rows = ["# x_m,y_m,w_tr_right_m,w_tr_left_m"]
        for i in 0..<20 { rows.append("\(100 * cos(Double(i) / 3.18)),\(100 * sin(Double(i) / 3.18)),5,5") }
        rows[7] = "1.0,2.0,abc,5"
        try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let out = try CLI.run(["race", "--track", file.path])
        #expect(out.status == 2)
        #expect(out.stderr.contains("bad.csv"))
        #expect(out.stderr.contains("line 8"))
    }

    @Test func helpExitsWithZero() throws {
        let out = try CLI.run(["--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("race"))
    }
}
