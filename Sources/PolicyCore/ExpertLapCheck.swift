import Foundation
import Sim

/// The expert alone on track against the lap-time limit: a race of one ``ExpertDriver`` from a standing start
/// (the race's default starting fuel for the laps driven, fresh tyres, the race's default wear and fuel rates),
/// its laps from the second on compared with the limit.
///
/// Two limits are given. ``limit`` is `LapLimit`'s: the quasi-steady-state lap of the car with no fuel, which
/// ``emptyTankRatio`` compares with. The car in the race carries its fuel, though (``startFuel``: the race
/// distance's plus a lap, see `StartingFuel`), so ``fuelledLimit`` is the same computation (`SpeedProfile` on
/// the same line at the full grip) for the mean fuel on board over the compared laps: the limit of the car as it
/// is, which ``ratio`` compares with.
public struct ExpertLapCheck: Sendable, Equatable {
    /// Circuit and car names.
    public var track: String
    public var car: String
    /// Every lap time (s); the first is from the standing start.
    public var lapTimes: [Double]
    /// `LapLimit` lap time: empty tank, fresh tyres (s).
    public var limit: Double
    /// The limit for ``fuelMass`` kg of fuel (s).
    public var fuelledLimit: Double
    /// Fuel on board at the start (kg).
    public var startFuel: Double
    /// Mean fuel on board over the compared laps (kg).
    public var fuelMass: Double
    /// Fuel left at the finish (kg).
    public var fuelLeft: Double
    /// Off-track excursions and barrier hits over the whole run, first lap included.
    public var offTracks: Int
    public var barrierHits: Int

    /// The laps from the second on (s).
    public var comparedLaps: ArraySlice<Double> { lapTimes.dropFirst() }
    /// Fastest and slowest compared lap (s); infinity when none was completed.
    public var best: Double { comparedLaps.min() ?? .infinity }
    public var worst: Double { comparedLaps.max() ?? .infinity }
    /// Slowest compared lap over the limit with the fuel on board.
    public var ratio: Double { worst / fuelledLimit }
    /// Slowest compared lap over the empty-tank limit.
    public var emptyTankRatio: Double { worst / limit }
    /// No off-track excursion and no barrier hit.
    public var isClean: Bool { offTracks == 0 && barrierHits == 0 }

    /// Runs `laps` laps (2...50) of one expert in `car` on `track`, starting with `startingFuel` (by default the
    /// race distance's fuel for those laps), the expert planning for the fuel it starts with.
    /// - Parameters:
    ///   - settings: the expert's tuning.
    ///   - afterStep: called after every physics step (for traces); nil for none.
    public static func run(
        track: Track, car: CarSpec, laps: Int = 3, startingFuel: StartingFuel = .raceDistance,
        settings: ExpertSettings = ExpertSettings(), cache: RacingLineCache = .shared,
        afterStep: ((Race) -> Void)? = nil
    ) throws(RaceSetupError) -> ExpertLapCheck {
        let laps = min(max(laps, 2), 50)
        let config = RaceConfig(laps: laps, startingFuel: startingFuel)
        let startFuel = config.startingFuelMass(car: car, track: track, cache: cache)
        let plan = ExpertPlan(track: track, car: car, settings: settings, fuelMass: startFuel, cache: cache)
        let entry = RaceEntry(name: "Expert", car: car, driver: ExpertDriver(plan: plan, settings: settings))
        let race = try Race(track: track, entries: [entry], config: config, cache: cache)
        var fuelAtLapTwo = Double.nan
        while !race.isFinished {
            race.step()
            if fuelAtLapTwo.isNaN, race.timing[0].lapsCompleted >= 1 { fuelAtLapTwo = race.states[0].fuelMass }
            afterStep?(race)
        }
        let result = race.result().entries[0]
        let fuel = fuelAtLapTwo.isNaN ? race.states[0].fuelMass : 0.5 * (fuelAtLapTwo + race.states[0].fuelMass)
        let line = cache.line(track: track, parameters: RacingLine.Parameters(vehicleWidth: car.chassis.overallWidthM))
        let fuelled = SpeedProfile(line: line, vehicle: VehicleModel(spec: car), fuelMass: fuel)
        return ExpertLapCheck(
            track: track.name, car: car.name, lapTimes: result.lapTimes,
            limit: cache.limit(track: track, car: car).lapTime, fuelledLimit: fuelled.lapTime, startFuel: startFuel,
            fuelMass: fuel, fuelLeft: race.states[0].fuelMass, offTracks: result.offTracks, barrierHits: result.barrierHits)
    }
}
