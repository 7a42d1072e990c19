/// The dynamics of one car: a single-track (bicycle) model with magic-formula tyres, built once from a ``CarSpec``
/// and then stepped once per car per physics step.
///
/// What it models: per-axle lateral force from slip angle (Pacejka magic formula) on the axle's vertical load
/// (static split, longitudinal load transfer from the last step's acceleration, downforce split by aero balance),
/// with load sensitivity; a friction ellipse between longitudinal and lateral use of each axle; rear-wheel drive
/// limited by power (`P / v`), by a low-speed force cap and by the rear axle's grip (the excess is cut, as by
/// traction control); brakes split by balance, where an axle asked for more than its grip locks, slides at the
/// magic formula's locked-wheel value and loses its cornering force; aerodynamic drag and downforce; rolling
/// resistance; a steering actuator with a rate limit; a blend to a kinematic bicycle below 3-8 m/s so that the
/// car starts, turns and stops cleanly; fuel burn (lighter car) and tyre wear (less grip).
///
/// What it leaves out: lateral load transfer (folded into the axle's `D`), wheel spin dynamics, gears, tyre
/// temperature, suspension, slopes. The analytic limits (``topSpeed(fuelMass:tyreWear:surface:)``,
/// ``maxLateralAcceleration(speed:fuelMass:tyreWear:surface:)`` and the others) use the same load and grip
/// functions as ``step(_:controls:surface:dt:)``, so a planner's speed profile matches what the car can do.
public struct VehicleModel: Sendable {
    /// The car this model was built from.
    public var spec: CarSpec { specBox.spec }
    /// The specification behind one reference, so that copying a model (which the compiler does on the hot
    /// path) copies numbers and one pointer rather than every string and array of the specification.
    private let specBox: SpecBox
    /// Multiplier on the tyre wear rate (a race option, as in Gran Turismo), 0...1000; 0 turns wear off.
    public let tyreWearMultiplier: Double
    /// Multiplier on the fuel burn rate, 0...1000; 0 turns fuel use off (the engine then never runs dry).
    public let fuelRateMultiplier: Double

    /// Air density (kg/m^3) for drag and downforce: 1.225, the ISA sea-level value.
    public static let airDensity = 1.225
    /// Gravitational acceleration (m/s^2): 9.80665, standard gravity.
    public static let gravity = 9.80665

    // Chassis.
    let dryMass: Double
    let yawInertiaPerKg: Double
    let wheelbase: Double
    let cogToFront: Double
    let cogToRear: Double
    let cogHeight: Double
    /// Axle loads of the car without fuel, at rest (N): the reference for load sensitivity.
    let staticFrontLoad: Double
    let staticRearLoad: Double
    let inverseStaticFrontLoad: Double
    let inverseStaticRearLoad: Double

    // Tyres.
    let lateralShape: MagicFormulaShape
    let frontLateralPeak: Double
    let rearLateralPeak: Double
    let longitudinalPeak: Double
    /// The longitudinal curve at slip ratio 1 relative to its peak: a locked axle's friction.
    let lockedFrictionRatio: Double
    let loadSensitivity: Double
    let rollingResistance: Double
    let gripLossAtFullWear: Double
    /// Wear per joule of tyre work, with the wear multiplier.
    let wearPerJoule: Double

    // Powertrain, brakes, aero, steering.
    let wheelPower: Double
    let maxDriveForce: Double
    /// Fuel burnt per second at full throttle (kg/s), with the fuel multiplier.
    let fuelBurnPerSecond: Double
    let maxBrakeForce: Double
    let brakeFrontFraction: Double
    let halfRhoCdA: Double
    let halfRhoClA: Double
    let aeroFrontFraction: Double
    let maxSteeringAngle: Double
    let steeringRate: Double

    /// Builds the model. The spec should be valid (``CarSpec/load(path:)`` validates; see ``CarSpec/validate(file:)``).
    ///
    /// - Parameters:
    ///   - tyreWearMultiplier: scales the wear rate; clamped to 0...1000, NaN counts as 1.
    ///   - fuelRateMultiplier: scales the fuel burn rate; clamped to 0...1000, NaN counts as 1.
    public init(spec: CarSpec, tyreWearMultiplier: Double = 1, fuelRateMultiplier: Double = 1) {
        specBox = SpecBox(spec)
        self.tyreWearMultiplier = tyreWearMultiplier.isNaN ? 1 : min(max(tyreWearMultiplier, 0), 1000)
        self.fuelRateMultiplier = fuelRateMultiplier.isNaN ? 1 : min(max(fuelRateMultiplier, 0), 1000)

        let chassis = spec.chassis
        dryMass = chassis.massKg
        yawInertiaPerKg = chassis.yawInertiaKgM2 / chassis.massKg
        wheelbase = chassis.wheelbaseM
        cogToFront = chassis.cogToFrontAxleM
        cogToRear = chassis.wheelbaseM - chassis.cogToFrontAxleM
        cogHeight = chassis.cogHeightM
        let weight = chassis.massKg * Self.gravity
        staticFrontLoad = weight * cogToRear / wheelbase
        staticRearLoad = weight * cogToFront / wheelbase
        inverseStaticFrontLoad = 1 / staticFrontLoad
        inverseStaticRearLoad = 1 / staticRearLoad

        let tyre = spec.tyre
        lateralShape = MagicFormulaShape(tyre.lateral)
        frontLateralPeak = tyre.lateral.D
        rearLateralPeak = tyre.lateral.D * tyre.rearLateralGripRatio
        longitudinalPeak = tyre.longitudinal.D
        lockedFrictionRatio = MagicFormulaShape(tyre.longitudinal).value(1)
        loadSensitivity = tyre.loadSensitivity
        rollingResistance = tyre.rollingResistanceCoefficient
        gripLossAtFullWear = tyre.gripLossAtFullWear
        wearPerJoule = tyre.wearPerMegajoule * 1e-6 * self.tyreWearMultiplier

        wheelPower = spec.powertrain.powerW * spec.powertrain.drivetrainEfficiency
        maxDriveForce = spec.powertrain.maxDriveForceN
        fuelBurnPerSecond = spec.powertrain.fuelBurnKgPerSecondAtFullThrottle * self.fuelRateMultiplier
        maxBrakeForce = spec.brakes.maxForceN
        brakeFrontFraction = spec.brakes.frontFraction
        halfRhoCdA = 0.5 * Self.airDensity * spec.aero.dragAreaM2
        halfRhoClA = 0.5 * Self.airDensity * spec.aero.downforceAreaM2
        aeroFrontFraction = spec.aero.frontFraction
        maxSteeringAngle = spec.steering.maxAngleRad
        steeringRate = spec.steering.maxRateRadPerS
    }

    /// Mass with driver and `fuelMass` kg of fuel (kg); negative or NaN fuel counts as 0.
    public func totalMass(fuelMass: Double = 0) -> Double { dryMass + Self.fuel(fuelMass) }

    /// Yaw moment of inertia with `fuelMass` kg of fuel (kg m^2); it scales with mass.
    public func yawInertia(fuelMass: Double = 0) -> Double { yawInertiaPerKg * totalMass(fuelMass: fuelMass) }

    /// Kinetic energy of translation and yaw rotation (J) of a car in `state`.
    public func kineticEnergy(of state: CarState) -> Double {
        let mass = totalMass(fuelMass: state.fuelMass)
        return 0.5 * mass * (state.vx * state.vx + state.vy * state.vy)
            + 0.5 * yawInertia(fuelMass: state.fuelMass) * state.yawRate * state.yawRate
    }

    // MARK: - Shared by the step and the analytic limits

    /// An axle pair's vertical loads and force limits at one instant.
    struct AxleGrip {
        /// Vertical loads (N).
        var frontLoad: Double
        var rearLoad: Double
        /// Peak longitudinal force (N).
        var frontLongitudinal: Double
        var rearLongitudinal: Double
        /// Peak lateral force (N).
        var frontLateral: Double
        var rearLateral: Double
        /// Rolling resistance force (N), from both loads and the surface.
        var rolling: Double
    }

    /// Loads and grip for a car of `mass` with longitudinal acceleration `ax` (the load transfer), moving at
    /// `speedSquared` (the downforce), on `surface` with tyre `wear`.
    @inline(__always)
    func axleGrip(mass: Double, ax: Double, speedSquared: Double, surface: Surface, wear: Double) -> AxleGrip {
        let weight = mass * Self.gravity
        let transfer = mass * ax * cogHeight / wheelbase
        let downforce = halfRhoClA * speedSquared
        // A floor keeps an axle from going weightless under absurd load transfer.
        let front = max(weight * cogToRear / wheelbase - transfer + downforce * aeroFrontFraction, 0.1 * staticFrontLoad)
        let rear = max(
            weight * cogToFront / wheelbase + transfer + downforce * (1 - aeroFrontFraction), 0.1 * staticRearLoad)
        let condition = surface.gripFactor * (1 - gripLossAtFullWear * wear)
        let frontGrip = front * condition / (1 + loadSensitivity * (front * inverseStaticFrontLoad - 1))
        let rearGrip = rear * condition / (1 + loadSensitivity * (rear * inverseStaticRearLoad - 1))
        return AxleGrip(
            frontLoad: front, rearLoad: rear,
            frontLongitudinal: longitudinalPeak * frontGrip, rearLongitudinal: longitudinalPeak * rearGrip,
            frontLateral: frontLateralPeak * frontGrip, rearLateral: rearLateralPeak * rearGrip,
            rolling: (rollingResistance + surface.extraRollingResistance) * (front + rear))
    }

    /// Drive force the engine can give at full throttle at forward speed `vx` (N), before the grip limit:
    /// `P / v`, capped at the low-speed maximum.
    @inline(__always)
    func engineForce(vx: Double) -> Double { min(wheelPower / max(vx, 1), maxDriveForce) }

    @inline(__always)
    static func fuel(_ mass: Double) -> Double { mass > 0 ? mass : 0 }

    @inline(__always)
    static func wear(_ wear: Double) -> Double { wear.isNaN ? 0 : min(max(wear, 0), 1) }
}

/// An immutable holder of a ``CarSpec``.
private final class SpecBox: Sendable {
    let spec: CarSpec
    init(_ spec: CarSpec) { self.spec = spec }
}
