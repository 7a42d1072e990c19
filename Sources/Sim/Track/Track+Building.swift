import Foundation
import GSL

/// The resampled arrays of a circuit, computed from validated points and ready to be stored in a `Track`.
struct TrackGeometry {
    var length: Double
    var x: [Double]
    var y: [Double]
    var heading: [Double]
    var curvature: [Double]
    var widthLeft: [Double]
    var widthRight: [Double]
    var turningAngle: Double
}

/// Validates raw centreline points and turns them into `TrackGeometry`.
///
/// Steps: check every value; drop consecutive points closer than `duplicateTolerance` (and a last point that
/// repeats the first); require `minimumPoints` distinct points and a closing gap no larger than
/// `maximumClosingGapRatio` times the median spacing; reject a curvature above `maximumCurvature` on the raw
/// chord-length spline; smooth (`TrackSmoothing`); fit periodic cubic splines by chord length, re-parametrise
/// once by the spline's own arc length (Gauss-Legendre quadrature per interval), refit, check the curvature
/// again, and sample every `length / count` metres.
enum TrackBuilder {
    /// Fewest distinct points accepted.
    static let minimumPoints = 10
    /// Consecutive points closer than this (m) are duplicates and are dropped.
    static let duplicateTolerance = 1e-3
    /// A closing gap above this multiple of the median point spacing means the data is not a closed loop.
    static let maximumClosingGapRatio = 10.0
    /// Curvature magnitude above this (1/m, a radius under 0.5 m) means the points cross or fold back.
    static let maximumCurvature = 2.0
    /// Target spacing of the resampled points (m).
    static let targetSpacing = 1.0
    /// Arc-length re-parametrisation passes after the chord-length fit.
    static let refinementPasses = 1
    /// Column names of the CSV format, for messages.
    static let columnNames = ["x_m", "y_m", "w_tr_right_m", "w_tr_left_m"]

    /// Builds the geometry. `locations[i]` names where `points[i]` came from (`line 12`, `point 3`) for messages;
    /// `file` is the label every error carries.
    static func build(
        points raw: [TrackPoint], locations: [String], file: String, smoothingPasses: Int
    ) throws(LoadError) -> TrackGeometry {
        precondition(raw.count == locations.count)
        try checkValues(raw, locations: locations, file: file)
        let kept = distinctIndices(raw)
        guard kept.count >= minimumPoints else {
            let distinct = kept.count == raw.count ? "" : " distinct"
            throw LoadError(
                file: file,
                expected: "expected at least \(minimumPoints)\(distinct) points (rows \(columnNames.joined(separator: ","))), found \(kept.count)")
        }
        var points = kept.map { raw[$0] }
        let keptLocations = kept.map { locations[$0] }
        try checkClosed(points, locations: keptLocations, file: file)
        let n = points.count
        // The raw data must not fold back: smoothing could hide a fold, so check before smoothing too.
        let rawKnots = chordKnots(points)
        try checkCurvature(
            try CentrelineSplines(points: points, knots: rawKnots, file: file), locations: keptLocations, file: file)
        TrackSmoothing.smooth(&points, passes: smoothingPasses)
        var knots = chordKnots(points)
        var splines = try CentrelineSplines(points: points, knots: knots, file: file)
        for _ in 0..<refinementPasses {
            knots = splines.arcLengthKnots()
            splines = try CentrelineSplines(points: points, knots: knots, file: file)
        }
        try checkCurvature(splines, locations: keptLocations, file: file)

        let length = knots[n]
        let count = max(minimumPoints, Int((length / targetSpacing).rounded()))
        let spacing = length / Double(count)
        var g = TrackGeometry(
            length: length, x: [], y: [], heading: [], curvature: [], widthLeft: [], widthRight: [], turningAngle: 0)
        for array in [\TrackGeometry.x, \.y, \.heading, \.curvature, \.widthLeft, \.widthRight] {
            g[keyPath: array].reserveCapacity(count)
        }
        for i in 0..<count {
            let s = Double(i) * spacing
            let d = splines.derivatives(at: s)
            let raw = atan2(d.dy, d.dx)
            let h = i == 0 ? raw : g.heading[i - 1] + remainder(raw - g.heading[i - 1], 2 * Double.pi)
            g.x.append(splines.x.value(at: s))
            g.y.append(splines.y.value(at: s))
            g.heading.append(h)
            g.curvature.append(d.curvature)
            g.widthRight.append(splines.widthRight.value(at: s))
            g.widthLeft.append(splines.widthLeft.value(at: s))
        }
        let last = g.heading[count - 1]
        g.turningAngle = last + remainder(g.heading[0] - last, 2 * Double.pi) - g.heading[0]

        for i in 0..<count where !(g.widthLeft[i] > 0 && g.widthRight[i] > 0) {
            let k = nearestKnot(knots, s: Double(i) * spacing) % n
            throw LoadError(
                file: file, location: keptLocations[k],
                value: "width \(format(min(g.widthLeft[i], g.widthRight[i]))) m after interpolation",
                expected: "expected widths above 0 m; the widths change too abruptly here")
        }
        return g
    }

    /// Cumulative chord lengths of the closed loop: n + 1 knots from 0 to the perimeter.
    private static func chordKnots(_ points: [TrackPoint]) -> [Double] {
        let n = points.count
        var knots = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { knots[i + 1] = knots[i] + distance(points[i], points[(i + 1) % n]) }
        return knots
    }

    /// Rejects a curvature above `maximumCurvature` anywhere on the splines (checked at every knot, where a cubic's
    /// curvature peaks, and inside each interval at most `probeSpacing` metres apart), naming the nearest point.
    private static func checkCurvature(
        _ splines: CentrelineSplines, locations: [String], file: String, probeSpacing: Double = 0.1
    ) throws(LoadError) {
        let knots = splines.knots
        var worst = (kappa: 0.0, s: 0.0)
        for k in 0..<(knots.count - 1) {
            let probes = max(4, Int(((knots[k + 1] - knots[k]) / probeSpacing).rounded(.up)))
            for q in 0..<probes {
                let s = knots[k] + (knots[k + 1] - knots[k]) * Double(q) / Double(probes)
                let kappa = abs(splines.derivatives(at: s).curvature)
                if !(kappa <= worst.kappa) { worst = (kappa.isNaN ? .infinity : kappa, s) }
            }
        }
        guard worst.kappa > maximumCurvature else { return }
        let k = nearestKnot(knots, s: worst.s) % locations.count
        throw LoadError(
            file: file, location: "\(locations[k]) (near s = \(Int(worst.s.rounded())) m)",
            value: "curvature \(format(worst.kappa)) 1/m",
            expected: "expected at most \(format(maximumCurvature)) 1/m (a radius of at least \(format(1 / maximumCurvature)) m): the points cross or fold back here")
    }

    /// Every coordinate finite, every width finite and above 0.
    private static func checkValues(_ points: [TrackPoint], locations: [String], file: String) throws(LoadError) {
        for (i, p) in points.enumerated() {
            let values = [p.x, p.y, p.widthRight, p.widthLeft]
            for (c, v) in values.enumerated() {
                let location = "\(locations[i]), column \(c + 1) (\(columnNames[c]))"
                guard v.isFinite else {
                    throw LoadError(file: file, location: location, value: "\(v)", expected: "expected a finite number in metres")
                }
                if c >= 2, !(v > 0) {
                    throw LoadError(file: file, location: location, value: format(v), expected: "expected a width above 0 m")
                }
            }
        }
    }

    /// Indices of the points left after dropping consecutive duplicates and a last point equal to the first.
    private static func distinctIndices(_ points: [TrackPoint]) -> [Int] {
        var kept: [Int] = []
        kept.reserveCapacity(points.count)
        for (i, p) in points.enumerated() {
            if let j = kept.last, distance(points[j], p) < duplicateTolerance { continue }
            kept.append(i)
        }
        while kept.count > 1, distance(points[kept[kept.count - 1]], points[kept[0]]) < duplicateTolerance {
            kept.removeLast()
        }
        return kept
    }

    /// The gap from the last point back to the first must look like any other segment.
    private static func checkClosed(_ points: [TrackPoint], locations: [String], file: String) throws(LoadError) {
        let n = points.count
        let segments = (0..<(n - 1)).map { distance(points[$0], points[$0 + 1]) }.sorted()
        let median = segments[segments.count / 2]
        let gap = distance(points[n - 1], points[0])
        if gap > maximumClosingGapRatio * median {
            throw LoadError(
                file: file, location: locations[n - 1], value: "gap of \(format(gap)) m back to the first point (\(locations[0]))",
                expected: "expected a closed circuit whose last point is within \(format(maximumClosingGapRatio))x the median spacing (\(format(median)) m) of the first")
        }
    }

    private static func distance(_ a: TrackPoint, _ b: TrackPoint) -> Double { hypot(b.x - a.x, b.y - a.y) }

    /// Index of the knot nearest to `s` (knots increasing).
    private static func nearestKnot(_ knots: [Double], s: Double) -> Int {
        var lo = 0, hi = knots.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if knots[mid] <= s { lo = mid } else { hi = mid }
        }
        return s - knots[lo] <= knots[hi] - s ? lo : hi
    }

    /// A number with at most 3 decimals, for messages.
    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : "\(r)"
    }
}

/// The four periodic splines x(s), y(s), w_right(s), w_left(s) through the points, closing the loop.
private struct CentrelineSplines {
    let x: PeriodicSpline
    let y: PeriodicSpline
    let widthRight: PeriodicSpline
    let widthLeft: PeriodicSpline
    let knots: [Double]

    init(points: [TrackPoint], knots: [Double], file: String) throws(LoadError) {
        func spline(_ values: [Double]) throws(LoadError) -> PeriodicSpline {
            do {
                return try PeriodicSpline(x: knots, y: values + [values[0]])
            } catch {
                throw LoadError(file: file, expected: "could not fit the centreline spline: \(error)")
            }
        }
        x = try spline(points.map(\.x))
        y = try spline(points.map(\.y))
        widthRight = try spline(points.map(\.widthRight))
        widthLeft = try spline(points.map(\.widthLeft))
        self.knots = knots
    }

    /// First and second derivatives of x and y with respect to the parameter, and the signed curvature.
    func derivatives(at s: Double) -> (dx: Double, dy: Double, curvature: Double) {
        let dx = x.derivative(at: s), dy = y.derivative(at: s)
        let ddx = x.secondDerivative(at: s), ddy = y.secondDerivative(at: s)
        let speed2 = dx * dx + dy * dy
        return (dx, dy, (dx * ddy - dy * ddx) / (speed2 * speed2.squareRoot()))
    }

    /// Knots at the cumulative arc length of this spline (5-point Gauss-Legendre on each interval).
    func arcLengthKnots() -> [Double] {
        let nodes = [0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640]
        let weights = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891]
        var result = [Double](repeating: 0, count: knots.count)
        for k in 0..<(knots.count - 1) {
            let a = knots[k], b = knots[k + 1], half = 0.5 * (b - a), mid = 0.5 * (a + b)
            var sum = 0.0
            for q in 0..<5 {
                let t = mid + half * nodes[q]
                sum += weights[q] * hypot(x.derivative(at: t), y.derivative(at: t))
            }
            result[k + 1] = result[k] + half * sum
        }
        return result
    }
}
