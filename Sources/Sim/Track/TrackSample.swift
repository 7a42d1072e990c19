/// The circuit's geometry at one arc length, linearly interpolated between the resampled points.
public struct TrackSample: Sendable, Equatable {
    /// Centreline x (m).
    public var x: Double
    /// Centreline y (m).
    public var y: Double
    /// Direction of travel (rad, counter-clockwise from +x). Continuous along the lap (unwrapped, not limited to
    /// ±pi): it starts in (-pi, pi] at s = 0 and changes by `Track.turningAngle` over one lap, so compare headings
    /// through their difference wrapped with `remainder(a - b, 2 * .pi)`.
    public var heading: Double
    /// Signed curvature (1/m): positive when the centreline turns left, negative when it turns right.
    public var curvature: Double
    /// Distance from the centreline to the left track limit (m, > 0).
    public var widthLeft: Double
    /// Distance from the centreline to the right track limit (m, > 0).
    public var widthRight: Double

    /// A sample with the given values (units as documented on each property).
    public init(x: Double, y: Double, heading: Double, curvature: Double, widthLeft: Double, widthRight: Double) {
        self.x = x
        self.y = y
        self.heading = heading
        self.curvature = curvature
        self.widthLeft = widthLeft
        self.widthRight = widthRight
    }
}
