/// A car's physical description, as stored in a `rival.car/1` JSON file under `cars/`.
///
/// The property names mirror the JSON keys, and every key that holds a quantity carries its unit
/// (`massKg`, `powerW`). All cars are rear-wheel drive. Load one with ``load(path:)`` or ``resolve(_:searchDirectories:)``,
/// which also validate every number (see ``validate(file:)``); a spec built in code should be validated before it
/// is handed to ``VehicleModel``.
public struct CarSpec: Sendable, Equatable, Codable {
    /// The file format tag; must be ``CarSpec/currentFormat``.
    public var format: String
    /// A short display name, for example `GT3`.
    public var name: String
    /// One or two sentences on what the car represents.
    public var description: String
    /// Citations for the figures (public specification pages, manufacturer data, tyre literature), saying which
    /// numbers are estimates. At least one entry.
    public var sources: [String]
    /// Mass, inertia and dimensions.
    public var chassis: Chassis
    /// Tyre force model (Pacejka magic formula per axle), rolling resistance and wear.
    public var tyre: Tyre
    /// Engine power, drive-force cap and fuel.
    public var powertrain: Powertrain
    /// Brake force and its front/rear split.
    public var brakes: Brakes
    /// Drag, downforce and aero balance.
    public var aero: Aero
    /// Steering lock and actuator rate.
    public var steering: Steering

    /// The only format tag this version reads: `rival.car/1`.
    public static let currentFormat = "rival.car/1"

    /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
    public init(
        format: String = CarSpec.currentFormat, name: String, description: String, sources: [String],
        chassis: Chassis, tyre: Tyre, powertrain: Powertrain, brakes: Brakes, aero: Aero, steering: Steering
    ) {
        self.format = format
        self.name = name
        self.description = description
        self.sources = sources
        self.chassis = chassis
        self.tyre = tyre
        self.powertrain = powertrain
        self.brakes = brakes
        self.aero = aero
        self.steering = steering
    }

    /// Mass, yaw inertia and dimensions. The centre of gravity (CoG) is taken as fixed: fuel is assumed to sit at it.
    public struct Chassis: Sendable, Equatable, Codable {
        /// Mass with driver, without fuel (kg), 300...3000.
        public var massKg: Double
        /// Yaw moment of inertia about the CoG with driver, without fuel (kg m^2), 100...10000. Fuel scales it in
        /// proportion to mass (constant radius of gyration).
        public var yawInertiaKgM2: Double
        /// Distance between the axles (m), 1.5...4.0.
        public var wheelbaseM: Double
        /// Distance from the front axle back to the CoG (m), 0.2 m or more from either axle.
        public var cogToFrontAxleM: Double
        /// CoG height above the ground (m), 0.1...1.0; sets the longitudinal load transfer.
        public var cogHeightM: Double
        /// Distance between the left and right tyre centres (m), 0.8...2.2, no more than the overall width.
        public var trackWidthM: Double
        /// Overall body width (m), 1.0...2.5; for racing-line margins and contact.
        public var overallWidthM: Double
        /// Overall body length (m), 2.5...7.0, no less than the wheelbase; for contact.
        public var overallLengthM: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(
            massKg: Double, yawInertiaKgM2: Double, wheelbaseM: Double, cogToFrontAxleM: Double,
            cogHeightM: Double, trackWidthM: Double, overallWidthM: Double, overallLengthM: Double
        ) {
            self.massKg = massKg
            self.yawInertiaKgM2 = yawInertiaKgM2
            self.wheelbaseM = wheelbaseM
            self.cogToFrontAxleM = cogToFrontAxleM
            self.cogHeightM = cogHeightM
            self.trackWidthM = trackWidthM
            self.overallWidthM = overallWidthM
            self.overallLengthM = overallLengthM
        }
    }

    /// Pacejka magic-formula coefficients: `F = D Fz sin(C atan(B x - E (B x - atan(B x))))`, where `Fz` is the
    /// vertical load and `x` the slip: for lateral force `tan(alpha)`, the contact patch's sideways velocity over its
    /// rolling speed (Pacejka's MF 6 convention; equal to the slip angle in rad near the peak), for longitudinal
    /// force the slip ratio. The curve is rescaled so that its maximum is exactly `D`.
    public struct MagicFormula: Sendable, Equatable, Codable {
        /// Stiffness factor (per unit slip), 1...60.
        public var B: Double
        /// Shape factor, 1.0...2.5.
        public var C: Double
        /// Peak friction coefficient at the axle's static load with new tyres, 0.1...3.0.
        public var D: Double
        /// Curvature factor, -5...0.99 (below 1, so the force falls towards its sliding value past the peak).
        public var E: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(B: Double, C: Double, D: Double, E: Double) {
            self.B = B
            self.C = C
            self.D = D
            self.E = E
        }
    }

    /// The tyre model, applied per axle (a single-track model lumps an axle's two tyres together).
    public struct Tyre: Sendable, Equatable, Codable {
        /// Lateral force against slip angle (rad). `D` is the front axle's peak coefficient; lateral load transfer,
        /// which a single-track model cannot represent, is folded into it.
        public var lateral: MagicFormula
        /// Longitudinal force against slip ratio. `D` caps drive and brake force per axle; a locked axle slides at
        /// this curve's value at slip ratio 1.
        public var longitudinal: MagicFormula
        /// Load sensitivity `k`, 0...0.5: an axle carrying `r` times its static load has peak coefficient
        /// `D / (1 + k (r - 1))`, so grip per newton falls as downforce and load transfer add load.
        public var loadSensitivity: Double
        /// The rear axle's lateral peak relative to the front's, 0.8...1.25. Above 1 the front saturates first and
        /// the car understeers at the limit; it stands for tyre widths and the roll-stiffness split.
        public var rearLateralGripRatio: Double
        /// Rolling resistance coefficient (force per unit vertical load, including downforce), 0.001...0.05.
        public var rollingResistanceCoefficient: Double
        /// Wear per megajoule of tyre work, 0...0.01 (1/MJ). Tyre work is the horizontal force both axles transmit
        /// times the distance travelled (the "tyre energy" that wear indices use); wear runs from 0 (new) to 1.
        public var wearPerMegajoule: Double
        /// Fraction of peak grip (all `D`) lost at wear 1, 0...0.6; grip falls linearly with wear.
        public var gripLossAtFullWear: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(
            lateral: MagicFormula, longitudinal: MagicFormula, loadSensitivity: Double,
            rearLateralGripRatio: Double, rollingResistanceCoefficient: Double, wearPerMegajoule: Double,
            gripLossAtFullWear: Double
        ) {
            self.lateral = lateral
            self.longitudinal = longitudinal
            self.loadSensitivity = loadSensitivity
            self.rearLateralGripRatio = rearLateralGripRatio
            self.rollingResistanceCoefficient = rollingResistanceCoefficient
            self.wearPerMegajoule = wearPerMegajoule
            self.gripLossAtFullWear = gripLossAtFullWear
        }
    }

    /// Engine and fuel. Drive goes to the rear axle only.
    public struct Powertrain: Sendable, Equatable, Codable {
        /// Peak engine power (W), 10_000...2_000_000; the force at the wheels is `powerW * drivetrainEfficiency / v`.
        public var powerW: Double
        /// Fraction of engine power that reaches the wheels, 0.5...1.0.
        public var drivetrainEfficiency: Double
        /// Largest drive force at the wheels (N), 500...50_000: the low-speed cap (first-gear torque at the wheels).
        public var maxDriveForceN: Double
        /// Fuel tank capacity (kg), 0...500.
        public var fuelCapacityKg: Double
        /// Fuel burnt per second at full throttle (kg/s), 0...0.2; burn is proportional to the throttle.
        public var fuelBurnKgPerSecondAtFullThrottle: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(
            powerW: Double, drivetrainEfficiency: Double, maxDriveForceN: Double, fuelCapacityKg: Double,
            fuelBurnKgPerSecondAtFullThrottle: Double
        ) {
            self.powerW = powerW
            self.drivetrainEfficiency = drivetrainEfficiency
            self.maxDriveForceN = maxDriveForceN
            self.fuelCapacityKg = fuelCapacityKg
            self.fuelBurnKgPerSecondAtFullThrottle = fuelBurnKgPerSecondAtFullThrottle
        }
    }

    /// Brakes. There is no anti-lock system: an axle asked for more than its grip locks.
    public struct Brakes: Sendable, Equatable, Codable {
        /// Total brake force at full pedal (N), 1000...100_000, before the grip limit.
        public var maxForceN: Double
        /// Fraction of the brake force on the front axle, 0.3...0.8.
        public var frontFraction: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(maxForceN: Double, frontFraction: Double) {
            self.maxForceN = maxForceN
            self.frontFraction = frontFraction
        }
    }

    /// Aerodynamics, with air density 1.225 kg/m^3: drag `0.5 rho CdA v^2`, downforce `0.5 rho ClA v^2`.
    public struct Aero: Sendable, Equatable, Codable {
        /// Drag coefficient times frontal area, CdA (m^2), 0.1...3.0.
        public var dragAreaM2: Double
        /// Downforce (negative lift) coefficient times area, ClA (m^2), 0...10.
        public var downforceAreaM2: Double
        /// Fraction of the downforce on the front axle, 0...1.
        public var frontFraction: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(dragAreaM2: Double, downforceAreaM2: Double, frontFraction: Double) {
            self.dragAreaM2 = dragAreaM2
            self.downforceAreaM2 = downforceAreaM2
            self.frontFraction = frontFraction
        }
    }

    /// Steering at the road wheels.
    public struct Steering: Sendable, Equatable, Codable {
        /// Largest road-wheel angle (rad), 0.05...1.0; steering input 1 asks for this angle to the left.
        public var maxAngleRad: Double
        /// Fastest road-wheel angle change (rad/s), 0.1...10.
        public var maxRateRadPerS: Double

        /// Memberwise; no validation (``CarSpec/validate(file:)`` checks the whole spec).
        public init(maxAngleRad: Double, maxRateRadPerS: Double) {
            self.maxAngleRad = maxAngleRad
            self.maxRateRadPerS = maxRateRadPerS
        }
    }
}
