/// A position in track coordinates: arc length along the centreline and signed offset from it.
public struct FrenetPoint: Sendable, Equatable {
    /// Arc length along the centreline from the start line (m), in [0, `Track.length`).
    public var s: Double
    /// Offset from the centreline along its normal (m): positive to the left of the direction of travel,
    /// negative to the right.
    public var lateral: Double

    /// A track position at arc length `s` (m) and signed lateral offset `lateral` (m, positive = left).
    public init(s: Double, lateral: Double) {
        self.s = s
        self.lateral = lateral
    }
}
