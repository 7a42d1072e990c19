import ArgumentParser
import Foundation
import Synchronization
import PolicyCore
import Sim

/// `rival eval`: the learned policy alone on track against the limit lap, for one circuit and car or the
/// whole table.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Drive the learned policy alone on track and compare its laps with the limit lap time.",
        discussion: """
            One car from a standing start; laps from the second on are compared with the limit lap (rival limit): \
            'ratio' is the slowest of them over the limit. With no --track every shipped circuit is driven, with \
            no --car every shipped car. --json prints {"runs":[{"track","car","lapTimes","limitLapTime","ratio",\
            "offTracks","contacts"}]} (seconds; 'contacts' counts barrier contacts; a ratio of null means fewer \
            than two laps were completed).

            --traffic races the policy against itself instead: --cars cars (default 10) from a standing-start grid \
            for --laps laps (default 5), one race per circuit and car, and counts car-to-car contacts, off-tracks \
            and barrier hits (the issue's traffic target is a race without contact); --json prints \
            {"trafficGuard":true,"races":[{"track","car","cars","laps","contacts","offTracks","barrierHits","finished"}]} \
            (trafficGuard: whether the network raced through its traffic guard; --no-traffic-guard races it alone).

            The network drives through its track guard (docs/policy.md, "The track guard"): alone on track it is \
            held to the speed plan, kept turning in tight corners and steered back towards its line when it \
            strays; in traffic it is steered back towards the expert's traffic target, with no speed cap, and a \
            slow car with a car closing from behind stays in the run-off, or on the track keeps to its side of the \
            racing line (docs/policy.md, "Rejoining"), as does any car off the track while a car on the track is \
            beside it or just behind ("Cars coming back"); --no-track-guard drives the network alone. Both \
            JSON forms also carry "trackGuard" (true or false).
            """)

    @Option(help: "Weights file (safetensors); default policies/default.safetensors.") var policy: String?
    @Option(help: "Circuit: a shipped name or a circuit CSV (default: every shipped circuit).") var track: String?
    @Option(help: "Car: a shipped name or a car JSON file (default: every shipped car).") var car: String?
    @Option(help: "Laps to drive (2...50, default 3); the first (standing start) is not compared. With --traffic, laps raced (1...50, default 5).")
    var laps: Int?
    @Flag(help: "Race the policy against itself (a grid of --cars) instead of driving it alone.") var traffic = false
    @Option(help: "With --traffic: cars on the grid (1...40).") var cars = 10
    @Flag(help: "Print the runs as JSON.") var json = false
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @Option(name: .customLong("trace"), help: .hidden) var traceFile: String?
    @Flag(name: .customLong("traffic-guard"), inversion: .prefixedNo,
          help: "With --traffic: hold the policy to the expert's traffic rule and steer it round stalled cars (docs/policy.md, \"The traffic guard\"); --no-traffic-guard races the network alone.")
    var trafficGuard = true
    @Flag(name: .customLong("track-guard"), inversion: .prefixedNo,
          help: "Alone on track, hold the policy to the speed plan, keep it turning in tight corners and steer it back towards its line when it strays; in traffic, steer it back towards the expert's traffic target (docs/policy.md, \"The track guard\"); --no-track-guard drives the network alone.")
    var trackGuard = true
    @Flag(help: "No progress bar.") var quiet = false

    func validate() throws {
        if let laps {
            let range = traffic ? 1...50 : 2...50
            guard range.contains(laps) else {
                throw ValidationError("--laps: \(laps): expected an integer in \(range.lowerBound)...\(range.upperBound)")
            }
        }
        guard (1...40).contains(cars) else { throw ValidationError("--cars: \(cars): expected an integer in 1...40") }
        if cars != 10 && !traffic { throw ValidationError("--cars: \(cars): only with --traffic") }
        if !trafficGuard && !traffic { throw ValidationError("--no-traffic-guard: only with --traffic (alone on track the guard does nothing)") }
        if traffic && traceFile != nil { throw ValidationError("--trace: only without --traffic") }
        if let path = traceFile { try OutputPath.check(path, flag: "--trace") }
    }

    func run() throws {
        let (file, contents, parameters) = try ShippedData.policy(policy)
        let tracks = try track.map { try ShippedData.tracks($0, flag: "--track") } ?? ShippedData.allTracks()
        let cars = try car.map { try ShippedData.cars($0, flag: "--car") } ?? ShippedData.allCars()
        let pairs = tracks.flatMap { t in cars.map { (t, $0) } }
        if traffic {
            try runTraffic(pairs: pairs, file: file, parameters: parameters)
            return
        }
        let laps = self.laps ?? 3
        var runs: [PolicyEvaluation] = []
        if !json {
            if markdown {
                print("| circuit | car | limit | best | worst | ratio | off-tracks | barrier |")
                print("|---|---|---|---|---|---|---|---|")
            } else {
                print("circuit        car       limit      best       worst      ratio   off  barrier")
            }
        }
        let heldOut = Set((contents.metadata["validation_tracks"] ?? "").split(separator: ",").map(String.init))
        let display = ProgressDisplay(enabled: !quiet)
        for (k, (t, c)) in pairs.enumerated() {
            display.bar(Double(k) / Double(pairs.count), "run \(k + 1) of \(pairs.count): \(t.name), \(c.name)")
            let network = try Self.network(parameters, file: file, track: t, car: c, config: RaceConfig(laps: laps))
            if !trackGuard { network.trackGuard = nil }
            // The trace passes the network's actions through unchanged, so a traced run is the run.
            let trace = traceFile.map { _ in PolicyTrace(policy: network, expert: ExpertDriver(plan: network.encoder.plan)) }
            let run = PolicyEvaluation.run(policy: trace ?? network, track: t, car: c, laps: laps)
            if let traceFile, let trace {
                try trace.text.write(toFile: traceFile, atomically: true, encoding: .utf8)
            }
            runs.append(run)
            guard !json else { continue }
            display.clear()
            let compared = run.lapTimes.dropFirst()
            let best = compared.min().map(RaceReport.clock) ?? "-", worst = compared.max().map(RaceReport.clock) ?? "-"
            let name = heldOut.contains(t.name) ? t.name + "*" : t.name
            let ratio = run.ratio.isFinite ? String(format: "%.4f", run.ratio) : "DNF"
            if markdown {
                print("| \(name) | \(c.name) | \(RaceReport.clock(run.limitLapTime)) | \(best) | \(worst) | \(ratio) "
                    + "| \(run.offTracks) | \(run.contacts) |")
            } else {
                print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                    + c.name.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + "  " + RaceReport.clock(run.limitLapTime).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "  " + best.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "  " + worst.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "  " + ratio.padding(toLength: 6, withPad: " ", startingAt: 0)
                    + String(format: "  %3d  %7d", run.offTracks, run.contacts))
            }
        }
        display.clear()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            struct Output: Encodable {
                var trackGuard: Bool
                var runs: [Run]
                struct Run: Encodable {
                    var track: String, car: String, lapTimes: [Double], limitLapTime: Double, ratio: Double?
                    var offTracks: Int, contacts: Int
                }
            }
            let output = Output(trackGuard: trackGuard, runs: runs.map {
                Output.Run(track: $0.track, car: $0.car, lapTimes: $0.lapTimes, limitLapTime: $0.limitLapTime,
                           ratio: $0.ratio.isFinite ? $0.ratio : nil, offTracks: $0.offTracks, contacts: $0.contacts)
            })
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else if runs.count > 1 {
            let finished = runs.filter { $0.ratio.isFinite }.map(\.ratio).sorted()
            print(String(format: "\n%d of %d clean, %d finished; ratio worst %.4f, median %.4f%@", runs.filter(\.isClean).count,
                         runs.count, finished.count, finished.last ?? .nan, ExpertCommand.median(finished),
                         heldOut.isEmpty ? "" : " (* = validation circuit, never trained on)")
                  + (trackGuard ? "" : "; without the track guard"))
        }
    }
}

/// A policy that records, every 0.1 s, what it did beside what the expert would have done (`rival eval --trace`).
final class PolicyTrace: Policy {
    let policy: any Policy
    let expert: ExpertDriver
    private(set) var text = "time,s,speed,lateral,headingError,steering,pedal,expertSteering,expertPedal,priorSteering,priorPedal,lineLateral0,lineLateral10,planSpeed0\n"
    private var features = [Float](repeating: 0, count: ObservationSpec.count)
    private var count = 0

    init(policy: any Policy, expert: ExpertDriver) {
        self.policy = policy
        self.expert = expert
    }

    func act(_ observation: Observation) -> Action {
        let action = policy.act(observation)
        let reference = expert.act(observation)
        if count % 6 == 0, let network = policy as? NetworkPolicy {
            let v = observation.view
            let prior = network.prior.map { network.encoder.prior(observation, kind: $0) } ?? Action()
            features.withUnsafeMutableBufferPointer { network.encoder.encode(observation, into: $0.baseAddress!) }
            let index = { (name: String) in ObservationSpec.features.firstIndex { $0.name == name }! }
            text += String(format: "%.2f,%.1f,%.2f,%.3f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.3f,%.2f\n", v.time, v.s,
                           v.speed, v.lateral, v.headingError, action.steering, action.pedal, reference.steering,
                           reference.pedal, prior.steering, prior.pedal, 10 * features[index("lineLateral@0")],
                           10 * features[index("lineLateral@10")], 50 * features[index("planSpeed@0")])
        }
        count += 1
        return action
    }
}

extension EvalCommand {
    /// The network for `track` and `car`, its plan made for the fuel a race run with `config` starts with.
    static func network(_ parameters: MLPParameters, file: String, track: Track, car: CarSpec,
                        config: RaceConfig) throws -> NetworkPolicy {
        do {
            let fuel = config.startingFuelMass(car: car, track: track)
            return try NetworkPolicy(parameters: parameters, encoder: ObservationEncoder(track: track, car: car, fuelMass: fuel),
                                     file: file)
        } catch {
            throw UserError("--policy: \(error)")
        }
    }

    /// `--traffic`: one race of the policy against itself per circuit and car, two at a time on two cores (each
    /// race is deterministic, so the table does not depend on the order they finish in).
    func runTraffic(pairs: [(Track, CarSpec)], file: String, parameters: MLPParameters) throws {
        let laps = self.laps ?? 5, cars = self.cars
        let config = RaceConfig(laps: laps)
        let networks = try pairs.map { try Self.network(parameters, file: file, track: $0.0, car: $0.1, config: config) }
        if !trafficGuard { for network in networks { network.trafficGuard = nil } }
        if !trackGuard { for network in networks { network.trackGuard = nil } }
        let display = ProgressDisplay(enabled: !quiet)
        let results = TrafficResults(count: pairs.count)
        let job = TrafficJob(pairs: pairs, networks: networks)
        DispatchQueue.concurrentPerform(iterations: min(2, pairs.count)) { worker in
            for k in stride(from: worker, to: job.pairs.count, by: 2) {
                let (t, c) = job.pairs[k]
                let race = TrafficEvaluation.run(policy: job.networks[k], track: t, car: c, cars: cars, laps: laps,
                                                 config: config)
                let done = results.set(k, race)
                display.bar(Double(done) / Double(job.pairs.count), "race \(done) of \(job.pairs.count): \(t.name), \(c.name)")
            }
        }
        display.clear()
        let races = results.all
        if json {
            struct Output: Encodable { var trafficGuard: Bool; var trackGuard: Bool; var races: [TrafficEvaluation] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let output = Output(trafficGuard: trafficGuard, trackGuard: trackGuard, races: races)
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        if markdown {
            print("| circuit | car | cars | laps | contacts | off-tracks | barrier | finished |")
            print("|---|---|---|---|---|---|---|---|")
        } else {
            print("circuit        car       cars  laps  contacts  off  barrier  finished")
        }
        for r in races {
            if markdown {
                print("| \(r.track) | \(r.car) | \(r.cars) | \(r.laps) | \(r.contacts) | \(r.offTracks) | \(r.barrierHits) | \(r.finished) |")
            } else {
                print(r.track.padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                    + r.car.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "  %4d  %4d  %8d  %3d  %7d  %8d", r.cars, r.laps, r.contacts, r.offTracks,
                             r.barrierHits, r.finished))
            }
        }
        if races.count > 1 {
            print(String(format: "\n%d of %d races without contact; %d contacts, %d off-tracks, %d barrier hits in all",
                         races.filter(\.isClean).count, races.count, races.reduce(0) { $0 + $1.contacts },
                         races.reduce(0) { $0 + $1.offTracks }, races.reduce(0) { $0 + $1.barrierHits }))
        }
    }
}

/// The races of `--traffic`, read-only while the workers run (each network drives only its own race).
private struct TrafficJob: @unchecked Sendable {
    let pairs: [(Track, CarSpec)]
    let networks: [NetworkPolicy]
}

/// Results written by the workers, one slot each, and how many are done.
private final class TrafficResults: Sendable {
    private let state: Mutex<(results: [TrafficEvaluation?], done: Int)>

    init(count: Int) { state = Mutex((Array(repeating: nil, count: count), 0)) }

    /// Stores result `k` and returns how many are done.
    func set(_ k: Int, _ race: TrafficEvaluation) -> Int {
        state.withLock { s in
            s.results[k] = race
            s.done += 1
            return s.done
        }
    }

    var all: [TrafficEvaluation] { state.withLock { $0.results.compactMap { $0 } } }
}
