import Sim

extension TraitName {
    /// The range with its unit, as error messages and documentation write it: `0...1 s`, `-50...100 m`,
    /// `0...0.5 (fraction)`, `0...0.95` (no unit).
    public var rangeText: String {
        let bounds = "\(JSONFile.text(range.lowerBound))...\(JSONFile.text(range.upperBound))"
        switch unit {
        case "1": return bounds
        case "fraction": return bounds + " (fraction)"
        default: return bounds + " " + unit
        }
    }

    /// The trait table of `docs/persona.md` and `personas/README.md`, in Markdown: one row per trait in
    /// declaration order, with its name, unit, range and meaning.
    public static var markdownTable: String {
        var lines = ["| trait | unit | range | meaning |", "| --- | --- | --- | --- |"]
        for trait in allCases {
            let unit = trait.unit == "1" ? "" : trait.unit
            let range = "\(JSONFile.text(trait.range.lowerBound))...\(JSONFile.text(trait.range.upperBound))"
            lines.append("| `\(trait.rawValue)` | \(unit) | \(range) | \(trait.summary) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The trait whose name is closest to `name` (a misspelling): the same letters in another case, or at most
    /// three edits (insert, delete, replace) away and closer than any other; nil when none is that close.
    public static func closest(to name: String) -> TraitName? {
        closestName(to: name, among: allCases.map(\.rawValue)).flatMap(TraitName.init(rawValue:))
    }
}

/// The name in `names` closest to `name`: equal ignoring case, or at most three edits away (ties: the first).
func closestName(to name: String, among names: [String]) -> String? {
    if let same = names.first(where: { $0.lowercased() == name.lowercased() }) { return same }
    let scored = names.map { (name: $0, distance: editDistance($0.lowercased(), name.lowercased())) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= 3 else { return nil }
    return best.name
}

/// Levenshtein distance between two strings, in characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
