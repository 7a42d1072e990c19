import Foundation

extension VehicleModel {
    /// Top speed on a flat straight at full throttle (m/s): where the drive force (`P / v`, capped by the low-speed
    /// force and the rear grip) equals drag plus rolling resistance (downforce adds to the rolling load).
    ///
    /// - Parameters:
    ///   - fuelMass: fuel on board (kg); only its weight matters here (the engine is assumed to run).
    ///   - tyreWear: 0...1.
    public func topSpeed(fuelMass: Double = 0, tyreWear: Double = 0, surface: Surface = .track) -> Double {
        var low = 0.0
        var high = 1000.0
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            let net = netDriveForce(speed: middle, ax: 0, fuelMass: fuelMass, tyreWear: tyreWear, surface: surface)
            if net > 0 { low = middle } else { high = middle }
            if high - low < 1e-12 { break }
        }
        return 0.5 * (low + high)
    }

    /// Largest steady lateral acceleration at `speed` (m/s^2), holding speed on a flat surface.
    ///
    /// Steady cornering needs lateral force `m a b / L` from the front axle and `m a a_f / L` from the rear (`a_f`,
    /// `b`: CoG to the front and rear axles), each within its peak (axle load, downforce and load sensitivity
    /// included). Three second-order effects that the step produces are included too: the steered front tyre's
    /// force has a rearward part, which the rear tyres must overcome together with drag and rolling resistance (and
    /// the friction ellipse takes that drive force from the rear's cornering force); the car runs at a body slip
    /// angle, so its tyres push it forward in the body frame and shift load to the rear; the steering angle is
    /// `L / R` plus the difference of the axles' slip angles. The largest lateral acceleration both axles carry is
    /// found by regula falsi (tens of microseconds: tabulate it over speed if a planner needs it very often).
    public func maxLateralAcceleration(
        speed: Double, fuelMass: Double = 0, tyreWear: Double = 0, surface: Surface = .track
    ) -> Double {
        let mass = totalMass(fuelMass: fuelMass)
        let speed = max(abs(speed), 0.1)
        let speedSquared = speed * speed
        let wear = Self.wear(tyreWear)
        let drag = halfRhoCdA * speedSquared

        // The spare grip of the tighter axle (a fraction of its peak; negative when overloaded) in steady cornering
        // at `lateralAcceleration`, after a few rounds of the fixed point between the slips, the steering angle and
        // the load transfer.
        func margin(_ lateralAcceleration: Double) -> Double {
            let frontNeed = mass * lateralAcceleration * cogToRear / wheelbase
            let rearNeed = mass * lateralAcceleration * cogToFront / wheelbase
            var ax = 0.0
            var steering = 0.0
            var margin = 0.0
            for _ in 0..<4 {
                let grip = axleGrip(mass: mass, ax: ax, speedSquared: speedSquared, surface: surface, wear: wear)
                let frontForce = frontNeed / cos(steering)
                let drive = drag + grip.rolling + frontForce * sin(steering)
                let rearAvailable = grip.rearLateral * max(0, 1 - square(drive / grip.rearLongitudinal)).squareRoot()
                let frontUse = frontForce / grip.frontLateral
                let rearUse = rearAvailable > 0 ? rearNeed / rearAvailable : 2
                margin = max(-1, 1 - max(frontUse, rearUse))
                // Slips are tan(slip angle); the steering angle is L / R plus the front and minus the rear slip angle.
                let frontSlip = lateralShape.slip(at: frontUse)
                let rearSlip = lateralShape.slip(at: rearUse)
                steering = min(
                    wheelbase * lateralAcceleration / speedSquared + atan(frontSlip) - atan(rearSlip),
                    maxSteeringAngle)
                // Body-frame specific force of steady cornering: -yawRate * vy, with vy = b r - v (rear slip).
                ax = lateralAcceleration * rearSlip - cogToRear * square(lateralAcceleration) / speedSquared
            }
            return margin
        }

        // An upper bracket: half again the front axle's static-balance limit, with any margin below zero.
        var high = axleGrip(mass: mass, ax: 0, speedSquared: speedSquared, surface: surface, wear: wear).frontLateral
            * wheelbase / (mass * cogToRear) * 1.5
        var highMargin = margin(high)
        while highMargin > 0 {
            high *= 2
            highMargin = margin(high)
        }
        // margin decreases with lateral acceleration: find its zero, negated to fit the root finder's bracket.
        return RootFinding.illinois(
            low: 0, high: high, lowValue: -1, highValue: -highMargin, valueTolerance: 1e-12, width: 1e-9 * high
        ) { -margin($0) }
    }

    /// Largest steady deceleration at `speed` in a straight line without locking an axle (m/s^2, positive):
    /// brake force at ``nonLockingBrakeInput(for:surface:)`` for the load transfer of that deceleration, plus drag
    /// and rolling resistance.
    public func maxBrakingDeceleration(
        speed: Double, fuelMass: Double = 0, tyreWear: Double = 0, surface: Surface = .track
    ) -> Double {
        let mass = totalMass(fuelMass: fuelMass)
        let speedSquared = speed * speed
        return Self.loadTransferFixedPoint { deceleration in
            let grip = axleGrip(
                mass: mass, ax: -deceleration, speedSquared: speedSquared, surface: surface, wear: Self.wear(tyreWear))
            return (brakeInputLimit(grip) * maxBrakeForce + halfRhoCdA * speedSquared + grip.rolling) / mass
        }
    }

    /// Largest forward acceleration at `speed` in a straight line at full throttle (m/s^2; negative above the top
    /// speed): drive force (power, low-speed cap, rear grip with the load transfer of that acceleration) minus drag
    /// and rolling resistance, over the mass.
    public func maxDriveAcceleration(
        speed: Double, fuelMass: Double = 0, tyreWear: Double = 0, surface: Surface = .track
    ) -> Double {
        let mass = totalMass(fuelMass: fuelMass)
        return Self.loadTransferFixedPoint { acceleration in
            netDriveForce(speed: speed, ax: acceleration, fuelMass: fuelMass, tyreWear: tyreWear, surface: surface)
                / mass
        }
    }

    /// The lateral acceleration still available at `speed` while accelerating at `longitudinalAcceleration`
    /// (m/s^2, positive forward), on the grip ellipse through ``maxLateralAcceleration(speed:fuelMass:tyreWear:surface:)``,
    /// ``maxDriveAcceleration(speed:fuelMass:tyreWear:surface:)`` and
    /// ``maxBrakingDeceleration(speed:fuelMass:tyreWear:surface:)``: 0 at either longitudinal limit and beyond.
    /// An approximation of the model's per-axle friction ellipses, for planners.
    public func lateralAccelerationLimit(
        speed: Double, longitudinalAcceleration: Double, fuelMass: Double = 0, tyreWear: Double = 0,
        surface: Surface = .track
    ) -> Double {
        let lateral = maxLateralAcceleration(speed: speed, fuelMass: fuelMass, tyreWear: tyreWear, surface: surface)
        let limit =
            longitudinalAcceleration >= 0
            ? maxDriveAcceleration(speed: speed, fuelMass: fuelMass, tyreWear: tyreWear, surface: surface)
            : maxBrakingDeceleration(speed: speed, fuelMass: fuelMass, tyreWear: tyreWear, surface: surface)
        guard limit > 0 else { return longitudinalAcceleration == 0 ? lateral : 0 }
        let usage = min(1, abs(longitudinalAcceleration) / limit)
        return lateral * (1 - usage * usage).squareRoot()
    }

    @inline(__always)
    private func square(_ x: Double) -> Double { x * x }

    /// The fixed point of `acceleration = f(acceleration)` from 0, where `f` gives the acceleration the car reaches
    /// with the load transfer of `acceleration`: a contraction (its slope is about mu h / L, below 1 for any valid
    /// car), so it converges to 1e-12 in a few dozen rounds.
    private static func loadTransferFixedPoint(_ f: (Double) -> Double) -> Double {
        var acceleration = 0.0
        for _ in 0..<100 {
            let next = f(acceleration)
            if abs(next - acceleration) < 1e-12 { return next }
            acceleration = next
        }
        return acceleration
    }

    /// Drive force minus drag and rolling resistance (N) at full throttle, `speed` and acceleration `ax`.
    func netDriveForce(speed: Double, ax: Double, fuelMass: Double, tyreWear: Double, surface: Surface) -> Double {
        let mass = totalMass(fuelMass: fuelMass)
        let grip = axleGrip(
            mass: mass, ax: ax, speedSquared: speed * speed, surface: surface, wear: Self.wear(tyreWear))
        let drive = min(engineForce(vx: speed), grip.rearLongitudinal)
        return drive - halfRhoCdA * speed * speed - grip.rolling
    }
}
