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

    public init(view: DriverView, offsetCommand: Double = 0, previousAction: Action = Action()) {
        self.view = view
        self.offsetCommand = offsetCommand
        self.previousAction = previousAction
    }
}
