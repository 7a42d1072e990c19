import ArgumentParser
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// `rival race`: a race of human drivers (personas around a policy); with no flags, a mixed grid of the preset
/// personas, 10 cars for 3 laps of Monza in GT3 cars. `--driver expert|policy` races the bare policies instead.
struct RaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "race", abstract: "Run a race and print the classification.")

    @OptionGroup var trackOption: TrackOption
    @OptionGroup var carOption: CarOption
    @Option(help: "Laps to race (1...1000).") var laps = 3
    @Option(help: "Cars on the grid (1...40).") var cars = 10
    @Option(help: "Race seed (a non-negative integer): the same seed gives the same race.") var seed: UInt64 = 1
    @Option(name: .customLong("tyre-wear"), help: "Tyre-wear multiplier of the car's rate (0...100).")
    var tyreWear = 1.0
    @Option(name: .customLong("fuel-rate"), help: "Fuel-burn multiplier of the car's rate (0...100).")
    var fuelRate = 1.0
    @Option(help: ArgumentHelp(
        "Starting fuel: 'race' (the race distance's fuel plus one lap, at most a full tank), 'full', or kilograms "
            + "(0 up to the car's tank).", valueName: "race|full|kg"))
    var fuel = "race"
    @Option(help: ArgumentHelp(
        "Who drives: human drivers (personas, --grid) around the --base policy, or the bare expert or learned policy.",
        valueName: "persona|expert|policy"))
    var driver = "persona"
    @Option(help: ArgumentHelp(
        "The grid of personas: comma-separated FILE-or-name:COUNT in grid order (for example "
            + "personas/club.json:6,pro:4); default: a seeded shuffle of the presets (see docs/persona.md).",
        valueName: "grid"))
    var grid: String?
    @Option(help: ArgumentHelp("The policy under the personas: the model-based expert or the learned policy (--policy).",
                               valueName: "expert|policy"))
    var base = "expert"
    @Option(help: "Weights file of the learned policy (safetensors); default policies/default.safetensors.")
    var policy: String?
    @Option(help: "Write per-car telemetry (10 Hz) to this CSV file (columns: docs/telemetry.md).") var telemetry: String?
    @Option(help: "Write a self-contained HTML report (track map, lap chart, lap times, distributions, braking points).")
    var report: String?
    @Flag(name: .customLong("traffic-guard"), inversion: .prefixedNo,
          help: "With the learned policy (--driver policy, --base policy): hold it to the expert's traffic rule and steer it round stalled cars (docs/policy.md, \"The traffic guard\").")
    var trafficGuard = true
    @Flag(name: .customLong("track-guard"), inversion: .prefixedNo,
          help: "With the learned policy: steer it back towards its line when it strays (in traffic, towards the expert's traffic target) and, for --driver policy (not under personas), alone on track, hold it to the speed plan and keep it turning in tight corners (docs/policy.md, \"The track guard\").")
    var trackGuard = true
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Print the result as JSON instead of a table.") var json = false
    @Flag(name: .customLong("lap-table"), help: "Also print every driver's lap times.") var lapTable = false

    func validate() throws {
        guard (1...1000).contains(laps) else { throw ValidationError("--laps: \(laps): expected an integer in 1...1000") }
        guard (1...40).contains(cars) else { throw ValidationError("--cars: \(cars): expected an integer in 1...40") }
        guard tyreWear.isFinite, (0...100).contains(tyreWear) else {
            throw ValidationError("--tyre-wear: \(tyreWear): expected a multiplier in 0...100")
        }
        guard fuelRate.isFinite, (0...100).contains(fuelRate) else {
            throw ValidationError("--fuel-rate: \(fuelRate): expected a multiplier in 0...100")
        }
        _ = try startingFuel()
        guard ["persona", "expert", "policy"].contains(driver) else {
            throw ValidationError("--driver: \(driver): expected persona, expert or policy")
        }
        guard ["expert", "policy"].contains(base) else {
            throw ValidationError("--base: \(base): expected expert or policy")
        }
        let learned = driver == "policy" || (driver == "persona" && base == "policy")
        if !trafficGuard && !learned {
            throw ValidationError("--no-traffic-guard: only with the learned policy (--driver policy, or --base policy under personas)")
        }
        if !trackGuard && !learned {
            throw ValidationError("--no-track-guard: only with the learned policy (--driver policy, or --base policy under personas)")
        }
        if let spec = grid {
            guard driver == "persona" else { throw ValidationError("--grid: \(spec): only with --driver persona") }
            _ = try GridSpec.parse(spec)
        }
        if let path = telemetry { try OutputPath.check(path, flag: "--telemetry") }
        if let path = report { try OutputPath.check(path, flag: "--report") }
    }

    /// `--fuel` as a ``StartingFuel``: `race`, `full` (either case) or a mass in 0...500 kg.
    func startingFuel() throws -> StartingFuel {
        switch fuel.lowercased() {
        case "race": return .raceDistance
        case "full": return .full
        default:
            guard let kg = Double(fuel), kg.isFinite, (0...500).contains(kg) else {
                throw ValidationError("--fuel: \(fuel): expected race, full or a mass in 0...500 kg")
            }
            return .kilograms(kg)
        }
    }

    func run() throws {
        let track = try trackOption.load()
        let car = try carOption.load()
        let startingFuel = try self.startingFuel()
        if case .kilograms(let kg) = startingFuel, kg > car.powertrain.fuelCapacityKg {
            throw UserError("--fuel: \(fuel): expected race, full or a mass in 0...\(car.powertrain.fuelCapacityKg) kg "
                + "(the \(car.name) tank)")
        }
        let config = RaceConfig(laps: laps, seed: seed, tyreWearMultiplier: tyreWear, fuelRateMultiplier: fuelRate,
                                startingFuel: startingFuel,
                                telemetryRate: telemetry == nil && report == nil ? 0 : 10)
        var entries: [RaceEntry]
        var personas: PersonaGrid? = nil
        var skills: [String: Double] = [:]
        var corners: CornerMap? = nil
        if driver == "persona" {
            let slots = try grid.map { try GridSpec.parse($0).map { ($0.persona, $0.count) } }
                ?? GridSpec.defaultGrid(cars: cars)
            let source = try PolicySourceOption.source(base: base, policy: policy, track: track, car: car, config: config,
                                                       trafficGuard: trafficGuard, trackGuard: trackGuard)
            for slot in slots { skills[slot.0.name] = slot.0.skill }
            corners = source.corners
            let built = PersonaGrid(slots: slots, source: source, car: car, raceSeed: seed, shuffled: grid == nil)
            guard (1...40).contains(built.entries.count) else {
                throw UserError("--grid: \(grid ?? ""): \(built.entries.count) cars: expected 1...40")
            }
            personas = built
            entries = built.entries
        } else if driver == "policy" {
            let (file, _, parameters) = try ShippedData.policy(policy)
            let fuel = config.startingFuelMass(car: car, track: track)
            let network: NetworkPolicy
            do {
                network = try NetworkPolicy(parameters: parameters,
                                            encoder: ObservationEncoder(track: track, car: car, fuelMass: fuel), file: file)
            } catch {
                throw UserError("--policy: \(error)")
            }
            if !trafficGuard { network.trafficGuard = nil }
            if !trackGuard { network.trackGuard = nil }
            entries = (0..<cars).map { RaceEntry(name: "Policy \($0 + 1)", car: car, driver: PolicyDriver(policy: network)) }
        } else {
            entries = ExpertGrid.entries(track: track, car: car, count: cars, config: config)
        }
        // For the report, each driver is watched for its braking points (the watch passes every action through
        // unchanged, so the race is the same).
        // Human drivers already have their source's corners; bare policies get the expert's plan for them.
        var logs: [BrakingPointLog] = []
        if report != nil {
            let map = try corners
                ?? PolicySourceOption.source(base: "expert", policy: nil, track: track, car: car, config: config).corners
            logs = entries.map { BrakingPointLog($0.driver, corners: map) }
            for i in entries.indices { entries[i].driver = logs[i] }
            corners = map
        }
        let race: Race
        do {
            race = try Race(track: track, entries: entries, config: config)
        } catch {
            throw UserError(error.description)
        }
        let startFuel = race.states.first?.fuelMass ?? 0
        let result = Self.run(race, display: ProgressDisplay(enabled: !quiet))
        if let path = telemetry {
            do {
                try TelemetryCSV.write(race.telemetry, names: race.names, to: path)
            } catch {
                throw UserError("--telemetry: \(error)")
            }
        }
        let people = personas.map { grid in
            zip(grid.personas, grid.drivers).map { RaceReport.Person(persona: $0.0, runWide: $0.1.stats.runWide,
                                                                      lapses: $0.1.stats.lapses) }
        }
        let summary = RaceReport(result: result, car: car.name, startFuel: startFuel, people: people)
        if let path = report {
            let drivers = (0..<race.carCount).map { i in
                RaceReportPage.Driver(persona: personas?.personas[i], skill: personas.flatMap { skills[$0.personas[i]] },
                                      traits: personas?.drivers[i].traits,
                                      brakingOnsets: i < logs.count ? logs[i].onsets : [])
            }
            let page = RaceReportPage(report: summary, track: track, line: corners?.plan.line, corners: corners,
                                      telemetry: race.telemetry, drivers: drivers,
                                      command: HTMLPage.commandLine)
            try HTMLPage.write(page.html(), to: path)
        }
        if json {
            print(try summary.jsonString())
        } else {
            print(RaceReport.table(result, car: car.name, startFuel: startFuel, people: people))
            if lapTable { print("\n" + RaceReport.lapTable(result)) }
        }
    }
}

extension RaceCommand {
    /// Runs `race` to the end, drawing a progress bar (laps done by the leader) on a terminal.
    static func run(_ race: Race, display: ProgressDisplay) -> RaceResult {
        let laps = Double(race.config.laps), length = race.track.length
        while !race.isFinished {
            for _ in 0..<120 where !race.isFinished { race.step() }
            let lead = race.progress.max() ?? 0
            display.bar(lead / (laps * length), String(format: "lap %d of %d, %.0f s of racing", min(Int(lead / length) + 1,
                        Int(laps)), Int(laps), race.time))
        }
        display.clear()
        return race.result()
    }
}

/// Checks that an output file can be created: its folder exists and it is not a folder itself.
enum OutputPath {
    static func check(_ path: String, flag: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw ValidationError("\(flag): \(path): is a directory, expected a file path")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) || !isDir.boolValue {
            throw ValidationError("\(flag): \(path): folder \(folder) does not exist")
        }
    }
}
