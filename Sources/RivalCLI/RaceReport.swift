import DriverPersona
import Foundation
import Sim

/// The machine-readable result of `rival race --json`: seconds and metres throughout.
struct RaceReport: Codable {
    struct Car: Codable {
        var position: Int
        var car: Int
        var name: String
        var finished: Bool
        var laps: Int
        var totalTime: Double
        /// Seconds behind the winner; null for a lapped or unfinished car.
        var gap: Double?
        var lapsBehind: Int
        /// Best lap (s); null without a completed lap.
        var bestLap: Double?
        var lapTimes: [Double]
        var sectorTimes: [Double]
        var incidents: Int
        var contacts: Int
        var offTracks: Int
        var barrierHits: Int
        /// The persona that drove the car; null for a bare policy.
        var persona: String?
        /// Standard deviation of the flying laps about their trend (s); null with fewer than 3 flying laps.
        var lapTimeSpread: Double?
        /// Off-tracks, barrier hits and times running wide (a wheel over the line; human drivers only).
        var mistakes: Int
    }

    /// What the classification adds for a human driver.
    struct Person {
        var persona: String
        var runWide: Int
        var lapses: Int
    }

    struct Event: Codable {
        var kind: String
        var time: Double
        var car: Int
        var otherCar: Int?
        var s: Double
        var lap: Int
        var speed: Double
    }

    var track: String
    var car: String
    var laps: Int
    var seed: UInt64
    /// Fuel each car started with (kg).
    var startFuel: Double
    var duration: Double
    /// Car indices (grid slots) in finishing order.
    var finishingOrder: [Int]
    var classification: [Car]
    var incidents: [Event]

    init(result: RaceResult, car: String, startFuel: Double, people: [Person]? = nil) {
        track = result.trackName
        self.car = car
        self.startFuel = startFuel
        laps = result.laps
        seed = result.seed
        duration = result.duration
        finishingOrder = result.entries.map(\.car)
        classification = result.entries.map { e in
            Car(position: e.position, car: e.car, name: e.name, finished: e.finished, laps: e.laps,
                totalTime: e.totalTime, gap: e.gap.isNaN ? nil : e.gap, lapsBehind: e.lapsBehind,
                bestLap: e.bestLap.isFinite ? e.bestLap : nil, lapTimes: e.lapTimes, sectorTimes: e.sectorTimes,
                incidents: e.incidents, contacts: e.contacts, offTracks: e.offTracks, barrierHits: e.barrierHits,
                persona: people?[e.car].persona, lapTimeSpread: Self.spread(e), mistakes: Self.mistakes(e, people))
        }
        incidents = result.incidents.map { i in
            Event(kind: i.kind.description, time: i.time, car: i.car, otherCar: i.otherCar >= 0 ? i.otherCar : nil,
                  s: i.s, lap: i.lap, speed: i.speed)
        }
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// `1:47.345` style lap time.
    static func clock(_ t: Double) -> String {
        guard t.isFinite else { return "-" }
        let minutes = Int(t / 60)
        let seconds = t - Double(minutes) * 60
        return minutes > 0 ? String(format: "%d:%06.3f", minutes, seconds) : String(format: "%.3f", seconds)
    }

    /// The gap column: empty for the winner, `DNF`, `+2 laps`, or `+3.215` (seconds behind).
    static func gapText(position: Int, finished: Bool, lapsBehind: Int, gap: Double) -> String {
        if position == 1 { return "" }
        if !finished { return "DNF" }
        if lapsBehind > 0 { return "+\(lapsBehind) lap" + (lapsBehind > 1 ? "s" : "") }
        return gap.isFinite ? String(format: "+%.3f", gap) : ""
    }

    /// The flying laps' spread about their trend (s), nil with fewer than 3.
    static func spread(_ e: RaceResult.Entry) -> Double? {
        let flying = e.lapTimes.dropFirst()
        return flying.count >= 3 ? LapTimeStatistics(flying).spread : nil
    }

    /// Off-tracks and barrier hits, plus running wide for a human driver.
    static func mistakes(_ e: RaceResult.Entry, _ people: [Person]?) -> Int {
        e.offTracks + e.barrierHits + (people?[e.car].runWide ?? 0)
    }

    static func table(_ r: RaceResult, car: String, startFuel: Double, people: [Person]? = nil) -> String {
        var lines = ["\(r.trackName), \(r.laps) laps, \(r.entries.count) x \(car), seed \(r.seed), "
            + String(format: "%.1f kg of fuel at the start", startFuel), ""]
        lines.append("pos  driver            persona        total        gap       best    spread  mistakes  contacts")
        for e in r.entries {
            let gap = gapText(position: e.position, finished: e.finished, lapsBehind: e.lapsBehind, gap: e.gap)
            let total = e.finished ? clock(e.totalTime) : "\(e.laps) laps"
            let spread = Self.spread(e).map { String(format: "%.3f", $0) } ?? "-"
            lines.append(String(format: "%3d  ", e.position)
                + e.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + "  " + (people?[e.car].persona ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0)
                + "  " + total.leftPad(10) + "  " + gap.leftPad(9) + "  " + clock(e.bestLap).leftPad(9)
                + "  " + spread.leftPad(7) + "  " + String(Self.mistakes(e, people)).leftPad(8)
                + "  " + String(e.contacts).leftPad(8))
        }
        let contacts = r.incidents.filter { $0.kind == .contact }.count
        let offs = r.incidents.filter { $0.kind == .offTrack }.count
        let walls = r.incidents.filter { $0.kind == .barrier }.count
        lines.append("")
        lines.append("incidents: \(contacts) contacts, \(offs) off-tracks, \(walls) barrier hits")
        return lines.joined(separator: "\n")
    }
}

extension RaceReport {
    /// Lap times per driver, one row per car in finishing order, one column per lap (best lap marked with *).
    static func lapTable(_ r: RaceResult) -> String {
        let laps = r.entries.map(\.lapTimes.count).max() ?? 0
        var header = "pos  driver          "
        for lap in 1...max(laps, 1) { header += "lap \(lap)".leftPad(11) }
        var lines = [header]
        for e in r.entries {
            var row = String(format: "%3d  ", e.position) + e.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            for t in e.lapTimes { row += (clock(t) + (t == e.bestLap ? "*" : " ")).leftPad(11) }
            lines.append(row)
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
