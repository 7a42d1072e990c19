import Sim

/// Something that decides steering and pedal from an ``Observation``: the learned network
/// (``NetworkPolicy``), the model-based expert (``ExpertDriver``), or a game's own.
///
/// `act` is on the per-step hot path: it must not allocate, lock or throw. A policy may keep per-car state (the
/// expert does): give each car its own instance unless the type says it is stateless.
public protocol Policy: AnyObject {
    /// The action for one observation.
    func act(_ observation: Observation) -> Action
    /// The actions for `observations.count` observations, written to `actions` in order (the same actions as
    /// calling ``act(_:)`` on each). Networks evaluate a whole grid in one call.
    func act(batch observations: UnsafeBufferPointer<Observation>, into actions: UnsafeMutableBufferPointer<Action>)
}

extension Policy {
    /// One call per observation.
    public func act(batch observations: UnsafeBufferPointer<Observation>,
                    into actions: UnsafeMutableBufferPointer<Action>) {
        precondition(actions.count >= observations.count, "actions buffer too small")
        for i in 0..<observations.count { actions[i] = act(observations[i]) }
    }
}

/// Drives a race car with any ``Policy``: builds the ``Observation`` from the race's ``DriverView`` (with the
/// offset command and the held action) and turns the ``Action`` into controls.
public final class PolicyDriver: Driver {
    /// Who decides.
    public let policy: any Policy
    /// Seconds between decisions (default 1/60 s).
    public let decisionInterval: Double
    /// Lateral offset from the racing line that racecraft asks for (m, positive = left).
    public var offsetCommand: Double = 0
    /// The action held since the last decision.
    public private(set) var lastAction = Action()

    /// A driver deciding every `decisionInterval` seconds with `policy`.
    public init(policy: any Policy, decisionInterval: Double = 1.0 / 60) {
        self.policy = policy
        self.decisionInterval = decisionInterval
    }

    public func decide(_ view: DriverView) -> CarControls {
        let action = policy.act(Observation(view: view, offsetCommand: offsetCommand, previousAction: lastAction))
        lastAction = action
        return action.controls
    }
}

extension ExpertDriver: Policy {
    /// The expert's controls for the observation's view, with the observation's offset command, as an action.
    /// The expert keeps per-car state (its acceleration, tyre-wear and grip estimates): one instance per car.
    public func act(_ observation: Observation) -> Action {
        offsetCommand = observation.offsetCommand
        speedPlanShift = observation.speedPlanShift
        speedPlanScale = observation.speedPlanScale
        return Action(decide(observation.view))
    }
}
