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

    @Test("on the line, at or below the planned speed, the action passes unchanged")
    func free() {
        for pedal: Float in [-1, -0.3, 0, 0.4, 1] {
            for steering: Float in [-0.7, 0, 0.5] {
                let action = Action(steering: steering, pedal: pedal)
                // Monza's main straight at 40 m/s, and the slowest corner at its planned speed.
                #expect(Self.guarded(Self.observation(s: 300, speed: 40), steering: steering, pedal: pedal) == action)
                let v = Self.plan.plannedSpeed(at: Self.slowest)
                #expect(Self.guarded(Self.observation(s: Self.slowest - v * 0.05, speed: v), steering: steering,
                                     pedal: pedal) == action)
            }
        }
    }

    @Test("faster than the planned speed it brakes 0.5 per m/s beyond a 0.25 m/s margin; the perceived plan counts")
    func speed() {
        let s = Self.slowest - 20
        for over in [0.5, 1.25, 2.25, 4.0] {
            // The plan read 0.05 s ahead at the car's own speed: solve v = planned(s + 0.05 v) + 0.25 + over by iteration.
            var v = Self.plan.plannedSpeed(at: s) + over
            for _ in 0..<20 { v = Self.plan.plannedSpeed(at: s + 0.05 * v) + 0.25 + over }
            let action = Self.guarded(Self.observation(s: s, speed: v), steering: 0, pedal: 1)
            #expect(abs(Double(action.pedal) + min(0.5 * over, 1)) < 1e-4, "over \(over): pedal \(action.pedal)")
            #expect(action.steering == 0)
            // A harder brake than the guard's is kept.
            #expect(Self.guarded(Self.observation(s: s, speed: v), steering: 0, pedal: -1).pedal == -1)
            // A driver who judges the corner 15 % faster (speedPlanScale) is braked only beyond that judgement; one
            // who misplaces the plan 300 m on, onto the straight (speedPlanShift), is not braked.
            let judged = 1.15 * Self.plan.plannedSpeed(at: s + 0.05 * v) + 0.25
            let fast = Self.guarded(Self.observation(s: s, speed: v, scale: 1.15), steering: 0, pedal: 1).pedal
            #expect(abs(Double(fast) - (v > judged ? -min(0.5 * (v - judged), 1) : 1)) < 1e-4, "over \(over): \(fast)")
            #expect(Self.guarded(Self.observation(s: s, speed: v, shift: 300), steering: 0, pedal: 1).pedal == 1)
        }
    }

    @Test("under personas it leaves the speed alone and still steers")
    func underPersonas() {
        let g = TrackGuard.underPersonas
        let s = Self.slowest - 20
        let v = Self.plan.plannedSpeed(at: s) + 5
        let o = Self.observation(s: s, speed: v)
        #expect(TrackGuard().apply(Action(steering: 0, pedal: 1), to: o, encoder: Self.encoder).pedal == -1)
        #expect(g.apply(Action(steering: 0, pedal: 1), to: o, encoder: Self.encoder) == Action(steering: 0, pedal: 1))
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

    @Test("another car in view, a slow car, or a view that is not finite: unchanged")
    func standsDown() {
        let action = Action(steering: 0.2, pedal: 1)
        #expect(Self.guarded(Self.observation(s: 300, speed: 40, beside: 3, others: [(120, 4)])) == action)
        #expect(Self.guarded(Self.observation(s: 300, speed: 40, beside: 3, others: [(-140, -4)])) == action)
        #expect(Self.guarded(Self.observation(s: 300, speed: 4.9, beside: 3)) == action)
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

    @Test("the shipped policy drives Norisring in the GT3 clean with the guard, not without")
    func shipped() throws {
        let track = try Shipped.track("Norisring"), car = try Shipped.car("gt3")
        let fuel = RaceConfig(laps: 3).startingFuelMass(car: car, track: track)
        let encoder = ObservationEncoder(track: track, car: car, fuelMass: fuel)
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let policy = try NetworkPolicy(file: path, encoder: encoder)
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
}
