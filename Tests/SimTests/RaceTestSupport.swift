import Foundation
@testable import Sim

/// A test driver: holds a constant speed on the centreline plus an offset with simple P-control. Not an
/// expert: just enough to exercise the race engine on wide, gentle tracks.
final class CruiseDriver: Driver {
    let track: Track
    let model: VehicleModel
    var targetSpeed: Double
    var offset: Double
    var steerToward: Double? = nil
    let decisionInterval: Double

    init(track: Track, model: VehicleModel, targetSpeed: Double, offset: Double = 0, interval: Double = 1.0 / 60) {
        self.track = track
        self.model = model
        self.targetSpeed = targetSpeed
        self.offset = offset
        decisionInterval = interval
    }

    func decide(_ view: DriverView) -> CarControls {
        let sample = track.sample(at: view.s + 10)
        let lookahead = max(8, view.speed * 0.5)
        let target = steerToward ?? offset
        let error = view.lateral + lookahead * sin(view.headingError) - target
        let kappa = sample.curvature - 2 * error / (lookahead * lookahead)
        let steer = atan(model.spec.chassis.wheelbaseM * kappa) / model.spec.steering.maxAngleRad
        let dv = targetSpeed - view.speed
        return CarControls(steering: max(-1, min(1, steer)), throttle: dv > 0 ? min(1, dv * 0.5) : 0,
                           brake: dv < -1 ? min(1, -dv * 0.2) : 0)
    }
}

enum RaceFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func car(_ name: String = "gt3") throws -> CarSpec {
        try CarSpec.resolve(name, searchDirectories: [repoRoot.appendingPathComponent("cars").path])
    }

    /// A circle of radius `radius` (m), `width` metres wide, counter-clockwise.
    static func circle(radius: Double = 300, width: Double = 14) throws -> Track {
        let n = Int(2 * Double.pi * radius / 5)
        let points = (0..<n).map { i -> TrackPoint in
            let a = 2 * Double.pi * Double(i) / Double(n)
            return TrackPoint(x: radius * cos(a), y: radius * sin(a), widthRight: width / 2, widthLeft: width / 2)
        }
        return try Track(name: "Circle\(Int(radius))", points: points)
    }
}
