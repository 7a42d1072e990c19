import Foundation

/// One telemetry sample of one car. SI units.
public struct TelemetrySample: Sendable, Equatable {
    /// Race time (s).
    public var time: Double
    /// Car index (grid slot, 0-based).
    public var car: Int
    /// Lap being driven (1-based).
    public var lap: Int
    /// Time into that lap (s): since the car last crossed the line (since the start on lap 1).
    public var lapTime: Double
    /// Arc length along the centreline (m).
    public var s: Double
    /// World position (m).
    public var x: Double
    public var y: Double
    /// Speed over ground (m/s).
    public var speed: Double
    /// Held steering command (-1...1, positive left).
    public var steering: Double
    /// Held throttle (0...1).
    public var throttle: Double
    /// Held brake (0...1).
    public var brake: Double
    /// Offset from the centreline (m, positive left).
    public var lateral: Double
    /// Surface under the car.
    public var surface: Surface
}

/// Writes telemetry as CSV: a header line, then one row per sample.
///
/// Columns (docs/telemetry.md): `time_s,car,driver,lap,lap_time_s,s_m,x_m,y_m,speed_mps,speed_kph,steering,throttle,brake,
/// lateral_m,surface`. RFC 4180: comma-separated, `.` decimals, a name with a comma or quote is quoted.
public enum TelemetryCSV {
    /// The header line (without newline).
    public static let header =
        "time_s,car,driver,lap,lap_time_s,s_m,x_m,y_m,speed_mps,speed_kph,steering,throttle,brake,lateral_m,surface"

    /// The CSV text for `samples`; `names` gives each car's driver name (commas and quotes are escaped).
    public static func text(_ samples: [TelemetrySample], names: [String]) -> String {
        var out = header + "\n"
        out.reserveCapacity(samples.count * 110)
        for t in samples {
            let name = t.car < names.count ? names[t.car] : "car\(t.car)"
            let fields: [String] = [
                String(format: "%.4f", t.time), String(t.car), escape(name), String(t.lap), String(format: "%.4f", t.lapTime),
                String(format: "%.3f", t.s), String(format: "%.3f", t.x), String(format: "%.3f", t.y),
                String(format: "%.3f", t.speed), String(format: "%.2f", t.speed * 3.6),
                String(format: "%.4f", t.steering), String(format: "%.4f", t.throttle),
                String(format: "%.4f", t.brake), String(format: "%.3f", t.lateral), t.surface.description,
            ]
            out += fields.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// Writes the CSV to `path` atomically; throws `LoadError` naming the path when it cannot be written.
    public static func write(_ samples: [TelemetrySample], names: [String], to path: String) throws(LoadError) {
        do {
            try text(samples, names: names).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw LoadError(file: path, expected: "cannot write telemetry: \(error.localizedDescription)")
        }
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
