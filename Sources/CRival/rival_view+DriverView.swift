import CRivalHeader
import Sim

extension rival_view {
    /// The C view of `view`, as a game fills it: for Swift code that drives a `rival_driver` (tests, benchmarks,
    /// Swift tools on the C API). Nearby cars beyond `RIVAL_MAX_NEARBY` are dropped (a view never holds more).
    public init(_ view: DriverView) {
        self.init()
        time_s = view.time
        car_index = Int32(clamping: view.carIndex)
        laps_completed = Int32(clamping: view.lapsCompleted)
        speed_mps = view.speed
        lateral_speed_mps = view.lateralSpeed
        yaw_rate_radps = view.yawRate
        steering_angle_rad = view.steeringAngle
        longitudinal_acceleration_mps2 = view.longitudinalAcceleration
        lateral_acceleration_mps2 = view.lateralAcceleration
        s_m = view.s
        lateral_m = view.lateral
        heading_error_rad = view.headingError
        let count = min(view.nearby.count, Int(RIVAL_MAX_NEARBY))
        nearby_count = Int32(count)
        withUnsafeMutableBytes(of: &nearby) { raw in
            let cars = raw.bindMemory(to: rival_nearby_car.self)
            for i in 0..<count {
                let car = view.nearby[i]
                cars[i] = rival_nearby_car(index: Int32(clamping: car.index), gap_m: car.gap, lateral_m: car.lateral,
                                           speed_difference_mps: car.speedDifference, lateral_speed_mps: car.lateralSpeed)
            }
        }
    }
}
