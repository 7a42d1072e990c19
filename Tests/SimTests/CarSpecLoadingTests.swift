import Foundation
import Sim
import Testing

/// Loading car files: the shipped cars, name resolution, and the error text for bad files.
@Suite struct CarSpecLoadingTests {
    typealias Support = VehicleTestSupport

    /// The shipped GT3 file as a mutable JSON tree.
    static func gt3Tree() throws -> [String: Any] {
        let data = try Data(contentsOf: Support.repositoryRoot.appendingPathComponent("cars/gt3.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Writes `tree` (pretty-printed, sorted keys) to a temporary file and returns the load error's text.
    static func loadError(_ tree: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: tree, options: [.prettyPrinted, .sortedKeys])
        return try loadError(text: String(decoding: data, as: UTF8.self))
    }

    /// Writes `text` to a temporary file and returns the load error's text with the file path replaced by `FILE`.
    static func loadError(text: String) throws -> String {
        let path = try Support.temporaryFile(text)
        // Its folder too: one is made for each file, and hundreds were left in the temporary directory a run.
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try CarSpec.load(path: path)
            return "no error"
        } catch {
            return error.description.replacingOccurrences(of: path, with: "FILE")
        }
    }

    /// `tree` with the value at the dotted `path` replaced (or removed, for nil).
    static func setting(_ tree: [String: Any], _ path: String, to value: Any?) -> [String: Any] {
        var keys = path.split(separator: ".").map(String.init)
        let last = keys.removeLast()
        func set(_ node: [String: Any], _ keys: ArraySlice<String>) -> [String: Any] {
            var node = node
            if let first = keys.first {
                node[first] = set(node[first] as? [String: Any] ?? [:], keys.dropFirst())
            } else {
                node[last] = value
            }
            return node
        }
        return set(tree, keys[...])
    }

    @Test func shippedCarsLoadAndResolveByNameOrPath() throws {
        #expect(CarSpec.shippedNames(in: Support.carsDirectory) == ["cup", "formula", "gt3"])
        for name in Support.carNames {
            let byName = try CarSpec.resolve(name, searchDirectories: ["/nonexistent", Support.carsDirectory])
            let path = (Support.carsDirectory as NSString).appendingPathComponent("\(name).json")
            #expect(try CarSpec.resolve(path, searchDirectories: []) == byName)
            #expect(byName.format == "rival.car/1" && !byName.sources.isEmpty)
        }
        #expect(try Support.spec("gt3").name == "GT3")
        #expect(CarSpec.shippedNames(in: "/nonexistent") == [])
    }

    @Test func anUnknownCarListsTheAvailableOnes() {
        #expect(throws: LoadError(
            file: "rally", expected: "no such car file or car name; available: cup, formula, gt3")
        ) {
            try CarSpec.resolve("rally", searchDirectories: [Support.carsDirectory])
        }
        #expect(throws: LoadError(
            file: "rally", expected: "no such car file or car name; no car files (*.json) found in /nonexistent")
        ) {
            try CarSpec.resolve("rally", searchDirectories: ["/nonexistent"])
        }
    }

    @Test func aNegativeMassNamesThePathValueAndRange() throws {
        let text = try Self.loadError(Self.setting(try Self.gt3Tree(), "chassis.massKg", to: -5))
        #expect(text == "FILE: chassis.massKg: -5: expected a number in 300...3000 (kg, with driver, without fuel)")
        let fraction = try Self.loadError(Self.setting(try Self.gt3Tree(), "tyre.lateral.D", to: 4.5))
        #expect(fraction == "FILE: tyre.lateral.D: 4.5: expected a number in 0.1...3 (peak friction coefficient)")
    }

    @Test func anUnknownKeyIsRejectedWithItsPath() throws {
        let misspelt = Self.setting(try Self.gt3Tree(), "chassis.massKG", to: 1300)
        #expect(try Self.loadError(misspelt) == """
            FILE: chassis.massKG: unknown key; expected one of cogHeightM, cogToFrontAxleM, massKg, overallLengthM, \
            overallWidthM, trackWidthM, wheelbaseM, yawInertiaKgM2 in chassis
            """)
        let topLevel = Self.setting(try Self.gt3Tree(), "colour", to: "red")
        #expect(try Self.loadError(topLevel) == """
            FILE: colour: unknown key; expected one of aero, brakes, chassis, description, format, name, powertrain, \
            sources, steering, tyre at the top level
            """)
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let missingComma = """
            {
              "format": "rival.car/1",
              "name": "Broken"
              "description": "no comma on the line above"
            }
            """
        #expect(try Self.loadError(text: missingComma)
            == "FILE: line 4, column 3: '\"': expected ',' or '}' after an object member")
        let trailingComma = "{\n  \"sources\": [\"a\", \"b\",],\n}"
        #expect(try Self.loadError(text: trailingComma)
            == "FILE: line 2, column 24: ']': expected a value (a trailing comma is not allowed)")
        #expect(try Self.loadError(text: "{\"a\": 1,\n}") == "FILE: line 2, column 1: '}': expected a quoted key (a trailing comma is not allowed)")
        #expect(try Self.loadError(text: "{\"a\": tru}") == "FILE: line 1, column 10: '}': expected true")
        #expect(try Self.loadError(text: "{\"a\": \"open") == "FILE: line 1, column 12: end of file: expected the closing quote of the string")
        #expect(try Self.loadError(text: "{\"a\": 1e400}") == "FILE: line 1, column 7: 1e400: expected a number a Double can hold")
        #expect(try Self.loadError(text: "{\"a\": 1, \"a\": 2}") == "FILE: line 1, column 10: a: duplicate key in this object")
        #expect(try Self.loadError(text: "{} {}") == "FILE: line 1, column 4: '{': expected the end of the file after the top-level value")
        #expect(try Self.loadError(text: "[1, 2]") == "FILE: [...]: expected a JSON object at the top level")
        #expect(try Self.loadError(text: " \n ") == "FILE: the file is empty; expected a rival.car/1 JSON object")
    }

    @Test func aWrongTypeNamesThePathAndTheValueFound() throws {
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "chassis.massKg", to: "heavy"))
            == "FILE: chassis.massKg: \"heavy\": expected a number in 300...3000 (kg, with driver, without fuel)")
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "aero.frontFraction", to: true))
            == "FILE: aero.frontFraction: true: expected a number in 0...1 (fraction of downforce at the front)")
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "steering", to: 0.4))
            == "FILE: steering: 0.4: expected an object")
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "sources", to: [1]))
            == "FILE: sources[0]: 1: expected a string")
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "name", to: NSNull()))
            == "FILE: name: null: expected a string")
    }

    @Test func aMissingKeyNamesItsPathAndWhatBelongsThere() throws {
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "chassis.cogHeightM", to: nil))
            == "FILE: chassis.cogHeightM: missing: expected a number in 0.1...1 (m)")
        #expect(try Self.loadError(Self.setting(try Self.gt3Tree(), "brakes", to: nil))
            == "FILE: brakes: missing: expected an object")
    }

    @Test func textsAndDimensionsAreChecked() throws {
        let tree = try Self.gt3Tree()
        #expect(try Self.loadError(Self.setting(tree, "format", to: "rival.car/2"))
            == "FILE: format: \"rival.car/2\": expected \"rival.car/1\"")
        #expect(try Self.loadError(Self.setting(tree, "name", to: " ")) == "FILE: name: \" \": expected a non-empty name")
        #expect(try Self.loadError(Self.setting(tree, "sources", to: [String]()))
            == "FILE: sources: []: expected at least one citation")
        #expect(try Self.loadError(Self.setting(tree, "chassis.cogToFrontAxleM", to: 2.5))
            == "FILE: chassis.cogToFrontAxleM: 2.5: expected at most chassis.wheelbaseM - 0.2 = 2.4 (m)")
        #expect(try Self.loadError(Self.setting(tree, "chassis.trackWidthM", to: 2.1))
            == "FILE: chassis.trackWidthM: 2.1: expected at most chassis.overallWidthM = 2.04 (m)")
        #expect(try Self.loadError(Self.setting(tree, "chassis.overallLengthM", to: 2.55))
            == "FILE: chassis.overallLengthM: 2.55: expected at least chassis.wheelbaseM = 2.6 (m)")
        #expect(throws: LoadError(file: "/nonexistent/car.json", expected: "cannot read the file (missing or not readable)")) {
            try CarSpec.load(path: "/nonexistent/car.json")
        }
    }

    /// Every number in a car file has a range: setting any one far out of range fails with that field's path.
    @Test func everyNumericFieldIsRangeChecked() throws {
        let tree = try Self.gt3Tree()
        var paths: [String] = []
        func collect(_ node: [String: Any], prefix: String) {
            for (key, value) in node {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let child = value as? [String: Any] {
                    collect(child, prefix: path)
                } else if value is NSNumber {
                    paths.append(path)
                }
            }
        }
        collect(tree, prefix: "")
        #expect(paths.count == 33)
        for path in paths.sorted() {
            for bad in [-1e9, 1e9] {
                let text = try Self.loadError(Self.setting(tree, path, to: bad))
                let value = bad < 0 ? "-1000000000" : "1000000000"
                #expect(text.hasPrefix("FILE: \(path): \(value): expected "), "\(path): \(text)")
            }
        }
    }

    @Test func aSpecBuiltInCodeValidatesLikeAFile() throws {
        var spec = try Support.spec("cup")
        try spec.validate(file: "<code>")
        spec.powertrain.powerW = .nan
        #expect(throws: LoadError(
            file: "<code>", location: "powertrain.powerW", value: "nan",
            expected: "expected a number in 10000...2000000 (W)")
        ) {
            try spec.validate(file: "<code>")
        }
    }
}
