/// The classification of a race.
public struct RaceResult: Sendable {
    /// One line of the classification.
    public struct Entry: Sendable, Equatable {
        /// Finishing position (1-based).
        public var position: Int
        /// The car's index (grid slot, 0-based).
        public var car: Int
        /// Display name.
        public var name: String
        /// Whether the car took the chequered flag.
        public var finished: Bool
        /// Laps completed.
        public var laps: Int
        /// Race time at the finish (s); for a car that did not finish, the time of its last completed lap
        /// (0 with none).
        public var totalTime: Double
        /// Time behind the winner (s) for cars on the winner's lap; NaN otherwise.
        public var gap: Double
        /// Laps behind the winner.
        public var lapsBehind: Int
        /// Best lap (s); infinity with no completed lap.
        public var bestLap: Double
        /// Every completed lap time (s), in order.
        public var lapTimes: [Double]
        /// Sector times (s), three per lap, in order.
        public var sectorTimes: [Double]
        /// Incidents of this car: contacts it was part of, off-tracks and barrier hits.
        public var contacts: Int
        public var offTracks: Int
        public var barrierHits: Int

        /// All incidents of the car.
        public var incidents: Int { contacts + offTracks + barrierHits }
    }

    /// The classification, winner first.
    public var entries: [Entry]
    /// Every incident of the race, in time order.
    public var incidents: [Incident]
    /// The circuit's name.
    public var trackName: String
    /// Laps scheduled.
    public var laps: Int
    /// The race seed.
    public var seed: UInt64
    /// Race time when the result was taken (s).
    public var duration: Double

    init(race: Race) {
        let n = race.carCount
        var contacts = Array(repeating: 0, count: n)
        var offs = Array(repeating: 0, count: n)
        var walls = Array(repeating: 0, count: n)
        for inc in race.incidents {
            switch inc.kind {
            case .contact:
                contacts[inc.car] += 1
                if inc.otherCar >= 0 { contacts[inc.otherCar] += 1 }
            case .offTrack: offs[inc.car] += 1
            case .barrier: walls[inc.car] += 1
            }
        }
        let order = (0..<n).sorted { a, b in
            let ta = race.timing[a], tb = race.timing[b]
            if ta.finished != tb.finished { return ta.finished }
            if ta.finished {
                if ta.lapsCompleted != tb.lapsCompleted { return ta.lapsCompleted > tb.lapsCompleted }
                if ta.finishTime != tb.finishTime { return ta.finishTime < tb.finishTime }
                return a < b
            }
            if race.progress[a] != race.progress[b] { return race.progress[a] > race.progress[b] }
            return a < b
        }
        let winner = order.first.map { race.timing[$0] }
        var entries: [Entry] = []
        for (pos, car) in order.enumerated() {
            let t = race.timing[car]
            let total = t.finished ? t.finishTime : t.lapTimes.reduce(0, +)
            let behind = (winner?.lapsCompleted ?? 0) - t.lapsCompleted
            var gap = Double.nan
            if t.finished, let w = winner, w.finished, behind == 0 { gap = t.finishTime - w.finishTime }
            entries.append(Entry(position: pos + 1, car: car, name: race.names[car], finished: t.finished,
                                 laps: t.lapsCompleted, totalTime: total, gap: gap, lapsBehind: max(behind, 0),
                                 bestLap: t.bestLap, lapTimes: t.lapTimes, sectorTimes: t.sectorTimes,
                                 contacts: contacts[car], offTracks: offs[car], barrierHits: walls[car]))
        }
        self.entries = entries
        incidents = race.incidents
        trackName = race.track.name
        laps = race.config.laps
        seed = race.config.seed
        duration = race.time
    }
}
