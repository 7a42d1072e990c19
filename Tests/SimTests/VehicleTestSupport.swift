import Foundation
import Sim

/// Shared helpers for the vehicle tests.
enum VehicleTestSupport {
    /// The repository root, found from this file's path (Tests/SimTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `cars/` directory.
    static var carsDirectory: String { repositoryRoot.appendingPathComponent("cars").path }

    /// The shipped car files.
    static let carNames = ["gt3", "formula", "cup"]

    static func spec(_ name: String) throws -> CarSpec {
        try CarSpec.load(path: (carsDirectory as NSString).appendingPathComponent("\(name).json"))
    }

    /// A model with wear and fuel use off, so that long runs keep a constant car.
    static func frozenModel(_ name: String) throws -> VehicleModel {
        VehicleModel(spec: try spec(name), tyreWearMultiplier: 0, fuelRateMultiplier: 0)
    }

    /// The physics step used throughout: 1/120 s.
    static let dt = 1.0 / 120

    /// Drag plus rolling resistance (N) at `speed` on the track, from the spec's numbers alone (air density 1.225,
    /// standard gravity, downforce adding to the rolling load): an independent check on the model.
    static func roadLoad(_ spec: CarSpec, speed: Double, fuelMass: Double = 0) -> Double {
        let dynamicPressure = 0.5 * 1.225 * speed * speed
        let load = (spec.chassis.massKg + fuelMass) * 9.80665 + dynamicPressure * spec.aero.downforceAreaM2
        return dynamicPressure * spec.aero.dragAreaM2 + spec.tyre.rollingResistanceCoefficient * load
    }

    /// Power at the wheels (W).
    static func wheelPower(_ spec: CarSpec) -> Double {
        spec.powertrain.powerW * spec.powertrain.drivetrainEfficiency
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String, name: String = "car.json") throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rival-vehicle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

/// A driver that holds a car on a counter-clockwise circle about the origin at a target speed: steering from the
/// kinematic angle `L / R` plus feedback on the radius error (with integral) and the course error, gains set for a
/// 1 rad/s, 0.8-damped loop (`k_e = L / v^2`, `k_course = 1.6 L / v`); throttle from a PI loop on speed.
struct CircleDriver {
    let radius: Double
    let wheelbase: Double
    let maxSteering: Double
    var targetSpeed: Double
    var speedIntegral = 0.0
    var radiusIntegral = 0.0

    init(model: VehicleModel, radius: Double, targetSpeed: Double) {
        self.radius = radius
        wheelbase = model.spec.chassis.wheelbaseM
        maxSteering = model.spec.steering.maxAngleRad
        self.targetSpeed = targetSpeed
    }

    /// On the circle at (R, 0), heading north at the target speed, wheels at the kinematic angle.
    func startingState(tyreWear: Double = 0) -> CarState {
        CarState(
            x: radius, y: 0, yaw: .pi / 2, vx: targetSpeed, steeringAngle: wheelbase / radius, tyreWear: tyreWear)
    }

    /// Distance outside the circle (m); negative inside.
    func radiusError(_ state: CarState) -> Double { (state.x * state.x + state.y * state.y).squareRoot() - radius }

    mutating func controls(for state: CarState) -> CarControls {
        let dt = VehicleTestSupport.dt
        let radiusError = radiusError(state)
        let course = state.yaw + atan2(state.vy, state.vx)
        let courseError = remainder(course - (atan2(state.y, state.x) + .pi / 2), 2 * .pi)
        let speed = max(state.speed, 1)
        radiusIntegral += radiusError * dt
        let steering = wheelbase / radius + wheelbase / (speed * speed) * (radiusError + 0.3 * radiusIntegral)
            - 1.6 * wheelbase / speed * courseError
        let speedError = targetSpeed - state.vx
        speedIntegral = min(max(speedIntegral + 0.05 * speedError * dt, 0), 1)
        return CarControls(steering: steering / maxSteering, throttle: 0.3 * speedError + speedIntegral)
    }
}

/// SplitMix64: a tiny deterministic generator for the fuzz tests (not for simulation randomness, which comes
/// from the GSL streams).
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
}
