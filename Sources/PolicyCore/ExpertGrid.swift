import Sim

/// Builds a grid of ``ExpertDriver``s sharing one plan (line, profile, tables) per track and car.
public enum ExpertGrid {
    /// `count` expert entries named `Expert 1`...`Expert n` for `car` on `track`, for a race run with `config`:
    /// its tyre-wear multiplier goes into the experts' wear estimate, and the plan is for the fuel the cars start
    /// with (``RaceConfig/startingFuelMass(car:track:cache:)``; the car only gets lighter, so the plan stays on the
    /// safe side).
    public static func entries(track: Track, car: CarSpec, count: Int, settings: ExpertSettings = ExpertSettings(),
                               config: RaceConfig = RaceConfig(), cache: RacingLineCache = .shared) -> [RaceEntry] {
        var settings = settings
        settings.tyreWearMultiplier = config.tyreWearMultiplier
        let fuel = config.startingFuelMass(car: car, track: track, cache: cache)
        let plan = ExpertPlan(track: track, car: car, settings: settings, fuelMass: fuel, cache: cache)
        return (0..<count).map { i in
            RaceEntry(name: "Expert \(i + 1)", car: car, driver: ExpertDriver(plan: plan, settings: settings))
        }
    }
}
