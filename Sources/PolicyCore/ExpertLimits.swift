import Foundation
import Sim

/// A car's combined limits, worked out per axle and tabulated over speed (1 m/s steps) and lateral acceleration
/// (33 fractions of the steady cornering limit at that speed), so that planning and deciding need no
/// root-finding.
///
/// In steady cornering at lateral acceleration `a_y` the front axle carries `m a_y b / L` and the rear
/// `m a_y a / L` (CoG to front axle `a`, to rear `b`). At each grid point:
/// - braking: the largest brake input at which neither axle leaves its friction ellipse, scaled by `frontShare`
///   and `rearShare`, with the loads of the deceleration it produces (a fixed point solved by bisection: the
///   deceleration moves load off the rear axle, which carries `1 - frontFraction` of the brake force);
/// - drive: the largest drive force the rear axle's ellipse and the engine allow with the loads of the
///   acceleration it produces, no more than leaves the unloaded front axle its share of the cornering.
/// Deceleration and acceleration include drag, rolling resistance and the cornering drag of the tyres' slip.
struct ExpertLimits: Sendable {
    /// Lateral fractions per speed row (the grid has `fractions + 1` columns).
    static let fractions = 32
    /// Top speed with the planned fuel (m/s).
    let top: Double
    /// Steady cornering limit at each grid speed (m/s^2), unscaled.
    let lateral: [Double]
    /// Largest brake input (0...1) at [speed][fraction].
    let brakeInput: [Double]
    /// The deceleration it gives (m/s^2, positive).
    let deceleration: [Double]
    /// Largest drive force (N) at [speed][fraction].
    let driveForce: [Double]
    /// The acceleration it gives (m/s^2; negative where the car cannot hold its speed).
    let acceleration: [Double]
    /// The smallest straight-line deceleration at any grid speed (m/s^2): a bound that lets the traffic guard skip
    /// cars its following speed cannot concern.
    let minimumStraightDeceleration: Double
    /// The first column of ``deceleration`` and of ``brakeInput`` (no lateral acceleration), one value per grid speed:
    /// ``straight(_:speed:)`` reads them without the lateral lookup.
    let straightDeceleration: [Double]
    let straightBrakeInput: [Double]

    /// Tabulates the limits of `car` (the controller's model of `model`) with `fuelMass` kg of fuel, using up to
    /// `frontShare` and `rearShare` of the axles' friction ellipses.
    init(model: VehicleModel, car: ExpertCarModel, frontShare: Double, rearShare: Double, fuelMass: Double) {
        top = model.topSpeed(fuelMass: fuelMass)
        let count = Int(top.rounded(.up)) + 3
        let lateral = (0..<count).map { max(model.maxLateralAcceleration(speed: Double($0), fuelMass: fuelMass), 0.1) }
        let width = Self.fractions + 1
        var brakeInput = [Double](repeating: 0, count: count * width)
        var deceleration = brakeInput, driveForce = brakeInput, acceleration = brakeInput
        let m = car.mass
        let share = ExpertCarModel.longitudinalShare
        for k in 0..<count {
            let v = Double(k)
            let v2 = v * v
            let level = car.axles(ax: 0, speedSquared: v2, gripFactor: 1)
            for f in 0...Self.fractions {
                let ay = lateral[k] * Double(f) / Double(Self.fractions)
                let frontNeed = m * ay * car.cogToRear / car.wheelbase
                let rearNeed = m * ay * car.cogToFront / car.wheelbase
                // The power the tyres' lateral slip dissipates: F_y tan(alpha) on each axle.
                let cornerDrag = frontNeed * car.slip(atFraction: frontNeed / level.frontLateral)
                    + rearNeed * car.slip(atFraction: rearNeed / level.rearLateral)
                func resist(_ a: ExpertCarModel.Axles) -> Double {
                    car.halfRhoCdA * v2 + car.rollingCoefficient * (a.frontLoad + a.rearLoad) + cornerDrag
                }
                func brake(_ d: Double) -> (input: Double, deceleration: Double) {
                    let a = car.axles(ax: -d, speedSquared: v2, gripFactor: 1)
                    let front = a.frontLongitudinal * share(frontNeed, a.frontLateral, frontShare)
                        / (car.maxBrakeForce * car.brakeFront)
                    let rear = a.rearLongitudinal * share(rearNeed, a.rearLateral, rearShare)
                        / (car.maxBrakeForce * (1 - car.brakeFront))
                    let input = min(1, front, rear)
                    return (input, (input * car.maxBrakeForce + resist(a)) / m)
                }
                func drive(_ acc: Double) -> (force: Double, acceleration: Double) {
                    let a = car.axles(ax: acc, speedSquared: v2, gripFactor: 1)
                    let rear = a.rearLongitudinal * share(rearNeed, a.rearLateral, rearShare)
                    let force = min(car.engineForce(v), rear)
                    return (force, (force - resist(a)) / m)
                }
                // Fixed points by bisection: d - brake(d) rises with d, acc - drive(acc) rises with acc.
                var low = 0.0, high = 80.0
                for _ in 0..<48 {
                    let mid = 0.5 * (low + high)
                    if mid < brake(mid).deceleration { low = mid } else { high = mid }
                }
                let braking = brake(low)
                low = -40
                high = 40
                for _ in 0..<48 {
                    let mid = 0.5 * (low + high)
                    if mid < drive(mid).acceleration { low = mid } else { high = mid }
                }
                var driving = drive(low)
                // Accelerating unloads the front axle, which must still carry its share of the cornering.
                let frontLimit = car.frontAccelerationLimit(
                    lateralForce: frontNeed / frontShare, speedSquared: v2, gripFactor: 1)
                if driving.acceleration > frontLimit {
                    let a = car.axles(ax: frontLimit, speedSquared: v2, gripFactor: 1)
                    driving = (max(m * frontLimit + resist(a), 0), frontLimit)
                }
                brakeInput[k * width + f] = braking.input
                deceleration[k * width + f] = braking.deceleration
                driveForce[k * width + f] = driving.force
                acceleration[k * width + f] = driving.acceleration
            }
        }
        self.lateral = lateral
        self.brakeInput = brakeInput
        self.deceleration = deceleration
        self.driveForce = driveForce
        self.acceleration = acceleration
        straightDeceleration = (0..<count).map { deceleration[$0 * width] }
        straightBrakeInput = (0..<count).map { brakeInput[$0 * width] }
        minimumStraightDeceleration = straightDeceleration.min() ?? 0
    }

    /// The steady cornering limit at speed `v` (m/s^2), interpolated.
    @inline(__always)
    func lateral(_ v: Double) -> Double {
        let u = min(max(v, 0), Double(lateral.count - 1) - 1e-9)
        let i = Int(u)
        return lateral[i] + (lateral[i + 1] - lateral[i]) * (u - Double(i))
    }

    /// Bilinear lookup of a [speed][fraction] table at speed `v` (m/s) and lateral acceleration `ay` (m/s^2);
    /// beyond the cornering limit the last column holds.
    @inline(__always)
    func value(_ table: [Double], speed v: Double, lateral ay: Double) -> Double {
        // NaN reads as 0 (a bad view must not stop the program at the index conversion).
        let u = v.isNaN ? 0 : min(max(v, 0), Double(lateral.count - 1) - 1e-9)
        let i = Int(u)
        let t = u - Double(i)
        let width = Self.fractions + 1
        let ay = ay.isNaN ? 0 : abs(ay)
        @inline(__always)
        func row(_ k: Int) -> Double {
            let q = min(ay / lateral[k], 1) * Double(Self.fractions)
            let j = min(Int(q), Self.fractions - 1)
            let a = table[k * width + j], b = table[k * width + j + 1]
            return a + (b - a) * (q - Double(j))
        }
        let r0 = row(i)
        return r0 + (row(i + 1) - r0) * t
    }

    /// ``value(_:speed:lateral:)`` at no lateral acceleration, from a straight column (``straightDeceleration``,
    /// ``straightBrakeInput``): the same bits, since at 0 the lateral lookup reads the first column with a weight of 0
    /// on the second (`a + (b - a) * 0` is `a` for the finite tables), but no division, no second column, and no
    /// index checks (the following speed reads it for every car ahead that could hold this one up).
    @inline(__always)
    func straight(_ column: [Double], speed v: Double) -> Double {
        let u = v.isNaN ? 0 : min(max(v, 0), Double(lateral.count - 1) - 1e-9)
        let i = Int(u)
        let t = u - Double(i)
        return column.withUnsafeBufferPointer { c in
            let r0 = c[i]
            return r0 + (c[i + 1] - r0) * t
        }
    }
}
