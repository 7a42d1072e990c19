import Foundation

/// A closed racing circuit: its centreline resampled at about 1 m by arc length, with heading, curvature and the
/// distances to the track limits, plus the run-off band out to the barrier.
///
/// A `Track` is immutable and shared by every car in a race. It is built once, from a CSV file
/// (`Track.load(path:)`, `Track.resolve(_:searchDirectories:)`) or from points in memory
/// (`Track(name:points:)`); building validates the data and throws `LoadError`. The queries (`sample(at:)`,
/// `point(s:lateral:)`, `project(x:y:near:window:)`, `surface(s:lateral:)`, ...) are O(1) or O(window), never
/// allocate, lock or throw, and are safe to call from any thread.
///
/// Geometry: the input points are lightly smoothed (see `smoothingPasses` on the initialisers), interpolated by
/// periodic cubic splines x(s), y(s), w_right(s), w_left(s) parametrised by arc length, and sampled at
/// s = i * `spacing` for i in 0..<`count`. Between samples, values are linearly interpolated; the point after the
/// last sample is sample 0 (the loop is closed).
public final class Track: Sendable {
    /// The circuit's name: the file name without `.csv` for a loaded file (`Monza`), or the name given in memory.
    public let name: String
    /// Where the data came from: the file path as given, or `<points>` for points passed in memory.
    public let source: String
    /// Length of one lap along the centreline (m, > 0): the arc length of the spline through the points.
    public let length: Double
    /// Number of resampled points (at least 10); `round(length / 1 m)` for any real circuit.
    public let count: Int
    /// Arc length between consecutive resampled points (m): `length / count`, about 1 m.
    public let spacing: Double
    /// Centreline x at s = i * `spacing` (m), `count` values.
    public let x: [Double]
    /// Centreline y at s = i * `spacing` (m), `count` values.
    public let y: [Double]
    /// Direction of travel at s = i * `spacing` (rad, counter-clockwise from +x), `count` values. Unwrapped:
    /// `heading[0]` is in (-pi, pi] and the values are continuous along the lap, so `heading[i + 1] - heading[i]`
    /// is the turn over one spacing; over a whole lap the heading changes by `turningAngle`.
    public let heading: [Double]
    /// Signed curvature at s = i * `spacing` (1/m; positive = turning left), `count` values:
    /// (x'y'' - y'x'') / (x'^2 + y'^2)^1.5 of the splines. Its integral over s reproduces `heading`: on the
    /// shipped circuits the trapezoidal sum over one spacing matches the heading change within 0.004 rad, and
    /// the sum over a lap matches `turningAngle` within 0.005 rad.
    public let curvature: [Double]
    /// Distance from the centreline to the left track limit at s = i * `spacing` (m, > 0), `count` values.
    public let widthLeft: [Double]
    /// Distance from the centreline to the right track limit at s = i * `spacing` (m, > 0), `count` values.
    public let widthRight: [Double]
    /// Width of the run-off band beyond each track limit, before the barrier (m, >= 0; 10 m unless given).
    public let runoffWidth: Double
    /// Total heading change over one lap (rad): +2 pi for a counter-clockwise circuit, -2 pi for a clockwise one,
    /// 0 for a figure of eight (an exact multiple of 2 pi up to rounding).
    public let turningAngle: Double

    /// cos(heading[i]) and sin(heading[i]), precomputed for the projection's sign tests.
    let cosHeading: [Double]
    let sinHeading: [Double]

    /// Stores already validated geometry; every array has `geometry.count` elements.
    init(name: String, source: String, runoffWidth: Double, geometry: TrackGeometry) {
        self.name = name
        self.source = source
        self.runoffWidth = runoffWidth
        length = geometry.length
        count = geometry.x.count
        spacing = geometry.length / Double(geometry.x.count)
        x = geometry.x
        y = geometry.y
        heading = geometry.heading
        curvature = geometry.curvature
        widthLeft = geometry.widthLeft
        widthRight = geometry.widthRight
        turningAngle = geometry.turningAngle
        cosHeading = geometry.heading.map { cos($0) }
        sinHeading = geometry.heading.map { sin($0) }
    }
}
