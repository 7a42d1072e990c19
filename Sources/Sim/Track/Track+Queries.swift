import Foundation

extension Track {
    /// `s` wrapped into one lap, [0, `length`) (m). Any finite `s` is accepted (negative, or many laps);
    /// a non-finite `s` gives NaN.
    public func wrap(_ s: Double) -> Double {
        guard s.isFinite else { return .nan }
        // Fast path: within one lap either side (the common case on the hot path) needs no division.
        if s >= 0 && s < length { return s }
        if s < 0 && s >= -length { let u = s + length; return u < length ? u : 0 }
        if s >= length && s < 2 * length { return s - length }
        var u = s.truncatingRemainder(dividingBy: length)
        if u < 0 { u += length }
        return u < length ? u : 0
    }

    /// ``wrap(_:)`` for the hot path, inlined: an `s` already in [0, `length`) is returned as it is (as `wrap`
    /// would) without a call.
    @inline(__always)
    func wrapInline(_ s: Double) -> Double {
        s >= 0 && s < length ? s : wrap(s)
    }

    /// The segment containing arc length `s` (finite): sample index `i`, the next index (0 after the last) and
    /// the fraction `t` in [0, 1) along the segment.
    @inline(__always)
    func locate(_ s: Double) -> (i: Int, next: Int, t: Double) {
        let u = wrapInline(s) / spacing
        let i = min(Int(u), count - 1)
        return (i, i + 1 == count ? 0 : i + 1, u - Double(i))
    }

    /// Heading change from sample `i` to sample `next` (rad), across the lap seam too.
    @inline(__always)
    func headingStep(_ i: Int, _ next: Int) -> Double {
        next == 0 ? heading[0] + turningAngle - heading[i] : heading[next] - heading[i]
    }

    /// The centreline at arc length `s` (m, wrapped into the lap), linearly interpolated between the two nearest
    /// resampled points. The heading is continuous within the lap and interpolated through the shorter turn
    /// (correct across ±pi); it jumps by `turningAngle` where `s` wraps. A non-finite `s` gives all-NaN values.
    public func sample(at s: Double) -> TrackSample {
        guard s.isFinite else {
            return TrackSample(x: .nan, y: .nan, heading: .nan, curvature: .nan, widthLeft: .nan, widthRight: .nan)
        }
        return interpolate(locate(s))
    }

    /// ``sample(at:)`` for the race's hot loop, inlined there: an `s` in [0, `length`) (as projections return it)
    /// takes the same arithmetic without a call; any other goes through `sample(at:)`.
    @inline(__always)
    func sampleInLap(_ s: Double) -> TrackSample {
        guard s >= 0 && s < length else { return sample(at: s) }
        return interpolate(locate(s))
    }

    /// The centreline a fraction `t` of the way along the segment from sample `i` to sample `j`.
    @inline(__always)
    private func interpolate(_ segment: (i: Int, next: Int, t: Double)) -> TrackSample {
        let (i, j, t) = segment
        return TrackSample(
            x: x[i] + t * (x[j] - x[i]),
            y: y[i] + t * (y[j] - y[i]),
            heading: heading[i] + t * headingStep(i, j),
            curvature: curvature[i] + t * (curvature[j] - curvature[i]),
            widthLeft: widthLeft[i] + t * (widthLeft[j] - widthLeft[i]),
            widthRight: widthRight[i] + t * (widthRight[j] - widthRight[i]))
    }

    /// The world position at arc length `s` (m) and signed offset `lateral` (m, positive = left of the direction
    /// of travel): the interpolated centreline point plus `lateral` along the unit normal of the interpolated
    /// heading. `project` inverts it. Non-finite input gives NaN.
    public func point(s: Double, lateral: Double) -> (x: Double, y: Double) {
        let c = sample(at: s)
        return (c.x - lateral * sin(c.heading), c.y + lateral * cos(c.heading))
    }

    /// The shortest signed arc length from `from` to `to` around the loop (m), in (-length/2, length/2]:
    /// positive when `to` is ahead. Both are wrapped first; non-finite input gives NaN.
    public func signedDistance(from: Double, to: Double) -> Double {
        shortestDelta(from: wrap(from), to: wrap(to))
    }

    /// ``signedDistance(from:to:)`` for arc lengths already in [0, length) (as projections return them): no
    /// wrapping, for the hot path.
    @inline(__always)
    func shortestDelta(from a: Double, to b: Double) -> Double {
        let d = b - a
        if d > 0.5 * length { return d - length }
        if d <= -0.5 * length { return d + length }
        return d
    }

    /// What is at arc length `s` (m) and offset `lateral` (m, positive = left): `.track` within the widths (the
    /// limit itself counts as track), `.runoff` up to `runoffWidth` beyond a limit, `.barrier` at or beyond that.
    /// Non-finite input gives `.barrier`.
    public func surface(s: Double, lateral: Double) -> Surface {
        guard s.isFinite else { return .barrier }
        return surface(lateral: lateral, sample: sample(at: s))
    }

    /// ``surface(s:lateral:)`` given the centreline sample at `s` already at hand (the race keeps one per car).
    @inline(__always)
    func surface(lateral: Double, sample: TrackSample) -> Surface {
        guard lateral.isFinite else { return .barrier }
        let outside = max(lateral - sample.widthLeft, -lateral - sample.widthRight)
        if outside <= 0 { return .track }
        return outside < runoffWidth ? .runoff : .barrier
    }

    /// Distances from a point at (`s`, `lateral`) to the left and right track limits along the normal (m):
    /// positive inside the track, negative beyond that limit. `left + right` is the track width there.
    /// Non-finite input gives NaN.
    public func edgeDistances(s: Double, lateral: Double) -> (left: Double, right: Double) {
        guard s.isFinite else { return (.nan, .nan) }
        let (i, j, t) = locate(s)
        let left = widthLeft[i] + t * (widthLeft[j] - widthLeft[i])
        let right = widthRight[i] + t * (widthRight[j] - widthRight[i])
        return (left - lateral, right + lateral)
    }
}
