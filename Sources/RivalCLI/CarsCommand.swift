import ArgumentParser
import Foundation
import Sim

/// `rival cars`: the shipped cars with their key figures.
struct CarsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cars", abstract: "List the shipped cars (mass, power, downforce, top speed).")

    func run() throws {
        guard let dir = DataDirectories.candidates("cars").first else {
            throw UserError("cars/: no cars directory found (run from the repository root or set RIVAL_DATA)")
        }
        print("car       mass_kg  power_kW  CdA_m2  ClA_m2  peak_mu  top_speed_kph  description")
        for name in CarSpec.shippedNames(in: dir) {
            let spec: CarSpec
            do { spec = try CarSpec.resolve(name, searchDirectories: [dir]) } catch { throw UserError(error.description) }
            let model = VehicleModel(spec: spec)
            let line = name.padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(format: "  %7.0f  %8.0f  %6.2f  %6.2f  %7.2f  %13.1f  ", spec.chassis.massKg,
                         spec.powertrain.powerW / 1000, spec.aero.dragAreaM2, spec.aero.downforceAreaM2,
                         spec.tyre.lateral.D, model.topSpeed() * 3.6)
                + spec.description.prefix(60)
            print(line)
        }
    }
}
