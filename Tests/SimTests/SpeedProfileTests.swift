import Foundation
import Testing
@testable import Sim

/// The quasi-steady-state speed profile: against closed forms on a circle and a long straight, within the car's
/// limits everywhere, and lap times of the shipped cars at Monza.
@Suite struct SpeedProfileTests {
    static func car(_ name: String) throws -> CarSpec { try VehicleTestSupport.spec(name) }

    static func monza() throws -> Track { try Track.load(path: TrackTestSupport.tracksDirectory + "/Monza.csv") }

    /// On a circle the speed is the steady cornering speed of the line's radius: v = sqrt(a_lat,max(v) R), the
    /// same all round, and the lap time is the circumference over it.
    @Test(arguments: VehicleTestSupport.carNames)
    func onACircleTheSpeedIsTheSteadyCorneringSpeed(name: String) throws {
        let spec = try Self.car(name)
        let vehicle = VehicleModel(spec: spec)
        let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 300, width: 6))
        let line = RacingLine(track: track, parameters: .init(vehicleWidth: spec.chassis.overallWidthM))
        let profile = SpeedProfile(line: line, vehicle: vehicle)
        let radius = line.length / (2 * Double.pi)
        let v = profile.speed[0]
        let steady = (vehicle.maxLateralAcceleration(speed: v) * radius).squareRoot()
        print(name, "circle of radius", radius, "m:", v, "m/s, steady", steady, "m/s")
        #expect(abs(v / steady - 1) < 0.005, "\(name): \(v) m/s vs \(steady) m/s")
        #expect(profile.maxSpeedSpread < 1e-3 * v)
        #expect(abs(profile.lapTime / (line.length / v) - 1) < 1e-4)
        #expect(profile.longitudinalAcceleration.allSatisfy { abs($0) < 0.1 })  // the line's curvature varies by 5e-5
        // At 97% of the grip the speed drops by sqrt(0.97) without downforce, more with it (v^2 = gripScale mu g /
        // (kappa - gripScale mu c) when the limit is mu (g + c v^2)).
        let careful = SpeedProfile(line: line, vehicle: vehicle, gripScale: 0.97)
        let ratio = careful.speed[0] / v
        print(name, "speed ratio at 97% grip", ratio)
        #expect(ratio < 0.97.squareRoot() + 1e-4 && ratio > 0.97, "\(name): \(ratio)")
    }

    /// On a long straight the car reaches its top speed.
    @Test(arguments: VehicleTestSupport.carNames)
    func onALongStraightTheProfileReachesTopSpeed(name: String) throws {
        let spec = try Self.car(name)
        let vehicle = VehicleModel(spec: spec)
        let shape = RacingLineTestSupport.roundedRectangle(long: 5000, short: 100, radius: 40, step: 5)
        let track = try Track(name: "straight", points: shape.points)
        let line = RacingLine(track: track, parameters: .init(vehicleWidth: spec.chassis.overallWidthM, nodeSpacing: 5))
        let profile = SpeedProfile(line: line, vehicle: vehicle)
        let top = vehicle.topSpeed()
        print(name, "straight: profile top speed", profile.topSpeed, "m/s, vehicle top speed", top, "m/s")
        #expect(profile.topSpeed > 0.99 * top && profile.topSpeed <= top * (1 + 1e-9), "\(name): \(profile.topSpeed) vs \(top)")
    }

    @Test func theProfileNeverExceedsTheLateralOrTheCombinedLimit() throws {
        let track = try Self.monza()
        for name in VehicleTestSupport.carNames {
            let spec = try Self.car(name)
            let vehicle = VehicleModel(spec: spec)
            let limits = AccelerationLimits(vehicle: vehicle)
            // The table follows the model between its grid points.
            for v in stride(from: 5.3, to: limits.topSpeed, by: 7.1) {  // real laps stay above 10 m/s
                #expect(abs(limits.lateral(at: v) / vehicle.maxLateralAcceleration(speed: v) - 1) < 1e-3)
                #expect(abs(limits.braking(at: v) / vehicle.maxBrakingDeceleration(speed: v) - 1) < 1e-3)
                #expect(abs(limits.drive(at: v) - vehicle.maxDriveAcceleration(speed: v)) < 1e-2)
            }
            let line = RacingLine(track: track, parameters: .init(vehicleWidth: spec.chassis.overallWidthM))
            for gripScale in [1.0, 0.9] {
                let profile = SpeedProfile(line: line, limits: limits, gripScale: gripScale)
                var lateral = 0.0, combined = 0.0
                for i in 0..<profile.count {
                    let v = profile.speed[i], ay = profile.lateralAcceleration[i]
                    let aymax = gripScale * limits.lateral(at: v)
                    lateral = max(lateral, abs(ay) / aymax)
                    // The segments before and after the sample.
                    for ax in [profile.longitudinalAcceleration[i], profile.longitudinalAcceleration[(i + profile.count - 1) % profile.count]] {
                        let axmax = ax >= 0 ? limits.drive(at: v) : gripScale * limits.braking(at: v)
                        combined = max(combined, (ax / axmax) * (ax / axmax) + (ay / aymax) * (ay / aymax))
                    }
                }
                print(name, gripScale, "lateral", lateral, "combined", combined)
                #expect(lateral <= 1 + 1e-9, "\(name) at \(gripScale): lateral use \(lateral)")
                #expect(combined <= 1.001, "\(name) at \(gripScale): combined use \(combined)")
            }
        }
    }

    /// Flying laps at Monza of the three shipped cars, against real lap times of their classes.
    @Test func lapTimesAtMonzaArePlausible() throws {
        let track = try Self.monza()
        // Real references (dry, 2019-2023): GT3 about 1:46-1:48 (GT World Challenge / DTM qualifying), FIA F2
        // about 1:32-1:35 (qualifying 1:31-1:32 with DRS and tows), GR86-class cup cars about 2:10-2:20.
        let ranges: [String: ClosedRange<Double>] = ["gt3": 104...118, "formula": 88...102, "cup": 128...150]
        var rows: [LapLimit] = []
        for name in VehicleTestSupport.carNames {
            let spec = try Self.car(name)
            let limit = LapLimit.compute(track: track, car: spec)
            rows.append(limit)
            #expect(ranges[name]!.contains(limit.lapTime), "\(name): \(limit.formattedLapTime)")
            #expect(limit.topSpeed > 50 && limit.minSpeed > 10 && limit.minSpeed < limit.topSpeed)
        }
        print(LapLimit.table(rows))
        // Faster car, faster lap.
        #expect(rows[1].lapTime < rows[0].lapTime && rows[0].lapTime < rows[2].lapTime)
    }
}
