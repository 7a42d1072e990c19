import Sim

/// Builds a grid of ``ExpertDriver``s sharing one plan (line, profile, tables) per track and car.
public enum ExpertGrid {
    /// `count` expert entries named `Expert 1`...`Expert n` for `car` on `track`, for a race run with `config`
    /// (its tyre-wear multiplier goes into the experts' wear estimate).
    public static func entries(track: Track, car: CarSpec, count: Int, settings: ExpertSettings = ExpertSettings(),
                               config: RaceConfig = RaceConfig()) -> [RaceEntry] {
        var settings = settings
        settings.tyreWearMultiplier = config.tyreWearMultiplier
        let plan = ExpertPlan(track: track, car: car, settings: settings)
        return (0..<count).map { i in
            RaceEntry(name: "Expert \(i + 1)", car: car, driver: ExpertDriver(plan: plan, settings: settings))
        }
    }
}
