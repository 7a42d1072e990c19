import Foundation
import Sim

/// The HTML report of `rival limit --report`: the circuit to scale with the racing line coloured by the limit
/// speed, and the speed profile (speed, and the longitudinal and lateral acceleration, along the line).
struct LimitReportPage {
    var track: Track
    var car: String
    var line: RacingLine
    var profile: SpeedProfile
    var limit: LapLimit

    func html() -> String {
        let title = "Limit lap: \(limit.track), \(car)"
        let subtitle = "The fastest lap the car can do on its minimum-curvature racing line (quasi-steady speed profile, "
            + "fresh tyres, no fuel); see docs/racing-line.md."
        var body = HTMLPage.figures([
            ("Limit lap", limit.formattedLapTime),
            ("Line length", String(format: "%.0f m", limit.length)),
            ("Top speed", String(format: "%.1f km/h", limit.topSpeed * 3.6)),
            ("Minimum speed", String(format: "%.1f km/h", limit.minSpeed * 3.6)),
            ("Circuit length", String(format: "%.0f m", track.length)),
        ], id: "headline")
        body += HTMLPage.section(id: "map-section", heading: "Racing line",
                                 note: "Drawn to scale, north up; the line is coloured by the limit speed. Ticks every "
                                    + "500 m of the line.", map())
        body += HTMLPage.section(id: "profile-section", heading: "Speed profile",
                                 note: "Speed along the racing line, with the longitudinal acceleration (braking below 0) "
                                    + "and the lateral acceleration in g.", speedChart() + accelerationChart())
        return HTMLPage.document(title: title, subtitle: subtitle, body: body)
    }

    private func map() -> String {
        let map = TrackMap(track: track)
        var s = "<svg id=\"track-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(map.width)) "
            + "\(Int(map.height))\" width=\"\(Int(map.width))\" height=\"\(Int(map.height))\" role=\"img\">"
            + "<title>\(Markup.escape(track.name)) to scale with the racing line</title>\n" + map.base()
        let xs = line.x + [line.x[0]], ys = line.y + [line.y[0]], v = profile.speed + [profile.speed[0]]
        s += "<g id=\"racing-line\" data-points=\"\(xs.count)\">"
            + map.speedLine(xs: xs, ys: ys, speeds: v, minSpeed: profile.minSpeed, maxSpeed: profile.topSpeed, strokeWidth: 3)
            + "</g>"
        s += map.speedLegend(minSpeed: profile.minSpeed, maxSpeed: profile.topSpeed)
        s += "<g class=\"distance-marks\" font-size=\"10\" fill=\"#333\">"
        var next = 500.0
        for i in line.distance.indices where line.distance[i] >= next {
            let p = map.page(line.x[i], line.y[i])
            s += "<circle cx=\"\(Markup.n(p.0))\" cy=\"\(Markup.n(p.1))\" r=\"2.5\" fill=\"#111\"/>"
                + "<text x=\"\(Markup.n(p.0 + 5))\" y=\"\(Markup.n(p.1 - 4))\">\(Int(next)) m</text>"
            next += 500
        }
        return s + "</g></svg>"
    }

    /// Every `step`-th sample's line distance, plus the lap's end.
    private func samples(step: Int = 4) -> [Int] { Array(stride(from: 0, to: profile.count, by: step)) }

    private func speedChart() -> String {
        let frame = ChartFrame(width: 900, height: 300, x: (0, line.length),
                               y: (0, profile.topSpeed * 3.6 * 1.05))
        var s = frame.open(id: "speed-profile", title: "Limit speed along the racing line")
        s += frame.axes(xLabel: "distance along the racing line (m)", yLabel: "speed (km/h)", xFormat: { String(Int($0)) },
                        yFormat: { String(Int($0)) })
        let points = samples().map { Markup.n(frame.x(line.distance[$0])) + "," + Markup.n(frame.y(profile.speed[$0] * 3.6)) }
        s += "<polyline class=\"speed\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1f5fbf\" "
            + "stroke-width=\"1.8\"/>"
        if let slowest = profile.speed.indices.min(by: { profile.speed[$0] < profile.speed[$1] }) {
            s += "<circle cx=\"\(Markup.n(frame.x(line.distance[slowest])))\" cy=\"\(Markup.n(frame.y(profile.speed[slowest] * 3.6)))\" "
                + "r=\"4\" fill=\"#d62728\"><title>slowest: "
                + String(format: "%.1f km/h at %.0f m", profile.speed[slowest] * 3.6, line.distance[slowest]) + "</title></circle>"
        }
        return s + "</svg>"
    }

    private func accelerationChart() -> String {
        let g = 9.80665
        let along = profile.longitudinalAcceleration.map { $0 / g }, across = profile.lateralAcceleration.map { abs($0) / g }
        let lo = min(along.min() ?? -1, 0), hi = max(across.max() ?? 1, along.max() ?? 1)
        let frame = ChartFrame(width: 900, height: 240, x: (0, line.length), y: (lo * 1.05, hi * 1.05))
        var s = frame.open(id: "acceleration-profile", title: "Longitudinal and lateral acceleration along the racing line")
        s += frame.axes(xLabel: "distance along the racing line (m)", yLabel: "acceleration (g)", xFormat: { String(Int($0)) },
                        yFormat: { String(format: "%.1f", $0) })
        func trace(_ values: [Double], _ colour: String, _ name: String) -> String {
            let points = samples(step: 2).map { Markup.n(frame.x(line.distance[$0])) + "," + Markup.n(frame.y(values[$0])) }
            return "<polyline class=\"\(name)\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" "
                + "stroke-width=\"1.2\"><title>\(name)</title></polyline>"
        }
        s += trace(along, "#d62728", "longitudinal") + trace(across, "#2ca02c", "lateral")
        s += "<g font-size=\"11\"><text x=\"70\" y=\"28\" fill=\"#d62728\">longitudinal (g; braking below 0)</text>"
            + "<text x=\"300\" y=\"28\" fill=\"#2ca02c\">lateral (g, either way)</text></g>"
        return s + "</svg>"
    }
}
