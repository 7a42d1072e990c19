import Foundation
import Sim

/// What the expert knows of its car, in the form a controller needs it: the axle loads and grips of the
/// single-track model for a longitudinal acceleration and speed, the lateral magic-formula curve and its inverse
/// (tabulated once, so deciding needs no root-finding), the engine's force and the brake split. It mirrors the
/// formulas of `VehicleModel` (static split, longitudinal load transfer, downforce, load sensitivity); tyre wear
/// is not visible to a driver and counts as none. SI units.
struct ExpertCarModel: Sendable {
    /// Mass with the planned fuel (kg) and yaw inertia (kg m^2).
    let mass: Double
    let yawInertia: Double
    /// Wheelbase, CoG to front and rear axle, CoG height (m).
    let wheelbase: Double
    let cogToFront: Double
    let cogToRear: Double
    let cogHeight: Double
    /// Largest road-wheel angle (rad).
    let maxSteer: Double
    /// 0.5 rho Cd A and 0.5 rho Cl A (kg/m), downforce share on the front axle.
    let halfRhoCdA: Double
    let halfRhoClA: Double
    let aeroFront: Double
    let rollingCoefficient: Double
    /// Load-sensitivity reference: the dry car's static axle loads (N), as in the vehicle model.
    let referenceFront: Double
    let referenceRear: Double
    let loadSensitivity: Double
    /// Peak friction coefficients: lateral front and rear, longitudinal (both axles).
    let lateralFront: Double
    let lateralRear: Double
    let longitudinal: Double
    /// Lateral magic formula (normalised to a peak of 1 at `peakSlip`, slips as tan(alpha)).
    let B: Double
    let C: Double
    let E: Double
    let peakInverse: Double
    let peakSlip: Double
    /// Slip at force fraction k / (count - 1), k = 0..<count (0...peakSlip).
    let inverseTable: [Double]
    /// Wheel power (W) and low-speed drive-force cap (N).
    let wheelPower: Double
    let maxDriveForce: Double
    /// Tyre wear per joule of tyre work (at the default wear rate) and the grip lost at full wear.
    let wearPerJoule: Double
    let gripLossAtFullWear: Double
    /// Full brake force (N) and its front share.
    let maxBrakeForce: Double
    let brakeFront: Double

    init(car: CarSpec, fuelMass: Double) {
        let chassis = car.chassis
        mass = chassis.massKg + max(fuelMass, 0)
        yawInertia = chassis.yawInertiaKgM2 / chassis.massKg * mass
        wheelbase = chassis.wheelbaseM
        cogToFront = chassis.cogToFrontAxleM
        cogToRear = chassis.wheelbaseM - chassis.cogToFrontAxleM
        cogHeight = chassis.cogHeightM
        maxSteer = car.steering.maxAngleRad
        halfRhoCdA = 0.5 * VehicleModel.airDensity * car.aero.dragAreaM2
        halfRhoClA = 0.5 * VehicleModel.airDensity * car.aero.downforceAreaM2
        aeroFront = car.aero.frontFraction
        rollingCoefficient = car.tyre.rollingResistanceCoefficient
        let dryWeight = chassis.massKg * VehicleModel.gravity
        referenceFront = dryWeight * cogToRear / wheelbase
        referenceRear = dryWeight * cogToFront / wheelbase
        loadSensitivity = car.tyre.loadSensitivity
        lateralFront = car.tyre.lateral.D
        lateralRear = car.tyre.lateral.D * car.tyre.rearLateralGripRatio
        longitudinal = car.tyre.longitudinal.D
        let (b, c, e) = (car.tyre.lateral.B, car.tyre.lateral.C, car.tyre.lateral.E)
        B = b
        C = c
        E = e
        // Peak of the raw curve: a fine scan of tan(alpha) in 0...1.5, then a local refinement.
        func raw(_ x: Double) -> Double {
            let bx = b * x
            return sin(c * atan(bx - e * (bx - atan(bx))))
        }
        var best = 0.0, bestX = 0.0
        for i in 1...15_000 {
            let x = Double(i) * 1e-4
            let y = raw(x)
            if y > best { (best, bestX) = (y, x) }
        }
        var lo = max(bestX - 1e-4, 0), hi = bestX + 1e-4
        for _ in 0..<60 {
            let m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3
            if raw(m1) < raw(m2) { lo = m1 } else { hi = m2 }
        }
        let peakX = 0.5 * (lo + hi)
        let peak = max(raw(peakX), best)
        peakSlip = peakX
        peakInverse = 1 / peak
        // Inverse by bisection on the rising branch, once.
        let count = 257
        var table = [Double](repeating: 0, count: count)
        for k in 1..<count {
            let target = Double(k) / Double(count - 1) * peak
            var low = 0.0, high = peakX
            for _ in 0..<60 {
                let mid = 0.5 * (low + high)
                if raw(mid) < target { low = mid } else { high = mid }
            }
            table[k] = 0.5 * (low + high)
        }
        inverseTable = table
        wheelPower = car.powertrain.powerW * car.powertrain.drivetrainEfficiency
        maxDriveForce = car.powertrain.maxDriveForceN
        wearPerJoule = car.tyre.wearPerMegajoule * 1e-6
        gripLossAtFullWear = car.tyre.gripLossAtFullWear
        maxBrakeForce = car.brakes.maxForceN
        brakeFront = car.brakes.frontFraction
    }

    /// Axle loads and peak forces at one instant (N).
    struct Axles {
        var frontLoad: Double
        var rearLoad: Double
        var frontLateral: Double
        var rearLateral: Double
        var frontLongitudinal: Double
        var rearLongitudinal: Double
    }

    /// Loads and peak forces with longitudinal acceleration `ax` (m/s^2, the load transfer), at `speedSquared`
    /// (the downforce), on a surface of `gripFactor`.
    @inline(__always)
    func axles(ax: Double, speedSquared: Double, gripFactor: Double) -> Axles {
        let weight = mass * VehicleModel.gravity
        let transfer = mass * ax * cogHeight / wheelbase
        let downforce = halfRhoClA * speedSquared
        let front = max(weight * cogToRear / wheelbase - transfer + downforce * aeroFront, 0.1 * referenceFront)
        let rear = max(weight * cogToFront / wheelbase + transfer + downforce * (1 - aeroFront), 0.1 * referenceRear)
        let frontGrip = front * gripFactor / (1 + loadSensitivity * (front / referenceFront - 1))
        let rearGrip = rear * gripFactor / (1 + loadSensitivity * (rear / referenceRear - 1))
        return Axles(frontLoad: front, rearLoad: rear,
                     frontLateral: lateralFront * frontGrip, rearLateral: lateralRear * rearGrip,
                     frontLongitudinal: longitudinal * frontGrip, rearLongitudinal: longitudinal * rearGrip)
    }

    /// The largest longitudinal acceleration (m/s^2; negative when even steady speed is too much) at which the
    /// front axle still has a lateral peak of `lateralForce` (N), at `speedSquared` on a surface of `gripFactor`:
    /// accelerating moves load off the front axle. Closed form (the load sensitivity is a rational function).
    @inline(__always)
    func frontAccelerationLimit(lateralForce: Double, speedSquared: Double, gripFactor: Double) -> Double {
        let mu = lateralFront * gripFactor
        let k = loadSensitivity
        let denominator = mu - lateralForce * k / referenceFront
        guard denominator > 0 else { return -.infinity }
        let load = lateralForce * (1 - k) / denominator
        let available = mass * VehicleModel.gravity * cogToRear / wheelbase + halfRhoClA * speedSquared * aeroFront
        return (available - load) * wheelbase / (mass * cogHeight)
    }

    /// The fraction of an axle's longitudinal peak left when it carries `lateral` of its lateral peak `peak` and
    /// is used up to `share` of its friction ellipse: `share * sqrt(1 - (lateral / (share * peak))^2)`, 0 when the
    /// lateral force alone takes the share.
    @inline(__always)
    static func longitudinalShare(lateral: Double, peak: Double, share: Double) -> Double {
        let u = lateral / (share * peak)
        return u < 1 ? share * (1 - u * u).squareRoot() : 0
    }

    /// The normalised lateral force at slip `x` (tan alpha): odd, 1 at ±`peakSlip`.
    @inline(__always)
    func lateralShape(_ x: Double) -> Double {
        let bx = B * x
        return sin(C * atan(bx - E * (bx - atan(bx)))) * peakInverse
    }

    /// The slip (tan alpha, signed) at which the normalised lateral force is `fraction` (clamped to -1...1).
    @inline(__always)
    func slip(atFraction fraction: Double) -> Double {
        let f = min(abs(fraction), 1) * Double(inverseTable.count - 1)
        let i = min(Int(f), inverseTable.count - 2)
        let value = inverseTable[i] + (inverseTable[i + 1] - inverseTable[i]) * (f - Double(i))
        return fraction < 0 ? -value : value
    }

    /// Full-throttle engine force at forward speed `v` (N), before the rear grip limit.
    @inline(__always)
    func engineForce(_ v: Double) -> Double { min(wheelPower / max(v, 1), maxDriveForce) }
}
