import ArgumentParser
import Foundation
import PolicyCore
import Sim

/// `rival expert`: the expert driver alone on track against the physical limit, for one circuit and car or
/// for every shipped circuit and car (`--all`), as a table.
struct ExpertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expert",
        abstract: "Drive the expert alone on track and compare its laps with the limit lap time.",
        discussion: """
            One expert from a standing start (fresh tyres, the race's default starting fuel for the laps driven: \
            the race distance's plus one lap, 'fuel' in kg); laps from the second on are compared. 'limit' is the \
            empty-tank limit lap (rival limit) and 'ratio' the slowest compared lap over it; 'fuelled' is the \
            limit for the mean fuel on board over the compared laps and 'f-ratio' the slowest lap over that. \
            See docs/expert-vs-limit.md.
            """)

    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Option(help: "Laps to drive (2...50); the first (standing start) is not compared.") var laps = 3
    @Flag(help: "Every shipped circuit with every shipped car.") var all = false
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @Flag(help: "No progress bar.") var quiet = false
    @Option(name: .customLong("trace"), help: .hidden) var traceFile: String?

    func validate() throws {
        guard (2...50).contains(laps) else { throw ValidationError("--laps: \(laps): expected an integer in 2...50") }
        if let path = traceFile { try OutputPath.check(path, flag: "--trace") }
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
            print("| circuit | car | start fuel (kg) | limit (empty tank) | expert best | expert worst "
                + "| ratio to empty-tank limit | limit (fuel on board) | ratio to fuelled limit | off-tracks | barrier |")
            print("|---|---|---|---|---|---|---|---|---|---|---|")
        } else {
            print("circuit        car       fuel   limit      best       worst      ratio   fuelled    f-ratio  off  barrier")
        }
        let display = ProgressDisplay(enabled: !quiet)
        for (k, (track, car)) in pairs.enumerated() {
            display.bar(Double(k) / Double(pairs.count), "run \(k + 1) of \(pairs.count): \(track.name), \(car.name)")
            var trace = traceFile == nil ? nil : ExpertTrace()
            let check: ExpertLapCheck
            do {
                check = try ExpertLapCheck.run(track: track, car: car, laps: laps,
                                               afterStep: trace == nil ? nil : { trace!.record($0) })
            } catch {
                throw UserError(error.description)
            }
            if let path = traceFile, let text = trace?.text {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            rows.append(check)
            display.clear()
            print(markdown ? Self.markdownRow(check) : Self.row(check))
        }
        if rows.count > 1 {
            let clean = rows.filter(\.isClean).count
            let ratios = rows.map(\.ratio).sorted(), empty = rows.map(\.emptyTankRatio).sorted()
            let worst = rows.max { $0.emptyTankRatio < $1.emptyTankRatio }!
            let within = rows.filter { $0.isClean && $0.emptyTankRatio <= 1.025 }.count
            print(String(format: "\n%d of %d clean, %d clean and within 2.5 %% of the empty-tank limit; "
                         + "ratio to the empty-tank limit: worst %.4f (%@, %@), median %.4f; "
                         + "to the limit with the fuel on board: worst %.4f, median %.4f", clean, rows.count, within,
                         worst.emptyTankRatio, worst.track, worst.car, Self.median(empty), ratios.last ?? .nan,
                         Self.median(ratios)))
        }
    }

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }

    static func row(_ c: ExpertLapCheck) -> String {
        c.track.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
            + c.car.padding(toLength: 8, withPad: " ", startingAt: 0)
            + String(format: "  %5.1f  %9@  %9@  %9@  %.4f  %9@  %.4f   %3d  %7d", c.startFuel,
                     RaceReport.clock(c.limit), RaceReport.clock(c.best), RaceReport.clock(c.worst), c.emptyTankRatio,
                     RaceReport.clock(c.fuelledLimit), c.ratio, c.offTracks, c.barrierHits)
    }

    static func markdownRow(_ c: ExpertLapCheck) -> String {
        "| \(c.track) | \(c.car) | " + String(format: "%.1f", c.startFuel) + " | \(RaceReport.clock(c.limit)) | "
            + "\(RaceReport.clock(c.best)) | \(RaceReport.clock(c.worst)) | " + String(format: "%.4f", c.emptyTankRatio)
            + " | \(RaceReport.clock(c.fuelledLimit)) | " + String(format: "%.4f", c.ratio)
            + " | \(c.offTracks) | \(c.barrierHits) |"
    }
}

/// A per-0.05 s CSV trace of the first car of a race, for debugging the expert (`rival expert --trace FILE`).
struct ExpertTrace {
    private(set) var text = "time,s,speed,lateral,steering,throttle,brake,yawRate,vy,steerAngle,fuel,wear\n"

    mutating func record(_ race: Race) {
        guard race.stepCount % 6 == 0 else { return }
        let f = race.frenet[0], st = race.states[0], c = race.controls[0]
        text += String(format: "%.3f,%.2f,%.3f,%.3f,%.4f,%.3f,%.3f,%.4f,%.3f,%.4f,%.2f,%.5f\n", race.time, f.s, st.vx,
                       f.lateral, c.steering, c.throttle, c.brake, st.yawRate, st.vy, st.steeringAngle, st.fuelMass,
                       st.tyreWear)
    }
}
