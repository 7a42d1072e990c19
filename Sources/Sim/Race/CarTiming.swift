/// Timing of one car: laps, three equal-length sectors, best lap, finish.
public struct CarTiming: Sendable, Equatable {
    /// Laps completed.
    public internal(set) var lapsCompleted = 0
    /// Completed lap times (s), in order. Lap 1 runs from the start signal (it includes the run from the grid
    /// slot to the line).
    public internal(set) var lapTimes: [Double] = []
    /// Sector times (s), three per completed or running lap, in order.
    public internal(set) var sectorTimes: [Double] = []
    /// Best completed lap (s); infinity before the first lap is complete.
    public internal(set) var bestLap = Double.infinity
    /// Whether the car has taken the chequered flag.
    public internal(set) var finished = false
    /// Race time at which the car finished (s); NaN until then.
    public internal(set) var finishTime = Double.nan
    /// Race time at which the running lap started (s).
    var lapStart = 0.0
    /// Race time at which the running sector started (s).
    var sectorStart = 0.0
    /// Index (0, 1, 2) of the next sector boundary within the lap; 2 is the finish line.
    var nextSector = 0

    init(expectedLaps: Int) {
        lapTimes.reserveCapacity(expectedLaps + 2)
        sectorTimes.reserveCapacity(3 * (expectedLaps + 2))
    }

    /// The arc-length progress (m, unwrapped from the start line) of the next sector boundary.
    func nextMark(trackLength: Double) -> Double {
        Double(lapsCompleted) * trackLength + Double(nextSector + 1) * trackLength / 3
    }
}
