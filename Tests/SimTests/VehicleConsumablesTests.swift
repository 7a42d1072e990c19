import Foundation
import Sim
import Testing

/// Fuel burn and tyre wear at their documented rates, and what they do to the car.
@Suite struct VehicleConsumablesTests {
    typealias Support = VehicleTestSupport

    /// Fuel left after `seconds` at `throttle`, starting from `start` kg at 30 m/s.
    static func fuelAfter(_ model: VehicleModel, throttle: Double, seconds: Double, start: Double) -> Double {
        var state = CarState(vx: 30, fuelMass: start)
        for _ in 0..<Int(seconds * 120) {
            model.step(&state, controls: CarControls(throttle: throttle), surface: .track, dt: Support.dt)
        }
        return state.fuelMass
    }

    @Test(arguments: Support.carNames)
    func fuelBurnsInProportionToThrottleAndTheMultiplier(car: String) throws {
        let spec = try Support.spec(car)
        let rate = spec.powertrain.fuelBurnKgPerSecondAtFullThrottle
        let start = 20.0
        let normal = VehicleModel(spec: spec)
        #expect(abs((start - Self.fuelAfter(normal, throttle: 1, seconds: 10, start: start)) - 10 * rate) < 1e-9)
        #expect(abs((start - Self.fuelAfter(normal, throttle: 0.5, seconds: 10, start: start)) - 5 * rate) < 1e-9)
        let double = VehicleModel(spec: spec, fuelRateMultiplier: 2)
        #expect(abs((start - Self.fuelAfter(double, throttle: 1, seconds: 10, start: start)) - 20 * rate) < 1e-9)
        let off = VehicleModel(spec: spec, fuelRateMultiplier: 0)
        #expect(Self.fuelAfter(off, throttle: 1, seconds: 10, start: start) == start)
        // The tank runs dry and stays at zero.
        #expect(Self.fuelAfter(normal, throttle: 1, seconds: 2, start: rate) == 0)
    }

    @Test func anEmptyTankGivesNoDriveUnlessFuelUseIsOff() throws {
        let spec = try Support.spec("gt3")
        var empty = CarState(fuelMass: 0)
        let model = VehicleModel(spec: spec)
        for _ in 0..<120 { model.step(&empty, controls: CarControls(throttle: 1), surface: .track, dt: Support.dt) }
        #expect(empty.vx == 0 && empty.x == 0)
        var fuelOff = CarState(fuelMass: 0)
        let off = VehicleModel(spec: spec, fuelRateMultiplier: 0)
        for _ in 0..<120 { off.step(&fuelOff, controls: CarControls(throttle: 1), surface: .track, dt: Support.dt) }
        #expect(fuelOff.vx > 5)
    }

    @Test(arguments: Support.carNames)
    func fuelAddsMassAndSlowsTheCar(car: String) throws {
        let model = try Support.frozenModel(car)
        let spec = model.spec
        let full = spec.powertrain.fuelCapacityKg
        #expect(model.totalMass(fuelMass: full) == spec.chassis.massKg + full)
        let inertia = spec.chassis.yawInertiaKgM2 * (spec.chassis.massKg + full) / spec.chassis.massKg
        #expect(abs(model.yawInertia(fuelMass: full) / inertia - 1) < 1e-12)
        #expect(model.kineticEnergy(of: CarState(vx: 10, fuelMass: full)) == 50 * (spec.chassis.massKg + full))
        // Power-limited at 50 m/s: one step's acceleration, empty against full.
        func acceleration(fuel: Double) -> Double {
            var state = CarState(vx: 50, fuelMass: fuel)
            model.step(&state, controls: CarControls(throttle: 1), surface: .track, dt: Support.dt)
            return state.longitudinalAcceleration
        }
        func expected(_ fuel: Double) -> Double {
            (Support.wheelPower(spec) / 50 - Support.roadLoad(spec, speed: 50, fuelMass: fuel))
                / (spec.chassis.massKg + fuel)
        }
        #expect(abs(acceleration(fuel: 0) / expected(0) - 1) < 1e-9)
        #expect(abs(acceleration(fuel: full) / expected(full) - 1) < 1e-9)
        #expect(acceleration(fuel: full) < acceleration(fuel: 0))
    }

    @Test(arguments: Support.carNames)
    func wearGrowsWithTyreWorkAtTheDocumentedRate(car: String) throws {
        let spec = try Support.spec(car)
        let multiplier = 10.0
        let model = VehicleModel(spec: spec, tyreWearMultiplier: multiplier, fuelRateMultiplier: 0)
        // Cruise at 50 m/s: the rear tyres carry drag plus rolling resistance, the fronts nothing.
        let speed = 50.0
        var state = CarState(vx: speed)
        let throttleNeeded = Support.roadLoad(spec, speed: speed) * speed / Support.wheelPower(spec)
        var work = 0.0
        while state.x < 5000 {
            let before = state
            model.step(&state, controls: CarControls(throttle: throttleNeeded), surface: .track, dt: Support.dt)
            work += Support.roadLoad(spec, speed: before.vx) * (state.x - before.x)
        }
        #expect(abs(state.vx - speed) < 0.01)
        let expected = spec.tyre.wearPerMegajoule * multiplier * work / 1e6
        #expect(abs(state.tyreWear / expected - 1) < 0.01, "\(car): wear \(state.tyreWear), expected \(expected)")
        // Cornering on a 60 m circle at 80 % of the limit: the tyres carry about m a_y (plus the drive force), and
        // wear follows that work.
        var circleSpeed = 5.0
        while circleSpeed * circleSpeed / 60 < 0.8 * model.maxLateralAcceleration(speed: circleSpeed) { circleSpeed += 0.1 }
        var driver = CircleDriver(model: model, radius: 60, targetSpeed: circleSpeed)
        var circling = driver.startingState()
        var circleWork = 0.0
        for _ in 0..<(30 * 120) {
            let before = circling
            model.step(&circling, controls: driver.controls(for: circling), surface: .track, dt: Support.dt)
            let mass = model.totalMass()
            circleWork += mass * abs(circling.lateralAcceleration) * before.speed * Support.dt
        }
        let circleExpected = spec.tyre.wearPerMegajoule * multiplier * circleWork / 1e6
        #expect(abs(driver.radiusError(circling)) < 1)
        #expect(abs(circling.tyreWear / circleExpected - 1) < 0.05, "\(car): \(circling.tyreWear) vs \(circleExpected)")
    }

    @Test(arguments: Support.carNames)
    func wearLowersGripByTheDocumentedFraction(car: String) throws {
        let spec = try Support.spec(car)
        let model = VehicleModel(spec: spec, tyreWearMultiplier: 0, fuelRateMultiplier: 0)
        let loss = spec.tyre.gripLossAtFullWear
        for wear in [0.25, 1.0] {
            let ratio = model.maxLateralAcceleration(speed: 30, tyreWear: wear) / model.maxLateralAcceleration(speed: 30)
            #expect(abs(ratio - (1 - loss * wear)) < 0.01, "\(car) wear \(wear): lateral ratio \(ratio)")
        }
        // In the simulation, on fully worn tyres: the cornering limit on a 50 m circle drops by the same fraction
        // and matches the helper, ...
        let worn = VehicleLimitsTests.circleLimit(model, radius: 50, startSpeed: 15, tyreWear: 1)
        let predicted = model.maxLateralAcceleration(speed: worn.speed, tyreWear: 1)
        #expect(abs(worn.lateral / predicted - 1) < 0.015, "\(car): worn \(worn.lateral) vs \(predicted)")
        // ... and stopping from 30 m/s at the locking limit takes longer, as the braking helper integrates (near
        // 1 / (1 - loss) times as far; the fixed brake balance and the load transfer move it either way).
        func stoppingDistance(wear: Double) -> Double {
            var state = CarState(vx: 30, tyreWear: wear)
            while state.vx > 0 {
                let brake = model.nonLockingBrakeInput(for: state, surface: .track)
                model.step(&state, controls: CarControls(brake: brake), surface: .track, dt: Support.dt)
            }
            return state.x
        }
        let expected = VehicleLimitsTests.integratedBrakingDistance(model, from: 30, tyreWear: 1)
        let distance = stoppingDistance(wear: 1)
        #expect(abs(distance / expected - 1) < 0.02, "\(car): \(distance) m vs \(expected) m")
        #expect(distance > stoppingDistance(wear: 0) * (1 + loss / 2))
    }
}
