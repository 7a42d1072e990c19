import GSL
import Sim

extension Persona {
    /// The JSON Schema (draft 2020-12) of `rival.persona/1` files, as committed in `personas/persona.schema.json`:
    /// an editor uses it to check and complete persona files.
    ///
    /// Generated from ``TraitName`` (every trait with its meaning, unit and range; `minimum`/`maximum` on a
    /// constant) and from GSL's distribution families (each a single-key object whose parameters are listed, with
    /// the required ones and their lower limits), so it cannot drift from the loader. Two rules the schema cannot
    /// say are left to the loader (and `rival persona lint`): a distribution's mean must lie in the trait's range,
    /// and a `uniform` or `truncatedNormal` needs `lower` <= `upper`. Ends with a newline.
    public static var jsonSchema: String {
        let traits = TraitName.allCases.map { trait -> (String, JSONText) in
            let constant = JSONText.object([
                ("type", .string("number")), ("minimum", .number(trait.range.lowerBound)),
                ("maximum", .number(trait.range.upperBound)),
            ])
            let choices = [constant, .object([("$ref", .string("#/$defs/distribution"))])]
            return (trait.rawValue, .object([("description", .string(traitDescription(trait))), ("oneOf", .array(choices))]))
        }
        let properties: [(String, JSONText)] = [
            ("$schema", .object([
                ("description", .string("Where an editor finds this schema, such as \"persona.schema.json\"; ignored by Rival.")),
                ("type", .string("string")),
            ])),
            ("format", .object([
                ("description", .string("The file format and its version; always \"\(fileFormat)\".")),
                ("const", .string(fileFormat)),
            ])),
            ("name", .object([
                ("description", .string("Display name of the persona, such as \"club\".")),
                ("type", .string("string")), ("minLength", .number(1)),
            ])),
            ("skill", .object([
                ("description", .string(
                    "Skill, 0...1: sets every trait the file does not set. 0 is someone who has barely driven a race "
                        + "car; 1 is an alien with no human limits at all (the bare policy).")),
                ("type", .string("number")), ("minimum", .number(0)), ("maximum", .number(1)),
            ])),
            ("description", .object([
                ("description", .string("What kind of driver this is, for designers choosing a persona.")),
                ("type", .string("string")),
            ])),
            ("comment", .object([
                ("description", .string("Free text for people; the calibration tool records its target and fit here.")),
                ("type", .string("string")),
            ])),
            ("traits", .object([
                ("description", .string(
                    "Traits set explicitly, replacing the skill's distribution for that trait. Each is a number (a "
                        + "constant: every driver gets it) or a distribution each driver draws from.")),
                ("type", .string("object")), ("additionalProperties", .bool(false)), ("properties", .object(traits)),
            ])),
        ]
        let distribution = JSONText.object([
            ("description", .string(
                "A distribution: an object with one key naming the family, whose value holds its parameters.")),
            ("oneOf", .array(DistributionFamily.allCases.map { .object([("$ref", .string("#/$defs/\($0.rawValue)"))]) })),
        ])
        let schema = JSONText.object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("Rival persona (\(fileFormat))")),
            ("description", .string(
                "A kind of driver: a skill and optional per-trait distributions. Every driver of the persona draws "
                    + "its own traits from it. See personas/README.md and docs/persona.md.")),
            ("type", .string("object")),
            ("required", .array([.string("format"), .string("name"), .string("skill")])),
            ("additionalProperties", .bool(false)),
            ("properties", .object(properties)),
            ("$defs", .object([("distribution", distribution)] + DistributionFamily.allCases.map { ($0.rawValue, familySchema($0)) })),
        ])
        return schema.rendered(inlineWidth: 100) + "\n"
    }

    /// A trait's description in the schema: meaning, range with unit, and the rules of constants and draws.
    static func traitDescription(_ trait: TraitName) -> String {
        let summary = trait.summary.prefix(1).uppercased() + trait.summary.dropFirst()
        return "\(summary). Range \(trait.rangeText). A number is a constant and must lie in the range; a "
            + "distribution's mean must lie in it, and draws are clamped into it."
    }

    /// `{"normal": {...parameters...}}` as a schema: a single-key object.
    static func familySchema(_ family: DistributionFamily) -> JSONText {
        let parameters = family.parameters.map { name -> (String, JSONText) in
            var rules: [(String, JSONText)] = [("type", .string("number"))]
            if let limit = family.lowerLimit(of: name) {
                rules.append((limit.exclusive ? "exclusiveMinimum" : "minimum", .number(limit.value)))
            }
            return (name, .object(rules))
        }
        var body: [(String, JSONText)] = [
            ("description", .string("\(family.takes); for example \(family.example)")),
            ("type", .string("object")),
            ("required", .array(family.required.map { .string($0) })),
        ]
        if family == .lognormal {
            body.append(("oneOf", .array([
                .object([("required", .array([.string("mu")]))]), .object([("required", .array([.string("median")]))]),
            ])))
        }
        body += [("additionalProperties", .bool(false)), ("properties", .object(parameters))]
        return .object([
            ("type", .string("object")),
            ("required", .array([.string(family.rawValue)])),
            ("additionalProperties", .bool(false)),
            ("properties", .object([(family.rawValue, .object(body))])),
        ])
    }
}
