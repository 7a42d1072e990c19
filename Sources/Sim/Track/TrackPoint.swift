/// One input point of a circuit's centreline, as read from a CSV row `x_m,y_m,w_tr_right_m,w_tr_left_m` or
/// passed in memory by a game.
///
/// Coordinates are in metres in any fixed Cartesian frame (x east, y north is usual; only the handedness matters:
/// "left" is counter-clockwise from the direction of travel). Widths are measured from this centreline point
/// to the right and to the left track limit, in metres, and must be above 0.
public struct TrackPoint: Sendable, Equatable {
    /// x coordinate of the centreline point (m).
    public var x: Double
    /// y coordinate of the centreline point (m).
    public var y: Double
    /// Distance from the centreline to the right track limit (m, > 0).
    public var widthRight: Double
    /// Distance from the centreline to the left track limit (m, > 0).
    public var widthLeft: Double

    /// A centreline point at (`x`, `y`) metres with the given widths in metres.
    public init(x: Double, y: Double, widthRight: Double, widthLeft: Double) {
        self.x = x
        self.y = y
        self.widthRight = widthRight
        self.widthLeft = widthLeft
    }
}
