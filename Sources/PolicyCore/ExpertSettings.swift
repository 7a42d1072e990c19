/// Tuning of the ``ExpertDriver`` and of the ``ExpertPlan`` it drives by. SI units; the defaults drive every
/// shipped car on every shipped circuit cleanly.
public struct ExpertSettings: Sendable, Equatable {
    // MARK: Plan

    /// Fraction of the front axle's grip, and of the steady cornering limit, the speed plan uses (0.5...1;
    /// default 0.98).
    public var gripScale: Double = 0.98
    /// Fraction of the rear axle's grip the speed plan uses while the rear also brakes or drives in a corner
    /// (0.5...1; default 0.96): a saturated rear axle spins the car, a saturated front one only runs wide.
    public var rearGripScale: Double = 0.96
    /// Fraction of the front axle's friction ellipse the pedals may use on top of the cornering load (0.5...1;
    /// default 0.99): a little above the plan, so that the car can catch up with it.
    public var frontAxleShare: Double = 0.99
    /// Fraction of the rear axle's friction ellipse the pedals may use on top of the cornering load (0.5...1;
    /// default 0.98).
    public var rearAxleShare: Double = 0.98

    // MARK: Path and steering

    /// Seconds between decisions (default 1/60 s).
    public var decisionInterval: Double = 1.0 / 60
    /// Path-tracking preview time (s): the lateral error is predicted this far ahead along the car's course.
    public var previewTime: Double = 0.5
    /// Minimum preview distance (m).
    public var minimumPreview: Double = 8
    /// Time (s) by which the line's curvature is read ahead of the car (steering and yaw lag).
    public var curvatureLead: Double = 0.08
    /// Yaw-rate gain (1/s): yaw acceleration asked for per rad/s of yaw-rate error.
    public var yawGain: Double = 8
    /// Body-slip gain (1/s): extra yaw rate per radian of body slip short of what the rear axle needs.
    public var slipGain: Double = 5

    // MARK: Speed

    /// Time (s) by which the speed target is read ahead of the car.
    public var speedLead: Double = 0.05
    /// Speed-error gain (1/s): commanded acceleration per m/s of speed error.
    public var speedGain: Double = 4
    /// Share of the asked-for braking applied even when cornering leaves no grip for it, at most this share of
    /// the straight-line limit (0...1): a car too fast for the corner ahead still slows down.
    public var minimumBrakeShare: Double = 0.3
    /// Speed above the target (m/s) up to which the cornering load that the brakes share the grip with is taken at
    /// the car's own speed; beyond it, at the target speed plus this, so that a car too fast still slows down.
    public var overspeedAllowance: Double = 0.5
    /// The race's tyre-wear multiplier (`RaceConfig.tyreWearMultiplier`, 0...100), which the driver's wear
    /// estimate assumes; a race that changes it should tell the expert (`ExpertGrid` does).
    public var tyreWearMultiplier: Double = 1
    /// Measured over expected deceleration below which a braking axle is taken to have locked (0...1).
    public var lockRatio: Double = 0.88
    /// How fast trust in the grip comes back after a lock (1/s).
    public var gripRecovery: Double = 0.02

    // MARK: Traffic

    /// Longitudinal overlap beyond one car length within which a car counts as alongside (m).
    public var alongsideMargin: Double = 1.5
    /// How much slower than a car alongside and ahead the expert goes to drop in behind it (m/s).
    public var yieldSpeed: Double = 3
    /// Gap to a car alongside (m, ahead) over which giving way grows from nothing (level) to ``yieldSpeed``.
    public var yieldRamp: Double = 2
    /// Gap beyond one car length below which the expert does not cut across the lane of a car ahead (m).
    public var mergeGap: Double = 10
    /// Time gap kept to a car ahead on the same line (s).
    public var followTimeGap: Double = 0.45
    /// Minimum bumper-to-bumper distance kept to a car ahead (m).
    public var followMinimumGap: Double = 2.5
    /// Lateral clearance kept to a car alongside (m, between the two cars' sides).
    public var sideClearance: Double = 0.5

    /// The defaults.
    public init() {}
}
