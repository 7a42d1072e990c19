import Sim

extension ExpertPlan {
    /// The expert's traffic rule: the lateral target (the racing line plus `offsetCommand`, within the track and
    /// clear of other cars) and the speed cap that traffic sets (m/s; infinity when free), for a car at speed `v`
    /// (m/s) whose view is `view` and whose centreline sample is `sample`.
    ///
    /// - Alongside (longitudinal overlap within a car length plus ``ExpertSettings/alongsideMargin``): keep
    ///   ``ExpertSettings/sideClearance`` from it; the car behind gives way, up to ``ExpertSettings/yieldSpeed``
    ///   slower than it, growing with the gap (none when level), so two cars never both give way.
    /// - Ahead, when the paths meet: a speed from which half the car's straight-line deceleration stops it the
    ///   following distance (``ExpertSettings/followMinimumGap`` plus ``ExpertSettings/followTimeGap`` at the other
    ///   car's speed) behind; and no cutting across the lane of a car within ``ExpertSettings/mergeGap``.
    ///
    /// The ``ExpertDriver`` steers and brakes by it; ``TrafficGuard`` holds the learned policy to its speed cap.
    @inline(__always)
    func traffic(_ view: DriverView, speed v: Double, sample: TrackSample, offsetCommand: Double,
                 settings: ExpertSettings) -> (target: Double, speedCap: Double) {
        let margin = line.parameters.margin
        var target = min(max(at(line.offset, view.s) + offsetCommand, -sample.widthRight + margin),
                         sample.widthLeft - margin)
        var speedCap = Double.infinity
        view.nearby.withCars { cars in
            for other in cars {
                let otherSpeed = max(v + other.speedDifference, 0)
                if abs(other.gap) < carLength + settings.alongsideMargin {
                    // Alongside: the car behind gives way and drops back until it can tuck in behind. How much grows
                    // with the gap (none when level): a rule the learned policy can see in its observation (the gap),
                    // under which two cars never both give way (a tie-break by grid slot, which the policy cannot
                    // see, left grids of policies standing).
                    if other.gap > 0 { speedCap = min(speedCap, yieldSpeed(behind: other.gap, otherSpeed, settings)) }
                } else if other.gap > 0 {
                    // Ahead: follow it when our paths meet.
                    let (sameLane, crossing) = paths(of: other, from: view.lateral, target: target)
                    if sameLane || crossing {
                        speedCap = min(speedCap, followSpeed(behind: other.gap, otherSpeed, settings))
                    }
                }
                target = steerClear(target, of: other, from: view.lateral, settings: settings)
            }
        }
        return (min(max(target, -sample.widthRight + halfWidth), sample.widthLeft - halfWidth), speedCap)
    }

    /// The lateral target of the traffic rule (``traffic(_:speed:sample:offsetCommand:settings:)``) alone, without
    /// its speed cap, for a car at `lateral` aiming at `target` (the racing line plus its offset command, within the
    /// track less the line's margin) with the cars `nearby`, on track widths `widthLeft` and `widthRight` where it is.
    /// ``TrackGuard`` steers a straying car in traffic towards it.
    @inline(__always)
    func trafficTarget(_ target: Double, lateral: Double, nearby: UnsafePointer<NearbyCars>, widthLeft: Double,
                       widthRight: Double, settings: ExpertSettings) -> Double {
        let cleared = NearbyCars.withCars(at: nearby) { cars in
            var target = target
            for other in cars { target = steerClear(target, of: other, from: lateral, settings: settings) }
            return target
        }
        return min(max(cleared, -widthRight + halfWidth), widthLeft - halfWidth)
    }

    /// `target` moved clear of `other` for a car at `lateral`: kept ``ExpertSettings/sideClearance`` from a car
    /// alongside (longitudinal overlap within a car length plus ``ExpertSettings/alongsideMargin``), and not cutting
    /// across the lane of a car ahead within ``ExpertSettings/mergeGap`` whose lane it is not in.
    @inline(__always)
    func steerClear(_ target: Double, of other: NearbyCar, from lateral: Double, settings: ExpertSettings) -> Double {
        let carWidth = 2 * halfWidth
        let clearance = carWidth + settings.sideClearance
        if abs(other.gap) < carLength + settings.alongsideMargin {
            return Self.clear(target, of: other.lateral, from: lateral, by: clearance)
        }
        guard other.gap > 0, other.gap < carLength + settings.mergeGap else { return target }
        let (sameLane, crossing) = paths(of: other, from: lateral, target: target)
        return !sameLane && crossing ? Self.clear(target, of: other.lateral, from: lateral, by: clearance) : target
    }

    /// Whether `other` (ahead) is in the lane of a car at `lateral` (within a car width plus 0.4 m), and whether the
    /// car's path to `target` crosses or ends in its lane.
    @inline(__always)
    func paths(of other: NearbyCar, from lateral: Double, target: Double) -> (sameLane: Bool, crossing: Bool) {
        let lane = 2 * halfWidth + 0.4
        let sameLane = abs(other.lateral - lateral) < lane
        let crossing = (other.lateral - lateral) * (other.lateral - target) <= 0 || abs(other.lateral - target) < lane
        return (sameLane, crossing)
    }

    /// The speed (m/s) from which half the car's straight-line deceleration stops it the following distance
    /// (``ExpertSettings/followMinimumGap`` plus ``ExpertSettings/followTimeGap`` at the other car's speed) behind a
    /// car `gap` metres ahead (centre to centre) going `otherSpeed`; inside that distance, down to 0 eight metres
    /// further in.
    @inline(__always)
    func followSpeed(behind gap: Double, _ otherSpeed: Double, _ settings: ExpertSettings) -> Double {
        let room = gap - carLength - settings.followMinimumGap - settings.followTimeGap * otherSpeed
        let decel = 0.5 * limits.straight(limits.straightDeceleration, speed: otherSpeed)
        let safe = (otherSpeed * otherSpeed + 2 * decel * max(room, 0)).squareRoot()
        return room > 0 ? safe : otherSpeed * max(0, 1 + room / 8)
    }

    /// The speed (m/s) at which the car gives way to a car alongside `gap` metres ahead going `otherSpeed`: up to
    /// ``ExpertSettings/yieldSpeed`` slower, growing with the gap over ``ExpertSettings/yieldRamp`` (none when level).
    @inline(__always)
    func yieldSpeed(behind gap: Double, _ otherSpeed: Double, _ settings: ExpertSettings) -> Double {
        max(otherSpeed - settings.yieldSpeed * min(gap / settings.yieldRamp, 1), 0)
    }

    /// `target` kept on this car's side (`own` lateral) of a car at `lateral`, `clearance` from its centre.
    @inline(__always)
    private static func clear(_ target: Double, of lateral: Double, from own: Double, by clearance: Double) -> Double {
        lateral >= own ? min(target, lateral - clearance) : max(target, lateral + clearance)
    }
}
