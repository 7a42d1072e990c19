/// Reader for the circuit CSV format `x_m,y_m,w_tr_right_m,w_tr_left_m` (TUMFTM racetrack-database).
///
/// One point per row, four comma-separated numbers in metres: x, y, width to the right limit, width to the left
/// limit. Accepted: a header line with or without a leading `#` (or none), other lines starting with `#`
/// (comments), blank lines, CRLF or LF line ends, spaces around values, a UTF-8 byte-order mark.
enum TrackCSV {
    /// The points and the 1-based line number each came from.
    struct Rows {
        var points: [TrackPoint] = []
        var lines: [Int] = []
    }

    /// Parses `text`; every error names `file` and the 1-based line (and column for a bad value).
    static func parse(_ text: String, file: String) throws(LoadError) -> Rows {
        let names = TrackBuilder.columnNames
        var rows = Rows()
        var lineNumber = 0
        var seenContent = false
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = trimmed(rawLine)
            if line.isEmpty { continue }
            defer { seenContent = true }
            if line.first == "#" { continue }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
            while fields.count > names.count, fields.last?.isEmpty == true { fields.removeLast() }
            // A header without '#': the first line with content, in which no field is a number.
            if !seenContent, fields.allSatisfy({ Double(String($0)) == nil }) { continue }
            guard fields.count == names.count else {
                throw LoadError(
                    file: file, location: "line \(lineNumber)",
                    expected: "expected \(names.count) columns \(names.joined(separator: ",")), found \(fields.count)")
            }
            var values = [Double](repeating: 0, count: names.count)
            for (c, field) in fields.enumerated() {
                let location = "line \(lineNumber), column \(c + 1) (\(names[c]))"
                guard let v = Double(String(field)) else {
                    throw LoadError(
                        file: file, location: location, value: field.isEmpty ? "empty" : "'\(field)'",
                        expected: "expected a number in metres")
                }
                guard v.isFinite else {
                    throw LoadError(file: file, location: location, value: String(field), expected: "expected a finite number in metres")
                }
                if c >= 2, !(v > 0) {
                    throw LoadError(file: file, location: location, value: String(field), expected: "expected a width above 0 m")
                }
                values[c] = v
            }
            rows.points.append(TrackPoint(x: values[0], y: values[1], widthRight: values[2], widthLeft: values[3]))
            rows.lines.append(lineNumber)
        }
        if !seenContent {
            throw LoadError(
                file: file, value: "empty file",
                expected: "expected at least \(TrackBuilder.minimumPoints) rows \(names.joined(separator: ","))")
        }
        return rows
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let c = t.first, c.isWhitespace { t.removeFirst() }
        while let c = t.last, c.isWhitespace { t.removeLast() }
        return t
    }
}
