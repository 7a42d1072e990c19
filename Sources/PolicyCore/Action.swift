import Sim

/// What a ``Policy`` decides for one car: steering and one pedal, as GT Sophy's action space.
public struct Action: Sendable, Equatable {
    /// Steering, -1...1, as a fraction of the car's maximum road-wheel angle; positive steers left.
    public var steering: Float
    /// One pedal, -1...1: positive is throttle (fraction of full), negative is brake (fraction of the maximum
    /// brake force).
    public var pedal: Float

    public init(steering: Float = 0, pedal: Float = 0) {
        self.steering = steering
        self.pedal = pedal
    }

    /// The car controls this action asks for: steering and pedal clamped to -1...1 (NaN counts as 0), the pedal
    /// split into throttle (positive part) and brake (negative part).
    @inline(__always)
    public var controls: CarControls {
        let steer = steering.isNaN ? 0 : min(max(steering, -1), 1)
        let p = pedal.isNaN ? 0 : min(max(pedal, -1), 1)
        return CarControls(steering: Double(steer), throttle: Double(max(p, 0)), brake: Double(max(-p, 0)))
    }

    /// The action that gives `controls`: steering as is, pedal = throttle - brake (each clamped to its range).
    @inline(__always)
    public init(_ controls: CarControls) {
        let c = controls.clamped
        self.init(steering: Float(c.steering), pedal: Float(c.throttle - c.brake))
    }
}
