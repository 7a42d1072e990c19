import GSL
import PolicyCore
import Sim

/// The classic way games make an AI driver slower, kept here as the baseline that personas are compared with:
/// the same policy with every speed target scaled by a constant factor (a "difficulty" slider), and nothing else.
/// It laps slower but the same every lap: no spread, no skew, no mistakes.
public final class ScriptedSlowdownDriver: Driver {
    /// Who decides.
    public let policy: any Policy
    /// Factor on every planned speed (0.5...1).
    public let speedFactor: Double
    public let decisionInterval: Double
    private var lastAction = Action()

    /// `policy` with its speed targets scaled by `speedFactor` (clamped to 0.5...1).
    public init(policy: any Policy, speedFactor: Double, decisionInterval: Double = 1.0 / 60) {
        self.policy = policy
        self.speedFactor = speedFactor.isNaN ? 1 : min(max(speedFactor, 0.5), 1)
        self.decisionInterval = decisionInterval
    }

    public func decide(_ view: DriverView) -> CarControls {
        let action = policy.act(Observation(view: view, previousAction: lastAction, speedPlanScale: speedFactor))
        lastAction = action
        return action.controls
    }
}

/// Records where a driver starts braking for each corner on each visit (the distance before the corner's apex at
/// which the brake first passes 0.2, m) and how often a wheel goes over the white line. For comparisons and
/// reports, not for the hot path.
public final class BrakingPointLog: Driver {
    /// The driver being watched.
    public let inner: any Driver
    /// The corners.
    public let corners: CornerMap
    /// For each corner, one distance before the apex per visit (m), in order.
    public private(set) var onsets: [[Double]]
    /// Times a wheel went over the white line.
    public private(set) var runWide = 0
    private var corner = -1
    private var recorded = false
    private var wide = false
    private let halfWidth: Double

    public var decisionInterval: Double { inner.decisionInterval }

    /// Watches `inner` on the course of `corners`.
    public init(_ inner: any Driver, corners: CornerMap) {
        self.inner = inner
        self.corners = corners
        onsets = Array(repeating: [], count: corners.corners.count)
        halfWidth = corners.plan.model.spec.chassis.overallWidthM / 2
    }

    public func decide(_ view: DriverView) -> CarControls {
        let controls = inner.decide(view)
        let over = corners.isOverLine(s: view.s, lateral: view.lateral, halfWidth: halfWidth)
        if over && !wide { runWide += 1 }
        wide = over
        guard !corners.corners.isEmpty else { return controls }
        let next = corners.nextCorner(after: view.s)
        if next != corner {
            corner = next
            recorded = false
        }
        if !recorded && controls.brake > 0.2 {
            let before = corners.distance(from: view.s, to: corners.corners[next].apex)
            if before < 600 { onsets[next].append(before) }
            recorded = true
        }
        return controls
    }

    /// The median over corners of the standard deviation of the braking point over visits (m), skipping the first
    /// `skip` visits of each corner (the standing-start lap); corners with fewer than 3 visits are left out.
    public func medianSpread(skip: Int = 1) -> Double {
        let spreads = onsets.compactMap { visits -> Double? in
            let v = Array(visits.dropFirst(skip))
            return v.count >= 3 ? SummaryStatistics(v).standardDeviation : nil
        }
        return SummaryStatistics(spreads).quantile(0.5)
    }
}
