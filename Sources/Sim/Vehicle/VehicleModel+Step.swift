import Foundation

extension VehicleModel {
    /// Longest internal step (s); a longer `dt` is split into equal sub-steps no longer than this.
    public static let maxSubstep = 0.01
    /// Below this speed (m/s) the car moves as a kinematic bicycle (no tyre slip).
    public static let kinematicSpeed = 3.0
    /// Above this speed (m/s) the car is fully dynamic; in between the two models are blended linearly.
    public static let dynamicSpeed = 8.0
    /// Lateral slips are computed with at least this rolling speed (m/s) in the denominator.
    static let slipSpeedFloor = 1.0
    /// An axle locks when the brake asks for more than its peak force by more than this relative margin (rounding).
    static let lockMargin = 1e-9

    /// Advances `state` by `dt` seconds under `controls` on `surface`.
    ///
    /// Semi-implicit Euler: forces from the current state, then velocities, then position from the new velocities
    /// (the body-frame velocity is turned with the new yaw rate by a norm-preserving rotation). Controls are clamped
    /// and NaN counts as 0; `.barrier` acts like `.runoff` (the race engine handles the contact). Braking never
    /// makes the car roll backwards, and with no throttle or brake it never gains kinetic energy.
    ///
    /// No allocation, no throwing, no dynamic dispatch: fit for the per-car hot path.
    ///
    /// - Parameter dt: seconds, typically 1/120. Zero, negative or non-finite leaves the state unchanged; a step
    ///   longer than ``maxSubstep`` is split into sub-steps (at most 10,000, so at most 100 s per call).
    public func step(_ state: inout CarState, controls: CarControls, surface: Surface, dt: Double) {
        guard dt > 0, dt.isFinite else { return }
        let controls = controls.clamped
        if dt <= Self.maxSubstep {
            integrate(&state, controls: controls, surface: surface, dt: dt)
            return
        }
        let count = Int(min((dt / Self.maxSubstep).rounded(.up), 10_000))
        let substep = min(dt / Double(count), Self.maxSubstep)
        for _ in 0..<count { integrate(&state, controls: controls, surface: surface, dt: substep) }
    }

    /// ``step(_:controls:surface:dt:)`` for a model the caller holds exclusively (the race's own storage), inlined
    /// there: a call to `step` would first copy the whole model (288 bytes) out of the caller's memory.
    @inline(__always)
    mutating func stepInPlace(_ state: inout CarState, controls: CarControls, surface: Surface, dt: Double) {
        guard dt > 0, dt.isFinite else { return }
        let controls = controls.clamped
        if dt <= Self.maxSubstep {
            integrate(&state, controls: controls, surface: surface, dt: dt)
            return
        }
        step(&state, controls: controls, surface: surface, dt: dt)
    }

    /// The largest brake input, 0...1, that locks neither axle in `state` on `surface` with the throttle closed:
    /// what an ideal anti-lock system or an expert's foot would apply. It uses the same loads as the next
    /// ``step(_:controls:surface:dt:)`` (including the load transfer of the last step's deceleration).
    public func nonLockingBrakeInput(for state: CarState, surface: Surface) -> Double {
        let mass = totalMass(fuelMass: state.fuelMass)
        let grip = axleGrip(
            mass: mass, ax: state.longitudinalAcceleration, speedSquared: state.vx * state.vx + state.vy * state.vy,
            surface: surface, wear: Self.wear(state.tyreWear))
        return brakeInputLimit(grip)
    }

    /// The brake input at which the first axle reaches its peak longitudinal force, capped at 1.
    @inline(__always)
    func brakeInputLimit(_ grip: AxleGrip) -> Double {
        let front = grip.frontLongitudinal / (maxBrakeForce * brakeFrontFraction)
        let rear = grip.rearLongitudinal / (maxBrakeForce * (1 - brakeFrontFraction))
        return min(1, front, rear)
    }

    /// A locked axle slides at the longitudinal curve's locked-wheel friction, against its contact patch's
    /// velocity (`vx`, `lateralVelocity` in the body frame): the longitudinal part resists the motion (N, a
    /// magnitude), the lateral part (N, positive left) is all the cornering force it has left.
    @inline(__always)
    func lockedAxle(peak: Double, vx: Double, lateralVelocity: Double) -> (resist: Double, lateral: Double, force: Double) {
        let sliding = lockedFrictionRatio * peak
        let contactSpeed = (vx * vx + lateralVelocity * lateralVelocity).squareRoot()
        guard contactSpeed > 1e-6 else { return (sliding, 0, sliding) }
        return (sliding * abs(vx) / contactSpeed, -sliding * lateralVelocity / contactSpeed, sliding)
    }

    // MARK: - One integration step

    @inline(__always)
    func integrate(_ state: inout CarState, controls: CarControls, surface: Surface, dt: Double) {
        // Steering actuator: move toward the command at the steering rate.
        let maxMove = steeringRate * dt
        var delta = CarControls.clamp(state.steeringAngle, -maxSteeringAngle, maxSteeringAngle)
        delta += min(max(controls.steering * maxSteeringAngle - delta, -maxMove), maxMove)
        state.steeringAngle = delta

        let fuel = Self.fuel(state.fuelMass)
        let wear = Self.wear(state.tyreWear)
        let mass = dryMass + fuel
        let inertia = yawInertiaPerKg * mass
        let vx = state.vx
        let vy = state.vy
        let yawRate = state.yawRate
        let speedSquared = vx * vx + vy * vy
        let speed = speedSquared.squareRoot()
        let grip = axleGrip(
            mass: mass, ax: state.longitudinalAcceleration, speedSquared: speedSquared, surface: surface, wear: wear)

        // Longitudinal demands. `push` acts forward whatever the motion; `resist` opposes the motion and can stop
        // the car but never reverse it (brakes, rolling resistance, drag).
        let engineRuns = fuel > 0 || fuelBurnPerSecond == 0
        let drive = engineRuns ? controls.throttle * engineForce(vx: vx) : 0
        let brakeFront = controls.brake * maxBrakeForce * brakeFrontFraction
        let rearDemand = drive - controls.brake * maxBrakeForce * (1 - brakeFrontFraction)
        var push = 0.0
        var resist = grip.rolling

        // Lateral slips (Pacejka's tan(alpha)), positive when the tyre pushes the car to the left: the contact
        // patch's sideways velocity over its rolling speed, negated, so the force opposes the sideways slip whether
        // the car rolls forward or backward.
        let frontLateralVelocity = vy + cogToFront * yawRate
        let rearLateralVelocity = vy - cogToRear * yawRate
        let (sinDelta, cosDelta) = Trig.sinCos(delta)
        let wheelVx = vx * cosDelta + frontLateralVelocity * sinDelta
        let wheelVy = frontLateralVelocity * cosDelta - vx * sinDelta

        // Front axle (braked, steered).
        let frontLateral: Double
        let frontForce: Double
        if brakeFront > grip.frontLongitudinal * (1 + Self.lockMargin) {
            let locked = lockedAxle(peak: grip.frontLongitudinal, vx: vx, lateralVelocity: frontLateralVelocity)
            resist += locked.resist
            frontLateral = locked.lateral
            frontForce = locked.force
        } else {
            let slip = -wheelVy / max(abs(wheelVx), Self.slipSpeedFloor)
            let usage = brakeFront / grip.frontLongitudinal
            let cornering = grip.frontLateral * lateralShape.value(slip) * max(0, 1 - usage * usage).squareRoot()
            let rollingDirection: Double = wheelVx >= 0 ? 1 : -1
            resist += brakeFront * cosDelta
            push -= cornering * sinDelta
            frontLateral = cornering * cosDelta - rollingDirection * brakeFront * sinDelta
            frontForce = (brakeFront * brakeFront + cornering * cornering).squareRoot()
        }

        // Rear axle (driven, braked).
        let rearLateral: Double
        let rearForce: Double
        var driveForce = 0.0
        if rearDemand < 0, -rearDemand > grip.rearLongitudinal * (1 + Self.lockMargin) {
            let locked = lockedAxle(peak: grip.rearLongitudinal, vx: vx, lateralVelocity: rearLateralVelocity)
            resist += locked.resist
            rearLateral = locked.lateral
            rearForce = locked.force
        } else {
            let longitudinal = min(abs(rearDemand), grip.rearLongitudinal)
            if rearDemand >= 0 {
                driveForce = longitudinal
                push += longitudinal
            } else {
                resist += longitudinal
            }
            let usage = longitudinal / grip.rearLongitudinal
            let slip = -rearLateralVelocity / max(abs(vx), Self.slipSpeedFloor)
            rearLateral = grip.rearLateral * lateralShape.value(slip) * max(0, 1 - usage * usage).squareRoot()
            rearForce = (longitudinal * longitudinal + rearLateral * rearLateral).squareRoot()
        }

        // Drag opposes the velocity: its longitudinal part resists, its lateral part damps vy.
        resist += halfRhoCdA * speed * abs(vx)
        let lateralForce = frontLateral + rearLateral - halfRhoCdA * speed * vy
        let yawMoment = cogToFront * frontLateral - cogToRear * rearLateral

        // Velocities. Longitudinal: resistive forces stop the car, never reverse it.
        let inverseMass = 1 / mass
        let freeVx = vx + push * inverseMass * dt
        let resistDeltaV = resist * inverseMass * dt
        let newVx = abs(freeVx) <= resistDeltaV ? 0 : freeVx - (freeVx > 0 ? resistDeltaV : -resistDeltaV)
        let newVy = vy + lateralForce * inverseMass * dt
        var outYawRate = yawRate + yawMoment / inertia * dt
        // Turn the body frame by the new yaw rate (Cayley rotation: exact length, second-order angle).
        let half = 0.5 * outYawRate * dt
        let scale = 1 / (1 + half * half)
        let cosTurn = (1 - half * half) * scale
        let sinTurn = 2 * half * scale
        var outVx = cosTurn * newVx + sinTurn * newVy
        var outVy = cosTurn * newVy - sinTurn * newVx
        var lateralAcceleration = lateralForce * inverseMass

        if speed < Self.dynamicSpeed {
            // Blend toward the kinematic bicycle: no lateral slip at the rear axle, yaw rate from the steering.
            let weight = max(0, (speed - Self.kinematicSpeed) / (Self.dynamicSpeed - Self.kinematicSpeed))
            let kinematicYawRate = newVx * tan(delta) / wheelbase
            outVx = weight * outVx + (1 - weight) * newVx
            outVy = weight * outVy + (1 - weight) * kinematicYawRate * cogToRear
            outYawRate = weight * outYawRate + (1 - weight) * kinematicYawRate
            lateralAcceleration = weight * lateralAcceleration + (1 - weight) * newVx * kinematicYawRate
            // The kinematic constraint is workless: the blend may move energy between translation and yaw but
            // never add more than the engine's work this step.
            let energyBefore = mass * speedSquared + inertia * yawRate * yawRate
            let driveWork = driveForce * (max(vx, 0) + max(newVx, 0)) * dt
            let energyAfter = mass * (outVx * outVx + outVy * outVy) + inertia * outYawRate * outYawRate
            if energyAfter > energyBefore + driveWork {
                let shrink = ((energyBefore + driveWork) / energyAfter).squareRoot()
                outVx *= shrink
                outVy *= shrink
                outYawRate *= shrink
            }
        }

        // Pose from the new velocities.
        var yaw = state.yaw + outYawRate * dt
        if yaw > .pi || yaw < -.pi { yaw = remainder(yaw, 2 * .pi) }
        let (sinYaw, cosYaw) = Trig.sinCos(yaw)
        state.x += (outVx * cosYaw - outVy * sinYaw) * dt
        state.y += (outVx * sinYaw + outVy * cosYaw) * dt
        state.yaw = yaw
        state.vx = outVx
        state.vy = outVy
        state.yawRate = outYawRate
        state.longitudinalAcceleration = (newVx - vx) / dt
        state.lateralAcceleration = lateralAcceleration

        // Consumables.
        state.tyreWear = min(1, wear + wearPerJoule * (frontForce + rearForce) * speed * dt)
        if fuelBurnPerSecond > 0 { state.fuelMass = max(0, fuel - fuelBurnPerSecond * controls.throttle * dt) }
    }
}
