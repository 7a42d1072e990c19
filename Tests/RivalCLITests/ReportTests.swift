import Foundation
import Testing

enum SortedMedian {
    static func of(_ values: [Double]) -> Double {
        let v = values.sorted()
        return v.isEmpty ? .nan : v[v.count / 2]
    }
}

/// The HTML reports, checked the way a person would look at them: rendered in headless Chromium, then the rendered
/// page is read back. Its charts must be there, and the numbers in its tables must be the ones the JSON result holds.
@Suite(.serialized) struct ReportTests {
    static let folder: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-report-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    struct Race: Decodable {
        struct Car: Decodable {
            var position: Int, car: Int, name: String, finished: Bool, laps: Int, totalTime: Double
            var gap: Double?, bestLap: Double?, lapTimes: [Double], lapTimeSpread: Double?, persona: String?
            var mistakes: Int, contacts: Int, offTracks: Int, barrierHits: Int
        }
        struct Event: Decodable { var kind: String, car: Int }
        var finishingOrder: [Int]
        var classification: [Car]
        var incidents: [Event]
    }

    static let raceArguments = ["race", "--track", "Catalunya", "--cars", "6", "--laps", "4", "--seed", "3",
                                "--grid", "rookie:2,club:2,pro:2", "--json"]

    @Test func raceReportRendersWithTheNumbersOfTheJSON() throws {
        let html = Self.folder.appendingPathComponent("race.html").path
        let out = try CLI.run(Self.raceArguments + ["--report", html])
        #expect(out.status == 0, "\(out.stderr)")
        let race = try JSONDecoder().decode(Race.self, from: Data(out.stdout.utf8))
        #expect(race.classification.count == 6)

        // Watching the drivers for the report leaves the race as it was.
        let plain = try CLI.run(Self.raceArguments)
        #expect(plain.stdout == out.stdout)

        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("http://") || DOM.count("http://", in: page) == DOM.count("http://www.w3.org/2000/svg", in: page),
                "the page fetches nothing: the only URLs are SVG namespaces")
        #expect(!page.contains("https://") && !page.contains("src=") && !page.contains("href="))
        let dom = try Chromium.dom(html)
        #expect(dom.contains("data-ready=\"true\""), "the page's script ran")

        // The classification: one row per car, in finishing order, each number as in the JSON.
        let table = try #require(DOM.element(id: "classification", in: dom))
        let rows = DOM.captures("<tr data-car=\"(\\d+)\"", in: table).compactMap(Int.init)
        #expect(rows == race.finishingOrder)
        for car in race.classification {
            let row = try #require(DOM.captures("(<tr data-car=\"\(car.car)\">.*?</tr>)", in: table).first)
            func value(_ field: String) -> Double? {
                DOM.captures("data-field=\"\(field)\" data-value=\"([^\"]+)\"", in: row).first.flatMap(Double.init)
            }
            func text(_ field: String) -> String? {
                DOM.captures("data-field=\"\(field)\"[^>]*>([^<]*)</td>", in: row).first
            }
            #expect(value("position") == Double(car.position))
            #expect(value("totalTime") == (car.finished ? car.totalTime : nil), "\(car.name)")
            #expect(value("bestLap") == car.bestLap, "\(car.name)")
            #expect(value("gap") == car.gap, "\(car.name)")
            #expect(value("lapTimeSpread") == car.lapTimeSpread, "\(car.name)")
            #expect(value("mistakes") == Double(car.mistakes) && value("contacts") == Double(car.contacts))
            #expect(value("offTracks") == Double(car.offTracks) && value("barrierHits") == Double(car.barrierHits))
            #expect(text("persona") == car.persona)
            #expect(row.contains(car.name))
            // What a reader sees: the best lap as m:ss.sss.
            if let best = car.bestLap {
                let minutes = Int(best / 60)
                #expect(text("bestLap") == String(format: "%d:%06.3f", minutes, best - Double(minutes) * 60))
            }
        }

        // The map: the circuit's asphalt, a best lap coloured by speed for every driver (only the chosen one shown),
        // and one marker per incident.
        let map = try #require(DOM.element(id: "track-map", in: dom))
        #expect(DOM.count("class=\"asphalt\"", in: map) == 1 && DOM.count("class=\"racing-line\"", in: map) == 1)
        let lines = DOM.captures("(<g class=\"driver-line\"[^>]*>)", in: map)
        #expect(lines.count == 6)
        #expect(lines.filter { !$0.replacingOccurrences(of: " ", with: "").contains("display:none") }.count == 1, "\(lines)")
        #expect(DOM.count("<polyline", in: map) >= 6 * 8, "speed bands make several polylines a lap")
        let colours = Set(DOM.captures("<polyline points=\"[^\"]*\" stroke=\"(#[0-9a-f]{6})\"", in: map))
        #expect(colours.count >= 6, "a lap of Catalunya spans many speed bands: \(colours)")
        #expect(DOM.count("class=\"incident ", in: map) == race.incidents.count)
        // The chooser, through a link: another driver's line and braking points show, the rest hide; or all of them.
        let last = race.finishingOrder.last!
        func visible(_ dom: String, _ kind: String) -> [Int] {
            DOM.captures("(<g class=\"\(kind)\" data-driver=\"\\d+\"[^>]*>)", in: dom)
                .filter { !$0.replacingOccurrences(of: " ", with: "").contains("display:none") }
                .compactMap { DOM.captures("data-driver=\"(\\d+)\"", in: $0).first.flatMap(Int.init) }
        }
        let chosen = try Chromium.dom(html, fragment: "driver=\(last)")
        #expect(visible(chosen, "driver-line") == [last] && visible(chosen, "driver-braking") == [last])
        let everyone = try Chromium.dom(html, fragment: "driver=all")
        #expect(visible(everyone, "driver-line").count == 6 && visible(everyone, "driver-braking").count == 6)

        // Lap chart and lap times: one line per driver; positions at the end of the last lap are the finishing order.
        let lapChart = try #require(DOM.element(id: "lap-chart", in: dom))
        #expect(DOM.count("class=\"lap-chart-driver\"", in: lapChart) == 6)
        let lapTimes = try #require(DOM.element(id: "lap-times", in: dom))
        #expect(DOM.count("<circle", in: lapTimes) == race.classification.reduce(0) { $0 + $1.lapTimes.count })
        let lapTable = try #require(DOM.element(id: "lap-table", in: dom))
        let shown = DOM.captures("data-lap=\"\\d+\" data-value=\"([^\"]+)\"", in: lapTable).compactMap(Double.init)
        #expect(shown == race.finishingOrder.flatMap { car in race.classification.first { $0.car == car }!.lapTimes })

        // Distributions beside the personas: one row a driver, with its persona and one dot per flying lap.
        let distributions = try #require(DOM.element(id: "distributions", in: dom))
        #expect(DOM.count("<svg class=\"distribution\"", in: distributions) == 6)
        #expect(DOM.count("class=\"lap\"", in: distributions) + DOM.count("class=\"lap beyond\"", in: distributions)
                    == race.classification.reduce(0) { $0 + max($1.lapTimes.count - 1, 0) })
        for persona in ["rookie (skill 0.10)", "club (skill 0.50)", "pro (skill 0.85)"] {
            #expect(DOM.count(persona, in: distributions) == 2, "\(persona)")
        }

        // Braking points: the racing line's mark for every corner, and the chosen driver's visits.
        let braking = try #require(DOM.element(id: "braking-points", in: dom))
        let corners = DOM.count("<rect", in: braking)
        #expect(corners >= 8, "Catalunya has at least 8 braking zones: \(corners)")
        #expect(DOM.count("class=\"driver-braking\"", in: braking) == 6)
        #expect(DOM.count("<circle", in: braking) >= 6 * 4, "every driver brakes for several corners on 4 laps")

        // And as a picture: the screenshot is a real PNG of the page.
        let png = Self.folder.appendingPathComponent("race.png").path
        try Chromium.screenshot(html, to: png)
        let data = try #require(FileManager.default.contents(atPath: png))
        #expect(data.count > 50_000 && data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func bareExpertRaceReportHasNoPersonaColumns() throws {
        let html = Self.folder.appendingPathComponent("expert.html").path
        let out = try CLI.run(["race", "--driver", "expert", "--track", "Norisring", "--cars", "3", "--laps", "3",
                               "--report", html, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let race = try JSONDecoder().decode(Race.self, from: Data(out.stdout.utf8))
        let dom = try Chromium.dom(html)
        let distributions = try #require(DOM.element(id: "distributions", in: dom))
        #expect(!distributions.contains("Persona") && !distributions.contains("data-trait"))
        #expect(DOM.count("class=\"lap\"", in: distributions) == race.classification.reduce(0) { $0 + $1.lapTimes.count - 1 })
        // Experts brake where the racing line does, within a few metres, on every flying visit.
        let braking = try #require(DOM.element(id: "braking-points", in: dom))
        let visits = DOM.captures("m before the apex \\(line ([0-9.]+) m\\)", in: braking).count
        let gaps = DOM.captures("visit [2-9]: ([0-9.]+ m before the apex \\(line [0-9.]+) m\\)", in: braking).map { text in
            let numbers = text.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
            return abs(numbers[0] - numbers[1])
        }
        #expect(visits >= 3 * 3 && !gaps.isEmpty, "\(visits) visits")
        #expect(SortedMedian.of(gaps) < 5, "\(gaps)")
    }

    @Test func limitReportDrawsTheLineAndTheSpeedProfile() throws {
        let html = Self.folder.appendingPathComponent("limit.html").path
        let out = try CLI.run(["limit", "--track", "Spa", "--car", "formula", "--report", html])
        #expect(out.status == 0, "\(out.stderr)")
        let lapTime = try #require(DOM.captures("limit lap (\\d:\\d\\d\\.\\d\\d\\d)", in: out.stdout).first)
        let dom = try Chromium.dom(html)
        let headline = try #require(DOM.element(id: "headline", in: dom))
        #expect(headline.contains("<b>\(lapTime)</b>"), "\(headline)")
        let map = try #require(DOM.element(id: "track-map", in: dom))
        #expect(DOM.count("class=\"asphalt\"", in: map) == 1)
        #expect(DOM.count("<polyline", in: map) >= 20, "Spa's line crosses the speed bands many times")
        // Distance marks every 500 m along the line's 6966 m.
        #expect(DOM.count("<text", in: map.components(separatedBy: "distance-marks")[1]) == 13)
        let profile = try #require(DOM.element(id: "speed-profile", in: dom))
        let points = try #require(DOM.captures("class=\"speed\" points=\"([^\"]+)\"", in: profile).first)
        #expect(points.split(separator: " ").count > 1000)
        #expect(DOM.element(id: "acceleration-profile", in: dom)?.contains("class=\"longitudinal\"") == true)
    }

    @Test func calibrationReportShowsTheFit() throws {
        let laps = (0..<12).map { String(format: "%.3f", 53.2 + 0.15 * Double($0 % 4)) }.joined(separator: "\n")
        let target = Self.folder.appendingPathComponent("target.csv").path
        try ("lap_time_s\n" + laps).write(toFile: target, atomically: true, encoding: .utf8)
        let html = Self.folder.appendingPathComponent("calibration.html").path
        let out = try CLI.run(["calibrate", "--target", target, "--track", "Norisring", "--persona", "pro",
                               "--free", "brakingPointBias", "--laps-per-eval", "20", "--drivers", "2", "--starts", "1",
                               "--iterations", "2", "--out", Self.folder.appendingPathComponent("fitted.json").path,
                               "--report", html, "--json", "--quiet"])
        #expect(out.status == 0, "\(out.stderr)")
        struct Summary: Decodable { var parameters: [String: Double], targetMean: Double, fittedMean: Double, fittedSD: Double }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(out.stdout.utf8))
        let dom = try Chromium.dom(html)
        let moments = try #require(DOM.element(id: "moments", in: dom))
        let means = DOM.captures("data-field=\"mean\" data-value=\"([^\"]+)\"", in: moments).compactMap(Double.init)
        #expect(means == [summary.targetMean, summary.fittedMean])
        let sds = DOM.captures("data-field=\"sd\" data-value=\"([^\"]+)\"", in: moments).compactMap(Double.init)
        #expect(sds.count == 2 && sds[1] == summary.fittedSD)
        let parameters = try #require(DOM.element(id: "parameters", in: dom))
        let fitted = DOM.captures("<tr data-trait=\"brakingPointBias\">.*?data-value=\"([^\"]+)\"", in: parameters).first
        #expect(fitted.flatMap(Double.init) == summary.parameters["brakingPointBias"])
        let plot = try #require(DOM.element(id: "calibration-plot", in: dom))
        #expect(DOM.count("<circle", in: plot) == 99 && plot.contains("class=\"target\""))
        #expect(DOM.element(id: "persona-json", in: dom)?.contains("rival.persona/1") == true)
    }

    @Test func telemetryCSVMatchesTheRace() throws {
        let csv = Self.folder.appendingPathComponent("telemetry.csv").path
        let out = try CLI.run(["race", "--track", "Norisring", "--cars", "3", "--laps", "3", "--driver", "expert", "--json",
                               "--telemetry", csv])
        #expect(out.status == 0, "\(out.stderr)")
        let race = try JSONDecoder().decode(Race.self, from: Data(out.stdout.utf8))
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "time_s,car,driver,lap,lap_time_s,s_m,x_m,y_m,speed_mps,speed_kph,steering,throttle,brake,"
                    + "lateral_m,surface")
        var rows: [[String]] = []
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 15, "line \(k + 2): \(line)")
            #expect(fields.enumerated().allSatisfy { i, f in i == 2 || i == 14 || Double(f) != nil }, "line \(k + 2): \(line)")
            rows.append(fields)
        }
        // Per car: time rises by 0.1 s a row (10 Hz), km/h is 3.6 m/s, and the time into each lap just before the line
        // is that lap's time in the result (within one 0.1 s sample).
        for car in race.classification {
            let mine = rows.filter { $0[1] == String(car.car) }
            #expect(mine.allSatisfy { $0[2] == car.name })
            // (The first sample is taken after the first physics step.)
            let times = Array(mine.compactMap { Double($0[0]) }.dropFirst())
            #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 0.1) < 1e-3 })
            #expect(mine.allSatisfy { abs(Double($0[9])! - 3.6 * Double($0[8])!) < 0.01 })
            for (k, lapTime) in car.lapTimes.enumerated() {
                let inLap = mine.filter { Int($0[3]) == k + 1 }.compactMap { Double($0[4]) }
                #expect(inLap.first.map { $0 < 0.1 + 1e-6 } == true, "lap \(k + 1) starts at the line")
                let last = try #require(inLap.max())
                #expect(lapTime - last >= -1e-6 && lapTime - last < 0.1 + 1e-6, "\(car.name) lap \(k + 1): \(last) vs \(lapTime)")
            }
        }
    }

    @Test func badReportPathsExitWithTwo() throws {
        for command in [["race"], ["limit"], ["calibrate", "--target-mean", "52", "--target-sd", "0.5"]] {
            let out = try CLI.run(command + ["--report", "/no/such/folder/report.html"])
            #expect(out.status == 2, "\(command): \(out.stderr)")
            #expect(out.stderr.contains("--report: /no/such/folder/report.html: folder /no/such/folder does not exist"),
                    "\(out.stderr)")
        }
        let out = try CLI.run(["race", "--report", Self.folder.path])
        #expect(out.status == 2 && out.stderr.contains("is a directory, expected a file path"), "\(out.stderr)")
    }
}
