import Foundation
import Testing
@testable import Sim

/// Every way a circuit file can be wrong gives a `LoadError` that names the file, the line and what was expected.
@Suite final class TrackLoadingErrorTests {
    let directory: String

    init() throws { directory = try TrackTestSupport.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `text` as `name` in the temporary directory and returns the error loading it raises.
    func loadError(_ name: String, _ text: String) throws -> LoadError {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let track = try Track.load(path: path)
            Issue.record("\(name) loaded (\(track.count) points) but should have failed")
            return LoadError(file: "", expected: "")
        } catch {
            #expect(error.file == path)
            return error
        }
    }

    /// A valid circle file's rows (header on line 1, points on lines 2...), as text lines.
    static func circleRows(_ n: Int = 63) -> [String] {
        TrackTestSupport.circle(radius: 50, n: n).map { "\($0.x),\($0.y),\($0.widthRight),\($0.widthLeft)" }
    }
    static let header = "# x_m,y_m,w_tr_right_m,w_tr_left_m"

    static func file(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    @Test func missingFile() {
        let path = directory + "/Nowhere.csv"
        #expect(throws: LoadError(file: path, expected: "file not found")) { try Track.load(path: path) }
    }

    @Test func emptyFile() throws {
        for text in ["", "\n\n   \r\n"] {
            let e = try loadError("Empty.csv", text)
            #expect(e.description == "\(directory)/Empty.csv: empty file: expected at least 10 rows x_m,y_m,w_tr_right_m,w_tr_left_m")
        }
        let headerOnly = try loadError("HeaderOnly.csv", Self.header + "\n")
        #expect(headerOnly.description.hasSuffix("HeaderOnly.csv: expected at least 10 points (rows x_m,y_m,w_tr_right_m,w_tr_left_m), found 0"))
    }

    @Test func rowWithTooFewColumns() throws {
        var rows = Self.circleRows()
        rows[10] = "1.5,2.5,3.5"  // line 12
        let e = try loadError("Short.csv", Self.file(rows))
        #expect(e.description == "\(directory)/Short.csv: line 12: expected 4 columns x_m,y_m,w_tr_right_m,w_tr_left_m, found 3")
        rows[10] = "1.5,2.5,3.5,4,5"
        let five = try loadError("Long.csv", Self.file(rows))
        #expect(five.description.hasSuffix("Long.csv: line 12: expected 4 columns x_m,y_m,w_tr_right_m,w_tr_left_m, found 5"))
    }

    @Test func nonNumericAndNonFiniteValues() throws {
        var rows = Self.circleRows()
        rows[3] = "1.0,abc,3,3"  // line 5
        #expect(try loadError("Text.csv", Self.file(rows)).description
            == "\(directory)/Text.csv: line 5, column 2 (y_m): 'abc': expected a number in metres")
        rows = Self.circleRows()
        rows[5] = "nan,1,3,3"  // line 7
        #expect(try loadError("NaN.csv", Self.file(rows)).description
            == "\(directory)/NaN.csv: line 7, column 1 (x_m): nan: expected a finite number in metres")
        rows = Self.circleRows()
        rows[6] = "1,2,inf,3"  // line 8
        #expect(try loadError("Inf.csv", Self.file(rows)).description
            == "\(directory)/Inf.csv: line 8, column 3 (w_tr_right_m): inf: expected a finite number in metres")
        rows = Self.circleRows()
        rows[7] = "1,2,3,"  // line 9
        #expect(try loadError("Blank.csv", Self.file(rows)).description
            == "\(directory)/Blank.csv: line 9, column 4 (w_tr_left_m): empty: expected a number in metres")
    }

    @Test func fewerThanTenPoints() throws {
        let e = try loadError("Seven.csv", Self.file(Array(Self.circleRows(7))))
        #expect(e.description == "\(directory)/Seven.csv: expected at least 10 points (rows x_m,y_m,w_tr_right_m,w_tr_left_m), found 7")
        // Duplicates do not count.
        let rows = Self.circleRows(9)
        let d = try loadError("Nine.csv", Self.file(rows + [rows[8]] + [rows[0]]))
        #expect(d.description.hasSuffix("Nine.csv: expected at least 10 distinct points (rows x_m,y_m,w_tr_right_m,w_tr_left_m), found 9"))
    }

    @Test func zeroOrNegativeWidth() throws {
        var rows = Self.circleRows()
        rows[2] = "50,10,3,0"  // line 4
        #expect(try loadError("Zero.csv", Self.file(rows)).description
            == "\(directory)/Zero.csv: line 4, column 4 (w_tr_left_m): 0: expected a width above 0 m")
        rows = Self.circleRows()
        rows[40] = "50,10,-2.5,3"  // line 42
        #expect(try loadError("Negative.csv", Self.file(rows)).description
            == "\(directory)/Negative.csv: line 42, column 3 (w_tr_right_m): -2.5: expected a width above 0 m")
    }

    @Test func openLoopIsNotACircuit() throws {
        // Half a circle of radius 100 m, 5 m apart: the last point is 200 m from the first.
        let rows = (0...62).map { k -> String in
            let a = Double.pi * Double(k) / 62
            return "\(100 * cos(a)),\(100 * sin(a)),5,5"
        }
        let e = try loadError("Open.csv", Self.file(rows))
        #expect(e.location == "line 64")
        #expect(e.description.hasPrefix("\(directory)/Open.csv: line 64: gap of 200 m back to the first point (line 2): expected a closed circuit"))
        #expect(e.description.contains("10x the median spacing (5.067 m)"))
    }

    @Test func pointsThatFoldBackAreRejected() throws {
        var rows = Self.circleRows()
        let p = TrackTestSupport.circle(radius: 50, n: 63)
        // Point 30 (line 32) goes back halfway towards point 28: the line folds back on itself.
        rows[30] = "\(p[29].x + 0.5 * (p[28].x - p[29].x)),\(p[29].y + 0.5 * (p[28].y - p[29].y)),5,5"
        let e = try loadError("Fold.csv", Self.file(rows))
        #expect(e.location.hasPrefix("line 32 (near s = "))
        #expect(e.description.contains("1/m: expected at most 2 1/m (a radius of at least 0.5 m): the points cross or fold back here"))
        // Two points swapped make a zig-zag that crosses itself.
        rows = Self.circleRows()
        rows.swapAt(20, 21)
        let z = try loadError("ZigZag.csv", Self.file(rows))
        #expect(z.location.hasPrefix("line 2"))  // line 22 or 23
        #expect(z.description.contains("the points cross or fold back here"))
    }

    @Test func tolerantFormatting() throws {
        let rows = Self.circleRows()
        let reference = try Track(name: "x", points: TrackTestSupport.circle(radius: 50, n: 63))
        let variants = [
            "Plain.csv": Self.file(rows),
            "NoHash.csv": "x_m,y_m,w_tr_right_m,w_tr_left_m\n" + rows.joined(separator: "\n"),
            "NoHeader.csv": rows.joined(separator: "\n"),
            "CRLF.csv": ([Self.header] + rows).joined(separator: "\r\n") + "\r\n",
            "Spaces.csv": "\n\n" + Self.header + "\n\n" + rows.map { " " + $0.replacingOccurrences(of: ",", with: " , ") + "  " }
                .joined(separator: "\n\n") + "\n\n\n",
            "Closed.csv": Self.file(rows + [rows[0]]),
        ]
        for (name, text) in variants {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let track = try Track.load(path: path)
            #expect(track.name == String(name.dropLast(4)))
            #expect(track.source == path)
            #expect(track.x == reference.x && track.widthLeft == reference.widthLeft, "\(name)")
        }
    }

    @Test func inMemoryErrorsNameThePoint() {
        let few = Array(TrackTestSupport.circle(radius: 50, n: 63).prefix(8))
        #expect(throws: LoadError(file: "<points>", expected: "expected at least 10 points (rows x_m,y_m,w_tr_right_m,w_tr_left_m), found 8")) {
            try Track(name: "few", points: few)
        }
        var points = TrackTestSupport.circle(radius: 50, n: 63)
        points[3].x = .infinity
        #expect(throws: LoadError(file: "<points>", location: "point 3, column 1 (x_m)", value: "inf", expected: "expected a finite number in metres")) {
            try Track(name: "inf", points: points)
        }
        #expect(throws: LoadError(file: "<points>", location: "runoffWidth", value: "-1.0", expected: "expected a finite width >= 0 m")) {
            try Track(name: "c", points: TrackTestSupport.circle(radius: 50, n: 63), runoffWidth: -1)
        }
    }
}
