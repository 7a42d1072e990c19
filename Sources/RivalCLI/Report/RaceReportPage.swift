import DriverPersona
import Foundation
import GSL
import Sim

/// The HTML report of a race (`rival race --report`): classification, the circuit with a driver's line coloured by
/// speed and every incident, the lap chart, lap times, each driver's lap-time distribution beside the persona that
/// produced it, and a driver's braking points per corner against the racing line's.
///
/// Every number in the classification comes from the same ``RaceReport`` that `--json` prints; each cell carries
/// the exact value in `data-value`.
struct RaceReportPage {
    /// What the page knows of each car besides the result (by car index).
    struct Driver {
        var persona: String?
        var skill: Double?
        var traits: HumanTraits?
        /// Braking onsets per corner: metres before the apex, one per visit (see ``BrakingPointLog``).
        var brakingOnsets: [[Double]]
    }

    var report: RaceReport
    var track: Track
    /// The racing line the policy follows (drawn as a reference), if known.
    var line: RacingLine?
    /// The corners (braking point and apex of the speed plan), if known.
    var corners: CornerMap?
    var telemetry: [TelemetrySample]
    var drivers: [Driver]
    /// The command that made the race, shown in the page.
    var command: String

    private var carCount: Int { report.classification.count }

    func html() -> String {
        let title = "Race report: \(report.track), \(report.laps) lap\(report.laps == 1 ? "" : "s"), "
            + "\(carCount) x \(report.car)"
        let subtitle = "Seed \(report.seed); " + String(format: "%.1f kg of fuel at the start; ", report.startFuel)
            + "made by `\(command)`. Everything here is in this one file."
        let defaultCar = report.finishingOrder.first ?? 0
        var body = summary()
        body += HTMLPage.section(id: "classification-section", heading: "Classification", classification())
        body += "<p><label for=\"driver-select\">Driver shown on the map and in the braking chart:</label>"
            + "<select id=\"driver-select\">"
        for car in report.finishingOrder {
            let e = report.classification.first { $0.car == car }!
            body += "<option value=\"\(car)\"\(car == defaultCar ? " selected" : "")>P\(e.position) "
                + "\(Markup.escape(e.name))</option>"
        }
        body += "<option value=\"all\">every driver</option></select></p>\n"
        body += HTMLPage.section(id: "map-section", heading: "Circuit",
                                 note: "Drawn to scale, north up. The chosen driver's best lap (every driver's, with "
                                    + "'every driver') is coloured by speed; the "
                                    + "thin dashed line is the racing line. Markers: contacts (red circles), off-tracks "
                                    + "(orange triangles) and barrier hits (black squares) of every driver; hover for details.",
                                 trackMap(selected: defaultCar))
        body += HTMLPage.section(id: "lap-chart-section", heading: "Lap chart",
                                 note: "Position at the end of each lap (lap 0 is the grid).", lapChart())
        body += HTMLPage.section(id: "lap-times-section", heading: "Lap times by lap", lapTimesChart() + lapTable())
        body += HTMLPage.section(id: "distributions-section", heading: "Lap-time distributions and personas",
                                 note: "Each driver's flying laps (lap 1, from the grid, is left out when there are "
                                    + "others): one dot a lap, the box from the lower to the upper quartile with the "
                                    + "median, a violin (kernel density) from 8 laps. Beside it, the persona and the "
                                    + "traits this driver drew from it.", distributions())
        body += HTMLPage.section(id: "braking-section", heading: "Braking points per corner",
                                 note: "Where the chosen driver started braking (brake over 20 %) for each corner, in "
                                    + "metres before the apex, on every visit (hollow: lap 1), against the racing line's "
                                    + "braking point (grey bar). Above the bar is earlier than the line; a corner without dots is one "
                                    + "the driver took without braking that hard.", brakingChart(selected: defaultCar))
        body += HTMLPage.section(id: "incidents-section", heading: "Incidents", incidentTable())
        return HTMLPage.document(title: title, subtitle: subtitle, body: body, script: Self.script)
    }

    /// Shows the elements of the chosen driver (`data-driver`) and hides the others'.
    static let script = """
    (function () {
      var select = document.getElementById('driver-select');
      function show(car) {
        document.querySelectorAll('[data-driver]').forEach(function (e) {
          e.style.display = car === 'all' || e.getAttribute('data-driver') === car ? '' : 'none';
        });
      }
      // A link may choose the driver: race.html#driver=3 (a car number) or #driver=all.
      var asked = /driver=(\\w+)/.exec(window.location.hash);
      if (asked && select.querySelector('option[value="' + asked[1] + '"]')) { select.value = asked[1]; }
      select.addEventListener('change', function () { show(select.value); });
      show(select.value);
      document.body.setAttribute('data-ready', 'true');
    })();
    """

    // MARK: - Sections

    private func summary() -> String {
        let contacts = report.incidents.filter { $0.kind == "contact" }.count
        let offs = report.incidents.filter { $0.kind == "off-track" }.count
        let walls = report.incidents.filter { $0.kind == "barrier" }.count
        let best = report.classification.compactMap { c in c.bestLap.map { (c, $0) } }.min { $0.1 < $1.1 }
        var items: [(String, String)] = []
        if let w = report.classification.first { items.append(("Winner", w.name)) }
        if let b = best { items.append(("Fastest lap", RaceReport.clock(b.1) + " (" + b.0.name + ")")) }
        items.append(("Contacts", String(contacts)))
        items.append(("Off-tracks", String(offs)))
        items.append(("Barrier hits", String(walls)))
        items.append(("Race time", RaceReport.clock(report.duration)))
        return HTMLPage.figures(items, id: "headline")
    }

    private func classification() -> String {
        var s = "<table id=\"classification\"><thead><tr><th>Pos</th><th class=\"text\">Driver</th>"
            + "<th class=\"text\">Persona</th><th>Laps</th><th>Total</th><th>Gap</th><th>Best lap</th><th>Spread (s)</th>"
            + "<th>Mistakes</th><th>Contacts</th><th>Off-tracks</th><th>Barrier hits</th></tr></thead><tbody>"
        for c in report.classification {
            func cell(_ field: String, _ value: Double?, _ text: String) -> String {
                "<td data-field=\"\(field)\"" + (value.map { " data-value=\"\(Markup.exact($0))\"" } ?? "") + ">"
                    + Markup.escape(text) + "</td>"
            }
            let gap = RaceReport.gapText(position: c.position, finished: c.finished, lapsBehind: c.lapsBehind,
                                         gap: c.gap ?? .nan)
            s += "<tr data-car=\"\(c.car)\">" + cell("position", Double(c.position), String(c.position))
            s += "<td class=\"text\" data-field=\"name\"><span class=\"swatch\" style=\"background:\(Palette.driver(c.car))\">"
                + "</span>\(Markup.escape(c.name))</td>"
            s += "<td class=\"text\" data-field=\"persona\">\(Markup.escape(c.persona ?? "-"))</td>"
            s += cell("laps", Double(c.laps), String(c.laps))
            s += cell("totalTime", c.finished ? c.totalTime : nil, c.finished ? RaceReport.clock(c.totalTime) : "\(c.laps) laps")
            s += cell("gap", c.gap, gap)
            s += cell("bestLap", c.bestLap, c.bestLap.map(RaceReport.clock) ?? "-")
            s += cell("lapTimeSpread", c.lapTimeSpread, c.lapTimeSpread.map { String(format: "%.3f", $0) } ?? "-")
            s += cell("mistakes", Double(c.mistakes), String(c.mistakes))
            s += cell("contacts", Double(c.contacts), String(c.contacts))
            s += cell("offTracks", Double(c.offTracks), String(c.offTracks))
            s += cell("barrierHits", Double(c.barrierHits), String(c.barrierHits)) + "</tr>"
        }
        return s + "</tbody></table>"
    }

    /// Telemetry of one car, in time order.
    private func trackMap(selected: Int) -> String {
        let map = TrackMap(track: track)
        var s = "<svg id=\"track-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(map.width)) "
            + "\(Int(map.height))\" width=\"\(Int(map.width))\" height=\"\(Int(map.height))\" role=\"img\">"
            + "<title>\(Markup.escape(report.track)) to scale</title>\n" + map.base()
        if let line {
            s += map.polyline(xs: line.x + [line.x[0]], ys: line.y + [line.y[0]],
                              attributes: "class=\"racing-line\" stroke=\"#555\" stroke-width=\"0.8\" stroke-dasharray=\"4 3\"")
        }
        // Each car's samples, in time order.
        let byCar = Dictionary(grouping: telemetry, by: \.car)
        // One best lap per driver, coloured on one speed scale.
        let bySpeed = telemetry.map(\.speed).filter(\.isFinite)
        let low = bySpeed.min() ?? 0, high = bySpeed.max() ?? 1
        for c in report.classification {
            guard let best = c.bestLap, let lapIndex = c.lapTimes.firstIndex(of: best) else { continue }
            let lap = (byCar[c.car] ?? []).filter { $0.lap == lapIndex + 1 }
            s += "<g class=\"driver-line\" data-driver=\"\(c.car)\"\(c.car == selected ? "" : " style=\"display:none\"")>"
                + "<title>\(Markup.escape(c.name)): best lap (lap \(lapIndex + 1), \(RaceReport.clock(best)))</title>"
                + map.speedLine(xs: lap.map(\.x), ys: lap.map(\.y), speeds: lap.map(\.speed), minSpeed: low, maxSpeed: high)
                + "</g>\n"
        }
        s += map.speedLegend(minSpeed: low, maxSpeed: high)
        s += "<g class=\"incidents\">"
        for e in report.incidents {
            let p = position(of: e, samples: byCar[e.car] ?? [], map: map)
            let name = report.classification.first { $0.car == e.car }?.name ?? "car \(e.car)"
            var tip = "\(name): \(e.kind) on lap \(e.lap) at " + RaceReport.clock(e.time)
                + String(format: ", %.0f km/h, %.0f m from the start line", e.speed * 3.6, e.s)
            if let o = e.otherCar, let other = report.classification.first(where: { $0.car == o }) { tip += ", with \(other.name)" }
            let x = Markup.n(p.0), y = Markup.n(p.1), t = "<title>\(Markup.escape(tip))</title>"
            switch e.kind {
            case "contact":
                s += "<circle class=\"incident contact\" cx=\"\(x)\" cy=\"\(y)\" r=\"5\" fill=\"#d62728\" stroke=\"white\">\(t)</circle>"
            case "barrier":
                s += "<rect class=\"incident barrier\" x=\"\(Markup.n(p.0 - 4.5))\" y=\"\(Markup.n(p.1 - 4.5))\" width=\"9\" "
                    + "height=\"9\" fill=\"#111\" stroke=\"white\">\(t)</rect>"
            default:
                s += "<path class=\"incident off-track\" d=\"M\(x) \(Markup.n(p.1 - 6))l5.5 9.5h-11z\" fill=\"#ff8c00\" "
                    + "stroke=\"white\">\(t)</path>"
            }
        }
        return s + "</g></svg>"
    }

    /// Where an incident happened on the page: the car's telemetry sample nearest in time, else the centreline.
    private func position(of e: RaceReport.Event, samples: [TelemetrySample], map: TrackMap) -> (Double, Double) {
        // The first sample at or after the incident (binary search), or the one before it if nearer.
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].time < e.time { low = mid + 1 } else { high = mid }
        }
        let candidates = [low - 1, low].filter { samples.indices.contains($0) }.map { samples[$0] }
        if let b = candidates.min(by: { abs($0.time - e.time) < abs($1.time - e.time) }), abs(b.time - e.time) < 1 {
            return map.page(b.x, b.y)
        }
        let p = track.point(s: e.s, lateral: 0)
        return map.page(p.x, p.y)
    }

    /// Positions at the end of each lap (lap 0: the grid, in car-index order).
    func positionsByLap() -> [[Int: Int]] {
        let laps = report.classification.map(\.lapTimes.count).max() ?? 0
        var out: [[Int: Int]] = [Dictionary(uniqueKeysWithValues: (0..<carCount).map { ($0, $0 + 1) })]
        for lap in 1...max(laps, 1) where laps > 0 {
            var done: [(car: Int, time: Double)] = []
            for c in report.classification where c.lapTimes.count >= lap {
                done.append((c.car, c.lapTimes.prefix(lap).reduce(0, +)))
            }
            done.sort { a, b in a.time != b.time ? a.time < b.time : a.car < b.car }
            out.append(Dictionary(uniqueKeysWithValues: done.enumerated().map { ($0.element.car, $0.offset + 1) }))
        }
        return out
    }

    private func lapChart() -> String {
        let positions = positionsByLap()
        let laps = positions.count - 1
        let frame = ChartFrame(width: 900, height: max(220, 40 + 26 * Double(carCount)),
                               margins: (56, 170, 16, 44), x: (0, Double(max(laps, 1))), y: (0.5, Double(carCount) + 0.5),
                               yDownward: true)
        var s = frame.open(id: "lap-chart", title: "Position by lap")
        s += frame.axes(xLabel: "lap", yLabel: "position", xTicks: Array(0...max(laps, 1)).map(Double.init),
                        yTicks: (1...max(carCount, 1)).map(Double.init), xFormat: { String(Int($0)) },
                        yFormat: { "P" + String(Int($0)) })
        for c in report.classification {
            let points = positions.enumerated().compactMap { lap, map in map[c.car].map { (lap, $0) } }
            let colour = Palette.driver(c.car)
            let coords = points.map { Markup.n(frame.x(Double($0.0))) + "," + Markup.n(frame.y(Double($0.1))) }
            s += "<g class=\"lap-chart-driver\" data-car=\"\(c.car)\"><title>\(Markup.escape(c.name))</title>"
                + "<polyline points=\"\(coords.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\"/>"
            for p in points {
                s += "<circle cx=\"\(Markup.n(frame.x(Double(p.0))))\" cy=\"\(Markup.n(frame.y(Double(p.1))))\" r=\"3.2\" "
                    + "fill=\"\(colour)\"/>"
            }
            if let last = points.last {
                s += "<text x=\"\(Markup.n(frame.x(Double(last.0)) + 8))\" y=\"\(Markup.n(frame.y(Double(last.1)) + 4))\" "
                    + "font-size=\"12\" fill=\"\(colour)\">\(Markup.escape(c.name))</text>"
            }
            s += "</g>\n"
        }
        return s + "</svg>"
    }

    private func lapTimesChart() -> String {
        let laps = report.classification.map(\.lapTimes.count).max() ?? 0
        let all = report.classification.flatMap(\.lapTimes)
        guard laps > 0, let lo = all.min(), let hi = all.max() else { return "<p>No completed laps.</p>" }
        let pad = max((hi - lo) * 0.06, 0.05)
        let frame = ChartFrame(width: 900, height: max(320, 14 * Double(carCount) + 80), margins: (64, 170, 16, 44), x: (0.7, Double(laps) + 0.3),
                               y: (lo - pad, hi + pad))
        // Names at the ends of the lines, pushed apart so that they do not overlap (12 px apart at least).
        var ends = report.classification.compactMap { c in c.lapTimes.last.map { (car: c.car, y: frame.y($0) + 4) } }
        ends.sort { $0.y < $1.y }
        for k in ends.indices.dropFirst() where ends[k].y < ends[k - 1].y + 12 { ends[k].y = ends[k - 1].y + 12 }
        if let last = ends.indices.last {
            ends[last].y = min(ends[last].y, frame.height - frame.bottom + 4)
            for k in ends.indices.dropLast().reversed() { ends[k].y = min(ends[k].y, ends[k + 1].y - 12) }
        }
        let labelY = Dictionary(uniqueKeysWithValues: ends.map { ($0.car, $0.y) })
        var s = frame.open(id: "lap-times", title: "Lap times by lap")
        s += frame.axes(xLabel: "lap", yLabel: "lap time", xTicks: (1...laps).map(Double.init), xFormat: { String(Int($0)) },
                        yFormat: Self.tick)
        for c in report.classification where !c.lapTimes.isEmpty {
            let colour = Palette.driver(c.car)
            let coords = c.lapTimes.enumerated().map { Markup.n(frame.x(Double($0.offset + 1))) + "," + Markup.n(frame.y($0.element)) }
            s += "<g class=\"lap-times-driver\" data-car=\"\(c.car)\"><title>\(Markup.escape(c.name))</title>"
                + "<polyline points=\"\(coords.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>"
            for (k, t) in c.lapTimes.enumerated() {
                s += "<circle cx=\"\(Markup.n(frame.x(Double(k + 1))))\" cy=\"\(Markup.n(frame.y(t)))\" r=\"3\" fill=\"\(colour)\">"
                    + "<title>\(Markup.escape(c.name)), lap \(k + 1): \(RaceReport.clock(t))</title></circle>"
            }
            if c.lapTimes.count > 0 {
                s += "<text x=\"\(Markup.n(frame.x(Double(c.lapTimes.count)) + 8))\" y=\"\(Markup.n(labelY[c.car] ?? 0))\" "
                    + "font-size=\"11\" fill=\"\(colour)\">\(Markup.escape(c.name))</text>"
            }
            s += "</g>\n"
        }
        return s + "</svg>"
    }

    private func lapTable() -> String {
        let laps = report.classification.map(\.lapTimes.count).max() ?? 0
        guard laps > 0 else { return "" }
        var s = "<table id=\"lap-table\"><thead><tr><th>Pos</th><th class=\"text\">Driver</th>"
        for lap in 1...laps { s += "<th>Lap \(lap)</th>" }
        s += "</tr></thead><tbody>"
        for c in report.classification {
            s += "<tr data-car=\"\(c.car)\"><td>\(c.position)</td><td class=\"text\">\(Markup.escape(c.name))</td>"
            for k in 0..<laps {
                if k < c.lapTimes.count {
                    let t = c.lapTimes[k]
                    let best = t == c.bestLap ? " style=\"font-weight:700\"" : ""
                    s += "<td data-lap=\"\(k + 1)\" data-value=\"\(Markup.exact(t))\"\(best)>\(RaceReport.clock(t))</td>"
                } else {
                    s += "<td>-</td>"
                }
            }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }

    /// A lap-time axis label: `1:55` on whole seconds, else `1:55.5`.
    static func tick(_ t: Double) -> String {
        let minutes = Int(t / 60), seconds = t - Double(minutes) * 60
        let whole = abs(seconds - seconds.rounded()) < 1e-6
        let sec = whole ? String(format: "%02d", Int(seconds.rounded())) : String(format: "%04.1f", seconds)
        return minutes > 0 ? "\(minutes):\(sec)" : sec
    }

    /// The laps a driver's distribution shows: the flying laps, or lap 1 when it is the only one.
    private func shownLaps(_ c: RaceReport.Car) -> [Double] {
        c.lapTimes.count >= 2 ? Array(c.lapTimes.dropFirst()) : c.lapTimes
    }

    /// The traits shown beside each distribution, with a short heading.
    private static let traitColumns: [(TraitName, String)] = [
        (.reactionTime, "reaction"), (.brakingPointBias, "braking bias"), (.brakingPointSpread, "braking spread"),
        (.lapFormSpread, "lap form"), (.commitmentSpread, "commitment"), (.aggression, "aggression"),
    ]

    private func distributions() -> String {
        let all = report.classification.flatMap(shownLaps)
        guard let lo = all.min(), let highest = all.max() else { return "<p>No completed laps.</p>" }
        // A few very slow laps (a spin, a trip through the gravel) would squash every box: the axis stops at the
        // 95th percentile plus half the range below it, and slower laps sit at its right edge as arrows.
        let q95 = SummaryStatistics(all).quantile(0.95)
        let hi = min(highest, q95 + 0.5 * (q95 - lo))
        let pad = max((hi - lo) * 0.05, 0.05)
        let scale = LinearScale(domain: (lo - pad, hi + pad), range: (8, 232))
        // A race of bare policies has no personas: no persona and trait columns then.
        let columns = drivers.contains { $0.traits != nil } ? Self.traitColumns : []
        var s = "<table id=\"distributions\"><thead><tr><th class=\"text\">Driver</th>"
            + (columns.isEmpty ? "" : "<th class=\"text\">Persona</th>")
        for (t, heading) in columns {
            let unit = t.unit == "1" ? "" : "<br>(\(t.unit))"
            s += "<th title=\"\(t.rawValue): \(Markup.escape(t.summary))\">\(heading)\(unit)</th>"
        }
        s += "<th class=\"text\">Laps (lap time)</th></tr></thead><tbody>"
        for c in report.classification {
            let d = c.car < drivers.count ? drivers[c.car] : nil
            s += "<tr data-car=\"\(c.car)\"><td class=\"text\"><span class=\"swatch\" style=\"background:"
                + "\(Palette.driver(c.car))\"></span>\(Markup.escape(c.name))</td>"
            let persona = d?.persona.map { p in p + (d?.skill.map { String(format: " (skill %.2f)", $0) } ?? "") } ?? "-"
            if !columns.isEmpty { s += "<td class=\"text\" data-field=\"persona\">\(Markup.escape(persona))</td>" }
            for (t, _) in columns {
                if let traits = d?.traits {
                    s += "<td data-trait=\"\(t.rawValue)\" data-value=\"\(Markup.exact(traits[t]))\">"
                        + String(format: "%.3g", traits[t]) + "</td>"
                } else {
                    s += "<td>-</td>"
                }
            }
            let laps = shownLaps(c)
            s += "<td class=\"plot\">" + distributionPlot(laps, car: c.car, scale: scale)
                + "</td></tr>"
        }
        // The shared time axis, under the distribution column.
        var axis = "<svg class=\"distribution-axis\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 24\" width=\"240\" "
            + "height=\"24\" role=\"img\"><title>lap-time axis</title><g font-size=\"10\" fill=\"#444\" text-anchor=\"middle\">"
        for t in scale.ticks(4) {
            axis += "<line x1=\"\(Markup.n(scale(t)))\" x2=\"\(Markup.n(scale(t)))\" y1=\"0\" y2=\"5\" stroke=\"#888\"/>"
                + "<text x=\"\(Markup.n(scale(t)))\" y=\"17\">\(Self.tick(t))</text>"
        }
        axis += "</g></svg>"
        return s + "</tbody><tfoot><tr><td colspan=\"\(columns.isEmpty ? 1 : columns.count + 2)\"></td><td class=\"plot\">\(axis)</td></tr>"
            + "</tfoot></table>"
    }

    /// One row's plot: dots, box and median, and a violin from 8 laps.
    private func distributionPlot(_ laps: [Double], car: Int, scale: LinearScale) -> String {
        let h = 34.0, mid = h / 2, colour = Palette.driver(car)
        var s = "<svg class=\"distribution\" data-car=\"\(car)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 \(Int(h))\" "
            + "width=\"240\" height=\"\(Int(h))\" role=\"img\"><title>\(laps.count) laps</title>"
        guard !laps.isEmpty else { return s + "</svg>" }
        let stats = SummaryStatistics(laps)
        if laps.count >= 8 {
            // Gaussian kernel density, Silverman's bandwidth, drawn symmetric about the middle.
            let sd = max(stats.standardDeviation, 1e-3)
            let bandwidth = 1.06 * sd * pow(Double(laps.count), -0.2)
            let grid = (0...60).map { scale.lower + (scale.upper - scale.lower) * Double($0) / 60 }
            let density = grid.map { x in laps.reduce(0) { $0 + exp(-0.5 * pow((x - $1) / bandwidth, 2)) } }
            let top = max(density.max() ?? 1, 1e-12)
            var upper = "", lower = ""
            for (k, x) in grid.enumerated() {
                let dy = density[k] / top * (mid - 2)
                upper += (k == 0 ? "M" : "L") + Markup.n(scale(x)) + " " + Markup.n(mid - dy)
                lower = "L" + Markup.n(scale(x)) + " " + Markup.n(mid + dy) + lower
            }
            s += "<path class=\"violin\" d=\"\(upper)\(lower)Z\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"\(colour)\" "
                + "stroke-opacity=\"0.5\"/>"
        }
        if laps.count >= 4 {
            let q1 = stats.quantile(0.25), q3 = min(stats.quantile(0.75), scale.upper)
            s += "<line x1=\"\(Markup.n(scale(stats.minimum)))\" x2=\"\(Markup.n(scale(min(stats.maximum, scale.upper))))\" y1=\"\(mid)\" y2=\"\(mid)\" "
                + "stroke=\"#666\"/>"
            s += "<rect class=\"box\" x=\"\(Markup.n(scale(q1)))\" y=\"\(Markup.n(mid - 7))\" width=\"\(Markup.n(max(scale(q3) - scale(q1), 1)))\" "
                + "height=\"14\" fill=\"white\" fill-opacity=\"0.6\" stroke=\"#333\"/>"
        }
        let median = stats.quantile(0.5)
        s += "<line class=\"median\" x1=\"\(Markup.n(scale(median)))\" x2=\"\(Markup.n(scale(median)))\" y1=\"\(Markup.n(mid - 9))\" "
            + "y2=\"\(Markup.n(mid + 9))\" stroke=\"#111\" stroke-width=\"2\"><title>median "
            + "\(RaceReport.clock(median))</title></line>"
        for (k, t) in laps.enumerated() {
            let jitter = (Double((k * 7) % 9) - 4) * 1.4
            if t > scale.upper {
                let x = scale(scale.upper)
                s += "<path class=\"lap beyond\" d=\"M\(Markup.n(x - 6)) \(Markup.n(mid + jitter - 4))l6 4l-6 4z\" fill=\"\(colour)\">"
                    + "<title>\(RaceReport.clock(t)) (beyond the axis)</title></path>"
            } else {
                s += "<circle class=\"lap\" cx=\"\(Markup.n(scale(t)))\" cy=\"\(Markup.n(mid + jitter))\" r=\"2.6\" fill=\"\(colour)\">"
                    + "<title>\(RaceReport.clock(t))</title></circle>"
            }
        }
        return s + "</svg>"
    }

    private func brakingChart(selected: Int) -> String {
        guard let corners, !corners.corners.isEmpty else {
            return "<p>No corner map for this race.</p>"
        }
        let reference = corners.corners.map { corners.distance(from: $0.brake, to: $0.apex) }
        let visits = drivers.flatMap { $0.brakingOnsets.flatMap { $0 } }
        let hi = max(reference.max() ?? 100, visits.max() ?? 0) * 1.08
        let n = corners.corners.count
        let frame = ChartFrame(width: 900, height: 340, x: (0.4, Double(n) + 0.6), y: (0, hi))
        var s = frame.open(id: "braking-points", title: "Braking points per corner")
        s += frame.axes(xLabel: "corner (in lap order from the start line)", yLabel: "braking onset, m before the apex",
                        xTicks: (1...n).map(Double.init), xFormat: { "T" + String(Int($0)) }, yFormat: { String(Int($0)) })
        let barWidth = min(28, (frame.x(2) - frame.x(1)) * 0.7)
        s += "<g class=\"racing-line-braking\" fill=\"#bbb\">"
        for (j, r) in reference.enumerated() {
            let c = corners.corners[j]
            s += "<rect x=\"\(Markup.n(frame.x(Double(j + 1)) - barWidth / 2))\" y=\"\(Markup.n(frame.y(r) - 1.5))\" "
                + "width=\"\(Markup.n(barWidth))\" height=\"3\"><title>T\(j + 1): the racing line brakes "
                + String(format: "%.0f m before the apex (%.0f to %.0f km/h)", r, c.entrySpeed * 3.6, c.apexSpeed * 3.6)
                + "</title></rect>"
        }
        s += "</g>\n"
        for c in report.classification {
            guard c.car < drivers.count else { continue }
            let colour = Palette.driver(c.car)
            s += "<g class=\"driver-braking\" data-driver=\"\(c.car)\"\(c.car == selected ? "" : " style=\"display:none\"")>"
            for (j, onsets) in drivers[c.car].brakingOnsets.enumerated() where j < n {
                for (v, d) in onsets.enumerated() {
                    let x = frame.x(Double(j + 1)) + (Double(v % 5) - 2) * barWidth / 6
                    let fill = v == 0 ? "white" : colour
                    s += "<circle cx=\"\(Markup.n(x))\" cy=\"\(Markup.n(frame.y(d)))\" r=\"3.2\" fill=\"\(fill)\" "
                        + "stroke=\"\(colour)\"><title>\(Markup.escape(c.name)), T\(j + 1), visit \(v + 1): "
                        + String(format: "%.1f m before the apex (line %.1f m)", d, reference[j]) + "</title></circle>"
                }
            }
            s += "</g>\n"
        }
        return s + "</svg>"
    }

    private func incidentTable() -> String {
        guard !report.incidents.isEmpty else { return "<p id=\"incident-table\">No incidents.</p>" }
        var s = "<table id=\"incident-table\"><thead><tr><th>Time</th><th>Lap</th><th class=\"text\">Driver</th>"
            + "<th class=\"text\">Kind</th><th class=\"text\">With</th><th>Distance (m)</th><th>Speed (km/h)</th></tr></thead><tbody>"
        for e in report.incidents {
            let name = report.classification.first { $0.car == e.car }?.name ?? "car \(e.car)"
            let other = e.otherCar.flatMap { o in report.classification.first { $0.car == o }?.name } ?? ""
            s += "<tr><td>\(RaceReport.clock(e.time))</td><td>\(e.lap)</td><td class=\"text\">\(Markup.escape(name))</td>"
                + "<td class=\"text\">\(Markup.escape(e.kind))</td><td class=\"text\">\(Markup.escape(other))</td>"
                + String(format: "<td>%.0f</td><td>%.0f</td></tr>", e.s, e.speed * 3.6)
        }
        return s + "</tbody></table>"
    }
}
