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
        let (data, object) = try JSONFile.readObject(path: path, format: currentFormat)
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
        let file = try JSONFile.resolve(
            nameOrPath, searchDirectories: searchDirectories, kind: "car", available: shippedNames(in:))
        return try load(path: file)
    }

    /// The car names (file names without `.json`) in `directory`, sorted; empty when the directory is missing.
    public static func shippedNames(in directory: String) -> [String] {
        JSONFile.names(in: directory)
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
            let path = JSONFile.path(context.codingPath + [key])
            return LoadError(file: file, location: path, value: "missing", expected: expectation(at: path))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = JSONFile.path(context.codingPath)
            let found = JSONFile.value(at: context.codingPath, in: tree).map(JSONFile.text) ?? "null"
            return LoadError(file: file, location: path, value: found, expected: expectation(at: path))
        case .dataCorrupted(let context):
            return LoadError(
                file: file, location: JSONFile.path(context.codingPath), expected: context.debugDescription)
        @unknown default:
            return LoadError(file: file, expected: "cannot decode: \(error)")
        }
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
}
