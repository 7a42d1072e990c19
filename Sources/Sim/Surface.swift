/// What is under a car: the racing surface, the run-off area beside it (lower grip, more drag), or the
/// barrier at the outer edge of the run-off.
public enum Surface: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Inside the track limits (the circuit's left and right widths).
    case track
    /// Beyond a track limit but inside the barrier: grass, gravel or tarmac run-off.
    case runoff
    /// At or beyond the barrier line: contact with the wall.
    case barrier

    public var description: String {
        switch self {
        case .track: return "track"
        case .runoff: return "run-off"
        case .barrier: return "barrier"
        }
    }
}
