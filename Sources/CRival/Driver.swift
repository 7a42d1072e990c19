import CRivalHeader
import DriverPersona
import PolicyCore
import Sim

/// A human driver (a persona's person around the expert) that a game's own physics asks for controls.
final class DriverHandle: Handle {
    let driver: HumanDriver
    /// The reused view, so that a decision does not allocate.
    var view = DriverView()

    init(_ driver: HumanDriver) {
        self.driver = driver
        super.init(kind: .driver)
    }
}

@c @implementation
public func rival_driver_create(_ track: OpaquePointer?, _ car: OpaquePointer?, _ persona: OpaquePointer?,
                                _ raceSeed: UInt64, _ index: Int32, _ fuelKg: Double,
                                _ outDriver: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track").track
        let car = try Handle.object(car, as: CarHandle.self, kind: .car, "car").car
        let persona = try Handle.object(persona, as: PersonaHandle.self, kind: .persona, "persona").persona
        let out = try required(outDriver, "out_driver")
        guard index >= 0 else { throw .range("index: \(index): expected a grid slot >= 0") }
        let tank = car.powertrain.fuelCapacityKg
        guard fuelKg.isFinite, fuelKg >= 0, fuelKg <= tank else {
            throw .invalid("fuel_kg: \(fuelKg): expected a mass in 0...\(tank) kg (the \(car.name) tank)")
        }
        let settings = ExpertSettings()
        let source = PolicySource.expert(ExpertPlan(track: track, car: car, settings: settings, fuelMass: fuelKg),
                                         settings: settings)
        let traits = persona.sample(raceSeed: raceSeed, index: Int(index))
        give(DriverHandle(source.makeDriver(traits: traits, raceSeed: raceSeed, index: Int(index))), to: out)
    }
}

@c @implementation
public func rival_driver_decision_interval(_ driver: OpaquePointer?, _ outInterval: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let driver = try Handle.object(driver, as: DriverHandle.self, kind: .driver, "driver")
        try required(outInterval, "out_interval_s").pointee = driver.driver.decisionInterval
    }
}

@c @implementation
public func rival_driver_decide(_ driver: OpaquePointer?, _ view: UnsafePointer<rival_view>?,
                                _ outControls: UnsafeMutablePointer<rival_controls>?) -> Int32 {
    call { () throws(CallError) in
        let handle = try Handle.object(driver, as: DriverHandle.self, kind: .driver, "driver")
        let view = try required(view, "view")
        let out = try required(outControls, "out_controls")
        try ViewReader.read(view, into: &handle.view)
        let controls = handle.driver.decide(handle.view)
        out.pointee = rival_controls(steering: controls.steering, throttle: controls.throttle, brake: controls.brake)
    }
}

@c @implementation
public func rival_driver_destroy(_ driver: OpaquePointer?) {
    Handle.release(driver, kind: .driver)
}

/// Checks a C view and copies it into a ``DriverView``.
enum ViewReader {
    /// Copies `view` into `target`; throws, naming the field, on a non-finite number, a negative index or lap
    /// count, or a `nearby_count` outside 0...RIVAL_MAX_NEARBY.
    static func read(_ view: UnsafePointer<rival_view>, into target: inout DriverView) throws(CallError) {
        let v = view.pointee
        target.time = try finite(v.time_s, "view.time_s")
        guard v.car_index >= 0 else { throw .range("view.car_index: \(v.car_index): expected >= 0") }
        guard v.laps_completed >= 0 else { throw .range("view.laps_completed: \(v.laps_completed): expected >= 0") }
        target.carIndex = Int(v.car_index)
        target.lapsCompleted = Int(v.laps_completed)
        target.speed = try finite(v.speed_mps, "view.speed_mps")
        target.lateralSpeed = try finite(v.lateral_speed_mps, "view.lateral_speed_mps")
        target.yawRate = try finite(v.yaw_rate_radps, "view.yaw_rate_radps")
        target.steeringAngle = try finite(v.steering_angle_rad, "view.steering_angle_rad")
        target.longitudinalAcceleration = try finite(v.longitudinal_acceleration_mps2, "view.longitudinal_acceleration_mps2")
        target.lateralAcceleration = try finite(v.lateral_acceleration_mps2, "view.lateral_acceleration_mps2")
        target.s = try finite(v.s_m, "view.s_m")
        target.lateral = try finite(v.lateral_m, "view.lateral_m")
        target.headingError = try finite(v.heading_error_rad, "view.heading_error_rad")
        let count = Int(v.nearby_count)
        guard (0...Int(RIVAL_MAX_NEARBY)).contains(count) else {
            throw .range("view.nearby_count: \(count): expected 0...\(RIVAL_MAX_NEARBY)")
        }
        target.nearby.removeAll()
        let base = UnsafeRawPointer(view) + MemoryLayout<rival_view>.offset(of: \rival_view.nearby)!
        let cars = base.assumingMemoryBound(to: rival_nearby_car.self)
        for i in 0..<count {
            let c = cars[i]
            guard c.index >= 0 else { throw .range("view.nearby[\(i)].index: \(c.index): expected >= 0") }
            target.nearby.insert(NearbyCar(index: Int(c.index), gap: try finite(c.gap_m, "view.nearby[\(i)].gap_m"),
                                           lateral: try finite(c.lateral_m, "view.nearby[\(i)].lateral_m"),
                                           speedDifference: try finite(c.speed_difference_mps,
                                                                       "view.nearby[\(i)].speed_difference_mps")))
        }
    }
}
