import Foundation
import PolicyCore
import RivalTestSupport
import Sim
import Testing

@Suite("Traffic guard")
struct TrafficGuardTests {
    /// A GT3 car on Monza's main straight (arc length 300 m, on the centreline, heading along it) at `speed`,
    /// `time` seconds into the race, with `others` (gap, lateral, speed difference) near it.
    static func view(speed: Double, time: Double = 30, lateral: Double = 0,
                     _ others: [(gap: Double, lateral: Double, speedDifference: Double)]) -> DriverView {
        var nearby = NearbyCars()
        for (k, o) in others.enumerated() {
            nearby.insert(NearbyCar(index: k + 1, gap: o.gap, lateral: o.lateral, speedDifference: o.speedDifference))
        }
        return DriverView(time: time, speed: speed, s: 300, lateral: lateral, nearby: nearby)
    }

    static let encoder: ObservationEncoder = {
        // The shipped circuit and car load (RivalTestSupport checks them).
        ObservationEncoder(track: try! Shipped.track("Monza"), car: try! Shipped.car("gt3"))
    }()

    static func guarded(_ view: DriverView, pedal: Float = 1, steering: Float = 0.2) -> Action {
        TrafficGuard().apply(Action(steering: steering, pedal: pedal), to: Observation(view: view), encoder: encoder)
    }

    @Test("alone on track, or with cars far ahead or behind, the action passes unchanged")
    func free() {
        for pedal: Float in [-1, -0.3, 0, 0.4, 1] {
            for steering: Float in [-0.7, 0, 0.5] {
                let action = Action(steering: steering, pedal: pedal)
                #expect(Self.guarded(Self.view(speed: 60, []), pedal: pedal, steering: steering) == action)
                // 300 m ahead at the same speed, and a car 10 m behind closing at 10 m/s.
                #expect(Self.guarded(Self.view(speed: 60, [(300, 0, 0), (-10, 0, -10)]), pedal: pedal, steering: steering)
                        == action)
            }
        }
    }

    @Test("non-finite views pass the action unchanged and keep the offset command finite")
    func nonFinite() {
        let action = Action(steering: 0.2, pedal: 1)
        #expect(Self.guarded(Self.view(speed: .nan, [(20, 0, -10)])) == action)
        #expect(Self.guarded(Self.view(speed: 40, [(.nan, 0, -10), (20, .nan, .infinity)])) == action)
        let view = Self.view(speed: 30, [(30, .nan, -30), (.infinity, 0, -30)])
        #expect(TrafficGuard().passingOffset(Observation(view: view, offsetCommand: .nan), encoder: Self.encoder) == 0)
    }

    @Test("a car stopped on the lane ahead brakes the car; the same car a lane over does not")
    func followsInLane() {
        // 40 m ahead, stopped, before the start grace is over (not taken as stalled, so not steered round).
        let inLane = Self.guarded(Self.view(speed: 50, time: 5, [(40, 0.3, -50)]))
        #expect(inLane.pedal <= -0.5)
        #expect(inLane.steering == 0.2)
        // A lane over (4.5 m, the GT3 is 2 m wide) and heading straight: untouched. (At 4 m it is within the lane
        // widened for closing fast: 2.44 m plus 2 m a second for the 0.8 s to reach it.)
        #expect(Self.guarded(Self.view(speed: 50, time: 5, [(40, 4.5, -50)])) == Action(steering: 0.2, pedal: 1))
        #expect(Self.guarded(Self.view(speed: 50, time: 5, [(40, 4, -50)])).pedal < 0)
        // Following at the same speed well beyond the following distance: untouched; inside it (8 m, less than a
        // car length and 2.5 m plus 0.45 s at 50 m/s): braking, never more throttle than asked for.
        #expect(Self.guarded(Self.view(speed: 50, [(80, 0, 0)])) == Action(steering: 0.2, pedal: 1))
        let close = Self.guarded(Self.view(speed: 50, [(8, 0, 0)]), pedal: 0.5)
        #expect(close.pedal < 0)
        // Already braking harder than the guard would: kept.
        #expect(Self.guarded(Self.view(speed: 50, [(8, 0, 0)]), pedal: -1).pedal == -1)
    }

    @Test("closing fast on a car ahead, its lane is taken wider: 2 m a second ahead from 15 m/s of closing, none to 5 m/s")
    func closingFast() {
        let free = Action(steering: 0.2, pedal: 1)
        // 20 m ahead, 3 m to the left (clear of the 2.44 m lane), this car at 40 m/s heading straight.
        #expect(Self.guarded(Self.view(speed: 40, [(20, 3, -20)])).pedal < 0)   // closing at 20: 4.44 m in a second
        #expect(Self.guarded(Self.view(speed: 40, [(20, 3, -10)])).pedal < 0)   // at 10: half of it, 3.44 m
        #expect(Self.guarded(Self.view(speed: 40, [(20, 3, -4)])) == free)      // at 4: none
        #expect(Self.guarded(Self.view(speed: 40, [(20, 4.6, -20)])) == free)   // beyond the widened lane
        var off = TrafficGuard()
        off.closingMargin = 0
        #expect(off.apply(free, to: Observation(view: Self.view(speed: 40, [(20, 3, -20)])), encoder: Self.encoder) == free)
    }

    @Test("the car behind gives way to a car alongside and ahead, or closing on one sideways, but not to one stalled there")
    func alongside() {
        // 3 m ahead (alongside: within a car length and 1.5 m), 2.2 m to the left, same speed: at least 3 m/s of
        // giving way asked for, so the guard brakes.
        #expect(Self.guarded(Self.view(speed: 40, [(3, 2.2, 0)])).pedal < 0)
        // Level (gap 0): neither gives way.
        #expect(Self.guarded(Self.view(speed: 40, [(0, 2.2, 0)])) == Action(steering: 0.2, pedal: 1))
        // Stalled (2 m/s) beside the track after the start: passed.
        #expect(Self.guarded(Self.view(speed: 40, [(3, 2.2, -38)])) == Action(steering: 0.2, pedal: 1))
        // 3.5 m to the left (clear of a car width plus 0.5 m): given way to only when closing on it sideways, here at
        // 1.5 m/s (within 2.5 m of it a second on), not when moving away at as much.
        var closing = Self.view(speed: 40, [(3, 3.5, 0)])
        #expect(Self.guarded(closing) == Action(steering: 0.2, pedal: 1))
        closing.lateralSpeed = 1.5
        #expect(Self.guarded(closing).pedal < 0)
        closing.lateralSpeed = -1.5
        #expect(Self.guarded(closing) == Action(steering: 0.2, pedal: 1))
    }

    @Test("a car off the track coming back across the car's path is judged on where its motion takes it; one on the track on where it is")
    func comingBack() {
        let free = Action(steering: 0.2, pedal: 1)
        var off = TrafficGuard()
        off.watchesCarsOffTrack = false
        for gap in [3.0, 25] {
            // Alongside (3 m ahead, as fast), or 25 m ahead and 5 m/s slower, in the run-off 0.5 m beyond the left
            // edge where it is, or on the track 0.5 m inside it; this car 4.5 m inside the edge: clear of its lane
            // and side (a car width plus 0.4 and 0.5 m) by more than 1 m where the other car is, within them where
            // 4 m/s towards it takes that car in a second.
            let widthLeft = Self.encoder.plan.track.sample(at: 300 + gap).widthLeft
            let own = widthLeft - 4.5
            #expect(own < Self.encoder.plan.track.sample(at: 300).widthLeft - 2)   // well on the track itself
            let speedDifference = gap > 10 ? -5.0 : 0   // closing at 5 m/s: no closing margin (``closingFast``)
            func view(_ lateral: Double, lateralSpeed: Double) -> DriverView {
                var v = Self.view(speed: 40, lateral: own, [])
                v.nearby.insert(NearbyCar(index: 1, gap: gap, lateral: lateral, speedDifference: speedDifference,
                                          lateralSpeed: lateralSpeed))
                return v
            }
            let outside = widthLeft + 0.5, inside = widthLeft - 0.5
            #expect(Self.guarded(view(outside, lateralSpeed: -4)).pedal < 0, "gap \(gap)")
            #expect(Self.guarded(view(outside, lateralSpeed: 0)) == free)
            #expect(Self.guarded(view(outside, lateralSpeed: 4)) == free)
            #expect(off.apply(free, to: Observation(view: view(outside, lateralSpeed: -4)), encoder: Self.encoder) == free)
            // On the track the same motion is taken for a line's: judged on where the car is.
            #expect(Self.guarded(view(inside, lateralSpeed: -4)) == free)
        }
    }

    @Test("at walking pace with nothing to follow or give way to, or alone, a car that holds back is given 0.3 throttle")
    func deadlock() {
        // The Montreal Formula grid's second row: level, 2.5 m apart, both braking (and the cars behind them).
        let pair = [(gap: -0.3, lateral: 2.5, speedDifference: 0.0), (-9, -1.9, 0), (-9, 3.8, 0)]
        for pedal: Float in [-1, -0.23, 0, 0.29] {
            #expect(Self.guarded(Self.view(speed: 0, pair), pedal: pedal) == Action(steering: 0.2, pedal: 0.3))
            #expect(Self.guarded(Self.view(speed: 2.9, pair), pedal: pedal) == Action(steering: 0.2, pedal: 0.3))
        }
        // More throttle is kept; not at 3 m/s or more, nor in the first 10 s (a standing start), nor when off.
        #expect(Self.guarded(Self.view(speed: 0, pair), pedal: 0.8) == Action(steering: 0.2, pedal: 0.8))
        #expect(Self.guarded(Self.view(speed: 3, pair), pedal: -0.2) == Action(steering: 0.2, pedal: -0.2))
        #expect(Self.guarded(Self.view(speed: 0, time: 9, pair), pedal: -0.2) == Action(steering: 0.2, pedal: -0.2))
        var off = TrafficGuard()
        off.unblockThrottle = 0
        #expect(off.apply(Action(steering: 0.2, pedal: -0.2), to: Observation(view: Self.view(speed: 0, pair)),
                          encoder: Self.encoder) == Action(steering: 0.2, pedal: -0.2))
        // Alone on track too (a car left standing after a spin), on the same terms.
        #expect(Self.guarded(Self.view(speed: 0, []), pedal: -0.12) == Action(steering: 0.2, pedal: 0.3))
        #expect(Self.guarded(Self.view(speed: 3, []), pedal: -0.12) == Action(steering: 0.2, pedal: -0.12))
        #expect(Self.guarded(Self.view(speed: 0, time: 9, []), pedal: 0) == Action(steering: 0.2, pedal: 0))
        #expect(off.apply(Action(steering: 0.2, pedal: -0.12), to: Observation(view: Self.view(speed: 0, [])),
                          encoder: Self.encoder) == Action(steering: 0.2, pedal: -0.12))
        // A car the rule has it follow (7 m ahead in its lane at 3.5 m/s), or give way to (alongside, a metre ahead,
        // as fast): held back.
        #expect(Self.guarded(Self.view(speed: 2.5, [(7, 0.2, 1)]), pedal: -0.2).pedal <= 0)
        #expect(Self.guarded(Self.view(speed: 2.5, [(1, 2.4, 1)]), pedal: -0.2).pedal <= 0)
    }

    @Test("a stalled car on the path is steered round through the offset command, on the side with room")
    func passing() {
        let guardian = TrafficGuard()
        let encoder = Self.encoder
        let clearance = encoder.halfWidth * 2 + guardian.settings.sideClearance
        for lateral in [-2.0, 0.0, 1.5] {
            let aim = encoder.targetLateral(s: 330, offsetCommand: 0)
            // Stalled 30 m ahead, right on the car's aim.
            let view = Self.view(speed: 30, lateral: lateral, [(30, aim, -30)])
            let command = guardian.passingOffset(Observation(view: view), encoder: encoder)
            let passing = encoder.targetLateral(s: 330, offsetCommand: command)
            #expect(abs(passing - aim) >= clearance - 1e-9)
            let sample = encoder.track.sample(at: 330)
            #expect(passing <= sample.widthLeft - encoder.lineMargin + 1e-9)
            #expect(passing >= -sample.widthRight + encoder.lineMargin - 1e-9)
            // The same car moving, or stalled before the start grace (a standing-start grid): no change.
            let moving = Self.view(speed: 30, lateral: lateral, [(30, aim, -10)])
            #expect(guardian.passingOffset(Observation(view: moving), encoder: encoder) == 0)
            let grid = Self.view(speed: 30, time: 4, lateral: lateral, [(30, aim, -30)])
            #expect(guardian.passingOffset(Observation(view: grid, offsetCommand: 0.5), encoder: encoder) == 0.5)
        }
    }

    @Test("a car keeping the plan's pace in a slow corner 150 m ahead is followed at the plan's speed; a slower one, or one nearer on the plan's time, at the following speed")
    func pacedCarAhead() {
        let plan = Self.encoder.plan
        // Monza's first chicane (its slowest point in the first 1,500 m, 15.0 m/s) with a car at the plan's speed
        // there, this car `back` metres before it at the plan's speed (plus `over`).
        let chicane = stride(from: 0.0, to: 1500, by: 1).min { plan.plannedSpeed(at: $0) < plan.plannedSpeed(at: $1) }!
        func pedal(back: Double, share: Double = 1, over: Double = 0, guardian: TrafficGuard = TrafficGuard()) -> Float {
            let s = chicane - back, v = plan.plannedSpeed(at: s) + over
            var nearby = NearbyCars()
            nearby.insert(NearbyCar(index: 1, gap: back, lateral: 0, speedDifference: share * plan.plannedSpeed(at: chicane) - v))
            let view = DriverView(time: 30, speed: v, s: s, lateral: 0, nearby: nearby)
            return guardian.apply(Action(steering: 0, pedal: 1), to: Observation(view: view), encoder: Self.encoder).pedal
        }
        var plain = TrafficGuard()
        plain.pacedGap = .infinity
        // 150 m back (71 m/s, 4.1 s of the plan's time): left alone; the following speed alone (half the braking
        // limit to 15 m/s over the room) brakes it hard, as it does for a car at 0.85 of the plan's speed there.
        #expect(plan.plannedTime(from: chicane - 150, ahead: 150) > 3.5)
        #expect(pedal(back: 150) == 1)
        #expect(pedal(back: 150, guardian: plain) < -0.5)
        #expect(pedal(back: 150, share: 0.85) < -0.5)
        // Faster than the plan by 3 m/s: held to the plan's speed plus 1 m/s (0.3 of brake a m/s over).
        #expect(pedal(back: 150, over: 3) < -0.4)
        // 100 m back (3.3 s): most of the way from the following speed to the plan's; 60 m back (2.4 s): the
        // following speed still binds hard.
        #expect(pedal(back: 100) > pedal(back: 100, guardian: plain) + 0.3)
        #expect(pedal(back: 100) < 0)
        #expect(pedal(back: 60) < -0.5)
    }

    @Test("the shipped policy's Montreal Formula grid gets going with the unblocking throttle, and stands without it")
    func unblocks() throws {
        // The second row stops side by side on lap 1, both networks braking with nothing ahead; without the
        // unblocking throttle the cars behind stand for good.
        let track = try Shipped.track("Montreal"), car = try Shipped.car("formula")
        let config = RaceConfig(laps: 1, maxDuration: 300)
        let encoder = ObservationEncoder(track: track, car: car, fuelMass: config.startingFuelMass(car: car, track: track))
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let policy = try NetworkPolicy(file: path, encoder: encoder)
        let going = TrafficEvaluation.run(policy: policy, track: track, car: car, cars: 10, laps: 1, config: config)
        var standing = TrafficGuard()
        standing.unblockThrottle = 0
        policy.trafficGuard = standing
        let stood = TrafficEvaluation.run(policy: policy, track: track, car: car, cars: 10, laps: 1, config: config)
        // Measured (the suite's debug build): all 10 finish within 300 s with it (with 6 contacts), none without it.
        #expect(going.finished == 10, "\(going)")
        #expect(stood.finished <= 1, "\(stood)")
    }

    @Test("the shipped policy races 10 Formula cars for a lap at Budapest without contact with the guard, not without")
    func race() throws {
        let track = try Shipped.track("Budapest"), car = try Shipped.car("formula")
        let config = RaceConfig(laps: 1)
        let encoder = ObservationEncoder(track: track, car: car, fuelMass: config.startingFuelMass(car: car, track: track))
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let policy = try NetworkPolicy(file: path, encoder: encoder)
        #expect(policy.trafficGuard == TrafficGuard())
        let guarded = TrafficEvaluation.run(policy: policy, track: track, car: car, cars: 10, laps: 1, config: config)
        policy.trafficGuard = nil
        let unguarded = TrafficEvaluation.run(policy: policy, track: track, car: car, cars: 10, laps: 1, config: config)
        // Measured (release): 0 contacts guarded, 4 unguarded; every car finishes either way.
        #expect(guarded.contacts == 0)
        #expect(unguarded.contacts >= 2)
        #expect(guarded.finished == 10)
    }
}
