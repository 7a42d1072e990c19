import Foundation
@testable import PolicyCore
import RivalTestSupport
import Sim
import Testing

@Suite("Track guard")
struct TrackGuardTests {
    static let encoder: ObservationEncoder = {
        // The shipped circuit and car load (RivalTestSupport checks them).
        ObservationEncoder(track: try! Shipped.track("Monza"), car: try! Shipped.car("gt3"))
    }()
    static var plan: ExpertPlan { encoder.plan }

    /// A GT3 car at arc length `s` of Monza at `speed`, `beside` metres left of the racing line and heading along
    /// it, alone unless `others` are given (gap, lateral).
    static func observation(s: Double, speed: Double, beside: Double = 0, others: [(Double, Double)] = [],
                            shift: Double = 0, scale: Double = 1) -> Observation {
        var nearby = NearbyCars()
        for (k, o) in others.enumerated() { nearby.insert(NearbyCar(index: k + 1, gap: o.0, lateral: o.1, speedDifference: 0)) }
        let view = DriverView(time: 30, speed: speed, s: s, lateral: plan.lineOffset(at: s) + beside,
                              headingError: plan.at(plan.lineAngle, s), nearby: nearby)
        return Observation(view: view, speedPlanShift: shift, speedPlanScale: scale)
    }

    static func guarded(_ observation: Observation, steering: Float = 0.2, pedal: Float = 1) -> Action {
        TrackGuard().apply(Action(steering: steering, pedal: pedal), to: observation, encoder: encoder)
    }

    /// Where Monza's plan is slowest (the first chicane's apex region), to the metre.
    static let slowest: Double = {
        stride(from: 0.0, to: plan.track.length, by: 1).min { plan.plannedSpeed(at: $0) < plan.plannedSpeed(at: $1) }!
    }()

    /// The racing line's curvature and its steering (`lineSteer`) at arc length `s`.
    static func line(at s: Double) -> (curvature: Double, steering: Double) {
        let here = encoder.locate(s)
        return (encoder.at(ObservationEncoder.Column.lineCurvature, here), encoder.at(ObservationEncoder.Column.lineSteer, here))
    }

    @Test("on the line, at or below the planned speed, the action passes unchanged")
    func free() {
        let v = Self.plan.plannedSpeed(at: Self.slowest), s = Self.slowest - v * 0.05
        let turn = Self.line(at: s)
        #expect(abs(turn.curvature) > TrackGuard().turnCurvature)
        for pedal: Float in [-1, -0.3, 0, 0.4, 1] {
            for steering: Float in [-0.7, 0, 0.5] {
                let action = Action(steering: steering, pedal: pedal)
                // Monza's main straight at 40 m/s, any steering.
                #expect(Self.guarded(Self.observation(s: 300, speed: 40), steering: steering, pedal: pedal) == action)
            }
            // The slowest corner at its planned speed, steering at the line's own lock, within 0.05 short of it, or
            // further into the corner.
            for more in [-0.04, 0, 0.2] {
                let steering = Float(turn.steering + (turn.curvature > 0 ? more : -more))
                let action = Action(steering: steering, pedal: pedal)
                #expect(Self.guarded(Self.observation(s: s, speed: v), steering: steering, pedal: pedal) == action)
            }
        }
    }

    @Test("alone in a tight corner, steering well short of the line's lock is moved towards the expert's, only inwards")
    func turn() {
        let v = Self.plan.plannedSpeed(at: Self.slowest), s = Self.slowest - v * 0.05
        let turn = Self.line(at: s), inwards = turn.curvature > 0 ? 1.0 : -1.0
        let o = Self.observation(s: s, speed: v)
        let expert = withUnsafePointer(to: o) {
            TrackGuard.expertSteering($0, speed: v, target: Self.encoder.targetLateral(s: s, offsetCommand: 0),
                                      encoder: Self.encoder)
        }
        // On the line at the planned speed the expert steers into the corner, with less lock than the line's
        // kinematic steering (measured: 0.16 less; the car's slip angles).
        #expect(expert * inwards > 0 && (turn.steering - expert) * inwards > 0.1, "expert \(expert), line \(turn.steering)")
        func steered(short: Double, _ g: TrackGuard = TrackGuard(), _ o: Observation = o) -> Float {
            g.apply(Action(steering: Float(turn.steering - inwards * short), pedal: 0.3), to: o, encoder: Self.encoder).steering
        }
        // 0.3 short of the line's lock (0.25 past the threshold of a 0.1 range), and steering out of the corner: all
        // of the way to the expert's steering.
        #expect(abs(Double(steered(short: 0.3)) - expert) < 1e-5)
        #expect(abs(Double(steered(short: 1)) - expert) < 1e-5)
        // Only ever inwards: 0.1 short of the line's lock is already further into the corner than the expert steers.
        #expect(abs(Double(steered(short: 0.1)) - (turn.steering - inwards * 0.1)) < 1e-6)
        // The share grows over the range: 0.3 short with the threshold at 0.25 is half of the way.
        var late = TrackGuard()
        late.turnShortfall = 0.25
        let st = turn.steering - inwards * 0.3
        #expect(abs(Double(steered(short: 0.3, late)) - (st + 0.5 * (expert - st))) < 1e-5)
        // With the turn part off (as under personas), or another car in view (100 m ahead), or off the track: the
        // network's steering.
        var off = TrackGuard()
        off.turnShortfall = 0
        #expect(abs(Double(steered(short: 0.3, off)) - (turn.steering - inwards * 0.3)) < 1e-6)
        #expect(TrackGuard.underPersonas.turnShortfall == 0)
        #expect(abs(Double(steered(short: 0.3, .underPersonas)) - (turn.steering - inwards * 0.3)) < 1e-6)
        let traffic = Self.observation(s: s, speed: v, others: [(100, 0)])
        #expect(abs(Double(steered(short: 0.3, TrackGuard(), traffic)) - (turn.steering - inwards * 0.3)) < 1e-6)
        let here = Self.encoder.locate(s)
        let edge = inwards > 0 ? Self.encoder.at(ObservationEncoder.Column.widthLeft, here)
            : -Self.encoder.at(ObservationEncoder.Column.widthRight, here)
        let outside = Self.observation(s: s, speed: v, beside: edge + inwards * 1 - Self.plan.lineOffset(at: s))
        #expect(steered(short: 0.3, TrackGuard(), outside) == steered(short: 0.3, off, outside))
    }

    @Test("faster than the planned speed it brakes 0.5 per m/s beyond a 0.25 m/s margin; the perceived plan counts")
    func speed() {
        let s = Self.slowest - 20
        // Steering at the racing line's own lock, which the turn part leaves alone.
        let steer = Float(Self.line(at: s).steering)
        for over in [0.5, 1.25, 2.25, 4.0] {
            // The plan read 0.05 s ahead at the car's own speed: solve v = planned(s + 0.05 v) + 0.25 + over by iteration.
            var v = Self.plan.plannedSpeed(at: s) + over
            for _ in 0..<20 { v = Self.plan.plannedSpeed(at: s + 0.05 * v) + 0.25 + over }
            let action = Self.guarded(Self.observation(s: s, speed: v), steering: steer, pedal: 1)
            #expect(abs(Double(action.pedal) + min(0.5 * over, 1)) < 1e-4, "over \(over): pedal \(action.pedal)")
            #expect(action.steering == steer)
            // A harder brake than the guard's is kept.
            #expect(Self.guarded(Self.observation(s: s, speed: v), steering: steer, pedal: -1).pedal == -1)
            // A driver who judges the corner 15 % faster (speedPlanScale) is braked only beyond that judgement; one
            // who misplaces the plan 300 m on, onto the straight (speedPlanShift), is not braked.
            let judged = 1.15 * Self.plan.plannedSpeed(at: s + 0.05 * v) + 0.25
            let fast = Self.guarded(Self.observation(s: s, speed: v, scale: 1.15), steering: steer, pedal: 1).pedal
            #expect(abs(Double(fast) - (v > judged ? -min(0.5 * (v - judged), 1) : 1)) < 1e-4, "over \(over): \(fast)")
            #expect(Self.guarded(Self.observation(s: s, speed: v, shift: 300), steering: steer, pedal: 1).pedal == 1)
        }
    }

    @Test("under personas it leaves the speed alone and still steers")
    func underPersonas() {
        let g = TrackGuard.underPersonas
        let s = Self.slowest - 20
        let v = Self.plan.plannedSpeed(at: s) + 5
        let o = Self.observation(s: s, speed: v)
        let steer = Float(Self.line(at: s).steering)
        #expect(TrackGuard().apply(Action(steering: steer, pedal: 1), to: o, encoder: Self.encoder).pedal == -1)
        #expect(g.apply(Action(steering: steer, pedal: 1), to: o, encoder: Self.encoder) == Action(steering: steer, pedal: 1))
        let strayed = Self.observation(s: 300, speed: 40, beside: 3)
        #expect(g.apply(Action(steering: 0.2, pedal: 1), to: strayed, encoder: Self.encoder)
                == TrackGuard().apply(Action(steering: 0.2, pedal: 1), to: strayed, encoder: Self.encoder))
    }

    @Test("strayed from the line it steers back, by a share growing from 0.6 m to 2.6 m, and lifts the throttle")
    func line() {
        let v = 40.0, s = 300.0
        func wanted(_ beside: Double) -> Float {
            let o = Self.observation(s: s, speed: v, beside: beside)
            let target = Self.encoder.targetLateral(s: s, offsetCommand: 0)
            return Float(withUnsafePointer(to: o) { TrackGuard.expertSteering($0, speed: v, target: target, encoder: Self.encoder) })
        }
        // 3 m left of the line, heading along it: all the way to the path law's steering, throttle cut.
        let far = Self.guarded(Self.observation(s: s, speed: v, beside: 3))
        #expect(far.steering < 0)
        #expect(abs(far.steering - wanted(3)) < 1e-5)
        #expect(far.pedal == 0)
        // 1.6 m left: half of the way (1 m past the threshold of a 2 m range), half the throttle.
        let half = Self.guarded(Self.observation(s: s, speed: v, beside: 1.6))
        #expect(abs(half.steering - (0.2 + 0.5 * (wanted(1.6) - 0.2))) < 1e-5)
        #expect(abs(half.pedal - 0.5) < 1e-5)
        // 3 m right: mirrored, towards the left.
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: -3), steering: -0.2).steering > 0)
        // Never away from the line: a network already steering harder to the right is left alone, and braking is not
        // touched.
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: 3), steering: -1, pedal: -0.4)
                == Action(steering: -1, pedal: -0.4))
        // Within 0.6 m: nothing.
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: 0.5)) == Action(steering: 0.2, pedal: 1))
    }

    @Test("the steering it steers back with is the expert's, from the car's state alone")
    func expertLaw() {
        // A fresh expert (no acceleration, no axle forces, new tyres yet) decides from the same view as the guard
        // reads: 3 m either side of the line on Monza's straight, and 1 m outside the line 30 m before the slowest corner.
        for (s, beside, v) in [(300.0, 3.0, 40.0), (300, -3, 40), (Self.slowest - 30, -1, 30), (Self.slowest - 30, 1, 30)] {
            let o = Self.observation(s: s, speed: v, beside: beside)
            let target = Self.encoder.targetLateral(s: s, offsetCommand: 0)
            let guardSteering = withUnsafePointer(to: o) {
                TrackGuard.expertSteering($0, speed: v, target: target, encoder: Self.encoder)
            }
            let expert = ExpertDriver(plan: Self.plan).decide(o.view)
            #expect(abs(guardSteering - expert.steering) < 1e-12, "s \(s), beside \(beside): \(guardSteering) against \(expert.steering)")
            if s == 300 { #expect(beside > 0 ? guardSteering < 0 : guardSteering > 0) }
        }
    }

    @Test("in traffic it steers towards the expert's traffic target, and lifts with no car close behind, without the speed cap")
    func traffic() {
        let v = 40.0, s = 300.0
        // Cars in view but far away (120 m ahead, 140 m behind): the target is the line, so the car 3 m left of it is
        // steered and lifted as alone.
        let alone = Self.guarded(Self.observation(s: s, speed: v, beside: 3))
        #expect(alone.steering < 0.2 && alone.pedal == 0)
        for other in [(120.0, 4.0), (-140, -4)] {
            #expect(Self.guarded(Self.observation(s: s, speed: v, beside: 3, others: [other])) == alone)
        }
        // A car 8 m behind (within a car length and 10 m): steered as alone, the throttle kept (this car 1.5 m left
        // of the line, on the track) ...
        let aloneOnTrack = Self.guarded(Self.observation(s: s, speed: v, beside: 1.5))
        #expect(aloneOnTrack.steering < 0.2 && aloneOnTrack.pedal < 1)
        let followed = Self.guarded(Self.observation(s: s, speed: v, beside: 1.5, others: [(-8, 3)]))
        #expect(followed.steering == aloneOnTrack.steering && followed.pedal == 1)
        // ... but 3 m left of it, 1.4 m beyond the edge here, the car stays off the track while that car is there
        // (``TrackGuard/rejoinGapBehind``): its target is where it is, and heading along the line it is left alone.
        #expect(Self.plan.lineOffset(at: s) + 3 > Self.plan.track.sample(at: s).widthLeft + 1)
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: 3, others: [(-8, 3)])) == Action(steering: 0.2, pedal: 1))
        // A car alongside on the line: the traffic target is a car width plus 0.5 m to its side (the side with the
        // more room). A car 0.3 m from that target is left alone (alone on track, as far from the line, it is
        // steered) ...
        let line = Self.plan.lineOffset(at: s), sample = Self.plan.track.sample(at: s)
        let side: Double = sample.widthLeft - line > sample.widthRight + line ? 1 : -1
        var alongside = NearbyCars()
        alongside.insert(NearbyCar(index: 1, gap: 0, lateral: line, speedDifference: 0))
        let target = withUnsafePointer(to: alongside) {
            Self.plan.trafficTarget(line, lateral: line + side, nearby: $0, widthLeft: sample.widthLeft,
                                    widthRight: sample.widthRight, settings: ExpertSettings())
        }
        #expect(abs(target - (line + side * (2 * Self.plan.halfWidth + 0.5))) < 1e-9)
        let away = Float(0.2 * side)
        let near = target - line - 0.3 * side
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: near), steering: away).steering != away)
        #expect(Self.guarded(Self.observation(s: s, speed: v, beside: near, others: [(0, line)]), steering: away)
                == Action(steering: away, pedal: 1))
        // ... and one 2 m beyond it is steered back towards it, by 0.7 of the way (1.4 m past the threshold of a 2 m
        // range) to the expert's steering for that target, its throttle cut by as much.
        let o = Self.observation(s: s, speed: v, beside: target - line + 2 * side, others: [(0, line)])
        let wanted = withUnsafePointer(to: o) { TrackGuard.expertSteering($0, speed: v, target: target, encoder: Self.encoder) }
        let steered = Self.guarded(o, steering: away)
        #expect(wanted * side < 0)
        #expect(abs(Double(steered.steering) - (Double(away) + 0.7 * (wanted - Double(away)))) < 1e-5,
                "\(steered.steering)")
        #expect(abs(steered.pedal - 0.3) < 1e-5)
        // Too fast for the plan in traffic: no brake (the traffic guard's speed rule is the one in traffic).
        let fast = Self.observation(s: Self.slowest - 20, speed: Self.plan.plannedSpeed(at: Self.slowest - 20) + 5,
                                    others: [(100, 0)])
        #expect(Self.guarded(fast).pedal == 1)
    }

    @Test("in traffic a slow car with a car closing from behind keeps to its side of the racing line, out at the edge")
    func rejoin() {
        let s = 300.0, v = 0.4 * Self.plan.plannedSpeed(at: s)
        #expect(v > TrackGuard().minimumSpeed)
        let line = Self.plan.lineOffset(at: s), sample = Self.plan.track.sample(at: s)
        let side: Double = sample.widthLeft - line > sample.widthRight + line ? 1 : -1
        let across = Float(-0.2 * side)      // the network steering back across the line
        func observation(speed: Double = v, gap: Double, closing: Double) -> Observation {
            var o = Self.observation(s: s, speed: speed, beside: 0.5 * side)
            o.view.nearby.insert(NearbyCar(index: 1, gap: gap, lateral: line, speedDifference: closing))
            return o
        }
        func guarded(_ o: Observation, _ g: TrackGuard = TrackGuard()) -> Action {
            g.apply(Action(steering: across, pedal: 0.5), to: o, encoder: Self.encoder)
        }
        // 0.5 m from the line, under the 0.6 m threshold: with no car coming the action passes unchanged ...
        let unchanged = Action(steering: across, pedal: 0.5)
        #expect(guarded(observation(gap: -30, closing: 0)) == unchanged)
        // ... as it does with a car closing 3 s or more away (100 m behind at 20 m/s), for a car above 0.6 of the
        // plan's speed, or with the rule off.
        #expect(guarded(observation(gap: -100, closing: 20)) == unchanged)
        #expect(guarded(observation(speed: 0.65 * Self.plan.plannedSpeed(at: s), gap: -30, closing: 20)) == unchanged)
        var off = TrackGuard()
        off.rejoinSpeedShare = 0
        #expect(guarded(observation(gap: -30, closing: 20), off) == unchanged)
        // A car 30 m behind closing at 20 m/s (1.5 s away): the target is this side's edge less half the car's width
        // and 0.5 m, more than 2.6 m away, so the guard steers all the way to the expert's steering for it, away from
        // the line, and cuts the throttle (no car within a car length and 10 m behind).
        let edge = side > 0 ? sample.widthLeft - Self.plan.halfWidth - 0.5 : Self.plan.halfWidth + 0.5 - sample.widthRight
        #expect(abs(edge - (line + 0.5 * side)) > 2.6 + 1)
        let o = observation(gap: -30, closing: 20)
        let wanted = withUnsafePointer(to: o) { TrackGuard.expertSteering($0, speed: v, target: edge, encoder: Self.encoder) }
        #expect(wanted * side > 0)
        #expect(guarded(o) == Action(steering: Float(wanted), pedal: 0))
    }

    @Test("in traffic a slow car off the track with a car closing from behind stays off it, along the run-off")
    func rejoinFromRunOff() {
        let s = 300.0, v = 0.4 * Self.plan.plannedSpeed(at: s)
        let line = Self.plan.lineOffset(at: s), sample = Self.plan.track.sample(at: s)
        let side: Double = sample.widthLeft - line > sample.widthRight + line ? 1 : -1
        let lateral = side > 0 ? sample.widthLeft + 1 : -sample.widthRight - 1   // 1 m beyond the edge
        let across = Float(-0.2 * side)      // the network steering back towards the track
        func observation(closing: Double) -> Observation {
            var nearby = NearbyCars()
            nearby.insert(NearbyCar(index: 1, gap: -30, lateral: line, speedDifference: closing))
            // Heading 0.15 rad towards the track.
            let view = DriverView(time: 30, speed: v, s: s, lateral: lateral,
                                  headingError: Self.plan.at(Self.plan.lineAngle, s) - 0.15 * side, nearby: nearby)
            return Observation(view: view)
        }
        func guarded(_ o: Observation, _ g: TrackGuard = TrackGuard()) -> Action {
            g.apply(Action(steering: across, pedal: 0.5), to: o, encoder: Self.encoder)
        }
        // With the car 30 m behind not closing, the target is on the track: the guard lets the car head back, and
        // steers it back at least as hard as the network does.
        #expect(Double(guarded(observation(closing: 0)).steering) * side <= Double(across) * side)
        // Closing at 20 m/s (1.5 s away): the target is where the car is, 1 m beyond the edge, so the course towards
        // the track is the error: the guard steers away from the track by the share the error gives, towards the
        // expert's steering for that target, and cuts the throttle by as much (no car within 14.6 m behind).
        let o = observation(closing: 20)
        let preview = max(ObservationEncoder.minimumPreview, v * ObservationEncoder.previewTime)
        let predicted = preview * sin(-0.15 * side)
        let share = min((abs(predicted) - 0.6) / 2, 1)
        #expect(share > 0.5)
        let wanted = withUnsafePointer(to: o) { TrackGuard.expertSteering($0, speed: v, target: lateral, encoder: Self.encoder) }
        #expect(wanted * side > 0)
        let moved = Double(across) + share * (wanted - Double(across))
        let steered = guarded(o)
        #expect(abs(Double(steered.steering) - moved) < 1e-6, "\(steered.steering) against \(moved)")
        #expect(Double(steered.steering) * side > 0)
        #expect(abs(Double(steered.pedal) - 0.5 * (1 - share)) < 1e-6)
        // With the rule off, the same car is steered back onto the track.
        var off = TrackGuard()
        off.rejoinSpeedShare = 0
        #expect(guarded(o, off) == guarded(observation(closing: 0)))
    }

    @Test("in traffic a car off the track at any speed stays off it while a car on the track is beside it or just behind")
    func rejoinBeside() {
        let s = 300.0, v = Self.plan.plannedSpeed(at: s)   // at the plan's speed: the speed rule does not act
        let line = Self.plan.lineOffset(at: s), sample = Self.plan.track.sample(at: s)
        let side: Double = sample.widthLeft - line > sample.widthRight + line ? 1 : -1
        let lateral = side > 0 ? sample.widthLeft + 1 : -sample.widthRight - 1   // 1 m beyond the edge
        let across = Float(-0.2 * side)      // the network steering back towards the track
        func observation(gap: Double, at otherLateral: Double = line) -> Observation {
            var nearby = NearbyCars()
            nearby.insert(NearbyCar(index: 1, gap: gap, lateral: otherLateral, speedDifference: 0))
            // Heading 0.1 rad towards the track.
            let view = DriverView(time: 30, speed: v, s: s, lateral: lateral,
                                  headingError: Self.plan.at(Self.plan.lineAngle, s) - 0.1 * side, nearby: nearby)
            return Observation(view: view)
        }
        func guarded(_ o: Observation, _ g: TrackGuard = TrackGuard()) -> Action {
            g.apply(Action(steering: across, pedal: 0.5), to: o, encoder: Self.encoder)
        }
        // The target is where the car is while a car on the track is level with it, 3 m ahead, or 12 m behind (within
        // the GT3's 4.6 m and 10 m): the guard steers away from the track, towards the expert's steering for that
        // target (the car is too fast for the share to stay below all of it).
        for gap in [0.0, 3, -12] {
            let o = observation(gap: gap)
            let wanted = withUnsafePointer(to: o) { TrackGuard.expertSteering($0, speed: v, target: lateral, encoder: Self.encoder) }
            #expect(wanted * side > 0)
            #expect(Double(guarded(o).steering) * side > 0, "gap \(gap)")
        }
        // Not with the car on the track 20 m behind or 8 m ahead, nor with one beside it that is off the track too
        // (2.5 m further out), nor with the rule off: the car is let back, steered at least as hard as the network
        // steers it.
        var off = TrackGuard()
        off.rejoinGapBehind = -1
        for o in [observation(gap: -20), observation(gap: 8), observation(gap: 0, at: lateral + 2.5 * side)] {
            #expect(Double(guarded(o).steering) * side <= Double(across) * side)
        }
        #expect(Double(guarded(observation(gap: 0), off).steering) * side <= Double(across) * side)
        #expect(guarded(observation(gap: -20)) == guarded(observation(gap: -40)))
    }

    @Test("the traffic target is the expert's, as ExpertPlan.traffic works it out")
    func trafficTarget() {
        var random = SplitMix(state: 7)
        for _ in 0..<2000 {
            let s = random.uniform(0, Self.plan.track.length)
            let sample = Self.plan.track.sample(at: s)
            var nearby = NearbyCars()
            for k in 0..<1 + Int(random.next() * 4) {
                nearby.insert(NearbyCar(index: k + 1, gap: random.uniform(-12, 30),
                                        lateral: random.uniform(-6, 6), speedDifference: 0))
            }
            let lateral = random.uniform(-6, 6), command = random.uniform(-3, 3)
            let view = DriverView(time: 30, speed: 40, s: s, lateral: lateral, headingError: 0, nearby: nearby)
            let expert = Self.plan.traffic(view, speed: 40, sample: sample, offsetCommand: command,
                                           settings: ExpertSettings()).target
            let margin = Self.plan.line.parameters.margin
            let start = min(max(Self.plan.lineOffset(at: s) + command, -sample.widthRight + margin), sample.widthLeft - margin)
            let guardTarget = withUnsafePointer(to: nearby) {
                Self.plan.trafficTarget(start, lateral: lateral, nearby: $0, widthLeft: sample.widthLeft,
                                        widthRight: sample.widthRight, settings: ExpertSettings())
            }
            #expect(guardTarget == expert, "s \(s)")
        }
    }

    @Test("the cheap bound before the path law never skips a decision the path law would steer")
    func bound() {
        // Over headings and lateral speeds either way, the guard steers (against a network steering the other way)
        // exactly when the predicted error (worked out here in full) is beyond 0.6 m.
        let v = 30.0, s = 300.0
        let lineAngle = Self.encoder.at(ObservationEncoder.Column.lineAngle, Self.encoder.locate(s))
        let target = Self.encoder.targetLateral(s: s, offsetCommand: 0)
        var steered = 0
        for beside in stride(from: -1.0, through: 1.0, by: 0.125) {
            for heading in stride(from: -0.08, through: 0.08, by: 0.01) {
                for slide in stride(from: -1.5, through: 1.5, by: 0.5) {
                    var o = Self.observation(s: s, speed: v, beside: beside)
                    o.view.headingError += heading
                    o.view.lateralSpeed = slide
                    let course = o.view.headingError + atan2(slide, v) - lineAngle
                    let predicted = o.view.lateral + max(8, 0.5 * v) * sin(course) - target
                    let away: Float = predicted > 0 ? 1 : -1
                    let action = Self.guarded(o, steering: away, pedal: -0.2)
                    #expect((action.steering != away) == (abs(predicted) > 0.6), "\(beside) \(heading) \(slide): \(predicted)")
                    if action.steering != away { steered += 1 }
                }
            }
        }
        #expect(steered > 100)
    }

    @Test("steersInTraffic off, another car in view; a slow car, or a view that is not finite: unchanged")
    func standsDown() {
        let action = Action(steering: 0.2, pedal: 1)
        var g = TrackGuard()
        g.steersInTraffic = false
        #expect(g.apply(action, to: Self.observation(s: 300, speed: 40, beside: 3, others: [(120, 4)]),
                        encoder: Self.encoder) == action)
        #expect(g.apply(action, to: Self.observation(s: 300, speed: 40, beside: 3), encoder: Self.encoder) != action)
        #expect(Self.guarded(Self.observation(s: 300, speed: 4.9, beside: 3)) == action)
        #expect(Self.guarded(Self.observation(s: 300, speed: 4.9, beside: 3, others: [(20, 0)])) == action)
        // The same car alone is steered.
        #expect(Self.guarded(Self.observation(s: 300, speed: 40, beside: 3)).steering < 0)
        for bad in [Double.nan, .infinity] {
            var o = Self.observation(s: 300, speed: 40, beside: 3)
            o.view.lateralSpeed = bad
            #expect(Self.guarded(o) == action)
            o = Self.observation(s: 300, speed: 40, beside: 3)
            o.view.s = bad
            #expect(Self.guarded(o) == action)
        }
    }

    @Test("in a policy, one call per car and batched, the guard acts in traffic as applied on its own")
    func inPolicy() throws {
        // Nine expert cars at Monza, each given another offset command (-1 m to 3 m), so some stray from theirs.
        let (track, car, observations) = try PolicyTests.monzaObservations(cars: 9, steps: 600, spread: 0.5)
        let encoder = ObservationEncoder(track: track, car: car)
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let guarded = try NetworkPolicy(file: path, encoder: encoder), bare = try NetworkPolicy(file: path, encoder: encoder)
        guarded.trafficGuard = nil
        bare.trafficGuard = nil
        bare.trackGuard = nil
        #expect(observations.allSatisfy { $0.view.nearby.count > 0 })
        let expected = observations.map { TrackGuard().apply(bare.act($0), to: $0, encoder: encoder) }
        let single = observations.map { guarded.act($0) }
        var batched = [Action](repeating: Action(), count: observations.count)
        observations.withUnsafeBufferPointer { o in batched.withUnsafeMutableBufferPointer { guarded.act(batch: o, into: $0) } }
        #expect(single == expected)
        #expect(batched == expected)
        let steered = zip(expected, observations).filter { $0.0 != bare.act($0.1) }.count
        #expect(steered >= 2, "\(steered) of 9 steered")
    }

    /// The shipped network on a shipped circuit and car, fuelled for `laps` laps.
    static func shippedPolicy(_ trackName: String, _ carName: String, laps: Int) throws -> (NetworkPolicy, Track, CarSpec) {
        let track = try Shipped.track(trackName), car = try Shipped.car(carName)
        let fuel = RaceConfig(laps: laps).startingFuelMass(car: car, track: track)
        let encoder = ObservationEncoder(track: track, car: car, fuelMass: fuel)
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        return (try NetworkPolicy(file: path, encoder: encoder), track, car)
    }

    @Test("the shipped policy drives Norisring in the GT3 clean with the guard, not without")
    func shipped() throws {
        let (policy, track, car) = try Self.shippedPolicy("Norisring", "gt3", laps: 3)
        #expect(policy.trackGuard == TrackGuard())
        let guarded = PolicyEvaluation.run(policy: policy, track: track, car: car, laps: 3)
        policy.trackGuard = nil
        let unguarded = PolicyEvaluation.run(policy: policy, track: track, car: car, laps: 3)
        // Measured (release): guarded clean, ratio 1.0068 to the limit lap; unguarded 3 off-tracks and 3 barrier
        // contacts, ratio 1.2404.
        #expect(guarded.isClean)
        #expect(guarded.ratio < 1.03)
        #expect(unguarded.offTracks >= 2)
    }

    @Test("the shipped policy drives Montreal's hairpin in the Formula clean with the turn part, not without")
    func shippedTurn() throws {
        let (policy, track, car) = try Self.shippedPolicy("Montreal", "formula", laps: 2)
        let turning = PolicyEvaluation.run(policy: policy, track: track, car: car, laps: 2)
        var g = TrackGuard()
        g.turnShortfall = 0
        policy.trackGuard = g
        let without = PolicyEvaluation.run(policy: policy, track: track, car: car, laps: 2)
        // Measured (release, 3 laps): with it clean, ratio 1.0197 to the limit lap; without it off the track at the
        // hairpin (about 2,700 m) on every lap, ratio 1.0766.
        #expect(turning.isClean)
        #expect(turning.ratio < 1.04)
        #expect(without.offTracks >= 2)
    }
}
