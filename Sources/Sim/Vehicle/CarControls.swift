/// What a driver asks of the car for one step.
///
/// Values outside their range are clamped when stepping, and NaN counts as 0, so a policy's raw output can be
/// passed straight in.
public struct CarControls: Sendable, Equatable {
    /// Steering command, -1...1, as a fraction of the maximum road-wheel angle; positive steers left.
    public var steering: Double
    /// Throttle, 0...1.
    public var throttle: Double
    /// Brake pedal, 0...1, as a fraction of the car's maximum brake force.
    public var brake: Double

    /// Controls as given (clamping happens when stepping, or with ``clamped``); the defaults coast straight ahead.
    public init(steering: Double = 0, throttle: Double = 0, brake: Double = 0) {
        self.steering = steering
        self.throttle = throttle
        self.brake = brake
    }

    /// The controls clamped to their ranges, NaN replaced by 0.
    @inline(__always)
    public var clamped: CarControls {
        CarControls(
            steering: Self.clamp(steering, -1, 1), throttle: Self.clamp(throttle, 0, 1),
            brake: Self.clamp(brake, 0, 1))
    }

    @inline(__always)
    static func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        value.isNaN ? 0 : min(max(value, low), high)
    }
}
