import Foundation

/// The fastest speed a car can carry at every point of a `RacingLine` on a flying lap: a quasi-steady-state
/// velocity profile, the lap-time limit a perfect driver approaches.
///
/// Method (the classic forward-backward integration, e.g. Heilmeier et al. 2019, "Minimum curvature trajectory
/// planning and control for an autonomous race car", Vehicle System Dynamics 58(10), section 3.3):
/// 1. the cornering limit at each sample: the speed v with v^2 |kappa| = gripScale * a_lat,max(v), which depends on
///    v through downforce (the first crossing on the tabulated limit, solved exactly within its grid cell), capped
///    at the top speed;
/// 2. a forward pass that accelerates as hard as the drive limit allows, on a friction ellipse with the lateral
///    use: a_x <= a_drive(v) * sqrt(1 - (a_y / (gripScale * a_lat,max(v)))^2), power, drag and rolling resistance
///    included in a_drive (`VehicleModel.maxDriveAcceleration`);
/// 3. a backward pass that brakes as late as the braking limit (`VehicleModel.maxBrakingDeceleration`, scaled by
///    gripScale) on the same ellipse allows;
/// 4. closing the loop: both passes start from the slowest corner and are repeated around the lap until the speed
///    there no longer changes (a flying lap; in practice it holds after one round).
///
/// Each 1 m segment is integrated in v^2 at constant acceleration: the smallest of the limits at its start, its
/// midpoint and its end, so that at every sample the accelerations of the segments on either side, combined with
/// the lateral acceleration there, stay within the friction ellipse (at an apex at the lateral limit this holds
/// the speed for one segment; against a plain midpoint rule it costs about 0.1% of the lap time). Values are at the line's samples
/// (centreline arc length s = i * `spacing`); segment i runs from sample i to sample i + 1 (the last one back to
/// sample 0).
public struct SpeedProfile: Sendable {
    /// The share of the tyres' grip the profile plans with (0.05...2; 1 = the limit). It scales the lateral and
    /// the braking limits; the drive limit (mostly power) is used as it is, but the friction ellipse takes the
    /// scaled lateral limit, so corner exits are planned within the scaled grip too.
    public let gripScale: Double
    /// Number of samples (`RacingLine.count`).
    public let count: Int
    /// Centreline arc length between samples (m).
    public let spacing: Double
    /// Centreline length of the lap (m): the period of the `s` arguments.
    public let trackLength: Double
    /// Length of the lap along the racing line (m).
    public let length: Double
    /// Speed at each sample (m/s, > 0).
    public let speed: [Double]
    /// Longitudinal acceleration over segment i, from sample i to the next (m/s^2; positive = speeding up):
    /// (v[i+1]^2 - v[i]^2) / (2 ds).
    public let longitudinalAcceleration: [Double]
    /// Lateral acceleration at each sample (m/s^2; positive = to the left): v^2 kappa.
    public let lateralAcceleration: [Double]
    /// Time from sample 0 to sample i on the flying lap (s); `time[0]` is 0.
    public let time: [Double]
    /// Lap time (s): the sum over segments of line distance / mean speed.
    public let lapTime: Double
    /// Highest speed on the lap (m/s).
    public let topSpeed: Double
    /// Lowest speed on the lap (m/s): the apex of the slowest corner.
    public let minSpeed: Double
    /// Rounds of forward and backward passes until the flying lap closed (diagnostics).
    let rounds: Int

    /// The profile of `vehicle` on `line`.
    /// - Parameters:
    ///   - gripScale: share of the grip to plan with (1 = the limit; 0.97 plans at 97%); clamped to 0.05...2,
    ///     NaN counts as 1.
    ///   - fuelMass: fuel on board (kg, >= 0), which makes the car heavier.
    ///   - tyreWear: tyre wear (0...1), which lowers the grip.
    public init(line: RacingLine, vehicle: VehicleModel, gripScale: Double = 1, fuelMass: Double = 0, tyreWear: Double = 0) {
        self.init(line: line, limits: AccelerationLimits(vehicle: vehicle, fuelMass: fuelMass, tyreWear: tyreWear),
                  gripScale: gripScale)
    }

    /// The profile on `line` for tabulated `limits`.
    init(line: RacingLine, limits: AccelerationLimits, gripScale requested: Double) {
        let gripScale = requested.isNaN ? 1 : min(max(requested, 0.05), 2)
        self.gripScale = gripScale
        count = line.count
        spacing = line.spacing
        trackLength = line.trackLength
        length = line.length
        let n = line.count
        var ds = [Double](repeating: 0, count: n)
        for i in 0..<n { ds[i] = (i + 1 < n ? line.distance[i + 1] : line.length) - line.distance[i] }
        let kappa = line.curvature.map { abs($0) }

        // Lateral use of the grip at speed v on curvature k, as a fraction of the (scaled) limit.
        func usage(_ v: Double, _ k: Double) -> Double {
            min(1, v * v * k / (gripScale * limits.lateral(at: v)))
        }
        func driveAcceleration(_ v: Double, _ k: Double) -> Double {
            let drive = limits.drive(at: v)
            guard drive > 0 else { return drive }
            let u = usage(v, k)
            return drive * (1 - u * u).squareRoot()
        }
        func brakingDeceleration(_ v: Double, _ k: Double) -> Double {
            let u = usage(v, k)
            return gripScale * limits.braking(at: v) * (1 - u * u).squareRoot()
        }
        // The speed after a segment of length d from v0, at the smallest of the accelerations a(v, k) at its start,
        // its midpoint and its end (the later two at the speeds a second-order step predicts): the acceleration
        // over the segment then fits the friction ellipse at both of its ends.
        func integrate(_ v0: Double, _ k0: Double, _ k1: Double, _ d: Double, _ a: (Double, Double) -> Double) -> Double {
            let first = a(v0, k0)
            let middle = a(max(v0 * v0 + first * d, 0).squareRoot(), 0.5 * (k0 + k1))
            let last = a(max(v0 * v0 + 2 * middle * d, 0).squareRoot(), k1)
            return max(v0 * v0 + 2 * min(first, middle, last) * d, 0).squareRoot()
        }

        let cap = (0..<n).map { SpeedProfile.cornerSpeed(curvature: kappa[$0], limits: limits, gripScale: gripScale) }
        var anchor = 0
        for i in 1..<n where cap[i] < cap[anchor] { anchor = i }

        var v = cap
        var start = cap[anchor]
        var rounds = 0
        while rounds < 20 {
            rounds += 1
            // Forward: accelerate from the anchor around the lap.
            v[anchor] = start
            var arrival = start
            for step in 0..<n {
                let i = (anchor + step) % n, j = i + 1 == n ? 0 : i + 1
                let reachable = integrate(v[i], kappa[i], kappa[j], ds[i], driveAcceleration)
                if j == anchor { arrival = min(cap[j], reachable) } else { v[j] = min(cap[j], reachable) }
            }
            v[anchor] = min(v[anchor], arrival)
            // Backward: brake into every sample from the one after it, around the lap back to the anchor.
            for step in 0..<n {
                let j = (anchor - step + n) % n, i = j == 0 ? n - 1 : j - 1
                v[i] = min(v[i], integrate(v[j], kappa[j], kappa[i], ds[i], brakingDeceleration))
            }
            let change = abs(v[anchor] - start)
            start = v[anchor]
            if change <= 1e-9 * max(start, 1) { break }
        }
        self.rounds = rounds
        speed = v

        var ax = [Double](repeating: 0, count: n), ay = ax, elapsed = ax
        var total = 0.0
        for i in 0..<n {
            let j = i + 1 == n ? 0 : i + 1
            elapsed[i] = total
            ax[i] = ds[i] > 0 ? (v[j] * v[j] - v[i] * v[i]) / (2 * ds[i]) : 0
            ay[i] = v[i] * v[i] * line.curvature[i]
            total += 2 * ds[i] / (v[i] + v[j])
        }
        longitudinalAcceleration = ax
        lateralAcceleration = ay
        time = elapsed
        lapTime = total
        topSpeed = v.max() ?? 0
        minSpeed = v.min() ?? 0
    }

    /// The speed at which `curvature` (1/m, >= 0) uses exactly `gripScale` of the lateral limit, capped at the top
    /// speed: the first crossing of v^2 k = gripScale * a_lat(v) going up from 0, solved exactly on the limit's
    /// linear interpolation within its grid cell.
    static func cornerSpeed(curvature k: Double, limits: AccelerationLimits, gripScale: Double) -> Double {
        let top = limits.topSpeed
        // Straights: even the weakest lateral limit holds the top speed.
        guard top * top * k > gripScale * limits.weakestLateral else { return top }
        let step = limits.step
        for j in 0..<(limits.lateral.count - 1) {
            let v0 = Double(j) * step, v1 = v0 + step
            if v0 >= top { break }
            guard v1 * v1 * k > gripScale * limits.lateral[j + 1] else { continue }
            // Within [v0, v1] the limit is L0 + slope (v - v0): solve k v^2 = gripScale (L0 + slope (v - v0)).
            let slope = gripScale * (limits.lateral[j + 1] - limits.lateral[j]) / step
            let intercept = gripScale * limits.lateral[j] - slope * v0
            let root = (slope + (slope * slope + 4 * k * intercept).squareRoot()) / (2 * k)
            return min(max(root.isFinite ? root : v0, v0), v1, top)
        }
        return top
    }

    /// The speed at centreline arc length `s` (m, wrapped into the lap), linearly interpolated between samples
    /// (m/s). Non-finite `s` gives NaN.
    public func speed(at s: Double) -> Double {
        guard s.isFinite else { return .nan }
        var u = s.truncatingRemainder(dividingBy: trackLength)
        if u < 0 { u += trackLength }
        u /= spacing
        let i = min(Int(u), count - 1), j = i + 1 == count ? 0 : i + 1
        let t = u - Double(i)
        return speed[i] + t * (speed[j] - speed[i])
    }
}

extension SpeedProfile {
    /// Highest minus lowest speed on the lap (m/s).
    var maxSpeedSpread: Double { topSpeed - minSpeed }
}
