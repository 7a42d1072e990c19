import Foundation

/// Strict reading of the package's JSON data files (cars, personas): the steps every loader shares, each failing
/// with a ``LoadError`` that names the file, where in it, the value and what was expected.
package enum JSONFile {
    /// Reads `path` and parses it with ``parseObject(_:file:format:)``.
    ///
    /// - Throws: ``LoadError`` when the file cannot be read (missing or not readable), or any error of
    ///   ``parseObject(_:file:format:)``.
    package static func readObject(path: String, format: String) throws(LoadError) -> (data: Data, object: [String: Any]) {
        let data = try read(path: path)
        return (data, try parseObject(data, file: path, format: format))
    }

    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``LoadError`` when the file is missing or cannot be read.
    package static func read(path: String) throws(LoadError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, expected: "cannot read the file (missing or not readable)")
        }
        return data
    }

    /// Parses `data` as one JSON object.
    ///
    /// Checks, in order: the data is not empty (or only whitespace); it is valid JSON by ``JSONSyntaxCheck`` (a
    /// syntax error names its line and column; trailing commas and duplicate keys are errors); its top-level value
    /// is an object. `format` (such as `rival.car/1`) is named in the messages.
    package static func parseObject(_ data: Data, file: String, format: String) throws(LoadError) -> [String: Any] {
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw LoadError(file: file, expected: "the file is empty; expected a \(format) JSON object")
        }
        if let failure = JSONSyntaxCheck.firstError(in: bytes) {
            throw LoadError(
                file: file, location: "line \(failure.line), column \(failure.column)", value: failure.found,
                expected: failure.expected)
        }
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw LoadError(file: file, expected: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = tree as? [String: Any] else {
            throw LoadError(file: file, value: text(tree), expected: "expected a JSON object at the top level")
        }
        return object
    }

    /// The file a name or path stands for.
    ///
    /// `nameOrPath` is returned as it is when such a file exists; otherwise, as a name, the first
    /// `<directory>/<name>.json` in `searchDirectories` (so `gt3` finds `cars/gt3.json`).
    ///
    /// - Parameters:
    ///   - kind: what the files hold, for the message (`car`, `persona`).
    ///   - available: the names in one directory (such as `CarSpec.shippedNames(in:)`), listed when nothing
    ///     matches.
    /// - Throws: ``LoadError`` when nothing matches, listing the names available in `searchDirectories`.
    package static func resolve(
        _ nameOrPath: String, searchDirectories: [String], kind: String, available: (String) -> [String]
    ) throws(LoadError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            return nameOrPath
        }
        for directory in searchDirectories {
            let candidate = (directory as NSString).appendingPathComponent(nameOrPath + ".json")
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        var names: [String] = []
        for directory in searchDirectories {
            for name in available(directory) where !names.contains(name) { names.append(name) }
        }
        let searched = searchDirectories.isEmpty ? "no directories" : searchDirectories.joined(separator: ", ")
        let choices =
            names.isEmpty
            ? "no \(kind) files (*.json) found in \(searched)" : "available: \(names.joined(separator: ", "))"
        throw LoadError(file: nameOrPath, expected: "no such \(kind) file or \(kind) name; \(choices)")
    }

    /// The names (file names without `.json`) of the `*.json` files in `directory`, sorted, leaving out files
    /// whose name ends in `excluding` (such as `.schema.json`); empty when the directory is missing.
    package static func names(in directory: String, excluding: String? = nil) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") && $0 != ".json" && !(excluding.map($0.hasSuffix) ?? false) }
            .map { String($0.dropLast(5)) }.sorted()
    }

    /// `chassis.massKg`, `sources[2]`.
    package static func path(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    /// The value at a coding path in a parsed JSON tree.
    package static func value(at codingPath: [any CodingKey], in tree: Any) -> Any? {
        var node: Any? = tree
        for key in codingPath {
            if let index = key.intValue {
                guard let array = node as? [Any], array.indices.contains(index) else { return nil }
                node = array[index]
            } else {
                node = (node as? [String: Any])?[key.stringValue]
            }
        }
        return node
    }

    /// A parsed JSON value as a user wrote it: `"heavy"`, `true`, `12.5`, `{...}`.
    package static func text(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let string as String: return "\"\(string)\""
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber with the Objective-C type code of a `char`.
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return text(number.doubleValue)
        case is [Any]: return "[...]"
        case is [String: Any]: return "{...}"
        default: return "\(value)"
        }
    }

    /// `text` as a JSON string literal, escaped where JSON requires (slashes left as they are).
    package static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A number as a user would write it: `1300`, `-0.2`, `nan`, `inf`.
    package static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
