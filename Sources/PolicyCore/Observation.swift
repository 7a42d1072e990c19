import Sim

/// Everything a ``Policy`` decides from for one car at one decision: what the driver perceives of its own car,
/// the track and the cars around it (a ``DriverView``, possibly delayed or noisy when a persona perceives it),
/// the lateral offset from the racing line that racecraft commands, and the policy's previous action.
///
/// A network policy reads it through an ``ObservationEncoder`` (the feature vector of ``ObservationSpec``); the
/// expert reads the view directly.
public struct Observation: Sendable {
    /// What the driver perceives.
    public var view: DriverView
    /// Lateral offset from the racing line that racecraft asks for (m, positive = left).
    public var offsetCommand: Double
    /// The action held since the last decision.
    public var previousAction: Action
    /// How far along the track the driver believes its braking and acceleration references are (m): the speed plan
    /// is read this much further on than the car's position (positive = brakes early, negative = late), while the
    /// course's geometry stays where it is. 0 for a driver with no braking-point error; a persona sets it.
    public var speedPlanShift: Double
    /// Factor on the speeds of the speed plan as the driver judges them (1 = as planned): a driver that believes
    /// itself faster than it is (a speed misjudgement, a lack of commitment) sees them below 1, and the other way
    /// round. Only the longitudinal decision reads it; steering uses the true motion.
    public var speedPlanScale: Double

    public init(view: DriverView, offsetCommand: Double = 0, previousAction: Action = Action(),
                speedPlanShift: Double = 0, speedPlanScale: Double = 1) {
        self.speedPlanScale = speedPlanScale
        self.view = view
        self.offsetCommand = offsetCommand
        self.previousAction = previousAction
        self.speedPlanShift = speedPlanShift
    }
}
