import Foundation
import GSL

/// A minimum-curvature racing line on a `Track`: the path around the lap, inside the track limits less a margin,
/// whose summed squared curvature is smallest (the classic geometric racing line: it straightens the corners
/// by using the whole width, outside-inside-outside).
///
/// The line is stored as a lateral offset from the centreline at every track sample (s = i * `Track.spacing`,
/// i in 0..<`count`), with the derived geometry of the line at the same samples. Build one with
/// `init(track:parameters:)`; it is immutable and `Sendable`, so a race computes it once
/// (see `RacingLineCache`) and shares it between cars.
///
/// Method (Heilmeier et al. 2019, "Minimum curvature trajectory planning and control for an autonomous race
/// car", Vehicle System Dynamics 58(10)): minimise the sum of squared curvatures over the offsets, subject to
/// -(widthRight - margin) <= offset <= widthLeft - margin, with the curvature linearised around the current line
/// and re-linearised until the line stops moving. First on nodes about `Parameters.nodeSpacing` apart (bounds
/// taken as the tightest over each node's neighbourhood), then, from that line splined to every track sample, once
/// more at the track's full resolution so that the bounds hold at every sample. Curvature, heading and distance
/// are then recomputed from the final points through periodic cubic splines.
///
/// Edges: where the track is narrower than twice the margin, both bounds collapse to the middle of the track
/// there ((widthLeft - widthRight) / 2), so the line is never infeasible; it simply runs down the middle.
/// The result is deterministic (no randomness, a fixed order of operations).
public struct RacingLine: Sendable {
    /// What the line is computed for: the car's width, the safety margin and the optimiser's grid.
    public struct Parameters: Sendable, Hashable, Codable {
        /// Width of the car (m, >= 0; 2 m by default). Half of it is kept from each track limit.
        public var vehicleWidth: Double
        /// Extra distance kept from each track limit beyond half the car's width (m, >= 0; 0.5 m by default).
        public var safetyMargin: Double
        /// Spacing of the optimiser's coarse nodes (m; 3 m by default). Clamped to at least the track's spacing
        /// and to at most a twelfth of the lap.
        public var nodeSpacing: Double
        /// Whether to re-optimise at the track's full resolution (about 1 m) after the coarse solve (default
        /// true). Without it the coarse line is splined to the samples and clamped into the bounds, which is
        /// faster but can leave small kinks where the spline overshoots a bound.
        public var refinesAtTrackResolution: Bool

        /// Parameters for a car `vehicleWidth` metres wide keeping `safetyMargin` metres more from each limit.
        /// Non-finite or negative widths and margins count as 0; a non-finite node spacing counts as 3 m.
        public init(
            vehicleWidth: Double = 2.0, safetyMargin: Double = 0.5, nodeSpacing: Double = 3.0,
            refinesAtTrackResolution: Bool = true
        ) {
            self.vehicleWidth = vehicleWidth
            self.safetyMargin = safetyMargin
            self.nodeSpacing = nodeSpacing
            self.refinesAtTrackResolution = refinesAtTrackResolution
        }

        /// Distance kept from each track limit (m, >= 0): half the vehicle width plus the safety margin, with
        /// non-finite or negative parts counted as 0.
        public var margin: Double {
            func clean(_ v: Double) -> Double { v.isFinite ? max(v, 0) : 0 }
            return 0.5 * clean(vehicleWidth) + clean(safetyMargin)
        }
    }

    /// The parameters the line was computed with.
    public let parameters: Parameters
    /// Name of the track the line belongs to (`Track.name`).
    public let trackName: String
    /// Number of samples (`Track.count`).
    public let count: Int
    /// Centreline arc length between samples (m, `Track.spacing`): sample i lies at s = i * `spacing`.
    public let spacing: Double
    /// Lateral offset of the line from the centreline at each sample (m, positive = left), within
    /// [-(widthRight - margin), widthLeft - margin] (or at the middle of the track where that band is empty).
    public let offset: [Double]
    /// World x of the line at each sample (m).
    public let x: [Double]
    /// World y of the line at each sample (m).
    public let y: [Double]
    /// Direction of travel along the line at each sample (rad, counter-clockwise from +x), unwrapped like
    /// `Track.heading`: `heading[0]` in (-pi, pi], continuous along the lap.
    public let heading: [Double]
    /// Signed curvature of the line at each sample (1/m, positive = turning left).
    public let curvature: [Double]
    /// Arc length along the line from sample 0 to sample i (m); `distance[0]` is 0.
    public let distance: [Double]
    /// Length of one lap along the line (m).
    public let length: Double
    /// Length of one lap along the centreline (m, `Track.length`), the period of the `s` arguments.
    public let trackLength: Double
    /// Levenberg-Marquardt iterations used by the coarse and the fine solve, for diagnostics and tests.
    let iterations: (coarse: Int, fine: Int)

    /// Computes the minimum-curvature line on `track` for `parameters`. Takes 30 to 150 ms for the shipped
    /// circuits in a release build (about 20 times that in a debug build).
    public init(track: Track, parameters: Parameters = Parameters()) {
        self.parameters = parameters
        trackName = track.name
        count = track.count
        spacing = track.spacing
        trackLength = track.length
        let n = track.count
        let margin = parameters.margin

        // Bounds at every sample; an empty band collapses to the middle of the track.
        var lower = [Double](repeating: 0, count: n), upper = lower
        for i in 0..<n {
            let lo = -(track.widthRight[i] - margin), hi = track.widthLeft[i] - margin
            if lo <= hi {
                lower[i] = lo
                upper[i] = hi
            } else {
                let middle = 0.5 * (track.widthLeft[i] - track.widthRight[i])
                lower[i] = middle
                upper[i] = middle
            }
        }

        // Coarse nodes on track samples, about nodeSpacing apart.
        let requested = parameters.nodeSpacing.isFinite ? parameters.nodeSpacing : 3.0
        let nodeCount = min(n, max(12, Int((track.length / max(requested, track.spacing)).rounded())))
        let nodes = (0..<nodeCount).map { $0 * n / nodeCount }
        var coarse = MinimumCurvatureProblem(
            baseX: [], baseY: [], normalX: [], normalY: [], lower: [], upper: [])
        for k in 0..<nodeCount {
            let i = nodes[k]
            let previous = k == 0 ? nodes[nodeCount - 1] - n : nodes[k - 1]
            let next = k == nodeCount - 1 ? nodes[0] + n : nodes[k + 1]
            coarse.baseX.append(track.x[i])
            coarse.baseY.append(track.y[i])
            coarse.normalX.append(-sin(track.heading[i]))
            coarse.normalY.append(cos(track.heading[i]))
            // The tightest bounds between the neighbouring nodes, so that the spline between nodes stays inside.
            var lo = -Double.infinity, hi = Double.infinity
            for j in (previous + 1)..<next {
                let w = (j % n + n) % n
                lo = max(lo, lower[w])
                hi = min(hi, upper[w])
            }
            if lo > hi { lo = 0.5 * (lo + hi); hi = lo }
            coarse.lower.append(lo)
            coarse.upper.append(hi)
        }
        let coarseSolution = coarse.solve(
            start: [Double](repeating: 0, count: nodeCount), maximumIterations: 40, initialDamping: 1e-2)

        // Spline the node offsets to every sample.
        var offsets = [Double](repeating: 0, count: n)
        if nodeCount == n {
            offsets = coarseSolution.offsets
        } else {
            let knots = nodes.map { Double($0) * track.spacing } + [track.length]
            let values = coarseSolution.offsets + [coarseSolution.offsets[0]]
            if let spline = try? PeriodicSpline(x: knots, y: values) {
                for i in 0..<n { offsets[i] = spline.value(at: Double(i) * track.spacing) }
            }
        }
        for i in 0..<n { offsets[i] = min(max(offsets[i], lower[i]), upper[i]) }

        var fineIterations = 0
        if parameters.refinesAtTrackResolution && nodeCount < n {
            let fine = MinimumCurvatureProblem(
                baseX: track.x, baseY: track.y, normalX: track.heading.map { -sin($0) },
                normalY: track.heading.map { cos($0) }, lower: lower, upper: upper)
            let solution = fine.solve(start: offsets, maximumIterations: 20, initialDamping: 1e-4)
            offsets = solution.offsets
            fineIterations = solution.iterations
        }
        iterations = (coarseSolution.iterations, fineIterations)
        offset = offsets

        // Geometry of the final line.
        var px = [Double](repeating: 0, count: n), py = px
        for i in 0..<n {
            px[i] = track.x[i] - offsets[i] * sin(track.heading[i])
            py[i] = track.y[i] + offsets[i] * cos(track.heading[i])
        }
        x = px
        y = py
        var cumulative = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let j = i + 1 == n ? 0 : i + 1
            cumulative[i + 1] = cumulative[i] + hypot(px[j] - px[i], py[j] - py[i])
        }
        distance = Array(cumulative[0..<n])
        length = cumulative[n]
        let geometry = RacingLine.splineGeometry(x: px, y: py, knots: cumulative)
        heading = geometry.heading
        curvature = geometry.curvature
    }

    /// The sample segment containing centreline arc length `s` (m, wrapped into the lap): index, next index and
    /// the fraction along it.
    @inline(__always)
    func locate(_ s: Double) -> (i: Int, next: Int, t: Double) {
        var u = s.truncatingRemainder(dividingBy: trackLength)
        if u < 0 { u += trackLength }
        u /= spacing
        let i = min(Int(u), count - 1)
        return (i, i + 1 == count ? 0 : i + 1, u - Double(i))
    }

    /// The line's offset from the centreline at centreline arc length `s` (m, any finite value; wrapped into the
    /// lap), linearly interpolated between samples (m, positive = left). Non-finite `s` gives NaN.
    public func offset(at s: Double) -> Double {
        guard s.isFinite else { return .nan }
        let (i, j, t) = locate(s)
        return offset[i] + t * (offset[j] - offset[i])
    }

    /// The line's signed curvature at centreline arc length `s` (m, wrapped), linearly interpolated between
    /// samples (1/m, positive = turning left). Non-finite `s` gives NaN.
    public func curvature(at s: Double) -> Double {
        guard s.isFinite else { return .nan }
        let (i, j, t) = locate(s)
        return curvature[i] + t * (curvature[j] - curvature[i])
    }

    /// Arc length along the line from sample 0 to centreline arc length `s` (m, wrapped), in [0, `length`),
    /// linearly interpolated. Non-finite `s` gives NaN.
    public func distance(at s: Double) -> Double {
        guard s.isFinite else { return .nan }
        let (i, j, t) = locate(s)
        let end = j == 0 ? length : distance[j]
        return distance[i] + t * (end - distance[i])
    }

    /// Heading (unwrapped) and signed curvature at the knots of periodic cubic splines x(u), y(u) through the
    /// closed loop of points, u the cumulative chord length (`knots` has one more value than the points).
    static func splineGeometry(x: [Double], y: [Double], knots: [Double]) -> (heading: [Double], curvature: [Double]) {
        let n = x.count
        var heading = [Double](repeating: 0, count: n), curvature = heading
        guard let sx = try? PeriodicSpline(x: knots, y: x + [x[0]]),
            let sy = try? PeriodicSpline(x: knots, y: y + [y[0]])
        else {
            // Degenerate points (coincident neighbours): fall back to chords.
            for i in 0..<n {
                let j = i + 1 == n ? 0 : i + 1
                let raw = atan2(y[j] - y[i], x[j] - x[i])
                heading[i] = i == 0 ? raw : heading[i - 1] + remainder(raw - heading[i - 1], 2 * Double.pi)
            }
            return (heading, curvature)
        }
        for i in 0..<n {
            let u = knots[i]
            let dx = sx.derivative(at: u), dy = sy.derivative(at: u)
            let ddx = sx.secondDerivative(at: u), ddy = sy.secondDerivative(at: u)
            let speed2 = dx * dx + dy * dy
            let raw = atan2(dy, dx)
            heading[i] = i == 0 ? raw : heading[i - 1] + remainder(raw - heading[i - 1], 2 * Double.pi)
            curvature[i] = (dx * ddy - dy * ddx) / (speed2 * speed2.squareRoot())
        }
        return (heading, curvature)
    }
}
