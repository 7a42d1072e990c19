import PolicyCore
import Sim

/// Where the policy under a ``HumanDriver`` comes from: the model-based expert or a learned network, for one car
/// on one circuit. Makes one policy instance per car (the expert keeps per-car state), and the shared
/// ``CornerMap`` of the plan it drives by.
public struct PolicySource: Sendable {
    /// The plan (racing line and speed plan) the policy and the corner map use.
    public let plan: ExpertPlan
    /// The corners of that plan.
    public let corners: CornerMap
    /// A name for reports (`"expert"`, or the weights file).
    public let name: String
    private let network: MLPParameters?
    private let encoder: ObservationEncoder?
    /// The traffic guard each network policy gets (``NetworkPolicy/trafficGuard``; on by default, nil for none).
    /// Unused by the expert.
    public var trafficGuard: TrafficGuard? = TrafficGuard()
    /// The track guard each network policy gets (``NetworkPolicy/trackGuard``; nil for none). By default
    /// ``TrackGuard/underPersonas``: the line part only, so that a persona's speed stays the persona's. Unused by the
    /// expert.
    public var trackGuard: TrackGuard? = .underPersonas

    /// The expert driving `plan` with `settings`.
    public static func expert(_ plan: ExpertPlan, settings: ExpertSettings = ExpertSettings()) -> PolicySource {
        PolicySource(plan: plan, corners: CornerMap(plan: plan), name: "expert", network: nil, encoder: nil,
                     settings: settings)
    }

    /// A network (`parameters`, named `name`) reading observations encoded for `plan`.
    public static func network(_ parameters: MLPParameters, plan: ExpertPlan, name: String) throws(LoadError) -> PolicySource {
        let encoder = ObservationEncoder(plan: plan)
        _ = try NetworkPolicy(parameters: parameters, encoder: encoder, file: name)  // checks the shapes once
        return PolicySource(plan: plan, corners: CornerMap(plan: plan), name: name, network: parameters, encoder: encoder,
                            settings: ExpertSettings())
    }

    private let settings: ExpertSettings

    private init(plan: ExpertPlan, corners: CornerMap, name: String, network: MLPParameters?, encoder: ObservationEncoder?,
                 settings: ExpertSettings) {
        self.encoder = encoder
        self.settings = settings
        self.plan = plan
        self.corners = corners
        self.name = name
        self.network = network
    }

    /// A fresh policy for one car (each has its own buffers or state).
    public func makePolicy() -> any Policy {
        if let parameters = network, let encoder, let policy = try? NetworkPolicy(parameters: parameters, encoder: encoder) {
            policy.trafficGuard = trafficGuard
            policy.trackGuard = trackGuard
            return policy
        }
        return ExpertDriver(plan: plan, settings: settings)
    }

    /// A human driver with `traits` on this policy, drawing from stream (`raceSeed`, `index`).
    public func makeDriver(traits: HumanTraits, raceSeed: UInt64, index: Int) -> HumanDriver {
        HumanDriver(policy: makePolicy(), traits: traits, corners: corners, raceSeed: raceSeed, index: index)
    }
}
