import Foundation
import Sim
import Testing

/// Behaviour of `VehicleModel.step`: energy, standstill, steering, locking, surfaces, robustness.
@Suite struct VehicleDynamicsTests {
    typealias Support = VehicleTestSupport

    @Test(arguments: Support.carNames)
    func coastingNeverGainsKineticEnergy(car: String) throws {
        let model = try Support.frozenModel(car)
        // Straight, a fixed turn, a weave, a slide and a spin, each coasted (no throttle, no brake) to a stop.
        let starts: [(CarState, (Double) -> Double)] = [
            (CarState(vx: 70), { _ in 0 }),
            (CarState(vx: 40), { _ in 0.3 }),
            (CarState(vx: 50), { t in sin(2 * t) }),
            (CarState(vx: 30, vy: 8, yawRate: 1.5), { _ in -0.5 }),
            (CarState(vx: 5, vy: -12, yawRate: -3), { t in t < 2 ? 1 : 0 }),
            (CarState(vx: 9, steeringAngle: 0.2), { t in t.truncatingRemainder(dividingBy: 1) < 0.5 ? 1 : -1 }),
        ]
        for (index, (start, steering)) in starts.enumerated() {
            for surface in [Surface.track, .runoff] {
                var state = start
                var energy = model.kineticEnergy(of: state)
                var worst = -Double.infinity
                for step in 0..<(90 * 120) {
                    let time = Double(step) * Support.dt
                    model.step(&state, controls: CarControls(steering: steering(time)), surface: surface, dt: Support.dt)
                    let next = model.kineticEnergy(of: state)
                    worst = max(worst, next - energy)
                    energy = next
                }
                #expect(worst <= 1e-9, "\(car) start \(index) on \(surface): gained \(worst) J in one step")
            }
        }
        // And from random states with random steering and surfaces, 10 s each.
        var random = SplitMix64(state: 99)
        var worst = -Double.infinity
        for _ in 0..<100 {
            var state = CarState(
                vx: random.uniform(-5, 80), vy: random.uniform(-15, 15), yawRate: random.uniform(-3, 3),
                steeringAngle: random.uniform(-0.3, 0.3))
            var energy = model.kineticEnergy(of: state)
            var steering = 0.0
            var surface = Surface.track
            for step in 0..<(10 * 120) {
                if step % 24 == 0 {
                    steering = random.uniform(-1, 1)
                    surface = random.unit() < 0.3 ? .runoff : .track
                }
                model.step(&state, controls: CarControls(steering: steering), surface: surface, dt: Support.dt)
                let next = model.kineticEnergy(of: state)
                worst = max(worst, next - energy)
                energy = next
            }
        }
        #expect(worst <= 1e-9, "\(car) random coasting: gained \(worst) J in one step")
    }

    @Test(arguments: Support.carNames)
    func brakingAtStandstillHoldsTheCarStill(car: String) throws {
        let model = try Support.frozenModel(car)
        var state = CarState(x: 3, y: 4, yaw: 1)
        for _ in 0..<1200 {
            model.step(&state, controls: CarControls(steering: 0.7, throttle: 0.05, brake: 1), surface: .track, dt: Support.dt)
        }
        #expect(state.x == 3 && state.y == 4 && state.vx == 0 && state.vy == 0 && state.yawRate == 0)
        // Rolling at walking pace, the brakes stop it without reversing.
        state = CarState(vx: 1.5)
        var minimum = Double.infinity
        for _ in 0..<600 {
            model.step(&state, controls: CarControls(brake: 0.5), surface: .track, dt: Support.dt)
            minimum = min(minimum, state.vx)
        }
        #expect(minimum == 0 && state.vx == 0 && state.x > 0)
        // Rolling resistance alone stops it too, forward.
        state = CarState(vx: 2)
        for _ in 0..<(120 * 120) { model.step(&state, controls: CarControls(), surface: .track, dt: Support.dt) }
        #expect(state.vx == 0 && state.x > 0)
    }

    @Test func lowSpeedTurningFollowsTheKinematicBicycle() throws {
        let model = try Support.frozenModel("cup")
        let wheelbase = model.spec.chassis.wheelbaseM
        var state = CarState(vx: 2)
        for _ in 0..<600 {
            // Hold 2 m/s with a light throttle and full left lock.
            let throttle = state.vx < 2 ? 0.2 : 0
            model.step(&state, controls: CarControls(steering: 1, throttle: throttle), surface: .track, dt: Support.dt)
        }
        let expectedYawRate = state.vx * tan(model.spec.steering.maxAngleRad) / wheelbase
        #expect(abs(state.yawRate / expectedYawRate - 1) < 0.02, "\(state.yawRate) vs \(expectedYawRate)")
    }

    @Test func steeringFollowsTheCommandAtTheRateLimit() throws {
        let model = try Support.frozenModel("gt3")
        let rate = model.spec.steering.maxRateRadPerS
        var state = CarState(vx: 30)
        for _ in 0..<12 { model.step(&state, controls: CarControls(steering: 1), surface: .track, dt: Support.dt) }
        #expect(abs(state.steeringAngle - rate * 0.1) < 1e-12)
        for _ in 0..<120 { model.step(&state, controls: CarControls(steering: 1), surface: .track, dt: Support.dt) }
        #expect(state.steeringAngle == model.spec.steering.maxAngleRad)
        // Out-of-range and NaN commands are clamped and zeroed.
        var clamped = state
        var reference = state
        model.step(&clamped, controls: CarControls(steering: 7, throttle: .nan, brake: -3), surface: .track, dt: Support.dt)
        model.step(&reference, controls: CarControls(steering: 1, throttle: 0, brake: 0), surface: .track, dt: Support.dt)
        #expect(clamped == reference)
        #expect(CarControls(steering: .nan, throttle: 2, brake: .infinity).clamped == CarControls(steering: 0, throttle: 1, brake: 1))
    }

    @Test func aLockedFrontAxleCannotSteer() throws {
        let model = try Support.frozenModel("gt3")
        func yawAfterBraking(brake: (CarState) -> Double) -> Double {
            var state = CarState(vx: 30, steeringAngle: 0.1)
            for _ in 0..<60 {
                model.step(&state, controls: CarControls(steering: 0.1 / 0.38, brake: brake(state)), surface: .track, dt: Support.dt)
            }
            return state.yaw
        }
        let locked = yawAfterBraking { _ in 1 }
        // Braking at 60 % of the locking point leaves the front tyres some cornering force (friction ellipse).
        let modulated = yawAfterBraking { 0.6 * model.nonLockingBrakeInput(for: $0, surface: .track) }
        // Modulated, the car turns; locked, it slides nearly straight.
        #expect(modulated > 0.2)
        #expect(abs(locked) < 0.2 * modulated, "locked \(locked) rad vs modulated \(modulated) rad")
    }

    @Test func runoffHasLessGripAndMoreDrag() throws {
        let model = try Support.frozenModel("gt3")
        let ratio = model.maxLateralAcceleration(speed: 30, surface: .runoff) / model.maxLateralAcceleration(speed: 30)
        #expect(abs(ratio - Surface.runoff.gripFactor) < 0.03, "\(ratio)")
        #expect(model.maxLateralAcceleration(speed: 30, surface: .barrier) == model.maxLateralAcceleration(speed: 30, surface: .runoff))
        var track = CarState(vx: 30)
        var runoff = track
        for _ in 0..<120 {
            model.step(&track, controls: CarControls(), surface: .track, dt: Support.dt)
            model.step(&runoff, controls: CarControls(), surface: .runoff, dt: Support.dt)
        }
        // Extra rolling drag: 0.06 of the weight plus downforce, about 0.64 m/s lost in one second.
        let spec = model.spec
        let downforce = 0.5 * 1.225 * spec.aero.downforceAreaM2 * 29.5 * 29.5
        let expected = Surface.runoff.extraRollingResistance * (9.80665 + downforce / spec.chassis.massKg)
        #expect(abs((track.vx - runoff.vx) / expected - 1) < 0.03, "\(track.vx - runoff.vx) vs \(expected)")
    }

    @Test func invalidTimeStepsLeaveTheStateAndLongStepsAreSubdivided() throws {
        let model = try Support.frozenModel("formula")
        let start = CarState(vx: 40, vy: 1, yawRate: 0.2, fuelMass: 10)
        for dt in [0, -1, Double.nan, .infinity] {
            var state = start
            model.step(&state, controls: CarControls(throttle: 1), surface: .track, dt: dt)
            #expect(state == start)
        }
        var long = start
        var short = start
        model.step(&long, controls: CarControls(steering: 0.2, throttle: 1), surface: .track, dt: 0.05)
        for _ in 0..<5 { model.step(&short, controls: CarControls(steering: 0.2, throttle: 1), surface: .track, dt: 0.01) }
        #expect(long == short)
    }

    @Test(arguments: Support.carNames)
    func randomInputsNeverProduceNaNOrInfinity(car: String) throws {
        let spec = try Support.spec(car)
        let model = VehicleModel(spec: spec, tyreWearMultiplier: 20, fuelRateMultiplier: 5)
        var random = SplitMix64(state: 0x5EED ^ UInt64(car.count))
        var state = CarState(fuelMass: spec.powertrain.fuelCapacityKg)
        var controls = CarControls()
        var surface = Surface.track
        var hold = 0
        var maximumSpeed = 0.0
        let specials = [Double.nan, .infinity, -.infinity, 1e300, -1e300]
        for step in 0..<1_000_000 {
            if hold == 0 {
                // New controls held for 0.1-2 s; now and then garbage values.
                hold = Int(random.uniform(12, 240))
                controls = CarControls(
                    steering: random.uniform(-1.2, 1.2), throttle: random.uniform(-0.1, 1.1),
                    brake: random.unit() < 0.3 ? random.uniform(0, 1) : 0)
                if random.unit() < 0.05 { controls.steering = specials[Int(random.next() % 5)] }
                if random.unit() < 0.05 { controls.throttle = specials[Int(random.next() % 5)] }
                surface = Surface.allCases[Int(random.next() % 3)]
            }
            hold -= 1
            if random.unit() < 1e-4 {
                // The race engine moves the car (barrier contact, reset): any plausible velocity.
                state.vx = random.uniform(-10, 90)
                state.vy = random.uniform(-20, 20)
                state.yawRate = random.uniform(-4, 4)
            }
            if step % 100_000 == 0 { state.fuelMass = spec.powertrain.fuelCapacityKg }
            model.step(&state, controls: controls, surface: surface, dt: Support.dt)
            maximumSpeed = max(maximumSpeed, state.speed)
            let values = [
                state.x, state.y, state.yaw, state.vx, state.vy, state.yawRate, state.steeringAngle, state.fuelMass,
                state.tyreWear, state.longitudinalAcceleration, state.lateralAcceleration,
            ]
            guard values.allSatisfy(\.isFinite) else {
                Issue.record("\(car): non-finite state at step \(step): \(state)")
                return
            }
        }
        #expect(maximumSpeed < 120, "\(car): \(maximumSpeed) m/s")
        #expect((0...1).contains(state.tyreWear) && state.fuelMass >= 0)
        #expect(abs(state.yaw) <= .pi)
    }
}
