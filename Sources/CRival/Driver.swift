import CRivalHeader
import DriverPersona
import PolicyCore
import Sim

/// A human driver (a persona's person around the expert) that a game's own physics asks for controls.
final class DriverHandle: Handle {
    let driver: HumanDriver

    init(_ driver: HumanDriver) {
        self.driver = driver
        super.init(kind: .driver)
    }
}

/// Creates the human driver of grid slot `index` in a race with `raceSeed`: a person drawn from `persona` around the expert planned for `track`, `car` and `fuelKg` (0...the tank).
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

/// Seconds between two of the driver's decisions.
@c @implementation
public func rival_driver_decision_interval(_ driver: OpaquePointer?, _ outInterval: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let driver = try Handle.object(driver, as: DriverHandle.self, kind: .driver, "driver")
        try required(outInterval, "out_interval_s").pointee = driver.driver.decisionInterval
    }
}

/// The controls to hold until the next decision, given the game's `view` of the car; checks every field; does not allocate.
@c @implementation
public func rival_driver_decide(_ driver: OpaquePointer?, _ view: UnsafePointer<rival_view>?,
                                _ outControls: UnsafeMutablePointer<rival_controls>?) -> Int32 {
    call { () throws(CallError) in
        let handle = try Handle.unmanaged(driver, kind: .driver, "driver")
        let view = try required(view, "view")
        let out = try required(outControls, "out_controls")
        let perceived = try ViewReader.view(view)
        // Borrows the driver for the call, without the retain and release a plain reference would cost.
        let controls = handle._withUnsafeGuaranteedRef {
            unsafeDowncast($0, to: DriverHandle.self).driver.decide(perceived)
        }
        out.pointee = rival_controls(steering: controls.steering, throttle: controls.throttle, brake: controls.brake)
    }
}

/// Releases a driver (NULL: nothing).
@c @implementation
public func rival_driver_destroy(_ driver: OpaquePointer?) {
    Handle.release(driver, kind: .driver)
}

/// Checks a C view and copies it into a ``DriverView`` (on the stack: nothing is allocated).
enum ViewReader {
    /// Where `nearby` starts in a `rival_view` (bytes).
    private static let nearbyOffset = MemoryLayout<rival_view>.offset(of: \rival_view.nearby)!

    /// The ``DriverView`` of `view`; throws, naming the field, on a non-finite number, a negative index or lap
    /// count, or a `nearby_count` outside 0...RIVAL_MAX_NEARBY.
    @inline(__always)
    static func view(_ view: UnsafePointer<rival_view>) throws(CallError) -> DriverView {
        let v = view.pointee
        guard v.car_index >= 0 else { throw .range("view.car_index: \(v.car_index): expected >= 0") }
        guard v.laps_completed >= 0 else { throw .range("view.laps_completed: \(v.laps_completed): expected >= 0") }
        let count = Int(v.nearby_count)
        guard (0...Int(RIVAL_MAX_NEARBY)).contains(count) else {
            throw .range("view.nearby_count: \(count): expected 0...\(RIVAL_MAX_NEARBY)")
        }
        var nearby = NearbyCars()
        let cars = (UnsafeRawPointer(view) + nearbyOffset).assumingMemoryBound(to: rival_nearby_car.self)
        for i in 0..<count {
            let c = cars[i]
            guard c.index >= 0 else { throw .range("view.nearby[\(i)].index: \(c.index): expected >= 0") }
            nearby.insert(NearbyCar(index: Int(c.index), gap: try finite(c.gap_m, "view.nearby[\(i)].gap_m"),
                                    lateral: try finite(c.lateral_m, "view.nearby[\(i)].lateral_m"),
                                    speedDifference: try finite(c.speed_difference_mps,
                                                                "view.nearby[\(i)].speed_difference_mps"),
                                    lateralSpeed: try finite(c.lateral_speed_mps, "view.nearby[\(i)].lateral_speed_mps")))
        }
        return DriverView(
            time: try finite(v.time_s, "view.time_s"), carIndex: Int(v.car_index),
            speed: try finite(v.speed_mps, "view.speed_mps"),
            lateralSpeed: try finite(v.lateral_speed_mps, "view.lateral_speed_mps"),
            yawRate: try finite(v.yaw_rate_radps, "view.yaw_rate_radps"),
            steeringAngle: try finite(v.steering_angle_rad, "view.steering_angle_rad"),
            longitudinalAcceleration: try finite(v.longitudinal_acceleration_mps2, "view.longitudinal_acceleration_mps2"),
            lateralAcceleration: try finite(v.lateral_acceleration_mps2, "view.lateral_acceleration_mps2"),
            s: try finite(v.s_m, "view.s_m"), lateral: try finite(v.lateral_m, "view.lateral_m"),
            headingError: try finite(v.heading_error_rad, "view.heading_error_rad"),
            lapsCompleted: Int(v.laps_completed), nearby: nearby)
    }
}
