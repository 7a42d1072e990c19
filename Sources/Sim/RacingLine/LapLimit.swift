import Foundation

/// The lap-time limit of a car on a circuit: the minimum-curvature line driven at the quasi-steady-state speed
/// profile, at the grip share asked for. A summary for tables, calibration targets and difficulty settings.
public struct LapLimit: Sendable, Codable, Equatable {
    /// The circuit's name (`Track.name`).
    public var track: String
    /// The car's name (`CarSpec.name`).
    public var car: String
    /// Lap time of a flying lap (s).
    public var lapTime: Double
    /// Length of the racing line (m).
    public var length: Double
    /// Highest speed on the lap (m/s).
    public var topSpeed: Double
    /// Lowest speed on the lap (m/s).
    public var minSpeed: Double

    /// A limit with the given values (units as documented on each property).
    public init(track: String, car: String, lapTime: Double, length: Double, topSpeed: Double, minSpeed: Double) {
        self.track = track
        self.car = car
        self.lapTime = lapTime
        self.length = length
        self.topSpeed = topSpeed
        self.minSpeed = minSpeed
    }

    /// The summary of `profile` on `track` for `car`.
    public init(track: Track, car: CarSpec, profile: SpeedProfile) {
        self.init(
            track: track.name, car: car.name, lapTime: profile.lapTime, length: profile.length,
            topSpeed: profile.topSpeed, minSpeed: profile.minSpeed)
    }

    /// Computes the limit of `car` on `track`: its racing line (the car's overall width plus `safetyMargin`
    /// metres from each track limit) and its speed profile with fresh tyres and no fuel.
    /// - Parameters:
    ///   - safetyMargin: distance kept from each track limit beyond half the car's width (m, >= 0).
    ///   - gripScale: share of the grip to plan with (1 = the limit; see `SpeedProfile.gripScale`).
    /// Computes afresh (about 0.1 s in a release build); `RacingLineCache.limit(track:car:safetyMargin:gripScale:)`
    /// keeps the line and profile for reuse.
    public static func compute(track: Track, car: CarSpec, safetyMargin: Double = 0.5, gripScale: Double = 1) -> LapLimit {
        let line = RacingLine(
            track: track, parameters: .init(vehicleWidth: car.chassis.overallWidthM, safetyMargin: safetyMargin))
        let profile = SpeedProfile(line: line, vehicle: VehicleModel(spec: car), gripScale: gripScale)
        return LapLimit(track: track, car: car, profile: profile)
    }

    /// The lap time as minutes:seconds with three decimals, for tables (`1:47.123`).
    public var formattedLapTime: String { Self.format(lapTime: lapTime) }

    /// `seconds` as minutes:seconds with three decimals (`1:47.123`); non-finite or negative values give `--`.
    public static func format(lapTime seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let thousandths = Int((seconds * 1000).rounded())
        let minutes = thousandths / 60_000, rest = thousandths % 60_000
        let whole = rest / 1000, fraction = rest % 1000
        let secondsText = whole < 10 ? "0\(whole)" : "\(whole)"
        let fractionText = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(minutes):\(secondsText).\(fractionText)"
    }
}

extension LapLimit {
    /// A plain-text table of `limits`, one row each: circuit, car, lap time, top and minimum speed (km/h) and
    /// line length (m), in the given order, with a header line.
    public static func table(_ limits: [LapLimit]) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func number(_ value: Double, decimals: Int) -> String {
            guard value.isFinite else { return "--" }
            let scale = decimals == 0 ? 1.0 : 10.0
            let r = (value * scale).rounded() / scale
            return decimals == 0 ? String(Int(r)) : String(format: "%.1f", r)
        }
        var text = pad("circuit", 14) + pad("car", 10) + pad("lap", 10) + pad("top km/h", 10) + pad("min km/h", 10)
            + "line m\n"
        for limit in limits {
            text += pad(limit.track, 14) + pad(limit.car, 10) + pad(limit.formattedLapTime, 10)
                + pad(number(limit.topSpeed * 3.6, decimals: 1), 10) + pad(number(limit.minSpeed * 3.6, decimals: 1), 10)
                + number(limit.length, decimals: 0) + "\n"
        }
        return text
    }
}
