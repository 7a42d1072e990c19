import Foundation
import PolicyCore
import Sim

/// The shipped circuits and cars, and lists of them named on the command line.
enum ShippedData {
    /// The `tracks/` folder in use.
    static func tracksFolder() throws -> String {
        guard let dir = DataDirectories.candidates("tracks").first else {
            throw UserError("tracks/ not found (run from the repository root or set RIVAL_DATA)")
        }
        return dir
    }

    /// The `cars/` folder in use.
    static func carsFolder() throws -> String {
        guard let dir = DataDirectories.candidates("cars").first else {
            throw UserError("cars/ not found (run from the repository root or set RIVAL_DATA)")
        }
        return dir
    }

    /// Every shipped circuit, by name.
    static func allTracks() throws -> [Track] {
        let dir = try tracksFolder()
        return try Track.shippedNames(in: dir).map { try Track.resolve($0, searchDirectories: [dir]) }
    }

    /// Every shipped car, by name.
    static func allCars() throws -> [CarSpec] {
        let dir = try carsFolder()
        return try CarSpec.shippedNames(in: dir).map { try CarSpec.resolve($0, searchDirectories: [dir]) }
    }

    /// Circuits from a comma-separated list given to `flag` (names or CSV paths).
    static func tracks(_ list: String, flag: String) throws -> [Track] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UserError("\(flag): \(list): expected a comma-separated list of circuits") }
        return try names.map { name in
            do {
                return try Track.resolve(name, searchDirectories: DataDirectories.candidates("tracks"))
            } catch {
                throw UserError("\(flag): \(error)")
            }
        }
    }

    /// Cars from a comma-separated list given to `flag` (names or JSON paths).
    static func cars(_ list: String, flag: String) throws -> [CarSpec] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UserError("\(flag): \(list): expected a comma-separated list of cars") }
        return try names.map { name in
            do {
                return try CarSpec.resolve(name, searchDirectories: DataDirectories.candidates("cars"))
            } catch {
                throw UserError("\(flag): \(error)")
            }
        }
    }

    /// The shipped policy file (`policies/default.safetensors`), if found.
    static func defaultPolicy() -> String? {
        DataDirectories.candidates("policies").map { ($0 as NSString).appendingPathComponent("default.safetensors") }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The weights file named by `--policy` (or the shipped one), read and checked against the observation spec.
    static func policy(_ path: String?) throws -> (file: String, contents: SafetensorsFile, parameters: MLPParameters) {
        guard let file = path ?? defaultPolicy() else {
            throw UserError("--policy: policies/default.safetensors not found (run from the repository root, or name a file)")
        }
        do {
            let contents = try SafetensorsFile(path: file)
            let parameters = try MLPParameters(safetensors: contents, file: file, expectedSpecVersion: ObservationSpec.version)
            return (file, contents, parameters)
        } catch {
            throw UserError("--policy: \(error)")
        }
    }
}
