import Foundation
import GSL
import Testing
@testable import DriverPersona

@Suite struct PersonaSchemaTests {
    /// The committed schema is exactly what the code generates (regenerate with `rival persona schema`).
    @Test func committedSchemaIsGenerated() throws {
        let committed = try String(contentsOfFile: "\(personasFolder)/persona.schema.json", encoding: .utf8)
        #expect(committed == Persona.jsonSchema, "run: rival persona schema > personas/persona.schema.json")
    }

    /// Every trait appears with its range as minimum/maximum of a constant, its unit and range in the description,
    /// and every distribution family as an alternative.
    @Test func everyTraitWithRangeAndUnit() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(Persona.jsonSchema.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["required"] as? [String] == ["format", "name", "skill"])
        #expect(schema["additionalProperties"] as? Bool == false)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(PersonaFileContents.keys))
        let traitsObject = try #require(properties["traits"] as? [String: Any])
        #expect(traitsObject["additionalProperties"] as? Bool == false)
        let traits = try #require(traitsObject["properties"] as? [String: [String: Any]])
        #expect(Set(traits.keys) == Set(TraitName.allCases.map(\.rawValue)))
        for trait in TraitName.allCases {
            let entry = try #require(traits[trait.rawValue])
            let description = try #require(entry["description"] as? String)
            #expect(description.contains("Range \(trait.rangeText)."), "\(trait): \(description)")
            let choices = try #require(entry["oneOf"] as? [[String: Any]])
            #expect(choices.count == 2)
            #expect(choices[0]["type"] as? String == "number")
            #expect(choices[0]["minimum"] as? Double == trait.range.lowerBound)
            #expect(choices[0]["maximum"] as? Double == trait.range.upperBound)
            #expect(choices[1]["$ref"] as? String == "#/$defs/distribution")
        }
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let families = try #require((definitions["distribution"] as? [String: Any])?["oneOf"] as? [[String: String]])
        #expect(families.map { $0["$ref"] } == DistributionFamily.allCases.map { "#/$defs/\($0.rawValue)" })
        let sd = try #require(
            ((((schema["$defs"] as? [String: Any])?["normal"] as? [String: Any])?["properties"] as? [String: Any])?["normal"]
                as? [String: Any]))
        #expect(sd["required"] as? [String] == ["mean", "sd"])
        #expect(((sd["properties"] as? [String: Any])?["sd"] as? [String: Any])?["minimum"] as? Double == 0)
    }

    /// The schema's parameter limits agree with GSL's decoder: every family's example decodes, a value at an
    /// exclusive minimum or below an inclusive one is rejected, and leaving out a required parameter is too.
    @Test func parameterLimitsMatchTheDecoder() throws {
        func decodes(_ family: DistributionFamily, _ parameters: [String: Double]) -> Bool {
            let object = [family.rawValue: parameters]
            guard let data = try? JSONSerialization.data(withJSONObject: object) else { return false }
            return (try? JSONDecoder().decode(Distribution.self, from: data)) != nil
        }
        for family in DistributionFamily.allCases {
            let example = try #require(
                try JSONSerialization.jsonObject(with: Data(family.example.utf8)) as? [String: Double])
            #expect(decodes(family, example), "\(family) example \(family.example)")
            for parameter in example.keys {
                if let limit = family.lowerLimit(of: parameter) {
                    var bad = example
                    bad[parameter] = limit.exclusive ? limit.value : limit.value - 0.5
                    #expect(!decodes(family, bad), "\(family).\(parameter) = \(bad[parameter]!) should be rejected")
                }
                if family.required.contains(parameter) {
                    var missing = example
                    missing[parameter] = nil
                    #expect(!decodes(family, missing), "\(family) without \(parameter) should be rejected")
                }
            }
        }
    }

    /// docs/persona.md carries the trait table generated from TraitName, so it lists every trait with its unit
    /// and range.
    @Test func docsListEveryTrait() throws {
        let docs = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/persona.md"), encoding: .utf8)
        #expect(docs.contains(TraitName.markdownTable), "docs/persona.md: replace the trait table with TraitName.markdownTable")
        #expect(TraitName.markdownTable.split(separator: "\n").count == 2 + TraitName.allCases.count)
        #expect(TraitName.markdownTable.contains("| `brakingPointBias` | m | -50...100 | mean braking-point bias; positive brakes early |"))
        for name in Persona.presetNames { #expect(docs.contains("`\(name)`"), "docs/persona.md does not name \(name)") }
    }
}
