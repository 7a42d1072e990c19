import ArgumentParser
import Sim

/// `--track`: a shipped circuit's name (case-insensitive) or a path to any CSV in the circuit format.
struct TrackOption: ParsableArguments {
    @Option(name: .long, help: "Circuit: a shipped name (see `rival tracks`) or a path to a CSV in the circuit format.")
    var track = "Monza"

    func load() throws -> Track {
        do {
            return try Track.resolve(track, searchDirectories: DataDirectories.candidates("tracks"))
        } catch {
            throw UserError("--track: \(error)")
        }
    }
}

/// `--car`: a shipped car's name or a path to a car JSON file.
struct CarOption: ParsableArguments {
    @Option(name: .long, help: "Car: a shipped name (see `rival cars`) or a path to a car JSON file.")
    var car = "gt3"

    func load() throws -> CarSpec {
        do {
            return try CarSpec.resolve(car, searchDirectories: DataDirectories.candidates("cars"))
        } catch {
            throw UserError("--car: \(error)")
        }
    }
}
