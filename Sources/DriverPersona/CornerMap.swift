import PolicyCore
import Sim

/// The corners of a circuit as a driver thinks of them: where braking starts, the apex (slowest point) and the
/// exit, found on the expert's speed plan for one car. Immutable and shared by every driver of that car on that
/// track.
///
/// A corner is a fall in planned speed of at least ``minimumDrop`` (m/s) and 4 % of the speed before it; smaller
/// wiggles belong to the straight. Positions are centreline arc lengths (m).
public final class CornerMap: Sendable {
    /// One corner. Arc lengths in [0, lap length); the braking point may lie "before" zero when the corner is
    /// just after the line (then `brake > apex` numerically; use ``distance(from:to:)``).
    public struct Corner: Sendable, Equatable {
        /// Where the plan starts slowing for the corner (m).
        public var brake: Double
        /// Where the plan is slowest (m).
        public var apex: Double
        /// Planned speed at the braking point and at the apex (m/s).
        public var entrySpeed: Double
        public var apexSpeed: Double
    }

    /// Smallest speed drop counted as a corner (m/s).
    public static let minimumDrop = 3.0
    /// The plan the corners were found on (its racing line is what the driver aims for).
    public let plan: ExpertPlan
    /// Lap length (m).
    public let length: Double
    /// Turn direction of each corner at its apex: +1 left, -1 right.
    public let turn: [Double]
    /// Corners in order of their apex.
    public let corners: [Corner]

    /// The corners of `plan`'s speed plan.
    public init(plan: ExpertPlan) {
        let track = plan.track
        self.plan = plan
        length = track.length
        let n = track.count
        let v = (0..<n).map { plan.plannedSpeed(at: Double($0) * track.spacing) }
        // Each local minimum of the periodic profile; its braking point is the fastest sample reached walking back
        // while the speed keeps rising (rises of up to 1 m/s against the walk are tolerated, so a braking zone
        // broken by a tiny bump stays one zone).
        var found: [Corner] = []
        for i in 0..<n {
            let a = v[(i + n - 1) % n], b = v[i], c = v[(i + 1) % n]
            guard b < a && b <= c else { continue }
            var best = i
            var k = 1
            while k < n / 2 {
                let j = (i - k + n) % n
                if v[j] > v[best] { best = j } else if v[j] < v[best] - 1 { break }
                k += 1
            }
            let drop = v[best] - b
            guard drop >= Self.minimumDrop && drop >= 0.04 * v[best] else { continue }
            let corner = Corner(brake: Double(best) * track.spacing, apex: Double(i) * track.spacing,
                                entrySpeed: v[best], apexSpeed: b)
            // Two minima of one braking zone: keep the slower.
            if let last = found.last, last.brake == corner.brake {
                if corner.apexSpeed < last.apexSpeed { found[found.count - 1] = corner }
            } else {
                found.append(corner)
            }
        }
        corners = found.sorted { $0.apex < $1.apex }
        turn = corners.map { plan.lineCurvature(at: $0.apex) >= 0 ? 1 : -1 }
    }

    /// Forward distance along the lap from `a` to `b` (m, in [0, length)).
    @inline(__always)
    public func distance(from a: Double, to b: Double) -> Double {
        var d = b - a
        if d < 0 { d += length }
        if d >= length { d -= length }
        return d
    }

    /// Whether a car of half-width `halfWidth` (m) at arc length `s` and lateral offset `lateral` (m) has a wheel
    /// over a white line: running wide, the driver's mistake that the race engine does not log.
    @inline(__always)
    public func isOverLine(s: Double, lateral: Double, halfWidth: Double) -> Bool {
        let here = plan.track.sample(at: s)
        return lateral + halfWidth > here.widthLeft || lateral - halfWidth < -here.widthRight
    }

    /// Index of the first corner whose apex is ahead of `s` (wrapping), or 0 when there are no corners.
    public func nextCorner(after s: Double) -> Int {
        guard !corners.isEmpty else { return 0 }
        var lo = 0, hi = corners.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if corners[mid].apex <= s { lo = mid + 1 } else { hi = mid }
        }
        return lo == corners.count ? 0 : lo
    }
}
