/// A car's acceleration limits tabulated over speed, for the speed profile: the lateral limit, the drive limit
/// and the braking limit (m/s^2, all positive) on a grid of speeds from 0 to just above the top speed, linearly
/// interpolated between grid points. Tabulating once keeps a profile's cost independent of how expensive the
/// vehicle model's limits are (its lateral limit is a root-find of tens of microseconds).
struct AccelerationLimits: Sendable {
    /// Top speed on a flat straight (m/s, > 0).
    let topSpeed: Double
    /// Grid spacing (m/s).
    let step: Double
    /// Largest steady lateral acceleration at grid speed k * `step` (m/s^2, > 0).
    let lateral: [Double]
    /// Largest forward acceleration at full throttle, net of drag and rolling resistance (m/s^2; <= 0 at and
    /// above the top speed).
    let drive: [Double]
    /// Largest deceleration without locking, drag and rolling resistance included (m/s^2, > 0).
    let braking: [Double]
    /// The smallest lateral limit up to the top speed (m/s^2).
    let weakestLateral: Double

    /// Tabulates the three limits every `step` m/s from 0 to `topSpeed` + 2 `step`.
    init(
        topSpeed: Double, step: Double = 0.5, lateral: (Double) -> Double, drive: (Double) -> Double,
        braking: (Double) -> Double
    ) {
        precondition(topSpeed > 0 && step > 0)
        self.topSpeed = topSpeed
        self.step = step
        let points = Int((topSpeed / step).rounded(.up)) + 3
        let speeds = (0..<points).map { Double($0) * step }
        self.lateral = speeds.map(lateral)
        self.drive = speeds.map(drive)
        self.braking = speeds.map(braking)
        weakestLateral = self.lateral.min() ?? 0
    }

    /// The limits of `vehicle` with `fuelMass` kg of fuel and tyres worn by `tyreWear` (0...1), on the track
    /// surface.
    init(vehicle: VehicleModel, fuelMass: Double = 0, tyreWear: Double = 0, step: Double = 0.5) {
        self.init(
            topSpeed: vehicle.topSpeed(fuelMass: fuelMass, tyreWear: tyreWear), step: step,
            lateral: { vehicle.maxLateralAcceleration(speed: $0, fuelMass: fuelMass, tyreWear: tyreWear) },
            drive: { vehicle.maxDriveAcceleration(speed: $0, fuelMass: fuelMass, tyreWear: tyreWear) },
            braking: { vehicle.maxBrakingDeceleration(speed: $0, fuelMass: fuelMass, tyreWear: tyreWear) })
    }

    /// `table` at `speed` (m/s), linearly interpolated; clamped to the grid's ends.
    @inline(__always)
    func value(_ table: [Double], at speed: Double) -> Double {
        let u = max(speed, 0) / step
        let i = min(Int(u), table.count - 2)
        let t = min(u - Double(i), 1)
        return table[i] + t * (table[i + 1] - table[i])
    }

    /// Lateral limit at `speed` (m/s^2).
    func lateral(at speed: Double) -> Double { value(lateral, at: speed) }
    /// Drive limit at `speed` (m/s^2).
    func drive(at speed: Double) -> Double { value(drive, at: speed) }
    /// Braking limit at `speed` (m/s^2).
    func braking(at speed: Double) -> Double { value(braking, at: speed) }
}
