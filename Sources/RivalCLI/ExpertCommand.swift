import ArgumentParser
import Foundation
import PolicyCore
import Sim

/// `rival expert`: the expert driver alone on track against the physical limit, for one circuit and car or
/// for every shipped circuit and car (`--all`), as a table.
struct ExpertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expert",
        abstract: "Drive the expert alone on track and compare its laps with the limit lap time.")

    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Option(help: "Laps to drive (2...50); the first (standing start) is not compared.") var laps = 3
    @Flag(help: "Every shipped circuit with every shipped car.") var all = false
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @Option(help: .hidden) var trace: String?

    func validate() throws {
        guard (2...50).contains(laps) else { throw ValidationError("--laps: \(laps): expected an integer in 2...50") }
        if let path = trace { try OutputPath.check(path, flag: "--trace") }
    }

    func run() throws {
        var pairs: [(Track, CarSpec)] = []
        if all {
            guard let tdir = DataDirectories.candidates("tracks").first, let cdir = DataDirectories.candidates("cars").first else {
                throw UserError("tracks/ or cars/ not found (run from the repository root or set RIVAL_DATA)")
            }
            let cars = try CarSpec.shippedNames(in: cdir).map { try CarSpec.resolve($0, searchDirectories: [cdir]) }
            for name in Track.shippedNames(in: tdir) {
                let track = try Track.resolve(name, searchDirectories: [tdir])
                for car in cars { pairs.append((track, car)) }
            }
        } else {
            pairs = [(try trackOption.load(), try carOption.load())]
        }
        var rows: [ExpertLapCheck] = []
        if markdown {
            print("| circuit | car | limit | expert best | expert worst | ratio | off-tracks | barrier |")
            print("|---|---|---|---|---|---|---|---|")
        } else {
            print("circuit        car       limit      best       worst      ratio   off  barrier")
        }
        for (track, car) in pairs {
            let check = try ExpertLapCheck.run(track: track, car: car, laps: laps, tracePath: trace)
            rows.append(check)
            print(markdown ? check.markdownRow : check.row)
        }
        if rows.count > 1 {
            let worst = rows.map(\.ratio).max() ?? .nan
            let clean = rows.filter { $0.offTracks == 0 && $0.barrierHits == 0 }.count
            print(String(format: "\n%d of %d clean; worst ratio %.4f", clean, rows.count, worst))
        }
    }
}

/// One expert alone on track: laps from the second on compared with the limit lap.
struct ExpertLapCheck {
    var track: String
    var car: String
    var limit: Double
    var best: Double
    var worst: Double
    var offTracks: Int
    var barrierHits: Int
    var ratio: Double { worst / limit }

    static func run(track: Track, car: CarSpec, laps: Int, tracePath: String?) throws -> ExpertLapCheck {
        let limit = RacingLineCache.shared.limit(track: track, car: car)
        if ProcessInfo.processInfo.environment["DIAG"] != nil {
            let line = RacingLineCache.shared.line(track: track, parameters: RacingLine.Parameters(
                vehicleWidth: car.chassis.overallWidthM, safetyMargin: 0.5))
            let vm = VehicleModel(spec: car)
            var out = "\(track.name) \(car.name) limit \(limit.lapTime)"
            for (f, g) in [(car.powertrain.fuelCapacityKg, 1.0), (car.powertrain.fuelCapacityKg * 0.9, 1.0), (car.powertrain.fuelCapacityKg, 0.97), (car.powertrain.fuelCapacityKg, 0.95), (0, 0.97)] {
                let p = SpeedProfile(line: line, vehicle: vm, gripScale: g, fuelMass: f)
                out += String(format: "  f%.0f g%.2f: %.4f", f, g, p.lapTime / limit.lapTime)
            }
            for g in [1.0, 0.97] {
                var st = ExpertSettings()
                st.gripScale = g
                let e = ExpertPlan(track: track, car: car, settings: st, fuelMass: 0)
                let ef = ExpertPlan(track: track, car: car, settings: st)
                out += String(format: "  axle g%.2f f0: %.4f full: %.4f", g, e.plannedLapTime / limit.lapTime, ef.plannedLapTime / limit.lapTime)
            }
            print(out)
            if let a = ProcessInfo.processInfo.environment["DIAGS"].flatMap(Double.init) {
                let i0 = Int(a / track.spacing)
                for i in stride(from: i0, to: i0 + 80, by: 4) {
                    let h0 = line.heading[i - 2], h1 = line.heading[i + 2]
                    let d = line.distance[i + 2] - line.distance[i - 2]
                    print(String(format: "s %.1f off %.3f kappa %.5f geo %.5f trackK %.5f", Double(i) * track.spacing, line.offset[i], line.curvature[i], remainder(h1 - h0, 2 * .pi) / d, track.curvature[i]))
                }
            }
        }
        let config = RaceConfig(laps: laps)
        var settings = ExpertSettings()
        let env = ProcessInfo.processInfo.environment
        func tune(_ key: String, _ path: WritableKeyPath<ExpertSettings, Double>) {
            if let v = env["TUNE_" + key].flatMap(Double.init) { settings[keyPath: path] = v }
        }
        tune("GRIP", \.gripScale); tune("YAW", \.yawGain); tune("BRAKE", \.brakeShare); tune("MINBRAKE", \.minimumBrakeShare); tune("SLIP", \.slipGain); tune("BRATE", \.brakeRate); tune("RESV", \.rearReserve); tune("RSF", \.rearSlipFraction); tune("REAR", \.rearGripScale); tune("REARBRAKE", \.rearBrakeShare); tune("RESERVE", \.lateralReserve); tune("TRACTION", \.tractionShare)
        tune("PREVIEW", \.previewTime); tune("SPEEDLEAD", \.speedLead); tune("GAIN", \.speedGain)
        tune("MINPREVIEW", \.minimumPreview); tune("KLEAD", \.curvatureLead)
        let entries = ExpertGrid.entries(track: track, car: car, count: 1, settings: settings)
        let race = try Race(track: track, entries: entries, config: config)
        var trace = tracePath == nil ? nil : "time,s,speed,planned,lateral,line,steering,throttle,brake,yawRate,vy,kappaLine,steerAngle,alphaF,alphaR,wl,wr\n"
        let expert = entries[0].driver as! ExpertDriver
        while !race.isFinished {
            race.step()
            if trace != nil, race.stepCount % 6 == 0 {
                let f = race.frenet[0], st = race.states[0], c = race.controls[0]
                trace! += String(format: "%.3f,%.2f,%.3f,%.3f,%.3f,%.3f,%.4f,%.3f,%.3f,%.4f,%.3f,%.5f,%.4f,%.4f,%.4f,%.2f,%.2f\n", race.time, f.s, st.vx,
                                 expert.plan.plannedSpeed(at: f.s), f.lateral, expert.plan.lineOffset(at: f.s),
                                 c.steering, c.throttle, c.brake, st.yawRate, st.vy,
                                 expert.plan.lineCurvature(at: f.s), st.steeringAngle,
                                 st.steeringAngle - atan2(st.vy + car.chassis.cogToFrontAxleM * st.yawRate, max(st.vx, 1)),
                                 -atan2(st.vy - (car.chassis.wheelbaseM - car.chassis.cogToFrontAxleM) * st.yawRate, max(st.vx, 1)),
                                 track.sample(at: f.s).widthLeft, track.sample(at: f.s).widthRight)
            }
        }
        if let path = tracePath, let text = trace { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let entry = race.result().entries[0]
        if ProcessInfo.processInfo.environment["PLANREPORT"] != nil {
            print(String(format: "plan %.3f laps %@ tracking %.4f", expert.plan.plannedLapTime, entry.lapTimes.map { String(format: "%.3f", $0) }.joined(separator: " "), (entry.lapTimes.dropFirst().max() ?? 0) / expert.plan.plannedLapTime))
        }
        let flying = entry.lapTimes.dropFirst()
        return ExpertLapCheck(track: track.name, car: car.name, limit: limit.lapTime,
                              best: flying.min() ?? .infinity, worst: flying.max() ?? .infinity,
                              offTracks: entry.offTracks, barrierHits: entry.barrierHits)
    }

    var row: String {
        track.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
            + car.padding(toLength: 8, withPad: " ", startingAt: 0)
            + String(format: "  %9@  %9@  %9@  %.4f  %3d  %7d", RaceReport.clock(limit), RaceReport.clock(best),
                     RaceReport.clock(worst), ratio, offTracks, barrierHits)
    }

    var markdownRow: String {
        "| \(track) | \(car) | \(RaceReport.clock(limit)) | \(RaceReport.clock(best)) | \(RaceReport.clock(worst)) | "
            + String(format: "%.4f", ratio) + " | \(offTracks) | \(barrierHits) |"
    }
}
