/// A rejected input file or value: names the file, where in it (a CSV line or a JSON path), the offending
/// value and what was expected, in the form `file: location: value: expected`.
///
/// Example: `cars/gt3.json: tyre.lateral.peak: -1.2: expected a number in 0.5...3.0`.
public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (as the user named it), or a label such as `<points>` for data passed in memory.
    public var file: String
    /// Where in the file: `line 12`, `line 12, column 4`, or a JSON path such as `tyre.lateral.peak`. Empty
    /// when the problem is the whole file (missing, unreadable, empty).
    public var location: String
    /// The offending value as text; empty when there is none (a missing field).
    public var value: String
    /// What was expected, or what is wrong, in words a user can act on.
    public var expected: String

    public init(file: String, location: String = "", value: String = "", expected: String) {
        self.file = file
        self.location = location
        self.value = value
        self.expected = expected
    }

    public var description: String {
        var parts = [file]
        if !location.isEmpty { parts.append(location) }
        if !value.isEmpty { parts.append(value) }
        parts.append(expected)
        return parts.joined(separator: ": ")
    }
}
