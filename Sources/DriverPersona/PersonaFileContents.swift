import Foundation
import GSL
import Sim

/// A JSON object key chosen at run time.
struct PersonaKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// What a persona file holds, as decoded in one pass that does not stop at the first problem: each field is its
/// value, or absent with the decoding error that replaced it recorded, and unknown keys are listed. The checks of
/// meaning (format, ranges) are ``problems(file:tree:)``'s.
struct PersonaFileContents: Decodable {
    /// The top-level keys a persona file may hold. `$schema` lets an editor find `persona.schema.json`; the loader
    /// checks it is a string and otherwise ignores it.
    static let keys = ["$schema", "comment", "description", "format", "name", "skill", "traits"]

    var format: String?
    var name: String?
    var skill: Double?
    var description: String?
    var comment: String?
    var traits: [TraitName: Distribution] = [:]
    /// Top-level keys present in the file.
    var present: Set<String> = []
    /// Unknown top-level keys.
    var unknownKeys: [String] = []
    /// Keys of `traits` that name no trait.
    var unknownTraits: [String] = []
    /// Every error of the decoder (wrong types, bad distributions), each with its coding path.
    var errors: [DecodingError] = []

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: PersonaKey.self)
        for key in top.allKeys {
            present.insert(key.stringValue)
            switch key.stringValue {
            case "format": format = capture { try top.decode(String.self, forKey: key) }
            case "name": name = capture { try top.decode(String.self, forKey: key) }
            case "skill": skill = capture { try top.decode(Double.self, forKey: key) }
            case "description": description = capture { try top.decode(String.self, forKey: key) }
            case "comment": comment = capture { try top.decode(String.self, forKey: key) }
            case "$schema": _ = capture { try top.decode(String.self, forKey: key) }
            case "traits":
                guard let object = capture({ try top.nestedContainer(keyedBy: PersonaKey.self, forKey: key) }) else {
                    continue
                }
                for traitKey in object.allKeys {
                    guard let trait = TraitName(rawValue: traitKey.stringValue) else {
                        unknownTraits.append(traitKey.stringValue)
                        continue
                    }
                    traits[trait] = capture { try object.decode(Distribution.self, forKey: traitKey) }
                }
            default:
                unknownKeys.append(key.stringValue)
            }
        }
    }

    /// The value of `body`, or nil with its decoding error recorded.
    private mutating func capture<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as DecodingError {
            errors.append(error)
        } catch {
            errors.append(.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)")))
        }
        return nil
    }

    /// Every problem of the file, in order of JSON path: the decoder's errors, unknown keys (with the closest
    /// known name), missing fields, a wrong format, a skill outside 0...1, an empty name, and traits whose
    /// constant or mean lies outside the trait's range. `tree` is the file as parsed, for the values in messages.
    func problems(file: String, tree: [String: Any]) -> [LoadError] {
        var problems = errors.map { Self.loadError(for: $0, tree: tree, file: file) }
        for key in unknownKeys {
            problems.append(LoadError(
                file: file, location: key,
                expected: "unknown key\(Self.suggestion(for: key, among: Self.keys)); expected one of "
                    + Self.keys.joined(separator: ", ") + " at the top level"))
        }
        let traitNames = TraitName.allCases.map(\.rawValue)
        for key in unknownTraits {
            problems.append(LoadError(
                file: file, location: "traits.\(key)",
                expected: "unknown trait\(Self.suggestion(for: key, among: traitNames)); expected one of "
                    + traitNames.joined(separator: ", ")))
        }
        for key in ["format", "name", "skill"] where !present.contains(key) {
            problems.append(LoadError(file: file, location: key, value: "missing", expected: Self.expectation(at: key)))
        }
        if let format, format != Persona.fileFormat {
            problems.append(LoadError(
                file: file, location: "format", value: JSONFile.quote(format), expected: Self.expectation(at: "format")))
        }
        if let name, name.isEmpty {
            problems.append(LoadError(file: file, location: "name", value: "\"\"", expected: Self.expectation(at: "name")))
        }
        if let skill, !(skill.isFinite && (0...1).contains(skill)) {
            problems.append(LoadError(
                file: file, location: "skill", value: JSONFile.text(skill), expected: Self.expectation(at: "skill")))
        }
        for trait in TraitName.allCases {
            guard let distribution = traits[trait] else { continue }
            let range = trait.range
            if case .constant(let value) = distribution {
                if !range.contains(value) {
                    problems.append(LoadError(
                        file: file, location: "traits.\(trait.rawValue)", value: JSONFile.text(value),
                        expected: "expected \(trait.rangeText)"))
                }
            } else {
                let mean = distribution.mean
                if !(mean.isFinite && range.contains(mean)) {
                    problems.append(LoadError(
                        file: file, location: "traits.\(trait.rawValue)", value: "mean \(JSONFile.text(mean))",
                        expected: "expected a distribution whose mean lies in \(trait.rangeText)"))
                }
            }
        }
        return problems.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    /// ` (did you mean reactionTime?)`, or nothing when no known name is close.
    private static func suggestion(for key: String, among names: [String]) -> String {
        closestName(to: key, among: names).map { " (did you mean \($0)?)" } ?? ""
    }

    /// What belongs at a top-level key, or at a number inside a distribution.
    private static func expectation(at path: String) -> String {
        switch path {
        case "format": "expected \(JSONFile.quote(Persona.fileFormat))"
        case "name": "expected a non-empty string"
        case "skill": "expected a number in 0...1"
        case "traits": "expected an object of traits, such as {\"reactionTime\": 0.2}"
        case "description", "comment", "$schema": "expected a string"
        default: "expected a number"
        }
    }

    /// A decoding error as a ``LoadError`` with the JSON path, the value found and what was expected. An invalid
    /// distribution parameter (GSL's ``ParameterIssue``) is named by its own path: `traits.reactionTime.normal.sd`.
    private static func loadError(for error: DecodingError, tree: [String: Any], file: String) -> LoadError {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = JSONFile.path(context.codingPath)
            let found = JSONFile.value(at: context.codingPath, in: tree).map(JSONFile.text) ?? "null"
            return LoadError(file: file, location: path, value: found, expected: expectation(at: path))
        case .keyNotFound(let key, let context):
            return LoadError(
                file: file, location: JSONFile.path(context.codingPath + [key]), value: "missing",
                expected: "expected a value")
        case .dataCorrupted(let context):
            let path = JSONFile.path(context.codingPath)
            if let issue = context.underlyingError as? ParameterIssue {
                let location = issue.parameter == "value" ? path : "\(path).\(issue.parameter)"
                return LoadError(
                    file: file, location: location, value: JSONFile.text(issue.value), expected: issue.problem)
            }
            var found = JSONFile.value(at: context.codingPath, in: tree).map(JSONFile.text) ?? ""
            if found == "{...}" || found == "[...]" { found = "" }
            return LoadError(file: file, location: path, value: found, expected: context.debugDescription)
        @unknown default:
            return LoadError(file: file, expected: "cannot decode: \(error)")
        }
    }
}
