import Foundation
import Sim

/// The speed the expert aims for along a racing line: a quasi-steady-state profile like `SpeedProfile`, but
/// with the combined limits worked out per axle instead of on one friction ellipse for the whole car.
///
/// Why: in steady cornering the rear axle must carry `m a_y a / L` of the lateral force whatever the braking
/// does, while braking moves load off it and puts `1 - frontFraction` of the brake force on it. On a car whose
/// brake balance suits straight-line braking, trail braking is therefore limited by the rear axle, and a
/// whole-car ellipse asks for corner entries the car cannot make without sliding. Here, at each speed and
/// lateral acceleration, the largest deceleration is the brake input at which the first axle reaches
/// `gripScale` of its friction ellipse (loads with the load transfer of that deceleration and the downforce);
/// the largest acceleration is the drive the rear axle's ellipse leaves, within the engine's force; the
/// cornering limit is `gripScale` times `VehicleModel.maxLateralAcceleration`. Both are tabulated over speed and
/// lateral use, then integrated forward and backward around the lap as in `SpeedProfile`.
struct ExpertProfile: Sendable {
    /// Speed at each line sample (m/s).
    let speed: [Double]
    /// Longitudinal acceleration over the segment from sample i to i + 1 (m/s^2).
    let acceleration: [Double]
    /// Lap time of a flying lap at this profile (s).
    let lapTime: Double

    /// Tabulated limits over speed (1 m/s steps) and lateral use (fractions of the cornering limit).
    struct Limits {
        static let fractions = 32
        let lateral: [Double]
        /// Deceleration (positive) and acceleration at [speed][fraction].
        let braking: [Double]
        let drive: [Double]
        let top: Double

        init(model: VehicleModel, car: ExpertCarModel, gripScale g: Double, fuelMass: Double) {
            let top = model.topSpeed(fuelMass: fuelMass)
            self.top = top
            let count = Int(top.rounded(.up)) + 3
            let lateral = (0..<count).map { model.maxLateralAcceleration(speed: Double($0), fuelMass: fuelMass) }
            var braking = [Double](repeating: 0, count: count * (Self.fractions + 1))
            var drive = braking
            let m = car.mass
            for k in 0..<count {
                let v = Double(k)
                let v2 = v * v
                for f in 0...Self.fractions {
                    let ay = g * lateral[k] * Double(f) / Double(Self.fractions)
                    let frontNeed = m * ay * car.cogToRear / car.wheelbase
                    let rearNeed = m * ay * car.cogToFront / car.wheelbase
                    // Cornering drag of the steered front tyre (kinematic angle L kappa).
                    let steer = v2 > 1 ? min(car.wheelbase * ay / v2, car.maxSteer) : 0
                    let cornerDrag = frontNeed * steer
                    var d = 0.0
                    for _ in 0..<40 {
                        let a = car.axles(ax: -d, speedSquared: v2, gripFactor: 1)
                        let ef = max(0, 1 - Self.square(frontNeed / (g * a.frontLateral)))
                        let er = max(0, 1 - Self.square(rearNeed / (g * a.rearLateral)))
                        let input = min(1, g * a.frontLongitudinal * ef.squareRoot() / (car.maxBrakeForce * car.brakeFront),
                                        g * a.rearLongitudinal * er.squareRoot() / (car.maxBrakeForce * (1 - car.brakeFront)))
                        let resist = car.halfRhoCdA * v2 + car.rollingCoefficient * (a.frontLoad + a.rearLoad) + cornerDrag
                        let next = (input * car.maxBrakeForce + resist) / m
                        if abs(next - d) < 1e-9 { d = next; break }
                        d = next
                    }
                    var acc = 0.0
                    for _ in 0..<40 {
                        let a = car.axles(ax: acc, speedSquared: v2, gripFactor: 1)
                        let er = max(0, 1 - Self.square(rearNeed / (g * a.rearLateral)))
                        let force = min(car.engineForce(v), g * a.rearLongitudinal * er.squareRoot())
                        let resist = car.halfRhoCdA * v2 + car.rollingCoefficient * (a.frontLoad + a.rearLoad) + cornerDrag
                        let next = (force - resist) / m
                        if abs(next - acc) < 1e-9 { acc = next; break }
                        acc = next
                    }
                    braking[k * (Self.fractions + 1) + f] = d
                    drive[k * (Self.fractions + 1) + f] = acc
                }
            }
            self.lateral = lateral.map { g * $0 }
            self.braking = braking
            self.drive = drive
        }

        @inline(__always)
        private static func square(_ x: Double) -> Double { x * x }

        /// The scaled cornering limit at speed `v` (m/s^2).
        func lateral(_ v: Double) -> Double {
            let u = min(max(v, 0), Double(lateral.count - 1) - 1e-9)
            let i = Int(u)
            return lateral[i] + (lateral[i + 1] - lateral[i]) * (u - Double(i))
        }

        /// Bilinear lookup of a [speed][fraction] table at speed `v` and lateral acceleration `ay`.
        func value(_ table: [Double], _ v: Double, _ ay: Double) -> Double {
            let u = min(max(v, 0), Double(lateral.count - 1) - 1e-9)
            let i = Int(u)
            let t = u - Double(i)
            let width = Self.fractions + 1
            func row(_ k: Int) -> Double {
                let q = min(abs(ay) / lateral[k], 1) * Double(Self.fractions)
                let j = min(Int(q), Self.fractions - 1)
                let a = table[k * width + j], b = table[k * width + j + 1]
                return a + (b - a) * (q - Double(j))
            }
            return row(i) + (row(i + 1) - row(i)) * t
        }
    }

    init(line: RacingLine, model: VehicleModel, car: ExpertCarModel, gripScale: Double, fuelMass: Double) {
        let limits = Limits(model: model, car: car, gripScale: gripScale, fuelMass: fuelMass)
        let n = line.count
        var ds = [Double](repeating: 0, count: n)
        for i in 0..<n { ds[i] = max((i + 1 < n ? line.distance[i + 1] : line.length) - line.distance[i], 1e-6) }
        let kappa = line.curvature.map { abs($0) }
        // Cornering cap: the first speed where v^2 kappa reaches the scaled limit, refined by bisection.
        var cap = [Double](repeating: limits.top, count: n)
        for i in 0..<n where kappa[i] > 0 {
            var v = 1.0
            while v < limits.top && v * v * kappa[i] < limits.lateral(v) { v += 1 }
            if v >= limits.top { continue }
            var lo = v - 1, hi = v
            for _ in 0..<40 {
                let mid = 0.5 * (lo + hi)
                if mid * mid * kappa[i] < limits.lateral(mid) { lo = mid } else { hi = mid }
            }
            cap[i] = max(lo, 1)
        }
        var anchor = 0
        for i in 1..<n where cap[i] < cap[anchor] { anchor = i }
        // Each segment at the smaller of the limits at its start and at its end (as predicted).
        func step(_ v0: Double, _ k0: Double, _ k1: Double, _ d: Double, _ table: [Double], _ sign: Double) -> Double {
            let a0 = limits.value(table, v0, v0 * v0 * k0)
            let v1 = max(v0 * v0 + 2 * sign * a0 * d, 0).squareRoot()
            let a1 = limits.value(table, v1, v1 * v1 * k1)
            return max(v0 * v0 + 2 * sign * min(a0, a1) * d, 0).squareRoot()
        }
        var v = cap
        for _ in 0..<3 {
            for k in 0..<n {
                let i = (anchor + k) % n, j = (i + 1) % n
                v[j] = min(v[j], cap[j], step(v[i], kappa[i], kappa[j], ds[i], limits.drive, 1))
            }
            for k in 0..<n {
                let j = (anchor - k + n) % n, i = (j - 1 + n) % n
                v[i] = min(v[i], step(v[j], kappa[j], kappa[i], ds[i], limits.braking, 1))
            }
        }
        speed = v
        var a = [Double](repeating: 0, count: n)
        var time = 0.0
        for i in 0..<n {
            let j = (i + 1) % n
            a[i] = (v[j] * v[j] - v[i] * v[i]) / (2 * ds[i])
            time += 2 * ds[i] / max(v[i] + v[j], 1e-6)
        }
        acceleration = a
        lapTime = time
    }
}
