/// Something that happened to a car during a race, logged by the race engine.
public struct Incident: Sendable, Equatable {
    /// What happened.
    public enum Kind: UInt8, Sendable, Equatable, CustomStringConvertible {
        /// Two cars touched.
        case contact
        /// The car went fully beyond a track limit (all of the car outside the white line).
        case offTrack
        /// The car hit the barrier at the outer edge of the run-off.
        case barrier

        public var description: String {
            switch self {
            case .contact: return "contact"
            case .offTrack: return "off-track"
            case .barrier: return "barrier"
            }
        }
    }

    /// What happened.
    public var kind: Kind
    /// Race time (s).
    public var time: Double
    /// The car concerned (for a contact, the car behind in arc length).
    public var car: Int
    /// The other car of a contact; -1 otherwise.
    public var otherCar: Int
    /// Arc length where it happened (m).
    public var s: Double
    /// Lap in which it happened (1-based).
    public var lap: Int
    /// Impact speed (m/s): the closing speed of a contact or the speed into the barrier; for an off-track, the
    /// car's speed when it left the track.
    public var speed: Double
}
