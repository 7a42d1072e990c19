import Foundation

extension CarSpec {
    /// Reads and validates a `rival.car/1` file.
    ///
    /// Checks, in order: the file can be read and is not empty; it is valid JSON (a syntax error names its line and
    /// column; trailing commas and duplicate keys are errors); it holds no key the format does not know (a misspelt
    /// field names its JSON path); every field is present with the right type; every number is finite and in its
    /// plausible range (``validate(file:)``).
    ///
    /// - Parameter path: the file path, used as given in error messages.
    /// - Throws: ``LoadError`` naming the file, the location (line and column, or JSON path such as
    ///   `tyre.lateral.D`), the offending value and what was expected.
    public static func load(path: String) throws(LoadError) -> CarSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, expected: "cannot read the file (missing or not readable)")
        }
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw LoadError(file: path, expected: "the file is empty; expected a \(currentFormat) JSON object")
        }
        if let failure = JSONSyntaxCheck.firstError(in: bytes) {
            throw LoadError(
                file: path, location: "line \(failure.line), column \(failure.column)", value: failure.found,
                expected: failure.expected)
        }
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw LoadError(file: path, expected: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = tree as? [String: Any] else {
            throw LoadError(file: path, value: jsonText(tree), expected: "expected a JSON object at the top level")
        }
        try rejectUnknownKeys(in: object, known: keyTemplate(), path: "", file: path)

        let spec: CarSpec
        do {
            spec = try JSONDecoder().decode(CarSpec.self, from: data)
        } catch let error as DecodingError {
            throw loadError(for: error, tree: object, file: path)
        } catch {
            throw LoadError(file: path, expected: "cannot decode: \(error.localizedDescription)")
        }
        try spec.validate(file: path)
        return spec
    }

    /// Finds a car by file path or by name.
    ///
    /// `nameOrPath` is used as a path when such a file exists; otherwise, as a name, the first
    /// `<directory>/<name>.json` in `searchDirectories` is loaded (so `gt3` finds `cars/gt3.json`).
    ///
    /// - Throws: ``LoadError`` when nothing matches (listing the cars available in `searchDirectories`), or any
    ///   error of ``load(path:)``.
    public static func resolve(_ nameOrPath: String, searchDirectories: [String]) throws(LoadError) -> CarSpec {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try load(path: nameOrPath)
        }
        for directory in searchDirectories {
            let candidate = (directory as NSString).appendingPathComponent(nameOrPath + ".json")
            if FileManager.default.fileExists(atPath: candidate) { return try load(path: candidate) }
        }
        var available: [String] = []
        for directory in searchDirectories {
            for name in shippedNames(in: directory) where !available.contains(name) { available.append(name) }
        }
        let searched = searchDirectories.isEmpty ? "no directories" : searchDirectories.joined(separator: ", ")
        let choices =
            available.isEmpty
            ? "no car files (*.json) found in \(searched)" : "available: \(available.joined(separator: ", "))"
        throw LoadError(file: nameOrPath, expected: "no such car file or car name; \(choices)")
    }

    /// The car names (file names without `.json`) in `directory`, sorted; empty when the directory is missing.
    public static func shippedNames(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") && $0 != ".json" }.map { String($0.dropLast(5)) }.sorted()
    }
}

// MARK: - Unknown keys and decoding errors

extension CarSpec {
    /// A spec with every field present and every number zero: the reference for which keys a car file may hold
    /// and what type each has. Derived from the type rather than written out, so a new field cannot be missed here.
    static let blank = CarSpec(
        name: "", description: "", sources: [],
        chassis: Chassis(
            massKg: 0, yawInertiaKgM2: 0, wheelbaseM: 0, cogToFrontAxleM: 0, cogHeightM: 0, trackWidthM: 0,
            overallWidthM: 0, overallLengthM: 0),
        tyre: Tyre(
            lateral: MagicFormula(B: 0, C: 0, D: 0, E: 0), longitudinal: MagicFormula(B: 0, C: 0, D: 0, E: 0),
            loadSensitivity: 0, rearLateralGripRatio: 0, rollingResistanceCoefficient: 0, wearPerMegajoule: 0,
            gripLossAtFullWear: 0),
        powertrain: Powertrain(
            powerW: 0, drivetrainEfficiency: 0, maxDriveForceN: 0, fuelCapacityKg: 0,
            fuelBurnKgPerSecondAtFullThrottle: 0),
        brakes: Brakes(maxForceN: 0, frontFraction: 0),
        aero: Aero(dragAreaM2: 0, downforceAreaM2: 0, frontFraction: 0),
        steering: Steering(maxAngleRad: 0, maxRateRadPerS: 0))

    /// ``blank`` as a parsed JSON tree: the keys, at each level, that a car file may hold.
    static func keyTemplate() -> [String: Any] {
        guard let data = try? JSONEncoder().encode(blank),
            let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { preconditionFailure("CarSpec must encode to a JSON object") }
        return tree
    }

    /// Throws on the first key of `object` (depth first, in sorted order) that `known` does not have.
    static func rejectUnknownKeys(in object: [String: Any], known: [String: Any], path: String, file: String)
        throws(LoadError)
    {
        for key in object.keys.sorted() {
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard let knownValue = known[key] else {
                let here = path.isEmpty ? "at the top level" : "in \(path)"
                throw LoadError(
                    file: file, location: keyPath,
                    expected: "unknown key; expected one of \(known.keys.sorted().joined(separator: ", ")) \(here)")
            }
            if let knownObject = knownValue as? [String: Any], let child = object[key] as? [String: Any] {
                try rejectUnknownKeys(in: child, known: knownObject, path: keyPath, file: file)
            }
        }
    }

    /// Turns a decoding error into a ``LoadError`` with the JSON path, the value found and the type expected.
    static func loadError(for error: DecodingError, tree: [String: Any], file: String) -> LoadError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = jsonPath(context.codingPath + [key])
            return LoadError(file: file, location: path, value: "missing", expected: expectation(at: path))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = jsonPath(context.codingPath)
            let found = value(at: context.codingPath, in: tree).map(jsonText) ?? "null"
            return LoadError(file: file, location: path, value: found, expected: expectation(at: path))
        case .dataCorrupted(let context):
            return LoadError(
                file: file, location: jsonPath(context.codingPath), expected: context.debugDescription)
        @unknown default:
            return LoadError(file: file, expected: "cannot decode: \(error)")
        }
    }

    /// `chassis.massKg`, `sources[2]`.
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
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

    /// What belongs at `path`: a number with its range, a string, an array of strings or an object.
    static func expectation(at path: String) -> String {
        if let rule = blank.numericRules.first(where: { $0.path == path }) { return rule.expectation }
        if path.hasSuffix("]") { return "expected a string" }
        var node: Any? = keyTemplate()
        for part in path.split(separator: ".") { node = (node as? [String: Any])?[String(part)] }
        switch node {
        case is [String: Any]: return "expected an object"
        case is [Any]: return "expected an array of strings"
        case is String: return "expected a string"
        default: return "expected a value"
        }
    }

    /// The value at a coding path in a parsed JSON tree.
    static func value(at codingPath: [any CodingKey], in tree: Any) -> Any? {
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
    static func jsonText(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let string as String: return quoted(string)
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber with the Objective-C type code of a `char`.
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return text(number.doubleValue)
        case is [Any]: return "[...]"
        case is [String: Any]: return "{...}"
        default: return "\(value)"
        }
    }
}
