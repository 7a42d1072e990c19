import Foundation
import GSL
import Sim
import Testing
@testable import DriverPersona

/// The repository root (for `personas/` and `docs/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let personasFolder = repositoryRoot.appendingPathComponent("personas").path

/// The problems of a persona file given as text, as the lines `rival persona lint` prints.
func lintLines(_ text: String, file: String = "personas/club.json") -> [String] {
    Persona.lint(data: Data(text.utf8), file: file).map(\.description)
}

/// A valid file with `extra` members added to the top-level object.
func personaText(_ extra: String = "", skill: String = "0.5") -> String {
    "{\"format\": \"rival.persona/1\", \"name\": \"club\", \"skill\": \(skill)\(extra.isEmpty ? "" : ", " + extra)}"
}

@Suite struct PersonaFileTests {
    /// The six presets load, with the stated skills, names and a description each; nothing else is in personas/.
    @Test func presetsLoadWithTheirSkills() throws {
        let skills = ["rookie": 0.1, "amateur": 0.3, "club": 0.5, "semi-pro": 0.7, "pro": 0.85, "alien": 1.0]
        #expect(Persona.shippedNames(in: personasFolder) == ["alien", "amateur", "club", "pro", "rookie", "semi-pro"])
        #expect(Persona.presetNames.map { skills[$0]! } == [0.1, 0.3, 0.5, 0.7, 0.85, 1.0])
        for (name, skill) in skills {
            let persona = try Persona.resolve(name, searchDirectories: [personasFolder])
            #expect(persona.name == name)
            #expect(persona.skill == skill)
            #expect(persona.overrides.isEmpty, "\(name) should take every trait from the skill map")
            #expect((persona.description?.count ?? 0) > 100, "\(name): description \(persona.description ?? "nil")")
            // Shipped files are in the canonical form the calibration tool writes.
            let text = try String(contentsOfFile: "\(personasFolder)/\(name).json", encoding: .utf8)
            #expect(text == persona.encodeJSON(), "\(name).json is not in encodeJSON's form")
        }
    }

    /// The alien has no limits: every limit trait samples exactly 0 for every driver.
    @Test func alienHasNoLimits() throws {
        let alien = try Persona.resolve("alien", searchDirectories: [personasFolder])
        for index in 0..<5 {
            let traits = alien.sample(raceSeed: 11, index: index)
            for trait: TraitName in [.reactionTime, .distanceWeber, .speedWeber, .brakingPointBias, .brakingPointSpread,
                                     .lapFormSpread, .commitmentSpread, .motorNoise, .motorRemnant, .fatigueGain,
                                     .lapseRate, .fatigueLapseGain] {
                #expect(traits[trait] == 0, "driver \(index) \(trait): \(traits[trait])")
            }
        }
    }

    /// encodeJSON writes what decode reads back equal, for every distribution family, odd numbers and strings.
    @Test func roundTrip() throws {
        let persona = Persona(
            name: "fitted \"quick\" / slow", skill: 0.4217391304347826,
            description: "line one\nline two, with a tab\tand \\ backslash",
            overrides: [
                .reactionTime: .constant(0.2),
                .brakingPointBias: .normal(mean: 8, sd: 3),
                .brakingPointSpread: .truncatedNormal(mean: 6, sd: 2, lower: 0, upper: .infinity),
                .lapFormSpread: .truncatedNormal(mean: 3.3, sd: 1.1, lower: 0.5, upper: 9.75),
                .distanceWeber: .lognormal(mu: -2.3025850929940455, sigma: 0.2),
                .motorNoise: .gamma(shape: 2, scale: 0.025),
                .aggression: .beta(a: 2, b: 5),
                .fatigueOnset: .uniform(lower: 20, upper: 80),
                .lapseRate: .exponential(mean: 0.1),
                .fatigueTimeConstant: .weibull(scale: 60, shape: 1.5),
                .motorRemnant: .constant(1e-5),
            ],
            comment: "fit to target mean 1:52.3, spread 0.8 s")
        let text = persona.encodeJSON()
        let back = try Persona.decode(data: Data(text.utf8), file: "<memory>")
        #expect(back == persona)
        #expect(back.encodeJSON() == text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "{")
        #expect(lines[1] == "  \"format\": \"rival.persona/1\",")
        #expect(lines[2] == "  \"name\": \"fitted \\\"quick\\\" / slow\",")
        #expect(lines[3] == "  \"skill\": 0.4217391304347826,")
        #expect(lines.contains("    \"brakingPointBias\": {\"normal\": {\"mean\": 8, \"sd\": 3}},"))
        #expect(lines.contains("    \"brakingPointSpread\": {\"truncatedNormal\": {\"lower\": 0, \"mean\": 6, \"sd\": 2}},"))
        #expect(lines.contains("    \"reactionTime\": 0.2"))
        // A persona with no description, comment or traits writes just the three required keys.
        #expect(Persona(name: "club", skill: 0.5).encodeJSON()
            == "{\n  \"format\": \"rival.persona/1\",\n  \"name\": \"club\",\n  \"skill\": 0.5\n}\n")
    }

    /// A non-finite number is written as a string, so loading the file names it instead of failing to write.
    @Test func nonFiniteNumbersAreWrittenAsStrings() {
        let persona = Persona(name: "x", skill: .nan, overrides: [.reactionTime: .normal(mean: .infinity, sd: 0.1)])
        let text = persona.encodeJSON()
        #expect(text.contains("  \"skill\": \"nan\",\n"))
        #expect(lintLines(text, file: "<memory>") == [
            "<memory>: skill: \"nan\": expected a number in 0...1",
            "<memory>: traits.reactionTime.normal.mean: \"inf\": expected a number",
        ])
    }

    /// A lognormal given by its median loads as mu = ln(median).
    @Test func lognormalByMedian() throws {
        let persona = try Persona.decode(
            data: Data(personaText("\"traits\": {\"reactionTime\": {\"lognormal\": {\"median\": 0.2, \"sigma\": 0.1}}}").utf8),
            file: "x.json")
        #expect(persona.overrides[.reactionTime] == .lognormal(mu: log(0.2), sigma: 0.1))
    }

    /// Each class of problem gives its exact message.
    @Test(arguments: problemCases)
    func problemMessages(_ problem: ProblemCase) {
        let (text, message) = (problem.text, problem.message)
        #expect(lintLines(text) == [message])
        do {
            _ = try Persona.decode(data: Data(text.utf8), file: "personas/club.json")
            Issue.record("decoded: \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    /// A distribution whose parameter lies outside the range but whose mean is inside (a truncated normal) loads.
    @Test func truncationBringsTheMeanInside() throws {
        let text = personaText(
            "\"traits\": {\"reactionTime\": {\"truncatedNormal\": {\"mean\": -0.5, \"sd\": 0.5, \"lower\": 0.1, \"upper\": 0.4}}}")
        let persona = try Persona.decode(data: Data(text.utf8), file: "x.json")
        let mean = persona.distribution(.reactionTime).mean
        #expect(mean > 0.1 && mean < 0.25, "mean \(mean)")
    }

    /// One file with many problems: lint lists them all, in order of JSON path; load throws the first.
    @Test func lintCollectsEveryProblem() throws {
        let text = """
            {
              "format": "rival.persona/0",
              "skill": 2,
              "comment": false,
              "colour": "red",
              "traits": {
                "reactionTime": 1.5,
                "brakingPointBias": {"normal": {"mean": 8, "sd": -3}},
                "motorNose": 0.1,
                "aggression": {"beta": {"a": 2, "b": 5}}
              }
            }
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rival-lint-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = url.path
        #expect(Persona.lint(path: file).map(\.description) == [
            "\(file): colour: unknown key; expected one of $schema, comment, description, format, name, skill, traits at the top level",
            "\(file): comment: false: expected a string",
            "\(file): format: \"rival.persona/0\": expected \"rival.persona/1\"",
            "\(file): name: missing: expected a non-empty string",
            "\(file): skill: 2: expected a number in 0...1",
            "\(file): traits.brakingPointBias.normal.sd: -3: is below 0",
            "\(file): traits.motorNose: unknown trait (did you mean motorNoise?); expected one of "
                + TraitName.allCases.map(\.rawValue).joined(separator: ", "),
            "\(file): traits.reactionTime: 1.5: expected 0...1 s",
        ])
        #expect(throws: LoadError(
            file: file, location: "colour",
            expected: "unknown key; expected one of $schema, comment, description, format, name, skill, traits at the top level")
        ) { try Persona.load(path: file) }
    }

    /// Missing files and unknown names: the file, what was expected, the personas available.
    @Test func missingFilesAndNames() {
        #expect(Persona.lint(path: "/no/such/persona.json").map(\.description)
            == ["/no/such/persona.json: cannot read the file (missing or not readable)"])
        #expect(throws: LoadError(
            file: "clubb", expected: "no such persona file or persona name; available: alien, amateur, club, pro, rookie, semi-pro")
        ) { try Persona.resolve("clubb", searchDirectories: [personasFolder]) }
    }

    /// A `$schema` key for editors is accepted (and must be a string).
    @Test func schemaKeyIsAllowed() throws {
        let persona = try Persona.decode(data: Data(personaText("\"$schema\": \"persona.schema.json\"").utf8), file: "x")
        #expect(persona == Persona(name: "club", skill: 0.5))
        #expect(lintLines(personaText("\"$schema\": 1")) == ["personas/club.json: $schema: 1: expected a string"])
    }

    /// Sampling is deterministic for a seed, different drivers differ, and an override replaces the skill's draw.
    @Test func samplingFromAFile() throws {
        let text = personaText("\"traits\": {\"reactionTime\": 0.3, \"brakingPointBias\": {\"uniform\": {\"lower\": 40, \"upper\": 60}}}")
        let persona = try Persona.decode(data: Data(text.utf8), file: "x.json")
        let first = (0..<20).map { persona.sample(raceSeed: 5, index: $0) }
        #expect(first == (0..<20).map { persona.sample(raceSeed: 5, index: $0) })
        #expect(Set(first.map(\.brakingPointBias)).count == 20)
        #expect(first.allSatisfy { $0.reactionTime == 0.3 })
        #expect(first.allSatisfy { (40..<60).contains($0.brakingPointBias) })
        #expect(persona.sample(raceSeed: 6, index: 0) != first[0])
    }

    /// Closest names: case, a missing letter, a swap; nothing for a word far from every trait.
    @Test func closestTrait() {
        #expect(TraitName.closest(to: "reactiontime") == .reactionTime)
        #expect(TraitName.closest(to: "lapseRat") == .lapseRate)
        #expect(TraitName.closest(to: "agresion") == .aggression)
        #expect(TraitName.closest(to: "steeringWheel") == nil)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
    }

    @Test func rangeText() {
        #expect(TraitName.reactionTime.rangeText == "0...1 s")
        #expect(TraitName.brakingPointBias.rangeText == "-50...100 m")
        #expect(TraitName.speedWeber.rangeText == "0...0.3 (fraction)")
        #expect(TraitName.aggression.rangeText == "0...1")
        #expect(TraitName.lapseRate.rangeText == "0...10 per min")
        #expect(TraitName.fatigueOnset.rangeText == "0...600 min")
    }
}

/// Every trait name, as the unknown-trait message lists them.
let allTraitNames = TraitName.allCases.map(\.rawValue).joined(separator: ", ")

/// A persona file's text and the one problem it must give.
struct ProblemCase: Sendable, CustomTestStringConvertible {
    let text: String
    let message: String
    init(_ text: String, _ message: String) {
        self.text = text
        self.message = message
    }
    var testDescription: String { message }
}

/// One file per class of problem, with its exact message.
let problemCases: [ProblemCase] = [
        // Syntax, with line and column.
        ProblemCase("{\"format\": \"rival.persona/1\",\n  \"name\": \"club\",,\n}",
         "personas/club.json: line 2, column 18: ',': expected a quoted key (a trailing comma is not allowed)"),
        ProblemCase("", "personas/club.json: the file is empty; expected a rival.persona/1 JSON object"),
        ProblemCase("[1, 2]", "personas/club.json: [...]: expected a JSON object at the top level"),
        // Format.
        ProblemCase("{\"format\": \"rival.persona/2\", \"name\": \"club\", \"skill\": 0.5}",
         "personas/club.json: format: \"rival.persona/2\": expected \"rival.persona/1\""),
        ProblemCase("{\"name\": \"club\", \"skill\": 0.5}", "personas/club.json: format: missing: expected \"rival.persona/1\""),
        ProblemCase("{\"format\": 1, \"name\": \"club\", \"skill\": 0.5}", "personas/club.json: format: 1: expected \"rival.persona/1\""),
        // Name and skill.
        ProblemCase("{\"format\": \"rival.persona/1\", \"skill\": 0.5}", "personas/club.json: name: missing: expected a non-empty string"),
        ProblemCase("{\"format\": \"rival.persona/1\", \"name\": \"\", \"skill\": 0.5}",
         "personas/club.json: name: \"\": expected a non-empty string"),
        ProblemCase(personaText(skill: "1.5"), "personas/club.json: skill: 1.5: expected a number in 0...1"),
        ProblemCase(personaText(skill: "-0.1"), "personas/club.json: skill: -0.1: expected a number in 0...1"),
        ProblemCase(personaText(skill: "\"high\""), "personas/club.json: skill: \"high\": expected a number in 0...1"),
        ProblemCase(personaText(skill: "null"), "personas/club.json: skill: null: expected a number in 0...1"),
        ProblemCase(personaText("\"description\": 3"), "personas/club.json: description: 3: expected a string"),
        // Unknown keys, with the closest name.
        ProblemCase(personaText("\"descripton\": \"x\""),
         "personas/club.json: descripton: unknown key (did you mean description?); expected one of $schema, comment, "
            + "description, format, name, skill, traits at the top level"),
        ProblemCase(personaText("\"traits\": {\"reactionTme\": 0.2}"),
         "personas/club.json: traits.reactionTme: unknown trait (did you mean reactionTime?); expected one of \(allTraitNames)"),
        ProblemCase(personaText("\"traits\": {\"nerves\": 0.2}"),
         "personas/club.json: traits.nerves: unknown trait; expected one of \(allTraitNames)"),
        ProblemCase(personaText("\"traits\": [1]"),
         "personas/club.json: traits: [...]: expected an object of traits, such as {\"reactionTime\": 0.2}"),
        // Distributions: GSL's decoder, at the parameter's own path.
        ProblemCase(personaText("\"traits\": {\"reactionTime\": {\"normal\": {\"mean\": 0.2, \"sd\": -1}}}"),
         "personas/club.json: traits.reactionTime.normal.sd: -1: is below 0"),
        ProblemCase(personaText("\"traits\": {\"reactionTime\": {\"lognormal\": {\"median\": -0.2, \"sigma\": 0.1}}}"),
         "personas/club.json: traits.reactionTime.lognormal.median: -0.2: is not above 0"),
        ProblemCase(personaText("\"traits\": {\"fatigueOnset\": {\"uniform\": {\"lower\": 50, \"upper\": 20}}}"),
         "personas/club.json: traits.fatigueOnset.uniform.upper: 20: is below lower (50)"),
        ProblemCase(personaText("\"traits\": {\"reactionTime\": {\"normal\": {\"mean\": 0.2}}}"),
         "personas/club.json: traits.reactionTime.normal: missing parameter sd; normal takes mean, sd"),
        ProblemCase(personaText("\"traits\": {\"reactionTime\": {\"normal\": {\"mean\": \"fast\", \"sd\": 1}}}"),
         "personas/club.json: traits.reactionTime.normal.mean: \"fast\": expected a number"),
        ProblemCase(personaText("\"traits\": {\"reactionTime\": {\"norml\": {\"mean\": 0.2, \"sd\": 0.01}}}"),
         "personas/club.json: traits.reactionTime: unknown distribution 'norml'; expected one of normal, truncatedNormal, "
            + "lognormal, gamma, beta, uniform, exponential, weibull (or a bare number for a constant)"),
        ProblemCase(personaText("\"traits\": {\"reactionTime\": true}"),
         "personas/club.json: traits.reactionTime: true: expected a number (a constant) or an object with one key naming "
            + "the distribution, such as {\"normal\": {\"mean\": 0.2, \"sd\": 0.03}}"),
        // Ranges, with the unit.
        ProblemCase(personaText("\"traits\": {\"reactionTime\": -0.2}"), "personas/club.json: traits.reactionTime: -0.2: expected 0...1 s"),
        ProblemCase(personaText("\"traits\": {\"lapFormCorrelation\": 0.99}"),
         "personas/club.json: traits.lapFormCorrelation: 0.99: expected 0...0.95"),
        ProblemCase(personaText("\"traits\": {\"distanceWeber\": 0.6}"),
         "personas/club.json: traits.distanceWeber: 0.6: expected 0...0.5 (fraction)"),
        ProblemCase(personaText("\"traits\": {\"brakingPointBias\": {\"normal\": {\"mean\": 120, \"sd\": 3}}}"),
         "personas/club.json: traits.brakingPointBias: mean 120: expected a distribution whose mean lies in -50...100 m"),
        ProblemCase(personaText("\"traits\": {\"lapseRate\": {\"exponential\": {\"mean\": 12}}}"),
         "personas/club.json: traits.lapseRate: mean 12: expected a distribution whose mean lies in 0...10 per min"),
    ]
