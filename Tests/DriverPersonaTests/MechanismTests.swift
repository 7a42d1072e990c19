import Foundation
import GSL
import Sim
import Testing
@testable import DriverPersona
import RivalTestSupport

@Suite("Persona mechanisms")
struct MechanismTests {
    @Test("delay line: interpolates between decisions and across the lap's end")
    func delayLine() {
        let line = DelayLine(interval: 0.01, maximumDelay: 1.0, lapLength: 1000)
        for k in 0..<100 {
            var v = DriverView()
            v.time = Double(k) * 0.01
            v.s = (995 + Double(k) * 0.5).truncatingRemainder(dividingBy: 1000)
            v.speed = 50 + Double(k)
            line.push(v)
        }
        // Last push: t = 0.99, s = 44.5 (wrapped), speed 149.
        let now = line.view(delayedBy: 0)
        #expect(now.speed == 149 && now.s == 44.5)
        let d = line.view(delayedBy: 0.025)
        #expect(abs(d.speed - 146.5) < 1e-9)
        #expect(abs(d.time - 0.965) < 1e-9)
        #expect(abs(d.s - 43.25) < 1e-9)
        // 0.895 s back lies halfway between the pushes at s = 999.5 and s = 0 (1000, wrapped).
        let far = line.view(delayedBy: 0.895)
        #expect(abs(far.s - 999.75) < 1e-9, "\(far.s)")
        // Longer than recorded: the oldest view held.
        #expect(line.capacity > 100 && line.view(delayedBy: 5).speed == 50)
    }

    @Test("Ornstein-Uhlenbeck: unit stationary spread, correlation exp(-dt/tau)")
    func ornsteinUhlenbeck() {
        let stream = GSLRandomStream(seed: 42)
        var process = OrnsteinUhlenbeck(timeConstant: 0.5)
        let dt = 0.05
        var values: [Double] = []
        for _ in 0..<200_000 { values.append(process.step(dt, stream)) }
        let (mean, sd) = meanAndSD(values)
        #expect(abs(mean) < 0.03)
        #expect(abs(sd - 1) < 0.02)
        var lag = 0.0
        for i in 1..<values.count { lag += (values[i] - mean) * (values[i - 1] - mean) }
        lag /= Double(values.count - 1) * sd * sd
        #expect(abs(lag - exp(-dt / 0.5)) < 0.01, "lag-1 correlation \(lag)")
    }

    @Test("corner map: Monza's braking zones, each before its apex and slower there")
    func cornerMap() throws {
        let (source, _) = try Shipped.expert("Monza", "gt3")
        let corners = source.corners
        #expect((8...12).contains(corners.corners.count), "\(corners.corners.count) corners")
        // Turn 1 (the first chicane): braking from about 78 m/s near 760 m.
        let first = try #require(corners.corners.first)
        #expect(abs(first.brake - 760) < 20 && first.entrySpeed > 70 && first.apexSpeed < 25, "\(first)")
        for c in corners.corners {
            let zone = corners.distance(from: c.brake, to: c.apex)
            #expect(zone > 0 && zone < 400)
            #expect(c.entrySpeed - c.apexSpeed >= CornerMap.minimumDrop)
        }
        #expect(corners.nextCorner(after: 0) == 0)
        #expect(corners.nextCorner(after: first.apex) == 1)
        #expect(corners.nextCorner(after: corners.corners.last!.apex + 1) == 0)
    }

    @Test("racecraft: aggression sets following distance and clearance")
    func racecraftScales() {
        let timid = Racecraft(aggression: 0), bold = Racecraft(aggression: 1), middle = Racecraft(aggression: 0.5)
        #expect(abs(timid.followScale - 0.7) < 1e-12 && abs(bold.followScale - 1.3) < 1e-12 && middle.followScale == 1)
        #expect(timid.clearance > bold.clearance)
        var nearby = NearbyCars()
        nearby.insert(NearbyCar(index: 1, gap: 20, lateral: 0, speedDifference: 0))
        nearby.insert(NearbyCar(index: 2, gap: -10, lateral: 0, speedDifference: 0))
        let seen = timid.perceived(nearby, carLength: 4.5)
        #expect(seen.nearestAhead()?.gap == 14)
        #expect(seen[0].gap == -10)
        // A nose 2 m ahead alongside: the timid driver gives way, the bold one claims the corner.
        var alongside = NearbyCars()
        alongside.insert(NearbyCar(index: 1, gap: 2, lateral: 2, speedDifference: 0))
        #expect(timid.perceived(alongside, carLength: 4.5)[0].gap == 1.4)
        #expect(bold.perceived(alongside, carLength: 4.5)[0].gap == -0.6)
    }
}

@Suite("Lap-time statistics")
struct LapTimeStatisticsTests {
    @Test("a steady drift is not spread; a slow lap is right skew")
    func detrended() {
        let drift = (0..<10).map { 100 + 0.1 * Double($0) }
        let d = LapTimeStatistics(drift)
        #expect(abs(d.trendPerLap - 0.1) < 1e-12)
        #expect(d.spread < 1e-9)
        var laps = [100.0, 100.2, 99.9, 100.1, 100.0, 103.0, 100.1, 99.95, 100.05, 100.0]
        let s = LapTimeStatistics(laps)
        #expect(s.skewness > 2, "\(s.skewness)")
        #expect(abs(s.best - 99.9) < 1e-12)
        #expect(abs(s.medianExcess - 0.125) < 1e-9, "\(s.medianExcess)")
        laps.append(.nan)
        #expect(LapTimeStatistics(laps).count == 10)
    }
}
