import Foundation
import GSL
import PolicyCore
import Sim
import Testing
@testable import DriverPersona
import RivalTestSupport

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

    @Test("bad views (NaN, infinite) give finite controls, with human limits over the expert and over the network")
    func badViews() throws {
        let (source, _) = try Self.monza.get()
        let track = try Shipped.track("Monza"), car = try Shipped.car("gt3")
        let path = Shipped.root.appendingPathComponent("policies/default.safetensors").path
        let parameters = try MLPParameters(safetensors: try SafetensorsFile(path: path), file: path,
                                           expectedSpecVersion: ObservationSpec.version)
        let network = try PolicySource.network(parameters, plan: ExpertPlan(track: track, car: car), name: path)
        // Under personas the network's track guard steers but leaves the speed to the persona.
        #expect(network.trackGuard == .underPersonas && network.trackGuard?.capsSpeed == false)
        var nearby = NearbyCars()
        nearby.insert(NearbyCar(index: 1, gap: .nan, lateral: .infinity, speedDifference: -.infinity))
        nearby.insert(NearbyCar(index: 2, gap: 10, lateral: 0, speedDifference: .nan))
        for base in [source, network] {
            let human = traits {
                $0.reactionTime = 0.25; $0.distanceWeber = 0.05; $0.speedWeber = 0.05; $0.brakingPointBias = 8
                $0.brakingPointSpread = 4; $0.motorNoise = 0.05; $0.lapseRate = 1; $0.aggression = 0.8
            }
            let driver = base.makeDriver(traits: human, raceSeed: 1, index: 0)
            for (k, bad) in [Double.nan, .infinity, -.infinity].enumerated() {
                let t = Double(k)
                for view in [DriverView(time: t, speed: bad, s: 100, nearby: nearby),
                             DriverView(time: t + 0.1, speed: 40, s: bad, lateral: bad, headingError: bad),
                             DriverView(time: bad, speed: 40, yawRate: bad, lateralAcceleration: bad, s: 100, nearby: nearby)] {
                    let c = driver.decide(view)
                    #expect(c.steering.isFinite && c.throttle.isFinite && c.brake.isFinite)
                }
            }
        }
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

@Suite("Racecraft in races")
struct RacecraftRaceTests {
    /// Five of the slowest people (skill 0) start ahead of five of the fastest (skill 1); the same 2-lap races
    /// (seeds, traits) are run with the fast drivers' aggression at 0 and at 1. The bold ones attempt and complete
    /// more passes and are in more contacts. Eight short races rather than three of 4 laps: a few races are a noisy
    /// draw of contacts (seeds 1-3 of 4 laps: 13 timid against 16 bold, and 14 against 13 with the marshals at 3 s),
    /// while over seeds 1-20 the contrast is wide (2 laps: attempts 13 against 54, passes 8 against 24, contacts 32
    /// against 72; measured in release, docs/persona.md).
    @Test("more aggressive drivers attempt and complete more passes and have more contacts")
    func aggressionMeansMorePassesAndContacts() throws {
        let (source, car) = try Shipped.expert("Catalunya", "gt3", laps: 2)
        func race(_ aggression: Double) throws -> (attempts: Int, passes: Int, contacts: Int) {
            var attempts = 0, passes = 0, contacts = 0
            for seed in 1...8 as ClosedRange<UInt64> {
                let rookies = Persona(name: "slow", skill: 0, overrides: [.aggression: .constant(0.3)])
                let pros = Persona(name: "fast", skill: 1, overrides: [.aggression: .constant(aggression)])
                let grid = PersonaGrid(slots: [(rookies, 5), (pros, 5)], source: source, car: car, raceSeed: seed)
                let result = try Race(track: source.plan.track, entries: grid.entries,
                                      config: RaceConfig(laps: 2, seed: seed)).run()
                for driver in grid.drivers.suffix(5) {
                    attempts += driver.stats.passAttempts
                    passes += driver.stats.passesCompleted
                }
                contacts += result.incidents.filter { $0.kind == .contact && ($0.car >= 5 || $0.otherCar >= 5) }.count
            }
            return (attempts, passes, contacts)
        }
        let timid = try race(0), bold = try race(1)
        #expect(bold.attempts >= 2 * timid.attempts + 2, "attempts \(timid.attempts) -> \(bold.attempts)")
        #expect(bold.passes > timid.passes, "passes \(timid.passes) -> \(bold.passes)")
        #expect(bold.contacts > timid.contacts, "contacts \(timid.contacts) -> \(bold.contacts)")
    }
}

@Suite("Fatigue over a stint")
struct FatigueStintTests {
    /// A 40-minute stint at Catalunya (about 110 s a lap) with no tyre wear or fuel burn, so only the driver
    /// changes. Three semi-pro people, each once fatigue-prone (onset 5 min, time constant 20 min, delay and noise
    /// x2 and lapses x7 at full fatigue) and once not: laps of minutes 2-15 against minutes 25-40, pooled.
    @Test("late laps are slower and more variable for a fatigue-prone driver, not for a fresh one")
    func fatigueShowsLate() throws {
        let (source, car) = try Shipped.expert("Catalunya", "gt3", laps: 3, tyreWear: 0)
        let steady = RaceConfig(tyreWearMultiplier: 0, fuelRateMultiplier: 0)
        func stint(prone: Bool) -> (early: [Double], late: [Double]) {
            var early: [Double] = [], late: [Double] = []
            for seed in [4, 5, 6] as [UInt64] {
                var t = Persona(name: "semi-pro", skill: 0.7).sample(raceSeed: seed, index: 0)
                t.fatigueOnset = 5; t.fatigueTimeConstant = 20
                t.fatigueGain = prone ? 1 : 0
                t.fatigueLapseGain = prone ? 6 : 0
                t.lapseRate = 0.1
                let run = SoloRun.drive(source, car: car, traits: t, laps: 23, seed: seed, config: steady)
                var clock = 0.0
                for (i, lap) in run.lapTimes.enumerated() {
                    clock += lap
                    if i > 0 && clock <= 900 { early.append(lap) }
                    if clock > 1500 && clock <= 2400 { late.append(lap) }
                }
            }
            return (early, late)
        }
        let p = stint(prone: true), f = stint(prone: false)
        let pe = LapTimeStatistics(p.early), pl = LapTimeStatistics(p.late)
        let fe = LapTimeStatistics(f.early), fl = LapTimeStatistics(f.late)
        #expect(pe.count >= 15 && pl.count >= 12 && fe.count >= 15 && fl.count >= 12)
        #expect(pl.mean > pe.mean + 0.5, "prone: \(pe.mean) -> \(pl.mean) s")
        #expect(pl.spread > 1.3 * pe.spread, "prone spread: \(pe.spread) -> \(pl.spread) s")
        #expect(abs(fl.mean - fe.mean) < 0.4, "fresh: \(fe.mean) -> \(fl.mean) s")
        #expect(fl.spread < 1.3 * fe.spread, "fresh spread: \(fe.spread) -> \(fl.spread) s")
    }
}
