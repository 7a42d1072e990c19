import ArgumentParser
import Foundation
import Sim

/// `rival limit`: the physical-limit lap of a car on a circuit (minimum-curvature line, quasi-steady speed
/// profile).
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Print the physical-limit lap time, top and minimum speeds of a car on a circuit.")

    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Flag(help: "Print {\"track\",\"car\",\"lapTime\",\"length\",\"topSpeed\",\"minSpeed\"} (seconds, metres, m/s).")
    var json = false
    @Option(help: "Also write a self-contained HTML report: the racing line to scale, coloured by speed, and the speed profile.")
    var report: String?

    func validate() throws {
        if let path = report { try OutputPath.check(path, flag: "--report") }
    }

    func run() throws {
        let track = try trackOption.load()
        let car = try carOption.load()
        let limit = RacingLineCache.shared.limit(track: track, car: car)
        if let path = report {
            let parameters = RacingLine.Parameters(vehicleWidth: car.chassis.overallWidthM, safetyMargin: 0.5)
            let page = LimitReportPage(track: track, car: car.name,
                                       line: RacingLineCache.shared.line(track: track, parameters: parameters),
                                       profile: RacingLineCache.shared.profile(track: track, car: car), limit: limit)
            try HTMLPage.write(page.html(), to: path)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(limit), as: UTF8.self))
        } else {
            print("\(limit.track), \(limit.car): limit lap \(limit.formattedLapTime)"
                + String(format: " (%.3f s), line length %.0f m, top speed %.1f km/h, minimum speed %.1f km/h",
                         limit.lapTime, limit.length, limit.topSpeed * 3.6, limit.minSpeed * 3.6))
        }
    }
}
