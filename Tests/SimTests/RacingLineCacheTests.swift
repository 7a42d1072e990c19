import Foundation
import Testing
@testable import Sim

/// The cache shares lines and profiles; `LapLimit` encodes, formats and tabulates.
@Suite struct RacingLineCacheTests {
    @Test func theCacheComputesEachLineAndProfileOnce() throws {
        let cache = RacingLineCache()
        let track = try Track(name: "rectangle", points: RacingLineTestSupport.roundedRectangle(long: 300, short: 150, radius: 30).points)
        let gt3 = try VehicleTestSupport.spec("gt3"), cup = try VehicleTestSupport.spec("cup")
        let first = cache.profile(track: track, car: gt3)
        let again = cache.profile(track: track, car: gt3)
        #expect(first.speed == again.speed && first.lapTime == again.lapTime)
        #expect(cache.count == (lines: 1, profiles: 1))
        _ = cache.profile(track: track, car: gt3, gripScale: 0.97)  // same line, new profile
        #expect(cache.count == (lines: 1, profiles: 2))
        _ = cache.profile(track: track, car: cup)  // narrower car: its own line
        #expect(cache.count == (lines: 2, profiles: 3))
        // Same name, different car: recomputed and replaced, not confused with the old one.
        var heavier = gt3
        heavier.chassis.massKg += 200
        let slower = cache.profile(track: track, car: heavier)
        #expect(slower.lapTime > first.lapTime)
        #expect(cache.count == (lines: 2, profiles: 3))
        // The cached values are those computed directly.
        let direct = SpeedProfile(
            line: RacingLine(track: track, parameters: .init(vehicleWidth: gt3.chassis.overallWidthM)),
            vehicle: VehicleModel(spec: gt3))
        #expect(direct.speed == first.speed)
        let line = cache.line(track: track, parameters: .init(vehicleWidth: gt3.chassis.overallWidthM))
        #expect(line.offset == RacingLine(track: track, parameters: .init(vehicleWidth: gt3.chassis.overallWidthM)).offset)
        #expect(cache.limit(track: track, car: gt3) == LapLimit.compute(track: track, car: gt3))
        cache.removeAll()
        #expect(cache.count == (lines: 0, profiles: 0))
    }

    @Test func concurrentCallersGetTheSameLine() async throws {
        let cache = RacingLineCache()
        let track = try Track(name: "rectangle", points: RacingLineTestSupport.roundedRectangle(long: 300, short: 150, radius: 30).points)
        let lengths = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<8 { group.addTask { cache.line(track: track).length } }
            var all: [Double] = []
            for await length in group { all.append(length) }
            return all
        }
        #expect(lengths.count == 8 && Set(lengths).count == 1)
        #expect(cache.count.lines == 1)
    }

    @Test func lapLimitEncodesAndFormats() throws {
        let limit = LapLimit(track: "Monza", car: "GT3", lapTime: 107.0456, length: 5771.5, topSpeed: 78.1, minSpeed: 15.2)
        let data = try JSONEncoder().encode(limit)
        #expect(try JSONDecoder().decode(LapLimit.self, from: data) == limit)
        #expect(limit.formattedLapTime == "1:47.046")
        #expect(LapLimit.format(lapTime: 59.9996) == "1:00.000")
        #expect(LapLimit.format(lapTime: 5.5) == "0:05.500")
        #expect(LapLimit.format(lapTime: .nan) == "--" && LapLimit.format(lapTime: -1) == "--")
        let table = LapLimit.table([limit])
        #expect(table.hasPrefix("circuit       car       lap       top km/h  min km/h  line m\n"))
        #expect(table.contains("Monza         GT3       1:47.046  281.2     54.7      5772"))
    }
}
