import Foundation
import GSL
import Sim

extension Persona {
    /// The persona file format this version reads and writes: the value of a file's `format` key.
    public static let fileFormat = "rival.persona/1"

    /// The presets shipped in `personas/`, from the least to the most skilled: rookie (skill 0.1), amateur (0.3),
    /// club (0.5), semi-pro (0.7), pro (0.85) and alien (1, no limits).
    public static let presetNames = ["rookie", "amateur", "club", "semi-pro", "pro", "alien"]

    /// A persona with a description for designers.
    ///
    /// - Parameters:
    ///   - name: display name (`"club"`).
    ///   - skill: 0...1; sets every trait not in `overrides` (``SkillMap``).
    ///   - description: what kind of driver this is, for people choosing a persona; nil for none.
    ///   - overrides: traits set explicitly, replacing the skill's distribution.
    ///   - comment: free text (the calibration tool records its target and fit here).
    public init(
        name: String, skill: Double, description: String?, overrides: [TraitName: Distribution] = [:],
        comment: String? = nil
    ) {
        self.init(name: name, skill: skill, overrides: overrides, comment: comment)
        self.description = description
    }

    /// Reads and checks a `rival.persona/1` file; throws its first problem (``lint(path:)`` lists them all).
    ///
    /// - Parameter path: the file path, used as given in error messages.
    /// - Throws: ``LoadError`` naming the file, the location (line and column, or a JSON path such as
    ///   `traits.reactionTime.normal.sd`), the offending value and what was expected.
    public static func load(path: String) throws(LoadError) -> Persona {
        try decode(data: try JSONFile.read(path: path), file: path)
    }

    /// Decodes a persona file held in memory; throws its first problem (``lint(data:file:)`` lists them all).
    ///
    /// - Parameter file: the name used in error messages (a path, or a label such as `<calibration>`).
    public static func decode(data: Data, file: String) throws(LoadError) -> Persona {
        let (persona, problems) = read(data: data, file: file)
        if let first = problems.first { throw first }
        guard let persona else { throw LoadError(file: file, expected: "cannot decode the persona") }
        return persona
    }

    /// Every problem in a persona file, in order of JSON path; empty when the file loads.
    ///
    /// Checks: the file can be read and is not empty; it is valid JSON (a syntax error names its line and column;
    /// trailing commas and duplicate keys are errors) with an object at the top; `format` is `rival.persona/1`;
    /// `name` is a non-empty string; `skill` is a number in 0...1; `description`, `comment` and `$schema` are
    /// strings; no other key is present (a misspelt key or trait names its JSON path and suggests the closest
    /// name); every trait is a number or a valid distribution (GSL's decoder, each problem at the parameter's own
    /// path); a constant trait lies in its ``TraitName/range`` and a distribution's mean does too. A file that is
    /// missing, empty or not valid JSON gives one problem, since nothing else can be checked.
    public static func lint(path: String) -> [LoadError] {
        do {
            return lint(data: try JSONFile.read(path: path), file: path)
        } catch {
            return [error]
        }
    }

    /// Every problem in a persona file held in memory (see ``lint(path:)``); `file` names it in messages.
    public static func lint(data: Data, file: String) -> [LoadError] {
        read(data: data, file: file).problems
    }

    /// The persona in `data` and every problem found; the persona is nil when there is a problem.
    static func read(data: Data, file: String) -> (persona: Persona?, problems: [LoadError]) {
        let tree: [String: Any]
        let contents: PersonaFileContents
        do {
            tree = try JSONFile.parseObject(data, file: file, format: fileFormat)
        } catch {
            return (nil, [error])
        }
        do {
            contents = try JSONDecoder().decode(PersonaFileContents.self, from: data)
        } catch {
            return (nil, [LoadError(file: file, expected: "cannot decode: \(error)")])
        }
        let problems = contents.problems(file: file, tree: tree)
        guard problems.isEmpty, let name = contents.name, let skill = contents.skill else { return (nil, problems) }
        let persona = Persona(
            name: name, skill: skill, description: contents.description, overrides: contents.traits,
            comment: contents.comment)
        return (persona, [])
    }

    /// Finds a persona by file path or by name.
    ///
    /// `nameOrPath` is used as a path when such a file exists; otherwise, as a name, the first
    /// `<directory>/<name>.json` in `searchDirectories` is loaded (so `club` finds `personas/club.json`).
    ///
    /// - Throws: ``LoadError`` when nothing matches (listing the personas available in `searchDirectories`), or
    ///   the first problem of the file (``load(path:)``).
    public static func resolve(_ nameOrPath: String, searchDirectories: [String]) throws(LoadError) -> Persona {
        try load(path: try path(of: nameOrPath, searchDirectories: searchDirectories))
    }

    /// The file that ``resolve(_:searchDirectories:)`` would load: `nameOrPath` itself when it is a file, else the
    /// first `<directory>/<name>.json`.
    ///
    /// - Throws: ``LoadError`` when nothing matches, listing the personas available in `searchDirectories`.
    public static func path(of nameOrPath: String, searchDirectories: [String]) throws(LoadError) -> String {
        try JSONFile.resolve(
            nameOrPath, searchDirectories: searchDirectories, kind: "persona", available: shippedNames(in:))
    }

    /// The persona names (file names without `.json`, leaving out `persona.schema.json`) in `directory`, sorted;
    /// empty when the directory is missing.
    public static func shippedNames(in directory: String) -> [String] {
        JSONFile.names(in: directory, excluding: ".schema.json")
    }
}
