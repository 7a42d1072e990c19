import Foundation
import GSL
import Sim

/// The lap times a persona is fitted to: real laps from a CSV file, or a summary (mean, spread, optional skewness)
/// turned into a distribution. Seconds.
public struct LapTarget: Sendable, Equatable {
    /// The laps (s), in file order, every one finite and plausible.
    public var laps: [Double]
    /// Values dropped because they were empty or not finite (NaN, inf, a blank cell).
    public var droppedNonFinite: Int
    /// Where the laps came from, for reports (`laps.csv, column lap_time_s`).
    public var source: String

    /// The fewest laps a target may have.
    public static let minimumLaps = 10
    /// Plausible lap times (s): anything outside is rejected as an error in the data.
    public static let plausible: ClosedRange<Double> = 5...3600

    public init(laps: [Double], droppedNonFinite: Int = 0, source: String) {
        self.laps = laps
        self.droppedNonFinite = droppedNonFinite
        self.source = source
    }

    /// A lap time written as seconds (`112.345`) or as `m:ss.sss` (`1:52.345`); nil when it is neither. A blank
    /// or `nan` gives NaN (a missing value, dropped and counted by the loader).
    public static func parseTime(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if t.isEmpty || t.lowercased() == "nan" || t.lowercased() == "na" { return .nan }
        if let colon = t.firstIndex(of: ":") {
            guard let minutes = Int(t[..<colon]), minutes >= 0,
                  let seconds = Double(t[t.index(after: colon)...]), seconds >= 0, seconds < 60 else { return nil }
            return Double(minutes) * 60 + seconds
        }
        return Double(t)
    }

    /// Reads a CSV of laps: the column named `lap_time_s` (any case), else `lap_time`, else the first column whose
    /// values are all lap times (seconds or `m:ss.sss`). Blank and non-finite values are dropped and counted.
    ///
    /// - Throws: ``LoadError`` naming the file and the line for an unreadable or empty file, no usable column, a
    ///   value that is not a time, a time outside ``plausible`` (negative, zero, absurd), or fewer than
    ///   ``minimumLaps`` laps.
    public static func load(csv path: String) throws(LoadError) -> LapTarget {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, expected: "cannot read the file (missing or not readable)")
        }
        return try parse(csv: String(decoding: data, as: UTF8.self), file: path)
    }

    /// ``load(csv:)`` on text in memory; `file` names it in errors.
    public static func parse(csv text: String, file: String) throws(LoadError) -> LapTarget {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let rows = lines.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = rows.first else {
            throw LoadError(file: file, expected: "the file is empty; expected a header line and one lap per line")
        }
        let names = header.element.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let body = Array(rows.dropFirst())
        guard !body.isEmpty else {
            throw LoadError(file: file, location: "line \(header.offset + 1)",
                            expected: "only a header; expected at least \(minimumLaps) laps below it")
        }
        func cell(_ row: (offset: Int, element: String), _ column: Int) -> String {
            let cells = row.element.split(separator: ",", omittingEmptySubsequences: false)
            return column < cells.count ? String(cells[column]) : ""
        }
        // The column: by name, else the first whose every value parses as a time and is plausible.
        var column = names.firstIndex { $0.lowercased() == "lap_time_s" } ?? names.firstIndex { $0.lowercased() == "lap_time" }
        if column == nil {
            column = names.indices.first { c in
                body.allSatisfy { row in
                    guard let v = parseTime(cell(row, c)) else { return false }
                    return v.isNaN || plausible.contains(v)
                } && body.contains { row in parseTime(cell(row, c)).map { $0.isFinite } ?? false }
            }
        }
        guard let c = column else {
            throw LoadError(file: file, location: "line \(header.offset + 1)", value: header.element,
                            expected: "no lap-time column: expected a column named lap_time_s (seconds) or lap_time, "
                                + "or a column of lap times in seconds or m:ss.sss")
        }
        var laps: [Double] = []
        var dropped = 0
        for row in body {
            let text = cell(row, c)
            guard let value = parseTime(text) else {
                throw LoadError(file: file, location: "line \(row.offset + 1), column \(names[c])", value: text,
                                expected: "expected a lap time in seconds or m:ss.sss")
            }
            guard value.isFinite else {
                dropped += 1
                continue
            }
            guard plausible.contains(value) else {
                throw LoadError(file: file, location: "line \(row.offset + 1), column \(names[c])", value: text,
                                expected: "expected a lap time in \(Int(plausible.lowerBound))...\(Int(plausible.upperBound)) s")
            }
            laps.append(value)
        }
        guard laps.count >= minimumLaps else {
            throw LoadError(file: file, value: "\(laps.count) laps",
                            expected: "expected at least \(minimumLaps) laps in column \(names[c])"
                                + (dropped > 0 ? " (\(dropped) blank or non-finite values dropped)" : ""))
        }
        return LapTarget(laps: laps, droppedNonFinite: dropped, source: "\(file), column \(names[c])")
    }

    /// A target given as a summary: `mean` and `sd` (s), and optionally a positive `skewness` (a shifted gamma
    /// with that skewness; otherwise a normal), as `count` evenly spaced quantiles of that distribution, estimated
    /// from a fixed-seed sample (the same summary always gives the same target).
    ///
    /// - Throws: ``LoadError`` (file `--target-mean`, ...) for a mean outside ``plausible``, an sd that is not
    ///   positive or above 20 % of the mean, or a skewness outside 0...5.
    public static func summary(mean: Double, sd: Double, skewness: Double? = nil, count: Int = 1000) throws(LoadError) -> LapTarget {
        guard mean.isFinite, plausible.contains(mean) else {
            throw LoadError(file: "--target-mean", value: "\(mean)", expected: "expected a mean lap time in 5...3600 s")
        }
        guard sd.isFinite, sd > 0, sd <= 0.2 * mean else {
            throw LoadError(file: "--target-sd", value: "\(sd)", expected: "expected a spread above 0 and at most 20 % of the mean")
        }
        let distribution: Distribution
        if let g = skewness, g != 0 {
            guard g.isFinite, g > 0, g <= 5 else {
                throw LoadError(file: "--target-skewness", value: "\(g)", expected: "expected a skewness in 0...5 (lap times are right-skewed)")
            }
            let shape = 4 / (g * g), scale = sd / shape.squareRoot()
            distribution = .gamma(shape: shape, scale: scale)
            let shift = mean - shape * scale
            let draws = sortedDraws(distribution, n: 20 * count).map { $0 + shift }
            return LapTarget(laps: quantiles(draws, count: count), source: String(
                format: "summary: mean %.3f s, sd %.3f s, skewness %.2f (shifted gamma)", mean, sd, g))
        }
        distribution = .normal(mean: mean, sd: sd)
        return LapTarget(laps: quantiles(sortedDraws(distribution, n: 20 * count), count: count),
                         source: String(format: "summary: mean %.3f s, sd %.3f s (normal)", mean, sd))
    }

    /// A target given as percentiles of the lap time: `points` as (percent in 0 < p < 100, lap time in s), at
    /// least 3, increasing in both. Turned into `count` quantiles by straight lines between the points, continued
    /// past the outer ones with the slope of the nearest segment.
    ///
    /// - Throws: ``LoadError`` (file `--target-percentiles`) for fewer than 3 points, a percent outside 0 < p < 100,
    ///   a time outside ``plausible``, or points that do not increase.
    public static func percentiles(_ points: [(percent: Double, time: Double)], count: Int = 1000) throws(LoadError) -> LapTarget {
        let flag = "--target-percentiles"
        guard points.count >= 3 else {
            throw LoadError(file: flag, value: "\(points.count) points", expected: "expected at least 3 percent:seconds points, such as 10:112.1,50:112.8,90:114.0")
        }
        for (p, t) in points {
            guard p > 0 && p < 100 else { throw LoadError(file: flag, value: "\(p)", expected: "expected a percent above 0 and below 100") }
            guard t.isFinite, plausible.contains(t) else { throw LoadError(file: flag, value: "\(t)", expected: "expected a lap time in 5...3600 s") }
        }
        for k in 1..<points.count where !(points[k].percent > points[k - 1].percent && points[k].time > points[k - 1].time) {
            throw LoadError(file: flag, value: "\(points[k].percent):\(points[k].time)",
                            expected: "expected percents and times that both increase from point to point")
        }
        let u = points.map { $0.percent / 100 }, t = points.map(\.time)
        func quantile(_ x: Double) -> Double {
            var k = 0
            while k < u.count - 2 && x > u[k + 1] { k += 1 }
            let slope = (t[k + 1] - t[k]) / (u[k + 1] - u[k])
            return max(t[k] + slope * (x - u[k]), plausible.lowerBound)
        }
        let laps = (0..<count).map { quantile((Double($0) + 0.5) / Double(count)) }
        return LapTarget(laps: laps, source: "percentiles " + points.map { "\(Int($0.percent)) %: \($0.time) s" }.joined(separator: ", "))
    }

    private static func sortedDraws(_ d: Distribution, n: Int) -> [Double] {
        let stream = GSLRandomStream(seed: 20_261_202)
        return (0..<n).map { _ in d.sample(stream) }.sorted()
    }

    private static func quantiles(_ sorted: [Double], count: Int) -> [Double] {
        (0..<count).map { k in sorted[min(Int((Double(k) + 0.5) / Double(count) * Double(sorted.count)), sorted.count - 1)] }
    }
}
