/// Settings of one race. SI units.
public struct RaceConfig: Sendable, Equatable {
    /// Laps to race (1...1000).
    public var laps: Int
    /// Physics rate (Hz, 30...1000); the step is 1 / physicsRate seconds. Default 120.
    public var physicsRate: Double
    /// The race seed: every random stream of the race derives from it and the car index.
    public var seed: UInt64
    /// Multiplier of every car's tyre-wear rate (0...100; 0 = no wear), as custom races in GT7 allow.
    public var tyreWearMultiplier: Double
    /// Multiplier of every car's fuel-burn rate (0...100; 0 = no burn).
    public var fuelRateMultiplier: Double
    /// The fuel each car starts with: by default the race distance's plus one lap in reserve, at most a full
    /// tank (``StartingFuel/raceDistance``); or a full tank; or a mass in kg (0...500, at most each car's tank).
    public var startingFuel: StartingFuel
    /// Longitudinal distance between consecutive grid slots (m, 4...50). Two columns, staggered.
    public var gridSpacing: Double
    /// Seconds the race may last at most before unfinished cars are classified as not finished
    /// (default: 600 s per lap).
    public var maxDuration: Double
    /// Telemetry sample rate (Hz, 0 = no telemetry recorded; at most the physics rate).
    public var telemetryRate: Double

    public init(laps: Int = 3, physicsRate: Double = 120, seed: UInt64 = 1, tyreWearMultiplier: Double = 1,
                fuelRateMultiplier: Double = 1, startingFuel: StartingFuel = .raceDistance, gridSpacing: Double = 8,
                maxDuration: Double? = nil, telemetryRate: Double = 0) {
        self.laps = laps
        self.physicsRate = physicsRate
        self.seed = seed
        self.tyreWearMultiplier = tyreWearMultiplier
        self.fuelRateMultiplier = fuelRateMultiplier
        self.startingFuel = startingFuel
        self.gridSpacing = gridSpacing
        self.maxDuration = maxDuration ?? 600 * Double(max(laps, 1))
        self.telemetryRate = telemetryRate
    }

    /// The physics step (s).
    public var timeStep: Double { 1 / physicsRate }

    /// Checks every field; returns the first problem as `field: value: expected`, or nil when valid.
    public func validate() -> String? {
        if !(1...1000).contains(laps) { return "laps: \(laps): expected an integer in 1...1000" }
        if !(physicsRate >= 30 && physicsRate <= 1000) { return "physicsRate: \(physicsRate): expected 30...1000 Hz" }
        if !(tyreWearMultiplier >= 0 && tyreWearMultiplier <= 100) {
            return "tyreWearMultiplier: \(tyreWearMultiplier): expected 0...100"
        }
        if !(fuelRateMultiplier >= 0 && fuelRateMultiplier <= 100) {
            return "fuelRateMultiplier: \(fuelRateMultiplier): expected 0...100"
        }
        if case .kilograms(let kg) = startingFuel, !(kg >= 0 && kg <= 500) {
            return "startingFuel: \(kg): expected 0...500 kg (and at most each car's tank)"
        }
        if !(gridSpacing >= 4 && gridSpacing <= 50) { return "gridSpacing: \(gridSpacing): expected 4...50 m" }
        if !(maxDuration > 0 && maxDuration.isFinite) { return "maxDuration: \(maxDuration): expected a positive number of seconds" }
        if !(telemetryRate >= 0 && telemetryRate <= physicsRate) {
            return "telemetryRate: \(telemetryRate): expected 0...\(physicsRate) Hz"
        }
        return nil
    }

    /// The fuel `car` starts this race with on `track` (kg): ``startingFuel`` for ``laps`` laps at
    /// ``fuelRateMultiplier`` (lines and limits from `cache`).
    public func startingFuelMass(car: CarSpec, track: Track, cache: RacingLineCache = .shared) -> Double {
        startingFuel.mass(car: car, track: track, laps: laps, fuelRateMultiplier: fuelRateMultiplier, cache: cache)
    }
}

/// One car on the grid: who drives it, in what.
public struct RaceEntry {
    /// Display name (for the classification).
    public var name: String
    /// The car's specification.
    public var car: CarSpec
    /// Who drives it.
    public var driver: any Driver
    /// Where the car starts instead of its grid slot (for training, tests and tools); nil = the grid.
    public var start: StartPlacement?

    public init(name: String, car: CarSpec, driver: any Driver, start: StartPlacement? = nil) {
        self.name = name
        self.car = car
        self.driver = driver
        self.start = start
    }
}

/// A car placed anywhere on the circuit, moving, instead of on its grid slot: for training rollouts, tests and
/// tools. Its first lap is timed from the start signal to its first crossing of the line, like a grid start.
public struct StartPlacement: Sendable, Equatable {
    /// Arc length along the centreline (m; wrapped onto the lap).
    public var s: Double
    /// Offset from the centreline (m, positive = left).
    public var lateral: Double
    /// Forward speed (m/s, >= 0).
    public var speed: Double
    /// Car heading minus the track heading (rad, positive = left).
    public var headingError: Double
    /// Yaw rate (rad/s, positive = turning left).
    public var yawRate: Double

    public init(s: Double, lateral: Double = 0, speed: Double = 0, headingError: Double = 0, yawRate: Double = 0) {
        self.s = s
        self.lateral = lateral
        self.speed = speed
        self.headingError = headingError
        self.yawRate = yawRate
    }
}

/// A race that cannot be set up (no cars, too many, a bad setting).
public struct RaceSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the setting, its value and what was expected.
    public var description: String
    public init(_ description: String) { self.description = description }
}
