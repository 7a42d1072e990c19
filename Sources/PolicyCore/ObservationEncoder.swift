import Foundation
import Sim

/// Turns an ``Observation`` into the feature vector of ``ObservationSpec`` (version 1) for one car on one
/// circuit. The reference it conditions the policy on is an ``ExpertPlan``: the racing line (from the shared
/// `RacingLineCache`) and the speed plan on it (quasi-steady per-axle limits at the plan's grip share, for the
/// fuel on board), tabulated per centreline sample once, so encoding reads tables and does two trigonometric
/// calls.
///
/// Immutable and `Sendable`: one encoder serves every car of the same model on the same circuit, from any
/// thread. `encode` does not allocate, lock or throw.
public final class ObservationEncoder: Sendable {
    /// The circuit.
    public let track: Track
    /// The plan the features are taken from.
    public let plan: ExpertPlan
    /// The car's name.
    public let carName: String
    /// Half the car's overall width (m).
    public let halfWidth: Double
    /// The racing line's margin from each track limit (m): the offset command stays within the limits less this.
    public let lineMargin: Double
    /// The car's maximum road-wheel angle (rad) and wheelbase (m).
    public let maxSteer: Double
    public let wheelbase: Double
    /// The car descriptor features (power to mass, grip, downforce, mass), already scaled.
    let descriptor: (Float, Float, Float, Float)
    /// Per centreline sample: centreline position and unit normal (pointing left), curvature, widths, line
    /// offset and the road-wheel angle fraction its curvature needs, planned speed and acceleration.
    let cx: [Double], cy: [Double], nx: [Double], ny: [Double]
    let curvature: [Double], widthLeft: [Double], widthRight: [Double]
    let lineOffset: [Double], lineSteer: [Double], planSpeed: [Double], planAcceleration: [Double]

    /// Tabulates the plan's circuit for its car.
    public init(plan: ExpertPlan) {
        let track = plan.track, car = plan.model.spec
        self.track = track
        self.plan = plan
        carName = car.name
        halfWidth = car.chassis.overallWidthM / 2
        maxSteer = car.steering.maxAngleRad
        wheelbase = car.chassis.wheelbaseM
        let line = plan.line
        lineMargin = line.parameters.margin
        let n = track.count
        cx = track.x
        cy = track.y
        nx = track.heading.map { -sin($0) }
        ny = track.heading.map { cos($0) }
        curvature = track.curvature
        widthLeft = track.widthLeft
        widthRight = track.widthRight
        lineOffset = Array(line.offset.prefix(n))
        let (l, m) = (car.chassis.wheelbaseM, car.steering.maxAngleRad)
        lineSteer = line.curvature.prefix(n).map { atan(l * $0) / m }
        planSpeed = Array(plan.speed.prefix(n))
        planAcceleration = Array(plan.acceleration.prefix(n))
        let mass = car.chassis.massKg
        descriptor = (Float(car.powertrain.powerW / mass / 1000), Float(car.tyre.lateral.D),
                      Float(0.5 * 1.225 * car.aero.downforceAreaM2 / mass / 0.01), Float(mass / 1000))
    }

    /// An encoder on a plan for `car` on `track` with `fuelMass` kg on board (nil: the fuel a default race
    /// starts with, `RaceConfig().startingFuelMass`). Builds the plan (about 0.2 s in a release build; the racing
    /// line comes from `cache`).
    public convenience init(track: Track, car: CarSpec, fuelMass: Double? = nil, cache: RacingLineCache = .shared) {
        let fuel = fuelMass ?? RaceConfig().startingFuelMass(car: car, track: track, cache: cache)
        self.init(plan: ExpertPlan(track: track, car: car, fuelMass: fuel, cache: cache))
    }

    /// The action prior of version 1 (``ActionPrior/version``): a plain pure-pursuit steering towards the target
    /// line (the racing line plus the offset command) at a look-ahead of half a second (8...40 m), and no pedal.
    /// A residual network adds its output to it (residual policy learning: Silver et al. 2018, Johannink et al.
    /// 2019): the prior gives the steering its basic feedback to the line, the network the rest of the expert's
    /// skill. (A pedal prior proportional to the speed plan's lead was tried and dropped: it braked late and
    /// abruptly, and the network spent its capacity cancelling it.)
    public func prior(_ observation: Observation) -> Action {
        let v = observation.view
        let s = v.s.isFinite ? v.s : 0
        let lateral = v.lateral.isFinite ? v.lateral : 0
        let speed = v.speed.isFinite ? max(v.speed, 0) : 0
        let heading = v.headingError.isFinite ? v.headingError : 0
        let lookAhead = min(max(0.5 * speed, 8), 40)
        // The target point in the car's frame (the track's tangent turned by the heading error).
        let tnx = at(nx, s), tny = at(ny, s)
        let ce = cos(heading), se = sin(heading)
        let fx = tny * ce + tnx * se, fy = tny * se - tnx * ce
        let target = targetLateral(s: s + lookAhead, offsetCommand: observation.offsetCommand)
        let qx = at(cx, s + lookAhead) + target * at(nx, s + lookAhead) - (at(cx, s) + lateral * tnx)
        let qy = at(cy, s + lookAhead) + target * at(ny, s + lookAhead) - (at(cy, s) + lateral * tny)
        let y = fx * qy - fy * qx
        let d2 = max(qx * qx + qy * qy, 1)
        let steering = atan(2 * wheelbase * y / d2) / maxSteer
        return Action(steering: Float(min(max(steering, -1), 1)), pedal: 0)
    }

    /// Where arc length `s` (wrapped) falls between the tables' samples: sample `i`, the next one `j` and the
    /// fraction `t` between them.
    struct Spot {
        var i: Int
        var j: Int
        var t: Double
    }

    /// The spot of arc length `s` (wrapped; NaN counts as 0).
    @inline(__always)
    func locate(_ s: Double) -> Spot {
        var u = track.wrap(s) / track.spacing
        if !(u >= 0) { u = 0 }
        let i = min(Int(u), track.count - 1)
        return Spot(i: i, j: i + 1 == track.count ? 0 : i + 1, t: u - Double(i))
    }

    /// Linear interpolation of a per-sample table at a spot.
    @inline(__always)
    func at(_ a: [Double], _ p: Spot) -> Double {
        a[p.i] + p.t * (a[p.j] - a[p.i])
    }

    /// Linear interpolation of a per-sample table at arc length `s` (wrapped).
    @inline(__always)
    func at(_ a: [Double], _ s: Double) -> Double {
        at(a, locate(s))
    }

    /// The lateral offset (m) the driver aims at around arc length `s`: the racing line plus `offsetCommand`,
    /// kept within the track limits less the line's margin.
    @inline(__always)
    public func targetLateral(s: Double, offsetCommand: Double) -> Double {
        targetLateral(locate(s), offsetCommand: offsetCommand)
    }

    @inline(__always)
    func targetLateral(_ p: Spot, offsetCommand: Double) -> Double {
        let command = offsetCommand.isFinite ? offsetCommand : 0
        let lateral = at(lineOffset, p) + command
        return min(max(lateral, -at(widthRight, p) + lineMargin), at(widthLeft, p) - lineMargin)
    }

    /// Writes the ``ObservationSpec/count`` features of `observation` to `out`. Non-finite inputs give finite
    /// features (NaN counts as 0), so a bad view never poisons a network.
    public func encode(_ observation: Observation, into out: UnsafeMutablePointer<Float>) {
        let v = observation.view
        var k = 0
        @inline(__always) func put(_ x: Double, _ scale: Double) {
            let f = Float(x / scale)
            out[k] = f.isFinite ? f : 0
            k += 1
        }
        let s = v.s.isFinite ? v.s : 0
        let lateral = v.lateral.isFinite ? v.lateral : 0
        // Own motion.
        put(v.speed, 50)
        put(v.lateralSpeed, 5)
        put(v.yawRate, 1)
        put(v.steeringAngle / maxSteer, 1)
        put(v.longitudinalAcceleration, 10)
        put(v.lateralAcceleration, 10)
        put(Double(observation.previousAction.steering), 1)
        put(Double(observation.previousAction.pedal), 1)
        // Pose on the track. Each distance ahead is located once and every table read at that spot.
        let here = locate(s)
        let wl = at(widthLeft, here), wr = at(widthRight, here)
        let half = max(0.5 * (wl + wr), 0.5)
        put((lateral - 0.5 * (wl - wr)) / half, 1)
        put(v.headingError, 1)
        put(wl - lateral, 10)
        put(wr + lateral, 10)
        // The course ahead.
        var course = InlineArray<7, Spot>(repeating: here)
        for (n, d) in ObservationSpec.courseDistances.enumerated() { course[n] = locate(s + d) }
        for n in 0..<7 { put(at(curvature, course[n]), 0.01) }
        for n in 0..<7 { put(at(widthLeft, course[n]) + at(widthRight, course[n]), 10) }
        // The racing line (plus the offset command) ahead, in the car's frame. The car's forward axis is the
        // track's tangent turned by the heading error.
        let px = at(cx, here) + lateral * at(nx, here), py = at(cy, here) + lateral * at(ny, here)
        let tnx = at(nx, here), tny = at(ny, here)
        let tangentX = tny, tangentY = -tnx
        let ce = cos(v.headingError.isFinite ? v.headingError : 0), se = sin(v.headingError.isFinite ? v.headingError : 0)
        let fx = tangentX * ce - tangentY * se, fy = tangentX * se + tangentY * ce
        var ahead = InlineArray<11, Spot>(repeating: here)
        for (n, d) in ObservationSpec.lineDistances.enumerated() { ahead[n] = locate(s + d) }
        for n in 0..<11 {
            let p = ahead[n]
            let target = targetLateral(p, offsetCommand: observation.offsetCommand)
            let qx = at(cx, p) + target * at(nx, p) - px
            let qy = at(cy, p) + target * at(ny, p) - py
            put(fx * qy - fy * qx, 10)
        }
        let shift = observation.speedPlanShift
        let scale = observation.speedPlanScale.isFinite && observation.speedPlanScale > 0 ? observation.speedPlanScale : 1
        if shift != 0 && shift.isFinite {
            // The speed plan as the driver misplaces it (Observation.speedPlanShift); geometry stays.
            for n in 0..<11 { put(scale * at(planSpeed, locate(s + shift + ObservationSpec.lineDistances[n])), 50) }
            put(scale * scale * at(planAcceleration, locate(s + shift + ObservationSpec.lineDistances[1])), 10)
        } else {
            for n in 0..<11 { put(scale * at(planSpeed, ahead[n]), 50) }
            put(scale * scale * at(planAcceleration, ahead[1]), 10)      // 5 m ahead
        }
        put(at(lineSteer, ahead[0]), 1)                  // 0 m
        put(at(lineSteer, ahead[2]), 1)                  // 10 m
        put(at(lineSteer, s + 25), 1)
        // The car.
        out[k] = descriptor.0; out[k + 1] = descriptor.1; out[k + 2] = descriptor.2; out[k + 3] = descriptor.3
        k += 4
        put(observation.offsetCommand, 5)
        // The nearest opponents.
        let present = min(v.nearby.count, ObservationSpec.opponentCount)
        for i in 0..<ObservationSpec.opponentCount {
            if i < present {
                let o = v.nearby[i]
                put(min(max(o.gap, -ObservationSpec.opponentRange), ObservationSpec.opponentRange), ObservationSpec.opponentRange)
                put(o.lateral - lateral, 5)
                put(o.speedDifference, 10)
            } else {
                out[k] = 1; out[k + 1] = 0; out[k + 2] = 0
                k += 3
            }
        }
    }

}
