import Foundation
import GSL
import PolicyCore
import Sim
import Testing
@testable import DriverPersona

/// Each human limit, measured on the expert at Monza in a GT3 car (the heaviest braking zone, turn 1, from
/// 78 m/s).
@Suite("Human limits")
struct HumanLimitsTests {
    static let monza = Result { try Shipped.expert("Monza", "gt3") }

    @Test("no limits: the driver is the bare policy, lap for lap")
    func noLimitsIsThePolicy() throws {
        let (source, car) = try Self.monza.get()
        let human = SoloRun.drive(source, car: car, traits: .none, laps: 2, seed: 5)
        let race = try Race(track: source.plan.track,
                            entries: [RaceEntry(name: "bare", car: car, driver: PolicyDriver(policy: source.makePolicy()))],
                            config: RaceConfig(laps: 2, seed: 5))
        let bare = race.run().entries[0]
        #expect(human.lapTimes == bare.lapTimes)
        #expect(human.mistakes == 0)
    }

    @Test("reaction delay: braking starts later by about speed x delay")
    func reactionDelayMovesBrakingLater() throws {
        let (source, car) = try Self.monza.get()
        let (prompt, corner) = try approach(source, car: car, traits: .none)
        let (late, _) = try approach(source, car: car, traits: traits { $0.reactionTime = 0.2; $0.anticipation = 0 })
        let a = try #require(prompt.brakingOnset(after: corner.brake - 200))
        let b = try #require(late.brakingOnset(after: corner.brake - 200))
        let expected = a.speed * 0.2
        #expect(abs((b.s - a.s) - expected) < 0.2 * expected, "onset \(a.s) -> \(b.s) m, expected +\(expected) m")
        // With its reaction time learned into its braking points, the same driver brakes where the policy does.
        let (anticipating, _) = try approach(source, car: car, traits: traits { $0.reactionTime = 0.2; $0.anticipation = 1 })
        let c = try #require(anticipating.brakingOnset(after: corner.brake - 200))
        #expect(abs(c.s - a.s) < 1.5, "anticipated onset \(c.s) vs \(a.s) m")
    }

    @Test("braking-point bias: +10 m brakes about 10 m earlier, -10 m later")
    func brakingBiasMovesOnset() throws {
        let (source, car) = try Self.monza.get()
        let (base, corner) = try approach(source, car: car, traits: .none)
        let (early, _) = try approach(source, car: car, traits: traits { $0.brakingPointBias = 10 })
        let (late, _) = try approach(source, car: car, traits: traits { $0.brakingPointBias = -10 })
        let a = try #require(base.brakingOnset(after: corner.brake - 200)).s
        let e = try #require(early.brakingOnset(after: corner.brake - 200)).s
        let l = try #require(late.brakingOnset(after: corner.brake - 200)).s
        #expect(abs((a - e) - 10) < 2.5, "onset \(a) -> \(e) m")
        #expect(abs((l - a) - 10) < 2.5, "onset \(a) -> \(l) m")
    }

    @Test("consistency: lap-time spread grows as consistency falls")
    func spreadGrowsWithInconsistency() throws {
        let (source, car) = try Shipped.expert("Monza", "gt3", laps: 6)
        func spread(_ scale: Double) -> Double {
            let t = traits {
                $0.brakingPointBias = 12
                $0.brakingPointSpread = 6 * scale
                $0.lapFormSpread = 8 * scale
                $0.lapFormCorrelation = 0.3
                $0.commitmentSpread = 0.03 * scale
                $0.motorNoise = 0.03 * scale
            }
            // Three drivers of that consistency; spread about the laps' trend.
            let steady = RaceConfig()
            let sds = (1...3).map { seed in
                LapTimeStatistics(SoloRun.drive(source, car: car, traits: t, laps: 6, seed: UInt64(seed), config: steady).flyingLaps).spread
            }
            return sds.reduce(0, +) / 3
        }
        let steady = spread(0), club = spread(1), erratic = spread(2)
        #expect(steady < 0.01, "no variation: \(steady) s")
        #expect(club > 2 * steady && club > 0.2, "club: \(club) s")
        #expect(erratic > club, "erratic \(erratic) s vs club \(club) s")
    }

    @Test("lapses: Poisson rate per minute, and each one makes the driver react later")
    func lapsesFollowTheirRate() throws {
        let (source, car) = try Shipped.expert("Monza", "gt3", laps: 3)
        let t = traits { $0.lapseRate = 2; $0.lapseDuration = 0.6 }
        let run = SoloRun.drive(source, car: car, traits: t, laps: 3, seed: 11)
        let minutes = run.lapTimes.reduce(0, +) / 60
        let expected = 2 * minutes
        // Poisson: within 3 standard deviations.
        #expect(abs(Double(run.stats.lapses) - expected) < 3 * expected.squareRoot(), "\(run.stats.lapses) lapses in \(minutes) min")
    }

    @Test("fatigue: delay, noise and lapses grow with time on task")
    func fatigueCurve() throws {
        let (source, _) = try Self.monza.get()
        let driver = source.makeDriver(traits: traits { $0.fatigueOnset = 10; $0.fatigueTimeConstant = 30 }, raceSeed: 1, index: 0)
        #expect(driver.fatigue(at: 9 * 60) == 0)
        #expect(abs(driver.fatigue(at: 40 * 60) - (1 - exp(-1.0))) < 1e-12)
        #expect(driver.fatigue(at: 600 * 60) > 0.999)
    }
}
