import Foundation

extension Track {
    /// Projects a world position onto the track, searching only near the car's last known arc length.
    ///
    /// Finds the nearest foot point: the arc length s whose normal passes through (`x`, `y`), among the segments
    /// within ±`window` metres of `sGuess`, choosing the one with the smallest |lateral| when several normals do
    /// (the inside of a tight corner). The result inverts `point(s:lateral:)` to rounding error (the shipped
    /// circuits round-trip within 1e-9 m) wherever that foot point is the nearest one in the window. That holds
    /// everywhere on the track surface; it fails only deep in the run-off inside hairpins, where another part of
    /// the centreline is nearer or the point lies beyond the corner's centre of curvature (lateral * curvature > 1)
    /// and the nearer foot point is returned instead, which still rebuilds the same position. Searching locally
    /// keeps a car on its own branch where a figure-of-eight circuit crosses itself.
    /// - Parameters:
    ///   - x: world x (m).
    ///   - y: world y (m).
    ///   - sGuess: arc length to search around (m, wrapped), typically the car's previous `s`.
    ///   - window: half-width of the search (m), clamped to at least one `spacing` and at most the whole lap (NaN
    ///     also searches the whole lap). 30 m suits one physics step; use more after a jump, or `projectGlobal`.
    /// - Returns: `s` in [0, `length`) and `lateral` (m, positive = left). When no normal in the window passes
    ///   through the point (it lies beyond the window's ends), the nearest resampled point of the window is used.
    ///   Non-finite input gives NaN for both.
    public func project(x px: Double, y py: Double, near sGuess: Double, window: Double = 30) -> FrenetPoint {
        guard px.isFinite, py.isFinite, sGuess.isFinite else { return FrenetPoint(s: .nan, lateral: .nan) }
        if let fast = projectByWalking(px, py, from: sGuess) { return fast }
        return projectInWindow(px, py, near: sGuess, window: window)
    }

    /// ``project(x:y:near:window:)`` with the default window, for the race's hot loop: the walk and its refinement
    /// are inlined into the caller, which calls out only for the windowed search. The same result, bit for bit.
    @inline(__always)
    func projectNear(x px: Double, y py: Double, near sGuess: Double) -> FrenetPoint {
        guard px.isFinite, py.isFinite, sGuess.isFinite else { return FrenetPoint(s: .nan, lateral: .nan) }
        if let fast = projectByWalking(px, py, from: sGuess) { return fast }
        return projectInWindow(px, py, near: sGuess, window: 30)
    }

    /// The windowed search of ``project(x:y:near:window:)`` (finite input).
    @inline(never)
    private func projectInWindow(_ px: Double, _ py: Double, near sGuess: Double, window: Double) -> FrenetPoint {
        let reach = window.isNaN ? length : min(max(window, spacing), length)
        let segments = min(2 * Int((reach / spacing).rounded(.up)), count)
        let start = (locate(sGuess).i - segments / 2 + count) % count

        var best = FrenetPoint(s: .nan, lateral: .infinity)
        var nearest = (index: start, distance2: Double.infinity)
        var j = start
        var fj = tangentOffset(px, py, j)
        for _ in 0...segments {
            let d2 = (px - x[j]) * (px - x[j]) + (py - y[j]) * (py - y[j])
            if d2 < nearest.distance2 { nearest = (j, d2) }
            let k = j + 1 == count ? 0 : j + 1
            let fk = tangentOffset(px, py, k)
            if fj >= 0, fk < 0 {
                let foot = refine(px, py, segment: j, next: k, f0: fj, f1: fk)
                if abs(foot.lateral) < abs(best.lateral) { best = foot }
            }
            j = k
            fj = fk
        }
        // segments + 1 segments were checked (a symmetric window); one seen twice only repeats a candidate.
        if best.lateral.isFinite { return best }
        let i = nearest.index
        return FrenetPoint(s: Double(i) * spacing, lateral: (py - y[i]) * cosHeading[i] - (px - x[i]) * sinHeading[i])
    }

    /// cos and sin of a small angle (|a| <= 0.5 rad, the heading change within one ~1 m segment): Taylor series
    /// to the 10th/11th order, accurate to 1e-13 there; larger angles fall back to libm.
    @inline(__always)
    static func smallAngleCosSin(_ a: Double) -> (Double, Double) {
        guard abs(a) <= 0.5 else { return (cos(a), sin(a)) }
        let a2 = a * a
        let c = 1 - a2 / 2 * (1 - a2 / 12 * (1 - a2 / 30 * (1 - a2 / 56 * (1 - a2 / 90))))
        let s = a * (1 - a2 / 6 * (1 - a2 / 20 * (1 - a2 / 42 * (1 - a2 / 72 * (1 - a2 / 110)))))
        return (c, s)
    }

    /// The hot-path projection: walks from the guess's segment to the segment whose two normals bracket the
    /// point (a few steps when the guess is the last step's arc length), then refines on it. Gives up (nil) when
    /// the walk goes further than 8 segments or the offset is beyond the track limits, where the inside of a
    /// tight corner can hold more than one foot: the windowed search then decides.
    @inline(__always)
    private func projectByWalking(_ px: Double, _ py: Double, from sGuess: Double) -> FrenetPoint? {
        var i = locate(sGuess).i
        var fi = tangentOffset(px, py, i)
        var steps = 0
        if fi < 0 {
            // Behind sample i: walk backwards until the point is ahead of the sample's normal.
            while fi < 0 {
                steps += 1
                if steps > 8 { return nil }
                i = i == 0 ? count - 1 : i - 1
                fi = tangentOffset(px, py, i)
            }
        }
        var k = i + 1 == count ? 0 : i + 1
        var fk = tangentOffset(px, py, k)
        while fk >= 0 {
            steps += 1
            if steps > 8 { return nil }
            i = k
            fi = fk
            k = i + 1 == count ? 0 : i + 1
            fk = tangentOffset(px, py, k)
        }
        let foot = refine(px, py, segment: i, next: k, f0: fi, f1: fk)
        // Unique locally: on the track, or well inside the radius of curvature (then no other foot can be nearer).
        let reach = foot.lateral >= 0 ? widthLeft[i] : widthRight[i]
        return abs(foot.lateral) <= reach || abs(foot.lateral * curvature[i]) < 0.25 ? foot : nil
    }

    /// Projects a world position onto the track without a previous arc length (initialisation, respawn): the
    /// nearest resampled point over the whole lap (O(`count`)), then `project` within 30 m of it. Where a
    /// circuit crosses itself the branch is ambiguous; prefer `project(x:y:near:)` once `s` is known.
    /// Non-finite input gives NaN for both.
    public func projectGlobal(x px: Double, y py: Double) -> FrenetPoint {
        guard px.isFinite, py.isFinite else { return FrenetPoint(s: .nan, lateral: .nan) }
        var nearest = (index: 0, distance2: Double.infinity)
        for i in 0..<count {
            let d2 = (px - x[i]) * (px - x[i]) + (py - y[i]) * (py - y[i])
            if d2 < nearest.distance2 { nearest = (i, d2) }
        }
        return project(x: px, y: py, near: Double(nearest.index) * spacing)
    }

    /// (Q - P_i) . T_i: how far ahead of sample `i`'s normal the point lies (m).
    @inline(__always)
    private func tangentOffset(_ px: Double, _ py: Double, _ i: Int) -> Double {
        (px - x[i]) * cosHeading[i] + (py - y[i]) * sinHeading[i]
    }

    /// Solves g(t) = (Q - P(t)) . T(t) = 0 on segment `segment` -> `next`, where P is linear in t and the heading
    /// of T is linear in t, as in `point(s:lateral:)`; g(0) = f0 >= 0 > g(1) = f1. Safeguarded Newton.
    @inline(__always)
    private func refine(_ px: Double, _ py: Double, segment i: Int, next j: Int, f0: Double, f1: Double) -> FrenetPoint {
        let dx = x[j] - x[i], dy = y[j] - y[i], dh = headingStep(i, j)
        var lo = 0.0, hi = 1.0
        var t = f0 / (f0 - f1)
        let ci = cosHeading[i], si = sinHeading[i]
        var c = ci, s = si
        var converged = false
        for _ in 0..<40 {
            // cos and sin of heading[i] + t * dh by rotating sample i's direction through the small angle t * dh.
            let (cd, sd) = Self.smallAngleCosSin(t * dh)
            c = ci * cd - si * sd
            s = si * cd + ci * sd
            let qx = px - (x[i] + t * dx), qy = py - (y[i] + t * dy)
            let g = qx * c + qy * s
            // Within a nanometre of the foot: done (c, s belong to this t).
            if abs(g) < 1e-9 { converged = true; break }
            if g >= 0 { lo = t } else { hi = t }
            let slope = -(dx * c + dy * s) + dh * (qy * c - qx * s)
            var next = slope < 0 ? t - g / slope : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - t) < 1e-14 || hi - lo < 1e-14 { break }
            t = next
        }
        if !converged {
            let (cd, sd) = Self.smallAngleCosSin(t * dh)
            c = ci * cd - si * sd
            s = si * cd + ci * sd
        }
        let lateral = (py - (y[i] + t * dy)) * c - (px - (x[i] + t * dx)) * s
        return FrenetPoint(s: wrapInline((Double(i) + t) * spacing), lateral: lateral)
    }
}
