import DriverPersona
import Foundation
import PolicyCore
import Sim

/// The `--grid` option: `FILE-or-name:COUNT` items, comma-separated, in grid order.
enum GridSpec {
    /// The personas and counts of `spec`; a missing count is 1.
    static func parse(_ spec: String) throws -> [(persona: Persona, count: Int)] {
        let items = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw UserError("--grid: \(spec): expected FILE-or-name:COUNT items separated by commas, such as club:6,pro:4")
        }
        return try items.map { item in
            var name = item
            var count = 1
            if let colon = item.lastIndex(of: ":") {
                name = String(item[..<colon])
                let text = String(item[item.index(after: colon)...])
                guard let n = Int(text), (1...40).contains(n) else {
                    throw UserError("--grid: \(item): count \(text): expected an integer in 1...40")
                }
                count = n
            }
            do {
                return (try Persona.resolve(name, searchDirectories: DataDirectories.candidates("personas")), count)
            } catch {
                throw UserError("--grid: \(error)")
            }
        }
    }

    /// The default mix for `cars` cars, from the shipped presets: out of every 10, 1 rookie, 2 amateurs, 3 club, 2
    /// semi-pro and 2 pro drivers (the grid order is then shuffled by the race seed).
    static func defaultGrid(cars: Int) throws -> [(persona: Persona, count: Int)] {
        let cycle = ["club", "semi-pro", "amateur", "pro", "club", "rookie", "semi-pro", "amateur", "pro", "club"]
        var counts: [String: Int] = [:]
        for i in 0..<cars { counts[cycle[i % cycle.count], default: 0] += 1 }
        let order = ["rookie", "amateur", "club", "semi-pro", "pro"].filter { counts[$0] != nil }
        return try order.map { name in
            do {
                return (try Persona.resolve(name, searchDirectories: DataDirectories.candidates("personas")), counts[name]!)
            } catch {
                throw UserError("personas/: \(error)")
            }
        }
    }
}

/// Builds the policy under the personas for one race.
enum PolicySourceOption {
    /// The expert, or the learned policy (`policy` file, default policies/default.safetensors), planned for the
    /// fuel the cars start with and the race's tyre wear.
    static func source(base: String, policy: String?, track: Track, car: CarSpec, config: RaceConfig,
                       trafficGuard: Bool = true, trackGuard: Bool = true) throws -> PolicySource {
        var settings = ExpertSettings()
        settings.tyreWearMultiplier = config.tyreWearMultiplier
        let plan = ExpertPlan(track: track, car: car, settings: settings, fuelMass: config.startingFuelMass(car: car, track: track))
        guard base == "policy" else { return .expert(plan, settings: settings) }
        let (file, _, parameters) = try ShippedData.policy(policy)
        do {
            var source = try PolicySource.network(parameters, plan: plan, name: file)
            if !trafficGuard { source.trafficGuard = nil }
            if !trackGuard { source.trackGuard = nil }
            return source
        } catch {
            throw UserError("--policy: \(error)")
        }
    }
}
