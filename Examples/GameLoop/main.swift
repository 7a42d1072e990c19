// A game's own loop with its own (simple) car physics, driven by Rival's human drivers through the Swift API.
//
// The game owns the cars: a kinematic bicycle model with a grip limit, not Rival's simulator. Each physics step it
// fills a `DriverView` of each car from its own state (projected onto the track for s, lateral and heading error,
// plus the nearby cars), asks that car's `HumanDriver` for controls at the driver's decision rate, and applies them.
//
// Usage: rival-game-loop [DATA_DIR] [TRACK] [LAPS] [GRID]   (defaults: . Norisring 2 club,pro)
// Prints one line per car, tab-separated: car index, persona, laps, lap times (s, space-separated).
import DriverPersona
import Foundation
import PolicyCore
import Sim

/// The game's own car: position, heading, speed and steering, stepped by ``step(_:dt:)``.
struct GameCar {
    var x: Double, y: Double, yaw: Double, speed = 0.0, wheelAngle = 0.0
    var yawRate = 0.0, accelerationLong = 0.0, accelerationLat = 0.0
    /// Frenet position, kept by the game from step to step.
    var s: Double, lateral = 0.0, lateralRate = 0.0
    var laps = 0, lapStart = 0.0
    var lapTimes: [Double] = []

    /// One physics step of `dt` seconds with `controls`, for the car described by `spec` (mass, power, brakes,
    /// drag, downforce, steering lock and rate; the tyres as one friction coefficient).
    mutating func step(_ controls: CarControls, spec: CarSpec, dt: Double) {
        let c = controls.clamped
        let mass = spec.chassis.massKg, g = 9.81, rho = 1.2
        let downforce = 0.5 * rho * spec.aero.downforceAreaM2 * speed * speed
        let grip = spec.tyre.lateral.D * (mass * g + downforce) / mass  // m/s^2 available
        let drive = c.throttle * min(spec.powertrain.maxDriveForceN,
                                     spec.powertrain.powerW * spec.powertrain.drivetrainEfficiency / max(speed, 1))
        let drag = 0.5 * rho * spec.aero.dragAreaM2 * speed * speed
        let brake = c.brake * spec.brakes.maxForceN
        accelerationLong = (drive - drag - brake) / mass
        speed = max(0, speed + accelerationLong * dt)
        // Steering: the wheel follows the command at the rack's rate; the yaw rate is what the grip allows.
        let target = c.steering * spec.steering.maxAngleRad
        let maxStep = spec.steering.maxRateRadPerS * dt
        wheelAngle += min(max(target - wheelAngle, -maxStep), maxStep)
        var rate = speed * tan(wheelAngle) / spec.chassis.wheelbaseM
        if speed > 1 { rate = min(max(rate, -grip / speed), grip / speed) }
        yawRate = rate
        accelerationLat = speed * rate
        yaw += rate * dt
        x += speed * cos(yaw) * dt
        y += speed * sin(yaw) * dt
    }
}

/// The angle `a` wrapped into (-pi, pi].
func wrap(_ a: Double) -> Double {
    var a = a.truncatingRemainder(dividingBy: 2 * .pi)
    if a > .pi { a -= 2 * .pi } else if a <= -.pi { a += 2 * .pi }
    return a
}

let arguments = CommandLine.arguments
let dataDirectory = arguments.count > 1 ? arguments[1] : "."
let trackName = arguments.count > 2 ? arguments[2] : "Norisring"
let laps = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
let gridNames = (arguments.count > 4 ? arguments[4] : "club,pro").split(separator: ",").map(String.init)
let seed: UInt64 = 1

do {
    let track = try Track.resolve(trackName, searchDirectories: [dataDirectory + "/tracks"])
    let spec = try CarSpec.resolve("gt3", searchDirectories: [dataDirectory + "/cars"])
    let personas = try gridNames.map { try Persona.resolve($0, searchDirectories: [dataDirectory + "/personas"]) }
    let fuel = 30.0
    let source = PolicySource.expert(ExpertPlan(track: track, car: spec, fuelMass: fuel))
    let drivers = personas.enumerated().map { index, persona in
        source.makeDriver(traits: persona.sample(raceSeed: seed, index: index), raceSeed: seed, index: index)
    }
    // The grid: in a line behind the start, 10 m apart, on the centreline.
    var cars: [GameCar] = drivers.indices.map { i in
        let s = track.wrap(-10 * Double(i + 1))
        let p = track.point(s: s, lateral: 0)
        return GameCar(x: p.x, y: p.y, yaw: track.sample(at: s).heading, s: s)
    }
    var held = [CarControls](repeating: CarControls(), count: cars.count)
    var nextDecision = [Double](repeating: 0, count: cars.count)
    let dt = 1.0 / 120
    var time = 0.0
    while cars.contains(where: { $0.laps < laps }) && time < Double(laps) * 300 {
        for i in cars.indices where cars[i].laps < laps && time >= nextDecision[i] - 1e-9 {
            let car = cars[i]
            var view = DriverView(time: time, carIndex: i, speed: car.speed, yawRate: car.yawRate,
                                  steeringAngle: car.wheelAngle, longitudinalAcceleration: car.accelerationLong,
                                  lateralAcceleration: car.accelerationLat, s: car.s, lateral: car.lateral,
                                  headingError: wrap(car.yaw - track.sample(at: car.s).heading), lapsCompleted: car.laps)
            for j in cars.indices where j != i {
                let gap = track.signedDistance(from: car.s, to: cars[j].s)
                if abs(gap) < 150 {
                    view.nearby.insert(NearbyCar(index: j, gap: gap, lateral: cars[j].lateral,
                                                 speedDifference: cars[j].speed - car.speed,
                                                 lateralSpeed: cars[j].lateralRate))
                }
            }
            held[i] = drivers[i].decide(view)
            nextDecision[i] += drivers[i].decisionInterval
        }
        time += dt
        for i in cars.indices where cars[i].laps < laps {
            let before = cars[i].s, beforeLateral = cars[i].lateral
            cars[i].step(held[i], spec: spec, dt: dt)
            let f = track.project(x: cars[i].x, y: cars[i].y, near: before)
            cars[i].s = f.s
            cars[i].lateralRate = (f.lateral - beforeLateral) / dt  // velocity across the track
            cars[i].lateral = f.lateral
            if before > track.length - 50 && f.s < 50 {  // crossed the line
                if time > 5 { cars[i].lapTimes.append(time - cars[i].lapStart) }
                cars[i].laps = cars[i].lapTimes.count
                cars[i].lapStart = time
            }
        }
    }
    for (i, car) in cars.enumerated() {
        let times = car.lapTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")
        print("\(i)\t\(personas[i].name)\t\(car.laps)\t\(times)")
    }
} catch {
    FileHandle.standardError.write(Data("rival-game-loop: \(error)\n".utf8))
    exit(2)
}
