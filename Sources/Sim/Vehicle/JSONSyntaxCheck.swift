/// A strict RFC 8259 syntax check that reports where the first error is, by line and column.
///
/// Foundation's JSON readers on Linux say only "not valid JSON" (or a character offset) and accept trailing commas;
/// this check runs first so that a user learns the line, the column and what was expected. It also rejects
/// duplicate keys in one object and numbers too large for a `Double`. Syntax only: it builds no values.
package struct JSONSyntaxCheck {
    /// The first syntax error: 1-based line and column (in characters), what was found and what was expected.
    package struct Failure: Equatable, Sendable {
        /// 1-based line.
        package var line: Int
        /// 1-based column, in characters.
        package var column: Int
        /// What was found there: `'x'`, `end of file`, a duplicate key.
        package var found: String
        /// What was expected, in words.
        package var expected: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private static let maxDepth = 256

    /// Checks `bytes`; returns `nil` when they are one valid JSON value surrounded only by whitespace.
    package static func firstError(in bytes: [UInt8]) -> Failure? {
        var check = JSONSyntaxCheck(bytes: bytes)
        return check.run()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {  // UTF-8 byte order mark
            index = 3
            lineStart = 3
        }
    }

    private mutating func run() -> Failure? {
        if let failure = value(depth: 0) { return failure }
        skipWhitespace()
        if index < bytes.count { return failure(expected: "expected the end of the file after the top-level value") }
        return nil
    }

    // MARK: - Grammar

    private mutating func value(depth: Int) -> Failure? {
        skipWhitespace()
        guard index < bytes.count else { return failure(expected: "expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""):
            var text: [UInt8] = []
            return string(into: &text)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return failure(expected: "expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) -> Failure? {
        if depth > Self.maxDepth { return failure(expected: "expected at most \(Self.maxDepth) levels of nesting") }
        index += 1  // {
        var keys = Set<[UInt8]>()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return nil
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                let afterComma = !keys.isEmpty
                return failure(
                    expected: afterComma
                        ? "expected a quoted key (a trailing comma is not allowed)" : "expected a quoted key or '}'")
            }
            let keyStart = (index: index, line: line, lineStart: lineStart)
            var key: [UInt8] = []
            if let failure = string(into: &key) { return failure }
            if !keys.insert(key).inserted {
                let column = columnOf(keyStart.index, lineStart: keyStart.lineStart)
                return Failure(
                    line: keyStart.line, column: column, found: String(decoding: key, as: UTF8.self),
                    expected: "duplicate key in this object")
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { return failure(expected: "expected ':' after the key") }
            index += 1
            if let failure = value(depth: depth) { return failure }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "}")) {
                index += 1
                return nil
            } else {
                return failure(expected: "expected ',' or '}' after an object member")
            }
        }
    }

    private mutating func array(depth: Int) -> Failure? {
        if depth > Self.maxDepth { return failure(expected: "expected at most \(Self.maxDepth) levels of nesting") }
        index += 1  // [
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return nil
        }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { return failure(expected: "expected a value (a trailing comma is not allowed)") }
            if let failure = value(depth: depth) { return failure }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "]")) {
                index += 1
                return nil
            } else {
                return failure(expected: "expected ',' or ']' after an array element")
            }
        }
    }

    /// A string; its raw bytes (escapes left as written) are appended to `text`.
    private mutating func string(into text: inout [UInt8]) -> Failure? {
        index += 1  // opening quote
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else {
                    index += 1
                    return failure(expected: "expected the closing quote of the string")
                }
                let escape = bytes[index + 1]
                if escape == UInt8(ascii: "u") {
                    let hex = bytes[(index + 2)..<min(index + 6, bytes.count)]
                    guard hex.count == 4, hex.allSatisfy(Self.isHexDigit) else {
                        index += 1
                        return failure(expected: "expected four hex digits after \\u")
                    }
                    text.append(contentsOf: bytes[index..<(index + 6)])
                    index += 6
                } else if Array("\"\\/bfnrt".utf8).contains(escape) {
                    text.append(contentsOf: [byte, escape])
                    index += 2
                } else {
                    index += 1
                    return failure(expected: "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                }
            case 0..<0x20:
                return failure(expected: "expected the closing quote (control characters must be escaped)")
            default:
                text.append(byte)
                index += 1
            }
        }
        return failure(expected: "expected the closing quote of the string")
    }

    private mutating func number() -> Failure? {
        let start = index
        let startColumn = columnOf(start, lineStart: lineStart)
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) {
            index += 1
        } else if digits() == 0 {
            return failure(expected: "expected a digit")
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            if digits() == 0 { return failure(expected: "expected a digit after the decimal point") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            if digits() == 0 { return failure(expected: "expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let value = Double(text), value.isFinite { return nil }
        return Failure(line: line, column: startColumn, found: text, expected: "expected a number a Double can hold")
    }

    private mutating func literal(_ word: StaticString) -> Failure? {
        let expected = word.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard peek(byte) else { return failure(expected: "expected \(word)") }
            index += 1
        }
        return nil
    }

    // MARK: - Scanning

    @discardableResult
    private mutating func digits() -> Int {
        var count = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
            count += 1
        }
        return count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }

    /// 1-based column of byte `position`, counting characters (UTF-8 lead bytes), not bytes.
    private func columnOf(_ position: Int, lineStart: Int) -> Int {
        var column = 1
        var at = lineStart
        while at < position, at < bytes.count {
            if bytes[at] & 0xC0 != 0x80 { column += 1 }
            at += 1
        }
        return column
    }

    /// The failure at the current position: what is there (a character, or the end of the file) and `expected`.
    private func failure(expected: String) -> Failure {
        let found: String
        if index >= bytes.count {
            found = "end of file"
        } else {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let character = String(decoding: bytes[index..<end], as: UTF8.self)
            switch character {
            case "\n": found = "end of line"
            case "\t": found = "tab"
            default: found = "'\(character)'"
            }
        }
        return Failure(line: line, column: columnOf(index, lineStart: lineStart), found: found, expected: expected)
    }
}
