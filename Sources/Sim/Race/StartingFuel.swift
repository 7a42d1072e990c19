/// The fuel every car starts a race with.
///
/// Real races start with the fuel the race needs plus a reserve, not a full tank: a tank of fuel is 7 % of a GT3
/// car's mass and 12 % of a Formula car's, and costs seconds a lap. The default, ``raceDistance``, does that.
public enum StartingFuel: Sendable, Equatable {
    /// Fuel for the race distance plus one lap in reserve, per car, at most a full tank (see
    /// ``StartingFuel/raceDistanceFuel(car:track:laps:fuelRateMultiplier:cache:)``). The default.
    case raceDistance
    /// A full tank (each car's `fuelCapacityKg`).
    case full
    /// This much fuel in every car (kg, 0...500 and at most each car's tank; `Race` rejects a car whose tank is
    /// smaller).
    case kilograms(Double)

    /// Laps of fuel carried beyond the race distance by ``raceDistance``.
    public static let reserveLaps = 1.0

    /// Fuel one lap of `car` on `track` is allowed to burn (kg), a deliberate overestimate: the car's burn at full
    /// throttle (`fuelBurnKgPerSecondAtFullThrottle`, times `fuelRateMultiplier`) for the whole of its empty-tank
    /// limit lap (`LapLimit`, from `cache`). Burn is proportional to the throttle, and few laps are driven at full
    /// throttle throughout: on the shipped circuits an expert at the limit burns 53 to 98 % of this a lap (the most
    /// on the IMS oval, flat out nearly all the way), and a slower driver, who spends less energy a lap, burns
    /// less. ``reserveLaps`` covers the standing start and the rest.
    /// - Returns: 0 without computing a line when the car burns nothing (`fuelRateMultiplier` 0 or a zero burn
    ///   rate); a negative or NaN multiplier counts as 0.
    public static func lapFuelEstimate(
        car: CarSpec, track: Track, fuelRateMultiplier: Double = 1, cache: RacingLineCache = .shared
    ) -> Double {
        let rate = car.powertrain.fuelBurnKgPerSecondAtFullThrottle * (fuelRateMultiplier > 0 ? fuelRateMultiplier : 0)
        guard rate > 0 else { return 0 }
        return rate * cache.limit(track: track, car: car).lapTime
    }

    /// The ``raceDistance`` fuel (kg): ``lapFuelEstimate(car:track:fuelRateMultiplier:cache:)`` times
    /// `laps` plus ``reserveLaps``, capped at the tank (`fuelCapacityKg`). Deterministic: the same car, track and
    /// settings always give the same mass.
    public static func raceDistanceFuel(
        car: CarSpec, track: Track, laps: Int, fuelRateMultiplier: Double = 1, cache: RacingLineCache = .shared
    ) -> Double {
        let perLap = lapFuelEstimate(car: car, track: track, fuelRateMultiplier: fuelRateMultiplier, cache: cache)
        return min(car.powertrain.fuelCapacityKg, perLap * (Double(max(laps, 0)) + reserveLaps))
    }

    /// The fuel (kg) `car` starts a race of `laps` laps on `track` with: see each case. An explicit mass above the
    /// car's tank is returned as given (``RaceConfig/startingFuelMass(car:track:cache:)`` reports it).
    public func mass(
        car: CarSpec, track: Track, laps: Int, fuelRateMultiplier: Double, cache: RacingLineCache = .shared
    ) -> Double {
        switch self {
        case .raceDistance:
            Self.raceDistanceFuel(
                car: car, track: track, laps: laps, fuelRateMultiplier: fuelRateMultiplier, cache: cache)
        case .full: car.powertrain.fuelCapacityKg
        case .kilograms(let kg): kg
        }
    }
}

extension StartingFuel: CustomStringConvertible {
    /// `race distance`, `full` or the mass in kg (`12.5 kg`).
    public var description: String {
        switch self {
        case .raceDistance: "race distance"
        case .full: "full"
        case .kilograms(let kg): "\(kg) kg"
        }
    }
}
