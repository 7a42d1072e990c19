/// Something that drives one car: a human-like persona, the expert, a learned policy, or a game's own AI.
///
/// The race engine calls `decide` once every `decisionInterval` seconds of race time and holds the returned
/// controls between decisions. A driver sees only what a driver can see: its own car's motion and pose on the
/// track (``DriverView``), the circuit ahead (the ``Track`` it was given), and the cars near it. A game with
/// its own physics fills the same ``DriverView`` from its own state.
///
/// `decide` is on the per-step hot path: it must not allocate, lock or throw. Drivers are not shared between
/// cars and are called from one thread at a time.
public protocol Driver: AnyObject {
    /// Seconds between two decisions (for example 1/30 s); at least the physics step. Read once at race start.
    var decisionInterval: Double { get }
    /// The controls to hold until the next decision, given what the driver perceives now.
    func decide(_ view: DriverView) -> CarControls
}

/// One nearby car as a driver perceives it, relative to its own car.
public struct NearbyCar: Sendable, Equatable {
    /// Index of the other car in the race (its grid slot), 0-based.
    public var index: Int
    /// Signed arc-length gap along the track from this car to the other (m); positive = the other is ahead.
    public var gap: Double
    /// The other car's lateral offset from the centreline (m, positive = left).
    public var lateral: Double
    /// The other car's speed minus this car's speed (m/s); negative = this car is closing in.
    public var speedDifference: Double
    /// The other car's velocity across the track (m/s, positive = towards the left edge): how fast its lateral
    /// offset changes. 0 when not known (a game that does not fill it); the policy's guards then judge the car on
    /// where it is.
    public var lateralSpeed: Double

    public init(index: Int, gap: Double, lateral: Double, speedDifference: Double, lateralSpeed: Double = 0) {
        self.index = index
        self.gap = gap
        self.lateral = lateral
        self.speedDifference = speedDifference
        self.lateralSpeed = lateralSpeed
    }
}

/// The cars near a driver, nearest first by absolute gap; at most ``NearbyCars/capacity``, stored inline so
/// filling it never allocates.
public struct NearbyCars: Sendable {
    /// How many cars a view holds at most.
    public static let capacity = 8
    @usableFromInline var storage: InlineArray<8, NearbyCar>
    /// How many cars are present (0...capacity).
    public private(set) var count: Int

    /// An empty set.
    public init() {
        storage = InlineArray(repeating: NearbyCar(index: -1, gap: 0, lateral: 0, speedDifference: 0))
        count = 0
    }

    /// The `i`th nearest car, `0 <= i < count`. (Inlinable: the policy's encoder reads it on its hot path.)
    @inlinable public subscript(i: Int) -> NearbyCar {
        precondition(i >= 0 && i < count, "NearbyCars index \(i) out of range 0..<\(count)")
        return storage[i]
    }

    /// Calls `body` with the cars, nearest first, read in place (indexing the inline storage through a copy of
    /// the view would copy all eight cars at each read).
    @inlinable public func withCars<R>(_ body: (UnsafeBufferPointer<NearbyCar>) throws -> R) rethrows -> R {
        try storage.span.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Calls `body` with the cars of the set at `nearby`, nearest first, read where they lie. A caller that holds
    /// its views in a buffer (a batch) reads them without the copies `withCars` makes of a value it cannot address.
    @inlinable public static func withCars<R>(at nearby: UnsafePointer<NearbyCars>,
                                              _ body: (UnsafeBufferPointer<NearbyCar>) throws -> R) rethrows -> R {
        let first = UnsafeRawPointer(nearby.pointer(to: \.storage)!).assumingMemoryBound(to: NearbyCar.self)
        return try body(UnsafeBufferPointer(start: first, count: nearby.pointee.count))
    }

    /// Removes every car.
    public mutating func removeAll() { count = 0 }

    /// Inserts `car` keeping the set sorted by absolute gap; when full, the farthest car is dropped (and
    /// `car` is ignored if it is the farthest).
    public mutating func insert(_ car: NearbyCar) {
        var i = count
        if count == Self.capacity {
            guard abs(car.gap) < abs(storage[count - 1].gap) else { return }
            i = count - 1
        } else {
            count += 1
        }
        while i > 0, abs(storage[i - 1].gap) > abs(car.gap) {
            storage[i] = storage[i - 1]
            i -= 1
        }
        storage[i] = car
    }

    /// Replaces each car's gap with `newGap(car)` and restores the order by absolute gap (an insertion sort: cheap
    /// when the order hardly changes). For drivers that perceive gaps differently from the truth.
    @inline(__always)
    public mutating func setGaps(_ newGap: (NearbyCar) -> Double) {
        for i in 0..<count { storage[i].gap = newGap(storage[i]) }
        var i = 1
        while i < count {
            let car = storage[i]
            var j = i
            while j > 0, abs(storage[j - 1].gap) > abs(car.gap) {
                storage[j] = storage[j - 1]
                j -= 1
            }
            storage[j] = car
            i += 1
        }
    }

    /// The nearest car ahead within `maxGap` metres, if any.
    public func nearestAhead(within maxGap: Double = .infinity) -> NearbyCar? {
        for i in 0..<count where storage[i].gap > 0 && storage[i].gap <= maxGap { return storage[i] }
        return nil
    }
}

/// What a driver perceives of its own car and the race at one decision. SI units.
public struct DriverView: Sendable {
    /// Race time (s since the start signal).
    public var time: Double
    /// This car's index in the race (its grid slot), 0-based.
    public var carIndex: Int
    /// Forward speed in the car's frame (m/s).
    public var speed: Double
    /// Sideways speed in the car's frame (m/s, positive = sliding left).
    public var lateralSpeed: Double
    /// Yaw rate (rad/s, positive = turning left).
    public var yawRate: Double
    /// Current road-wheel steering angle (rad, positive = left).
    public var steeringAngle: Double
    /// Longitudinal acceleration the driver feels (m/s^2, car frame, positive = speeding up).
    public var longitudinalAcceleration: Double
    /// Lateral acceleration the driver feels (m/s^2, car frame, positive = to the left).
    public var lateralAcceleration: Double
    /// Arc length along the track's centreline (m, in [0, track length)).
    public var s: Double
    /// Offset from the centreline (m, positive = left).
    public var lateral: Double
    /// Car heading minus track heading (rad, in (-pi, pi], positive = pointing left of the track direction).
    public var headingError: Double
    /// Laps completed so far.
    public var lapsCompleted: Int
    /// The nearest other cars.
    public var nearby: NearbyCars

    public init(time: Double = 0, carIndex: Int = 0, speed: Double = 0, lateralSpeed: Double = 0,
                yawRate: Double = 0, steeringAngle: Double = 0, longitudinalAcceleration: Double = 0,
                lateralAcceleration: Double = 0, s: Double = 0, lateral: Double = 0,
                headingError: Double = 0, lapsCompleted: Int = 0, nearby: NearbyCars = NearbyCars()) {
        self.time = time
        self.carIndex = carIndex
        self.speed = speed
        self.lateralSpeed = lateralSpeed
        self.yawRate = yawRate
        self.steeringAngle = steeringAngle
        self.longitudinalAcceleration = longitudinalAcceleration
        self.lateralAcceleration = lateralAcceleration
        self.s = s
        self.lateral = lateral
        self.headingError = headingError
        self.lapsCompleted = lapsCompleted
        self.nearby = nearby
    }
}

extension NearbyCar {
    /// Whether its gap, lateral offset and speed difference are all finite.
    @inlinable public var isFinite: Bool { gap.isFinite && lateral.isFinite && speedDifference.isFinite }
}

extension DriverView {
    /// Whether every number of the view and of its nearby cars is finite.
    @inlinable public var isFinite: Bool {
        let finite = time.isFinite && speed.isFinite && lateralSpeed.isFinite && yawRate.isFinite
            && steeringAngle.isFinite && longitudinalAcceleration.isFinite && lateralAcceleration.isFinite
            && s.isFinite && lateral.isFinite && headingError.isFinite
        return finite && nearby.withCars { $0.allSatisfy(\.isFinite) }
    }

    /// The view with every non-finite number read as 0 and the nearby cars with a non-finite gap, lateral offset
    /// or speed difference left out: what a driver decides on when a game hands it a bad view (a NaN from its
    /// physics), so that the decision is finite and nothing traps. The view itself when it is finite (the common
    /// case costs the checks only).
    @inlinable public var sanitized: DriverView {
        if isFinite { return self }
        @inline(__always) func f(_ x: Double) -> Double { x.isFinite ? x : 0 }
        var cars = NearbyCars()
        nearby.withCars { for car in $0 where car.isFinite { cars.insert(car) } }
        return DriverView(time: f(time), carIndex: carIndex, speed: f(speed), lateralSpeed: f(lateralSpeed),
                          yawRate: f(yawRate), steeringAngle: f(steeringAngle),
                          longitudinalAcceleration: f(longitudinalAcceleration),
                          lateralAcceleration: f(lateralAcceleration), s: f(s), lateral: f(lateral),
                          headingError: f(headingError), lapsCompleted: lapsCompleted, nearby: cars)
    }
}
