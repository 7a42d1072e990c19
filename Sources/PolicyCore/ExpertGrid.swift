import Sim

/// Builds a grid of ``ExpertDriver``s sharing one plan (line, profile, tables) per track and car.
public enum ExpertGrid {
    /// `count` expert entries named `Expert 1`...`Expert n` for `car` on `track`.
    public static func entries(track: Track, car: CarSpec, count: Int,
                               settings: ExpertSettings = ExpertSettings()) -> [RaceEntry] {
        let plan = ExpertPlan(track: track, car: car, settings: settings)
        return (0..<count).map { i in
            RaceEntry(name: "Expert \(i + 1)", car: car, driver: ExpertDriver(plan: plan, settings: settings))
        }
    }
}
