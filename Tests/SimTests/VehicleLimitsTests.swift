import Foundation
import Sim
import Testing

/// The car model against its own analytic limits, and those limits against first-principles numbers.
@Suite struct VehicleLimitsTests {
    typealias Support = VehicleTestSupport

    /// Power at the wheels = (drag + rolling resistance) * v, solved by bisection from the spec's numbers alone.
    static func balanceSpeed(_ spec: CarSpec, fuelMass: Double) -> Double {
        var low = 1.0
        var high = 200.0
        for _ in 0..<100 {
            let middle = 0.5 * (low + high)
            let surplus = Support.wheelPower(spec) - Support.roadLoad(spec, speed: middle, fuelMass: fuelMass) * middle
            if surplus > 0 { low = middle } else { high = middle }
        }
        return low
    }

    @Test(arguments: Support.carNames)
    func topSpeedOnALongStraightMatchesThePowerDragBalance(car: String) throws {
        let model = try Support.frozenModel(car)
        let fuel = 40.0
        var state = CarState(fuelMass: fuel)
        for _ in 0..<(150 * 120) {
            model.step(&state, controls: CarControls(throttle: 1), surface: .track, dt: Support.dt)
        }
        let analytic = Self.balanceSpeed(model.spec, fuelMass: fuel)
        #expect(abs(state.vx / analytic - 1) < 0.01, "\(car): reached \(state.vx) m/s, balance \(analytic) m/s")
        #expect(abs(model.topSpeed(fuelMass: fuel) / analytic - 1) < 1e-6)
        // Straight and level: no lateral motion appears.
        #expect(state.vy == 0 && state.yawRate == 0 && state.y == 0)
        // Plausible for the class (km/h): GT3 and F2 near 300, the cup car near 250.
        let kmh = state.vx * 3.6
        #expect(car == "cup" ? (230...265).contains(kmh) : (280...320).contains(kmh), "\(car): \(kmh) km/h")
    }

    /// Drives a circle of radius `radius`, raising the target speed by 0.05 m/s each second until the car runs
    /// 5 m wide. Returns the largest 1-second mean lateral acceleration, the speed then and v^2 / r of the path.
    static func circleLimit(
        _ model: VehicleModel, radius: Double, startSpeed: Double, tyreWear: Double = 0
    ) -> (lateral: Double, speed: Double, centripetal: Double) {
        var driver = CircleDriver(model: model, radius: radius, targetSpeed: startSpeed)
        var state = driver.startingState(tyreWear: tyreWear)
        var window = [Double](repeating: 0, count: 120)
        var windowSum = 0.0
        var best = (lateral: 0.0, speed: 0.0, centripetal: 0.0)
        for step in 0..<(400 * 120) {
            if abs(driver.radiusError(state)) > 5 { break }
            model.step(&state, controls: driver.controls(for: state), surface: .track, dt: Support.dt)
            windowSum += state.lateralAcceleration - window[step % 120]
            window[step % 120] = state.lateralAcceleration
            if step >= 120, windowSum / 120 > best.lateral {
                best = (windowSum / 120, state.speed, state.speed * state.speed / (driver.radiusError(state) + radius))
            }
            driver.targetSpeed += 0.05 * Support.dt
        }
        return best
    }

    @Test(arguments: Support.carNames, [50.0, 150.0])
    func steadyCorneringLimitMatchesMaxLateralAcceleration(car: String, radius: Double) throws {
        let model = try Support.frozenModel(car)
        // Start at 85 % of the speed where v^2 / R meets the predicted limit.
        var limitSpeed = 5.0
        while limitSpeed * limitSpeed / radius < model.maxLateralAcceleration(speed: limitSpeed) { limitSpeed += 0.1 }
        let measured = Self.circleLimit(model, radius: radius, startSpeed: 0.85 * limitSpeed)
        let predicted = model.maxLateralAcceleration(speed: measured.speed)
        // The helper predicts the sustained limit within 1.5 % (measured: 0.1-0.3 %).
        #expect(abs(measured.lateral / predicted - 1) < 0.015, "\(car) R \(radius): \(measured) vs \(predicted)")
        // The telemetry is honest: it matches v^2 / R of the path within 1 %.
        #expect(abs(measured.lateral / measured.centripetal - 1) < 0.01)
        // Near mu (g + downforce / m), with mu = D / (1 + k (r - 1)) at the whole car's load ratio r: within 4 %
        // (the rest is the axle balance, the drive force's share of the rear grip and the steering angle).
        let spec = model.spec
        let weight = spec.chassis.massKg * 9.80665
        let downforce = 0.5 * 1.225 * spec.aero.downforceAreaM2 * measured.speed * measured.speed
        let mu = spec.tyre.lateral.D / (1 + spec.tyre.loadSensitivity * downforce / weight)
        let simple = mu * (weight + downforce) / spec.chassis.massKg
        #expect(abs(measured.lateral / simple - 1) < 0.04, "\(car): \(measured.lateral) vs mu g \(simple)")
    }

    /// The stopping distance the braking helper predicts: the integral of v dv / a(v) from 0 to `speed` (Simpson,
    /// 2000 intervals).
    static func integratedBrakingDistance(_ model: VehicleModel, from speed: Double, tyreWear: Double = 0) -> Double {
        let intervals = 2000
        let h = speed / Double(intervals)
        var sum = 0.0
        for i in 0...intervals {
            let v = Double(i) * h
            let weight: Double = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2)
            sum += weight * v / model.maxBrakingDeceleration(speed: v, tyreWear: tyreWear)
        }
        return sum * h / 3
    }

    @Test(arguments: Support.carNames)
    func brakingDistanceFrom200KmhMatchesTheIntegratedDeceleration(car: String) throws {
        let model = try Support.frozenModel(car)
        let start = 200 / 3.6
        var state = CarState(vx: start)
        var distance = 0.0
        var steps = 0
        while state.vx > 0, steps < 100_000 {
            let brake = model.nonLockingBrakeInput(for: state, surface: .track)
            let before = state.x
            model.step(&state, controls: CarControls(brake: brake), surface: .track, dt: Support.dt)
            distance += state.x - before
            #expect(state.vx >= 0)
            steps += 1
        }
        let expected = Self.integratedBrakingDistance(model, from: start)
        #expect(abs(distance / expected - 1) < 0.03, "\(car): \(distance) m, expected \(expected) m")
        #expect(state.vx == 0 && state.vy == 0)
        // Plausible (m): single-seater shortest, the cup car on street tyres longest.
        let plausible: ClosedRange<Double> = car == "formula" ? 55...90 : (car == "gt3" ? 75...115 : 120...190)
        #expect(plausible.contains(distance), "\(car): \(distance) m")
    }

    @Test(arguments: Support.carNames)
    func fullThrottleAccelerationMatchesMaxDriveAcceleration(car: String) throws {
        let model = try Support.frozenModel(car)
        for speed in [5.0, 20, 40, 60] {
            for fuel in [0.0, model.spec.powertrain.fuelCapacityKg] {
                // Settle the load transfer at this speed, then read one step's acceleration.
                var state = CarState(vx: speed, fuelMass: fuel)
                for _ in 0..<20 {
                    state.vx = speed
                    model.step(&state, controls: CarControls(throttle: 1), surface: .track, dt: Support.dt)
                }
                let predicted = model.maxDriveAcceleration(speed: speed, fuelMass: fuel)
                #expect(
                    abs(state.longitudinalAcceleration - predicted) < 0.005 * abs(predicted) + 1e-3,
                    "\(car) at \(speed) m/s with \(fuel) kg: \(state.longitudinalAcceleration) vs \(predicted)")
            }
        }
    }

    @Test func gripEllipseHelperSpansTheLimits() throws {
        let model = try Support.frozenModel("gt3")
        let speed = 40.0
        let lateral = model.maxLateralAcceleration(speed: speed)
        #expect(model.lateralAccelerationLimit(speed: speed, longitudinalAcceleration: 0) == lateral)
        let braking = model.maxBrakingDeceleration(speed: speed)
        #expect(model.lateralAccelerationLimit(speed: speed, longitudinalAcceleration: -braking) == 0)
        let half = model.lateralAccelerationLimit(speed: speed, longitudinalAcceleration: -braking / 2)
        #expect(abs(half - lateral * (0.75).squareRoot()) < 1e-9)
    }
}
