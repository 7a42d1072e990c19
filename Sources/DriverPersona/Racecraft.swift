import PolicyCore
import Sim

/// Wheel-to-wheel decisions of one driver, set by its aggression (0...1) and expressed only through what the
/// policy already takes: the lateral-offset command (where to be on the track) and the perceived gaps to cars
/// ahead (how close to follow). No speed caps.
///
/// - Following: the gap to a car ahead is perceived scaled by ``followScale`` (0.7 at aggression 0 to 1.3 at 1),
///   so a timid driver keeps more room and an aggressive one sits closer.
/// - Passing: a car ahead within the trigger gap (15 to 40 m) that we close on faster than the accepted rate
///   (1.5 to 0.3 m/s), or that we have followed for longer than our patience (6 to 2 s), is passed on the side
///   with room for our car plus a clearance (1.2 to 0.3 m); with no such room, we keep following (gap acceptance).
///   A pass is complete when the other car is a car length plus 3 m behind, abandoned after 10 s or when it
///   falls 40 m ahead.
/// - Defending: from aggression 0.25, a car closing from behind within 20 m makes us cover the inside of the next
///   corner (up to 1.5 m times aggression off the line), once per straight.
public struct Racecraft: Sendable {
    /// Aggression, 0...1.
    public let aggression: Double
    /// Factor on the perceived gap to cars ahead (> 1 follows closer).
    public let followScale: Double
    /// Lateral room kept to a car alongside beyond the cars' width (m).
    public let clearance: Double
    /// Passes attempted, completed, and defensive moves made.
    public private(set) var passAttempts = 0
    public private(set) var passesCompleted = 0
    public private(set) var defences = 0
    /// The offset command now (m from the racing line, positive = left).
    public private(set) var offset = 0.0

    private enum Mode: Sendable, Equatable {
        case line
        case passing(other: Int, lateralSide: Double, since: Double)
        case defending(side: Double, corner: Int)
    }
    private var mode = Mode.line
    private var followingSince = Double.nan
    private var defendedCorner = -1

    /// Racecraft of a driver with `aggression` (clamped to 0...1).
    public init(aggression: Double) {
        let a = aggression.isNaN ? 0.5 : min(max(aggression, 0), 1)
        self.aggression = a
        followScale = 0.7 + 0.6 * a
        clearance = 1.2 - 0.9 * a
    }

    /// Updates the offset command from what the driver perceives. `carWidth`, `carLength` in m; `sample` is the
    /// track at the driver's position; `lineOffset` the racing line's offset there; `nextCorner` the index and turn
    /// direction (+1 left, -1 right) of the corner ahead; `dt` the time since the last update (s).
    public mutating func update(_ view: DriverView, sample: TrackSample, lineOffset: Double, carWidth: Double,
                                carLength: Double, nextCorner: Int, nextTurn: Double, inBrakingZone: Bool,
                                dt: Double) {
        let a = aggression
        var wanted = 0.0
        let ahead = view.nearby.nearestAhead(within: 60)
        var behind: NearbyCar? = nil
        for i in 0..<view.nearby.count {
            let car = view.nearby[i]
            if car.gap < 0 && car.gap > -20 { behind = car; break }
        }
        let margin = carWidth / 2 + 0.3
        let leftLimit = sample.widthLeft - margin, rightLimit = -sample.widthRight + margin

        switch mode {
        case .passing(let other, let side, let since):
            var target: NearbyCar? = nil
            for i in 0..<view.nearby.count where view.nearby[i].index == other { target = view.nearby[i] }
            if let t = target, t.gap > -(carLength + 3), t.gap < 40, view.time - since < 10 {
                let lateral = min(max(t.lateral + side * (carWidth + clearance), rightLimit), leftLimit)
                wanted = lateral - lineOffset
            } else {
                if let t = target, t.gap <= -(carLength + 3) { passesCompleted += 1 }
                mode = .line
            }
        case .defending(let side, let corner):
            if corner == nextCorner && !inBrakingZone && behind != nil {
                wanted = side * 1.5 * a
            } else {
                mode = .line
            }
        case .line:
            break
        }

        if mode == .line, let t = ahead {
            let closing = -t.speedDifference
            let trigger = 15 + 25 * a
            if t.gap < trigger {
                if followingSince.isNaN { followingSince = view.time }
            } else {
                followingSince = .nan
            }
            let patient = !followingSince.isNaN && view.time - followingSince > 6 - 4 * a
            if t.gap < trigger && (closing > 1.5 - 1.2 * a || patient) {
                let needed = carWidth + clearance
                let roomLeft = leftLimit - (t.lateral + needed)
                let roomRight = (t.lateral - needed) - rightLimit
                if max(roomLeft, roomRight) >= 0 {
                    let side: Double = roomLeft >= roomRight ? 1 : -1
                    mode = .passing(other: t.index, lateralSide: side, since: view.time)
                    passAttempts += 1
                    followingSince = .nan
                    wanted = min(max(t.lateral + side * needed, rightLimit), leftLimit) - lineOffset
                }
            }
        } else if ahead == nil {
            followingSince = .nan
        }

        if mode == .line, a >= 0.25, let b = behind, b.speedDifference > 0.5, !inBrakingZone,
           nextCorner != defendedCorner {
            mode = .defending(side: nextTurn, corner: nextCorner)
            defendedCorner = nextCorner
            defences += 1
            wanted = nextTurn * 1.5 * a
        }

        // Move the command at most 3 m/s so the car changes lane smoothly.
        let step = 3 * dt
        offset += min(max(wanted - offset, -step), step)
    }

    /// `view`'s cars ahead with their gaps scaled by ``followScale`` (cars behind unchanged).
    @inline(__always)
    public func perceived(_ nearby: NearbyCars) -> NearbyCars {
        guard followScale != 1, nearby.count > 0 else { return nearby }
        var out = NearbyCars()
        for i in 0..<nearby.count {
            var car = nearby[i]
            if car.gap > 0 { car.gap *= followScale }
            out.insert(car)
        }
        return out
    }
}
