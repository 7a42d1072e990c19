import Foundation
@testable import Sim

/// Shared helpers for the racing-line tests.
enum RacingLineTestSupport {
    /// The TUM reference line of a shipped circuit: its points in order (m).
    static func referencePoints(_ name: String) throws -> [(x: Double, y: Double)] {
        let path = TrackTestSupport.tracksDirectory + "/reference-racelines/\(name).csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).compactMap { line -> (Double, Double)? in
            if line.hasPrefix("#") { return nil }
            let fields = line.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return fields.count == 2 ? (fields[0], fields[1]) : nil
        }
    }

    /// The reference line in track coordinates: each point projected onto the track, walking along from the
    /// previous point's arc length.
    static func referenceFrenet(_ track: Track, _ points: [(x: Double, y: Double)]) -> [FrenetPoint] {
        var result: [FrenetPoint] = []
        var s = track.projectGlobal(x: points[0].x, y: points[0].y).s
        for p in points {
            let f = track.project(x: p.x, y: p.y, near: s)
            result.append(f)
            s = f.s
        }
        return result
    }

    /// Our line's offset at arc length `s` (m), linearly interpolated between samples.
    static func offset(_ line: RacingLine, at s: Double) -> Double { line.offset(at: s) }

    /// The bounds of the offset at every sample for `margin` (m), collapsed to the middle where the track is
    /// narrower than twice the margin.
    static func bounds(_ track: Track, margin: Double) -> (lower: [Double], upper: [Double]) {
        var lower: [Double] = [], upper: [Double] = []
        for i in 0..<track.count {
            let lo = -(track.widthRight[i] - margin), hi = track.widthLeft[i] - margin
            let middle = 0.5 * (track.widthLeft[i] - track.widthRight[i])
            lower.append(lo <= hi ? lo : middle)
            upper.append(lo <= hi ? hi : middle)
        }
        return (lower, upper)
    }

    /// The integral of the squared curvature (1/m) and the length (m) of the closed curve through the points,
    /// from periodic cubic splines parametrised by chord length.
    static func bendingEnergy(x: [Double], y: [Double]) -> (energy: Double, length: Double) {
        var knots = [0.0]
        for i in x.indices {
            let j = (i + 1) % x.count
            knots.append(knots[i] + hypot(x[j] - x[i], y[j] - y[i]))
        }
        let curvature = RacingLine.splineGeometry(x: x, y: y, knots: knots).curvature
        var energy = 0.0
        for i in x.indices {
            let j = (i + 1) % x.count
            energy += 0.5 * (curvature[i] * curvature[i] + curvature[j] * curvature[j]) * (knots[i + 1] - knots[i])
        }
        return (energy, knots[x.count])
    }

    /// Mean and max |lateral difference| between our line and the reference (m), and the reference's smallest
    /// distance to a track limit (m).
    static func compare(_ track: Track, _ line: RacingLine, reference: [FrenetPoint])
        -> (mean: Double, max: Double, referenceMargin: Double)
    {
        var sum = 0.0, worst = 0.0, margin = Double.infinity
        for f in reference {
            let d = abs(f.lateral - offset(line, at: f.s))
            sum += d
            worst = max(worst, d)
            let e = track.edgeDistances(s: f.s, lateral: f.lateral)
            margin = min(margin, e.left, e.right)
        }
        return (sum / Double(reference.count), worst, margin)
    }
}

extension RacingLineTestSupport {
    /// A rounded rectangle driven counter-clockwise: straights of `long` m (along x) and `short` m (along y; 0 gives
    /// a stadium with semicircular ends) joined by quarter circles of `radius` m, starting at the middle of the
    /// bottom straight; points about `step` m apart with `width` m to each side, or `widths(s)` at centreline
    /// position s. Returns the points and the arc length at the middle of each corner.
    static func roundedRectangle(
        long: Double, short: Double, radius: Double, step: Double = 2, width: Double = 6,
        widths: ((Double) -> (left: Double, right: Double))? = nil
    ) -> (points: [TrackPoint], cornerMiddles: [Double]) {
        let quarter = 0.5 * Double.pi * radius
        // Pieces: half straight, then corner, straight, corner, ... ending with the other half straight.
        let lengths = [0.5 * long, quarter, short, quarter, long, quarter, short, quarter, 0.5 * long]
        let total = lengths.reduce(0, +)
        let n = Int((total / step).rounded())
        var cornerMiddles: [Double] = []
        var start = 0.0
        for (k, piece) in lengths.enumerated() {
            if k % 2 == 1 { cornerMiddles.append(start + 0.5 * piece) }
            start += piece
        }
        let points = (0..<n).map { index -> TrackPoint in
            var s = total * Double(index) / Double(n)
            var x = 0.0, y = -0.5 * short - radius, heading = 0.0
            for (k, piece) in lengths.enumerated() {
                let u = min(s, piece)
                if k % 2 == 0 {
                    x += u * cos(heading)
                    y += u * sin(heading)
                } else {
                    // Turning left by u / radius around the centre on the left.
                    let cx = x - radius * sin(heading), cy = y + radius * cos(heading)
                    let a = heading - 0.5 * Double.pi + u / radius
                    x = cx + radius * cos(a)
                    y = cy + radius * sin(a)
                    if u == piece { heading += 0.5 * Double.pi }
                }
                s -= u
                if s <= 0 { break }
            }
            let w = widths?(total * Double(index) / Double(n)) ?? (left: width, right: width)
            return TrackPoint(x: x, y: y, widthRight: w.right, widthLeft: w.left)
        }
        return (points, cornerMiddles)
    }
}
