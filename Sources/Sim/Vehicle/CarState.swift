/// Everything that changes about a car from one physics step to the next.
///
/// Positions are in the world frame (metres, x and y axes of the track), velocities in the car's body frame.
/// ``VehicleModel/step(_:controls:surface:dt:)`` advances it; the race engine may also set position, yaw and
/// velocity directly (for example after barrier contact).
public struct CarState: Sendable, Equatable {
    /// World x of the centre of gravity (m).
    public var x: Double
    /// World y of the centre of gravity (m).
    public var y: Double
    /// Heading (rad), counter-clockwise from the world x axis; the step keeps it in -pi...pi.
    public var yaw: Double
    /// Forward velocity in the body frame (m/s); negative only when rolling backwards after a spin (the engine
    /// drives forward only: there is no reverse gear).
    public var vx: Double
    /// Lateral velocity in the body frame (m/s), positive to the left.
    public var vy: Double
    /// Yaw rate (rad/s), positive counter-clockwise (turning left).
    public var yawRate: Double
    /// Road-wheel steering angle (rad), positive to the left; follows the command at the car's steering rate.
    public var steeringAngle: Double
    /// Fuel on board (kg), 0...capacity; the engine gives no drive at 0 unless fuel use is off.
    public var fuelMass: Double
    /// Tyre wear, 0 (new) ... 1 (fully worn); grip falls linearly with it.
    public var tyreWear: Double
    /// Longitudinal acceleration of the last step (m/s^2, body frame, positive forward; an accelerometer reading).
    /// It sets the longitudinal load transfer of the next step.
    public var longitudinalAcceleration: Double
    /// Lateral acceleration of the last step (m/s^2, body frame, positive to the left); telemetry only.
    public var lateralAcceleration: Double

    /// A car at `(x, y)` heading `yaw`, moving straight ahead at `vx`, wheels straight, accelerations zero.
    public init(
        x: Double = 0, y: Double = 0, yaw: Double = 0, vx: Double = 0, vy: Double = 0, yawRate: Double = 0,
        steeringAngle: Double = 0, fuelMass: Double = 0, tyreWear: Double = 0
    ) {
        self.x = x
        self.y = y
        self.yaw = yaw
        self.vx = vx
        self.vy = vy
        self.yawRate = yawRate
        self.steeringAngle = steeringAngle
        self.fuelMass = fuelMass
        self.tyreWear = tyreWear
        longitudinalAcceleration = 0
        lateralAcceleration = 0
    }

    /// Speed over the ground (m/s): the length of (vx, vy).
    public var speed: Double { (vx * vx + vy * vy).squareRoot() }
}
