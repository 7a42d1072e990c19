import Foundation
import GSL

extension Persona {
    /// The persona as a `rival.persona/1` file that ``decode(data:file:)`` reads back equal to it.
    ///
    /// Keys in a fixed order (`format`, `name`, `skill`, `description`, `comment`, `traits`), the absent optional
    /// ones left out, `traits` sorted by name with one trait a line, two-space indents, a final newline:
    ///
    /// ```json
    /// {
    ///   "format": "rival.persona/1",
    ///   "name": "club",
    ///   "skill": 0.5,
    ///   "traits": {
    ///     "brakingPointBias": {"normal": {"mean": 8, "sd": 3}},
    ///     "reactionTime": 0.2
    ///   }
    /// }
    /// ```
    ///
    /// Numbers are written in the shortest form that reads back as the same `Double`. A non-finite number (a NaN
    /// skill, say) is written as a string such as `"nan"`, so the file says what is wrong when it is loaded.
    public func encodeJSON() -> String {
        var members: [(String, JSONText)] = [
            ("format", .string(Self.fileFormat)), ("name", .string(name)), ("skill", .number(skill)),
        ]
        if let description { members.append(("description", .string(description))) }
        if let comment { members.append(("comment", .string(comment))) }
        if !overrides.isEmpty {
            let traits = overrides.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { ($0.key.rawValue, JSONText.raw(Self.inlineJSON($0.value))) }
            members.append(("traits", .object(traits)))
        }
        return JSONText.object(members).rendered() + "\n"
    }

    /// A distribution's JSON form on one line, with a space after each `:` and `,`: `{"normal": {"mean": 8, "sd": 3}}`.
    static func inlineJSON(_ distribution: Distribution) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(distribution) else { return "null" }
        // The form holds only family and parameter names, numbers, and those three strings: no ':' or ',' in a
        // string, so spacing them is safe.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: ":", with: ": ")
            .replacingOccurrences(of: ",", with: ", ")
    }
}
