import Foundation
import Testing

/// `rival persona lint | sample | schema`: output, messages and exit status.
@Suite struct PersonaCommandTests {
    /// The trait names, in order, as `rival persona schema` lists them.
    static func traitNames() throws -> [String] {
        let schema = try CLI.run(["persona", "schema"]).stdout
        // Keys of traits.properties keep their order in the text; read them from the lines that open a trait.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let properties = try #require((object["properties"] as? [String: Any])?["traits"] as? [String: Any])
        let traits = try #require(properties["properties"] as? [String: Any])
        let order = schema.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("\""), text.hasSuffix("\": {") else { return nil }
            return String(text.dropFirst().dropLast(4))
        }
        return order.filter { traits[$0] != nil }
    }

    /// A temporary folder with the given files (name -> contents), removed by the caller's `defer`.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-persona-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func lintShippedPresetsIsOk() throws {
        let out = try CLI.run(["persona", "lint", "personas/club.json", "alien"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdout == "personas/club.json: ok\nalien: ok\n")
        #expect(out.stderr.isEmpty)
    }

    /// Every problem of every file is one line on standard error; good files still say ok; exit status 2.
    @Test func lintListsEveryProblem() throws {
        let dir = try Self.folder([
            "bad.json": """
                {"format": "rival.persona/1", "name": "x", "skill": 1.5,
                 "traits": {"reactionTime": {"normal": {"mean": 0.2, "sd": -1}}, "lapseRat": 1}}
                """,
            "good.json": "{\"format\": \"rival.persona/1\", \"name\": \"x\", \"skill\": 0.2}",
            "broken.json": "{\"format\": \"rival.persona/1\",\n\"name\": }",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLI.run(["persona", "lint", "bad.json", "good.json", "broken.json"], in: dir)
        #expect(out.status == 2)
        #expect(out.stdout == "good.json: ok\n")
        let traits = try Self.traitNames().joined(separator: ", ")
        #expect(traits.hasPrefix("reactionTime, ") && traits.hasSuffix(", fatigueLapseGain"), "\(traits)")
        #expect(out.stderr.split(separator: "\n").map(String.init) == [
            "bad.json: skill: 1.5: expected a number in 0...1",
            "bad.json: traits.lapseRat: unknown trait (did you mean lapseRate?); expected one of \(traits)",
            "bad.json: traits.reactionTime.normal.sd: -1: is below 0",
            "broken.json: line 2, column 9: '}': expected a value (object, array, string, number, true, false or null)",
        ])
    }

    @Test func lintUnknownName() throws {
        let out = try CLI.run(["persona", "lint", "clubb"])
        #expect(out.status == 2)
        #expect(out.stderr == "clubb: no such persona file or persona name; available: alien, amateur, club, pro, rookie, semi-pro\n")
    }

    @Test(arguments: [
        (["persona", "sample", "club", "--n", "0"], "rival: --n: 0: expected an integer in 1...10000\n"),
        (["persona", "sample", "club", "--n", "10001"], "rival: --n: 10001: expected an integer in 1...10000\n"),
        (["persona", "sample", "club", "--seed", "-1"],
         "rival: --seed: -1: expected a non-negative integer (0...18446744073709551615)\n"),
        (["persona", "sample", "club", "--seed", "x"],
         "rival: --seed: x: expected a non-negative integer (0...18446744073709551615)\n"),
        (["persona", "sample", "personas/clubb.json"],
         "rival: personas/clubb.json: no such persona file or persona name; available: alien, amateur, club, pro, rookie, semi-pro\n"),
    ])
    func sampleBadFlags(arguments: [String], message: String) throws {
        let out = try CLI.run(arguments)
        #expect(out.status == 2, "\(arguments): status \(out.status)")
        #expect(out.stderr.hasPrefix(message), "\(arguments): stderr was \(out.stderr)")
    }

    /// The table: a header, a row per trait with its unit, the persona's mean and a column per driver; the same
    /// seed gives the same table, another seed another.
    @Test func sampleTable() throws {
        let out = try CLI.run(["persona", "sample", "club", "--n", "3", "--seed", "4"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "club (skill 0.5), race seed 4, drivers 0...2")
        #expect(lines[3] == "trait (unit)                    mean       0       1       2")
        #expect(lines[4].hasPrefix("reactionTime (s)              0.2031 "))
        #expect(lines.contains("perceptionTimeConstant (s)        10      10      10      10"))
        #expect(lines.contains("lapFormCorrelation               0.5     0.5     0.5     0.5"))
        let traits = try Self.traitNames()
        #expect(traits.count >= 18)
        #expect(lines.count == 4 + traits.count + 1)
        #expect(lines[4..<(4 + traits.count)].map { String($0.prefix { $0 != " " }) } == traits)
        #expect(lines.allSatisfy { $0.count <= 120 })
        let reaction = lines[4].split(separator: " ").dropFirst(3).compactMap { Double($0) }
        #expect(reaction.count == 3)
        #expect(Set(reaction).count == 3, "drivers should differ: \(reaction)")
        #expect(try CLI.run(["persona", "sample", "club", "--n", "3", "--seed", "4"]).stdout == out.stdout)
        #expect(try CLI.run(["persona", "sample", "club", "--n", "3", "--seed", "5"]).stdout != out.stdout)
    }

    /// Twelve drivers: two blocks (0...9, then 10 and 11), each line within 120 columns.
    @Test func sampleTableWrapsAtTenDrivers() throws {
        let out = try CLI.run(["persona", "sample", "rookie", "--n", "12"])
        #expect(out.status == 0)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("trait (unit)") } == [
            "trait (unit)                    mean" + (0...9).map { "       \($0)" }.joined(),
            "trait (unit)                    mean      10      11",
        ])
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(lines.map(\.count).max() ?? 0) columns")
    }

    /// JSON: the persona, its mean of each trait and every driver's traits, the same numbers as the library gives.
    @Test func sampleJSON() throws {
        let dir = try Self.folder(["fixed.json": """
            {"format": "rival.persona/1", "name": "fixed", "skill": 0.5,
             "traits": {"reactionTime": 0.3, "brakingPointBias": {"uniform": {"lower": 10, "upper": 20}}}}
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLI.run(["persona", "sample", "fixed.json", "--n", "5", "--json"], in: dir)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["persona"] as? String == "fixed")
        #expect(object["skill"] as? Double == 0.5)
        #expect(object["seed"] as? Int == 1)
        let mean = try #require(object["mean"] as? [String: Double])
        #expect(mean.keys.sorted() == (try Self.traitNames()).sorted())
        #expect(mean["reactionTime"] == 0.3)
        #expect(mean["brakingPointBias"] == 15)
        let drivers = try #require(object["drivers"] as? [[String: Any]])
        #expect(drivers.map { $0["index"] as? Int } == [0, 1, 2, 3, 4])
        let biases = drivers.compactMap { ($0["traits"] as? [String: Double])?["brakingPointBias"] }
        #expect(biases.count == 5 && biases.allSatisfy { (10..<20).contains($0) } && Set(biases).count == 5)
        #expect(drivers.allSatisfy { ($0["traits"] as? [String: Double])?["reactionTime"] == 0.3 })
    }

    /// `rival persona schema` prints the committed schema file, byte for byte.
    @Test func schemaPrintsTheCommittedFile() throws {
        let out = try CLI.run(["persona", "schema"])
        #expect(out.status == 0)
        let committed = try String(contentsOf: CLI.repoRoot.appendingPathComponent("personas/persona.schema.json"), encoding: .utf8)
        #expect(out.stdout == committed)
        #expect(out.stdout.contains("\"reactionTime\": {"))
    }
}
