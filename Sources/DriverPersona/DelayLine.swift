import Sim

/// The last few seconds of what a driver saw, one ``DriverView`` per decision, so that the driver can act on the
/// world as it was a reaction time ago. Read-back interpolates between the two nearest recorded views (speeds,
/// pose and accelerations linearly; arc length across the lap's end; other cars from the nearer view), so a
/// delay is not rounded to the decision interval. Owns a fixed buffer: pushing and reading never allocate.
public final class DelayLine {
    /// Seconds between two pushes.
    public let interval: Double
    /// Views held (the longest delay is `(capacity - 2) * interval`).
    public let capacity: Int
    private let buffer: UnsafeMutablePointer<DriverView>
    private var head = -1
    private var count = 0
    private let lapLength: Double

    /// A line for pushes every `interval` seconds holding at least `maximumDelay` seconds, on a lap of
    /// `lapLength` metres.
    public init(interval: Double, maximumDelay: Double, lapLength: Double) {
        self.interval = interval
        capacity = Int((maximumDelay / interval).rounded(.up)) + 2
        buffer = .allocate(capacity: capacity)
        buffer.initialize(repeating: DriverView(), count: capacity)
        self.lapLength = lapLength
    }

    deinit {
        buffer.deinitialize(count: capacity)
        buffer.deallocate()
    }

    /// The longest delay the line can give (s).
    public var maximumDelay: Double { Double(capacity - 2) * interval }

    /// Records the view seen now.
    @inline(__always)
    public func push(_ view: DriverView) {
        head = head + 1 == capacity ? 0 : head + 1
        buffer[head] = view
        if count < capacity { count += 1 }
    }

    /// The other cars as they were `delay` seconds before the last push, from the nearer recorded view (clamped to
    /// what is recorded). Cheaper than ``view(delayedBy:)`` when only the other cars are needed.
    @inline(__always)
    public func nearby(delayedBy delay: Double) -> NearbyCars {
        precondition(count > 0, "DelayLine read before the first push")
        let steps = min(max(delay, 0) / interval, Double(count - 1))
        let k = Int(steps.rounded())
        return buffer[(head - k + capacity) % capacity].nearby
    }

    /// The view as it was `delay` seconds before the last push (clamped to what is recorded; the oldest view
    /// when the line holds less).
    public func view(delayedBy delay: Double) -> DriverView {
        precondition(count > 0, "DelayLine read before the first push")
        let steps = min(max(delay, 0) / interval, Double(count - 1))
        let k = Int(steps)
        let f = steps - Double(k)
        let newer = buffer[(head - k + capacity) % capacity]
        guard f > 1e-9, k + 1 < count else { return newer }
        let older = buffer[(head - k - 1 + capacity) % capacity]
        var v = f < 0.5 ? newer : older
        @inline(__always) func mix(_ a: Double, _ b: Double) -> Double { a + (b - a) * f }
        v.time = mix(newer.time, older.time)
        v.speed = mix(newer.speed, older.speed)
        v.lateralSpeed = mix(newer.lateralSpeed, older.lateralSpeed)
        v.yawRate = mix(newer.yawRate, older.yawRate)
        v.steeringAngle = mix(newer.steeringAngle, older.steeringAngle)
        v.longitudinalAcceleration = mix(newer.longitudinalAcceleration, older.longitudinalAcceleration)
        v.lateralAcceleration = mix(newer.lateralAcceleration, older.lateralAcceleration)
        v.lateral = mix(newer.lateral, older.lateral)
        v.headingError = mix(newer.headingError, older.headingError)
        var ds = older.s - newer.s
        if ds > lapLength / 2 { ds -= lapLength } else if ds < -lapLength / 2 { ds += lapLength }
        var s = newer.s + ds * f
        if s < 0 { s += lapLength } else if s >= lapLength { s -= lapLength }
        v.s = s
        return v
    }
}
