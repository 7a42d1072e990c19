import PolicyCore
import Sim

/// Wheel-to-wheel decisions of one driver, set by its aggression (0...1) and expressed only through what the
/// policy already takes: the lateral-offset command (where to be on the track) and the perceived gaps to cars
/// ahead (how close to follow). No speed caps.
///
/// - Side by side: a car alongside whose nose is less than `aggression` car lengths ahead is taken as level or
///   behind, so the driver holds its line into the corner instead of giving way (more contacts, more passes).
/// - Following: the gap to a car ahead is perceived scaled by ``followScale`` (0.7 at aggression 0 to 1.3 at 1),
///   so a timid driver keeps more room and an aggressive one sits closer.
/// - Passing starts only on a straight (not between a braking point and the end of the corner's exit); through a
///   corner the line is held unless the cars are side by side. A car ahead within the trigger gap (8 to 28 m) that we close on faster than the accepted rate
///   (1.5 to 0.3 m/s), or that we have followed for longer than our patience (6 to 2 s), is passed on the side
///   with room for our car plus a clearance (1.2 to 0.3 m); with no such room, we keep following (gap acceptance).
///   A pass is complete when the other car is a car length plus 3 m behind, abandoned after 10 s or when it
///   falls 40 m ahead; a new attempt waits 3 s.
/// - Defending: from aggression 0.25, a car closing from behind within 20 m makes us cover the inside of the next
///   corner (up to 1.5 m times aggression off the line), once per straight.
public struct Racecraft: Sendable {
    /// Aggression, 0...1.
    public let aggression: Double
    /// Factor on the perceived gap to cars ahead (> 1 follows closer).
    public let followScale: Double
    /// Lateral room kept to a car alongside beyond the cars' width (m).
    public let clearance: Double
    /// Passes attempted (our nose overlapping the other car on another lane), completed (the other a car length
    /// plus 3 m behind after an overlap), and defensive moves made.
    public private(set) var passAttempts = 0
    public private(set) var passesCompleted = 0
    public private(set) var defences = 0
    /// The offset command now (m from the racing line, positive = left).
    public private(set) var offset = 0.0

    private enum Mode: Sendable, Equatable {
        case line
        case passing(other: Int, lateralSide: Double, since: Double, overlapped: Bool)
        case defending(side: Double, corner: Int)
    }
    private var mode = Mode.line
    private var followingSince = Double.nan
    private var defendedCorner = -1
    private var retryAfter = -Double.infinity

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
                                inCorner: Bool, toBraking: Double, dt: Double) {
        let a = aggression
        var wanted = 0.0
        let ahead = view.nearby.nearestAhead(within: 60)
        var behind: NearbyCar? = nil
        for i in 0..<view.nearby.count {
            let car = view.nearby[i]
            if car.gap < 0 && car.gap > -20 { behind = car; break }
        }
        let margin = carWidth / 2 + 0.8
        let leftLimit = sample.widthLeft - margin, rightLimit = -sample.widthRight + margin

        switch mode {
        case .passing(let other, let side, let since, let overlapped):
            var target: NearbyCar? = nil
            for i in 0..<view.nearby.count where view.nearby[i].index == other { target = view.nearby[i] }
            if let t = target, t.gap > -(carLength + 3), t.gap < 40, view.time - since < 10 {
                // The attempt proper: our nose overlaps its car on another lane.
                if !overlapped && t.gap < carLength + 0.5 && abs(t.lateral - view.lateral) > carWidth {
                    passAttempts += 1
                    mode = .passing(other: other, lateralSide: side, since: since, overlapped: true)
                }
                // Through a corner the line is held unless the move is committed: the cars side by side, or
                // our nose within 2 + 6 aggression metres of its tail (a dive down the inside).
                if !inCorner || t.gap < carLength + 2 + 6 * a {
                    let lateral = min(max(t.lateral + side * (carWidth + clearance), rightLimit), leftLimit)
                    wanted = lateral - lineOffset
                }
            } else {
                if let t = target, t.gap <= -(carLength + 3), overlapped { passesCompleted += 1 }
                mode = .line
                retryAfter = view.time + 3
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
            let trigger = 8 + 20 * a
            if t.gap < trigger {
                if followingSince.isNaN { followingSince = view.time }
            } else {
                followingSince = .nan
            }
            let patient = !followingSince.isNaN && view.time - followingSince > 6 - 4 * a
            let braking = toBraking < 150  // a braking zone ahead: the place to out-brake it
            if t.gap < trigger && (closing > 1.5 - 1.2 * a || patient || braking) && !inCorner && view.time >= retryAfter {
                let needed = carWidth + clearance
                let roomLeft = leftLimit - (t.lateral + needed)
                let roomRight = (t.lateral - needed) - rightLimit
                if max(roomLeft, roomRight) >= 0 {
                    // The inside of the next corner when there is room there, else the wider side.
                    let insideRoom = nextTurn > 0 ? roomLeft : roomRight
                    let side: Double = insideRoom >= 0 ? nextTurn : (roomLeft >= roomRight ? 1 : -1)
                    mode = .passing(other: t.index, lateralSide: side, since: view.time, overlapped: false)
                    followingSince = .nan
                    wanted = min(max(t.lateral + side * needed, rightLimit), leftLimit) - lineOffset
                }
            }
        } else if ahead == nil {
            followingSince = .nan
        }

        if mode == .line, a >= 0.25, let b = behind, b.speedDifference > 0.5, !inCorner,
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

    /// `nearby` as this driver perceives it: cars ahead with their gaps scaled by ``followScale``, and a car
    /// alongside whose nose is less than `aggression` car lengths ahead taken as level-or-behind (the driver claims
    /// the corner instead of giving way). Cars behind unchanged.
    @inline(__always)
    public func perceived(_ nearby: NearbyCars, carLength: Double) -> NearbyCars {
        guard nearby.count > 0 else { return nearby }
        var out = nearby
        let claim = aggression * carLength, scale = followScale
        out.setGaps { car in
            if car.gap > 0 && car.gap < claim { return -0.6 }
            return car.gap > 0 ? car.gap * scale : car.gap
        }
        return out
    }
}
