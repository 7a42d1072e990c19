import Foundation
import Sim

/// The speed the expert aims for along a racing line: a quasi-steady-state profile like `SpeedProfile`, but
/// with the combined limits worked out per axle (``ExpertLimits``) instead of on one friction ellipse for the
/// whole car.
///
/// Why: in steady cornering the rear axle must carry `m a_y a / L` of the lateral force whatever the braking
/// does, while braking moves load off it and puts `1 - frontFraction` of the brake force on it, so trail braking
/// is limited by the rear axle; drive, on the other hand, is mostly limited by power, which cornering does not
/// take away; accelerating unloads the front axle, which must still carry its share of the cornering. The
/// cornering cap is `gripScale` times `VehicleModel.maxLateralAcceleration`; each 1 m segment is integrated in
/// v^2 at the smaller of the limits at its start and at its (predicted) end, forward and backward around the lap
/// from the slowest corner.
struct ExpertProfile: Sendable {
    /// Speed at each line sample (m/s).
    let speed: [Double]
    /// Longitudinal acceleration over the segment from sample i to i + 1 (m/s^2).
    let acceleration: [Double]
    /// Lap time of a flying lap at this profile (s).
    let lapTime: Double
    /// Time from sample 0 to each sample on a flying lap at this profile (s), one entry more than the samples: the
    /// last is ``lapTime``.
    let elapsed: [Double]

    /// The profile on `line` within `limits`, cornering at up to `gripScale` of the steady cornering limit.
    init(line: RacingLine, limits: ExpertLimits, gripScale: Double) {
        let n = line.count
        var ds = [Double](repeating: 0, count: n)
        for i in 0..<n { ds[i] = max((i + 1 < n ? line.distance[i + 1] : line.length) - line.distance[i], 1e-6) }
        let kappa = line.curvature.map { abs($0) }
        // Cornering cap: the first speed where v^2 kappa reaches the scaled limit, refined by bisection.
        var cap = [Double](repeating: limits.top, count: n)
        for i in 0..<n where kappa[i] > 0 {
            var v = 1.0
            while v < limits.top && v * v * kappa[i] < gripScale * limits.lateral(v) { v += 1 }
            if v >= limits.top { continue }
            var lo = v - 1, hi = v
            for _ in 0..<40 {
                let mid = 0.5 * (lo + hi)
                if mid * mid * kappa[i] < gripScale * limits.lateral(mid) { lo = mid } else { hi = mid }
            }
            cap[i] = max(lo, 1)
        }
        var anchor = 0
        for i in 1..<n where cap[i] < cap[anchor] { anchor = i }
        // Each segment at the smaller of the limits at its start and at its end (as predicted).
        func step(_ v0: Double, _ k0: Double, _ k1: Double, _ d: Double, _ table: [Double]) -> Double {
            let a0 = limits.value(table, speed: v0, lateral: v0 * v0 * k0)
            let v1 = max(v0 * v0 + 2 * a0 * d, 0).squareRoot()
            let a1 = limits.value(table, speed: v1, lateral: v1 * v1 * k1)
            return max(v0 * v0 + 2 * min(a0, a1) * d, 0).squareRoot()
        }
        var v = cap
        for _ in 0..<3 {
            for k in 0..<n {
                let i = (anchor + k) % n, j = (i + 1) % n
                v[j] = min(v[j], cap[j], step(v[i], kappa[i], kappa[j], ds[i], limits.acceleration))
            }
            for k in 0..<n {
                let j = (anchor - k + n) % n, i = (j - 1 + n) % n
                v[i] = min(v[i], step(v[j], kappa[j], kappa[i], ds[i], limits.deceleration))
            }
        }
        speed = v
        var a = [Double](repeating: 0, count: n)
        var time = 0.0
        var t = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let j = (i + 1) % n
            a[i] = (v[j] * v[j] - v[i] * v[i]) / (2 * ds[i])
            time += 2 * ds[i] / max(v[i] + v[j], 1e-6)
            t[i + 1] = time
        }
        acceleration = a
        lapTime = time
        elapsed = t
    }
}
