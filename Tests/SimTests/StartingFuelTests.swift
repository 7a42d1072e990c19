import Foundation
import Testing
@testable import Sim

/// The fuel cars start a race with: the race distance's plus a lap by default, a full tank, or a given mass.
@Suite struct StartingFuelTests {
    static func monza() throws -> Track {
        try Track.resolve("Monza", searchDirectories: [TrackTestSupport.tracksDirectory])
    }

    @Test func raceDistanceFuelForThreeLapsOfMonzaInTheGT3Car() throws {
        let track = try Self.monza(), car = try RaceFixtures.car("gt3")
        let fuel = RaceConfig(laps: 3).startingFuelMass(car: car, track: track)
        // 0.029 kg/s at full throttle for the 1:50.35 empty-tank limit lap is 3.20 kg a lap; 3 laps and one in
        // reserve make 12.80 kg, a seventh of the 89 kg tank.
        let lap = RacingLineCache.shared.limit(track: track, car: car).lapTime
        #expect(abs(lap - 110.35) < 0.01)
        #expect(abs(StartingFuel.lapFuelEstimate(car: car, track: track) - 0.029 * lap) < 1e-12)
        #expect(abs(fuel - 12.80) < 0.01, "\(fuel) kg")
        #expect(fuel < car.powertrain.fuelCapacityKg)
        // The fuel-rate multiplier scales it; at 0 the cars carry none.
        let double = RaceConfig(laps: 3, fuelRateMultiplier: 2).startingFuelMass(car: car, track: track)
        #expect(abs(double - 2 * fuel) < 1e-9)
        #expect(RaceConfig(laps: 3, fuelRateMultiplier: 0).startingFuelMass(car: car, track: track) == 0)
    }

    @Test func raceDistanceFuelIsCappedAtTheTank() throws {
        let track = try Self.monza(), car = try RaceFixtures.car("gt3")
        // 27 laps and a reserve lap need 89.6 kg: more than the tank.
        #expect(RaceConfig(laps: 26).startingFuelMass(car: car, track: track) < car.powertrain.fuelCapacityKg)
        #expect(RaceConfig(laps: 27).startingFuelMass(car: car, track: track) == car.powertrain.fuelCapacityKg)
        #expect(RaceConfig(laps: 1000).startingFuelMass(car: car, track: track) == 89)
    }

    @Test func fullAndExplicitFuel() throws {
        let track = try RaceFixtures.circle(), car = try RaceFixtures.car("formula")
        #expect(RaceConfig(startingFuel: .full).startingFuelMass(car: car, track: track) == 92)
        #expect(RaceConfig(startingFuel: .kilograms(20.5)).startingFuelMass(car: car, track: track) == 20.5)
        #expect(RaceConfig().startingFuel == .raceDistance)
    }

    @Test func eachCarStartsWithItsFuel() throws {
        let track = try RaceFixtures.circle()
        let gt3 = try RaceFixtures.car("gt3"), cup = try RaceFixtures.car("cup")
        func entry(_ car: CarSpec) -> RaceEntry {
            RaceEntry(name: car.name, car: car,
                      driver: CruiseDriver(track: track, model: VehicleModel(spec: car), targetSpeed: 30))
        }
        let config = RaceConfig(laps: 2)
        let race = try Race(track: track, entries: [entry(gt3), entry(cup)], config: config)
        #expect(race.states[0].fuelMass == config.startingFuelMass(car: gt3, track: track))
        #expect(race.states[1].fuelMass == config.startingFuelMass(car: cup, track: track))
        // 3 laps' worth of the 1.9 km circle: a few kilograms, the GT3 car's more than the Cup car's.
        #expect(race.states[0].fuelMass > race.states[1].fuelMass)
        #expect(race.states[1].fuelMass > 0.5 && race.states[0].fuelMass < 5, "\(race.states.map(\.fuelMass))")
        let full = try Race(track: track, entries: [entry(gt3), entry(cup)], config: RaceConfig(startingFuel: .full))
        #expect(full.states.map(\.fuelMass) == [89, 37])
    }

    @Test func badStartingFuelIsRejected() throws {
        #expect(RaceConfig(startingFuel: .kilograms(-1)).validate()
            == "startingFuel: -1.0: expected 0...500 kg (and at most each car's tank)")
        #expect(RaceConfig(startingFuel: .kilograms(.nan)).validate()
            == "startingFuel: nan: expected 0...500 kg (and at most each car's tank)")
        #expect(RaceConfig(startingFuel: .kilograms(500)).validate() == nil)
        let track = try RaceFixtures.circle(), car = try RaceFixtures.car("cup")
        let one = [RaceEntry(name: "A", car: car,
                             driver: CruiseDriver(track: track, model: VehicleModel(spec: car), targetSpeed: 10))]
        #expect(throws: RaceSetupError("startingFuel: 40.0: expected 0...37.0 kg, the tank of car 0 (A, Cup)")) {
            try Race(track: track, entries: one, config: RaceConfig(startingFuel: .kilograms(40)))
        }
        #expect(throws: RaceSetupError("startingFuel: -1.0: expected 0...500 kg (and at most each car's tank)")) {
            try Race(track: track, entries: one, config: RaceConfig(startingFuel: .kilograms(-1)))
        }
    }
}
