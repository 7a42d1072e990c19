import Foundation
import Sim

/// A JSON value whose object keys keep the order they were given in, printed the way people write JSON: two-space
/// indents, `"key": value`, arrays of plain values on one line. Used to write persona files and the schema.
indirect enum JSONText {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    /// A number; a non-finite one is written as a string (`"nan"`), which no loader accepts as a number.
    case number(Double)
    case bool(Bool)
    /// Text that is already JSON, written as it is (one line).
    case raw(String)

    /// The value as JSON text, starting at the current position of a line indented `indent` spaces. A nested
    /// object of plain values whose one-line form is at most `inlineWidth` characters is written on one line.
    func rendered(indent: Int = 0, inlineWidth: Int = 0) -> String {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            if indent > 0, members.allSatisfy({ $0.1.fitsOnOneLine }) {
                let line = "{" + members.map { JSONFile.quote($0.0) + ": " + $0.1.rendered() }.joined(separator: ", ") + "}"
                if line.count <= inlineWidth { return line }
            }
            let inner = String(repeating: " ", count: indent + 2)
            let lines = members.map {
                inner + JSONFile.quote($0.0) + ": " + $0.1.rendered(indent: indent + 2, inlineWidth: inlineWidth)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        case .array(let elements):
            if elements.allSatisfy(\.isPlain) {
                return "[" + elements.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            let inner = String(repeating: " ", count: indent + 2)
            let lines = elements.map { inner + $0.rendered(indent: indent + 2, inlineWidth: inlineWidth) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "]"
        case .string(let text):
            return JSONFile.quote(text)
        case .number(let value):
            return value.isFinite ? JSONFile.text(value) : JSONFile.quote(JSONFile.text(value))
        case .bool(let value):
            return value ? "true" : "false"
        case .raw(let text):
            return text
        }
    }

    private var isPlain: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    /// A plain value or an array of plain values.
    private var fitsOnOneLine: Bool {
        if case .array(let elements) = self { return elements.allSatisfy(\.isPlain) }
        return isPlain
    }
}
