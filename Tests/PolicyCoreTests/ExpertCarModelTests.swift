import Foundation
@testable import PolicyCore
import Sim
import Testing
import RivalTestSupport

@Suite("Expert car model and limits")
struct ExpertCarModelTests {
    @Test("the tabulated inverse magic formula inverts the curve, and saturates at the peak",
          arguments: ["gt3", "formula", "cup"])
    func inverse(car name: String) throws {
        let model = ExpertCarModel(car: try Shipped.car(name), fuelMass: 0)
        #expect(abs(model.lateralShape(model.peakSlip) - 1) < 1e-9)
        #expect(model.lateralShape(model.peakSlip * 0.9) < 1)
        #expect(model.lateralShape(model.peakSlip * 1.1) < 1)
        for fraction in stride(from: -0.99, through: 0.99, by: 0.07) {
            #expect(abs(model.lateralShape(model.slip(atFraction: fraction)) - fraction) < 2e-3)
        }
        #expect(model.slip(atFraction: 1.5) == model.slip(atFraction: 1))
        #expect(abs(model.slip(atFraction: 1) - model.peakSlip) < 1e-9)
    }

    @Test("axle loads: the static split, the load transfer and the downforce sum to weight plus downforce")
    func loads() throws {
        let car = try Shipped.car("gt3")
        let model = ExpertCarModel(car: car, fuelMass: 50)
        let weight = (car.chassis.massKg + 50) * VehicleModel.gravity
        let downforce = 0.5 * VehicleModel.airDensity * car.aero.downforceAreaM2 * 2500
        let braking = model.axles(ax: -15, speedSquared: 2500, gripFactor: 1)
        #expect(abs(braking.frontLoad + braking.rearLoad - weight - downforce) < 1e-6)
        let level = model.axles(ax: 0, speedSquared: 2500, gripFactor: 1)
        #expect(braking.frontLoad > level.frontLoad)
        #expect(abs(level.frontLoad - (weight * (car.chassis.wheelbaseM - car.chassis.cogToFrontAxleM)
                                        / car.chassis.wheelbaseM + downforce * car.aero.frontFraction)) < 1e-6)
        // Accelerating up to the front limit leaves the front axle exactly the lateral peak asked for.
        let need = 0.8 * level.frontLateral
        let ax = model.frontAccelerationLimit(lateralForce: need, speedSquared: 2500, gripFactor: 1)
        #expect(ax > 0)
        #expect(abs(model.axles(ax: ax, speedSquared: 2500, gripFactor: 1).frontLateral - need) < 1e-6 * need)
    }

    @Test("tabulated limits: straight-line braking matches the vehicle model, cornering leaves less of it")
    func limits() throws {
        let car = try Shipped.car("gt3")
        let vehicle = VehicleModel(spec: car)
        let limits = ExpertLimits(model: vehicle, car: ExpertCarModel(car: car, fuelMass: 0), frontShare: 1,
                                  rearShare: 1, fuelMass: 0)
        for speed in [20.0, 40, 60] {
            let straight = limits.value(limits.deceleration, speed: speed, lateral: 0)
            #expect(abs(straight / vehicle.maxBrakingDeceleration(speed: speed) - 1) < 0.01, "\(speed) m/s")
            let cornering = limits.value(limits.deceleration, speed: speed, lateral: 0.7 * limits.lateral(speed))
            #expect(cornering < 0.9 * straight)
            let drive = limits.value(limits.acceleration, speed: speed, lateral: 0)
            #expect(abs(drive / vehicle.maxDriveAcceleration(speed: speed) - 1) < 0.01, "\(speed) m/s")
            // At the steady cornering limit (where the rear axle also drives against drag) hardly any braking is left.
            let atLimit = limits.value(limits.brakeInput, speed: speed, lateral: limits.lateral(speed))
            #expect(atLimit < 0.1 && atLimit < 0.15 * limits.value(limits.brakeInput, speed: speed, lateral: 0))
        }
    }

    @Test("the straight columns give value(_:speed:lateral: 0) bit for bit at every speed, between grid speeds and beyond the grid")
    func straightColumns() throws {
        for name in ["cup", "formula", "gt3"] {
            let car = try Shipped.car(name)
            let limits = ExpertLimits(model: VehicleModel(spec: car), car: ExpertCarModel(car: car, fuelMass: 20),
                                      frontShare: 0.95, rearShare: 0.9, fuelMass: 20)
            #expect(limits.straightDeceleration.count == limits.lateral.count)
            var speed = -3.0
            var checked = 0
            while speed < Double(limits.lateral.count) + 5 {
                for (column, table) in [(limits.straightDeceleration, limits.deceleration),
                                        (limits.straightBrakeInput, limits.brakeInput)] {
                    let fast = limits.straight(column, speed: speed), full = limits.value(table, speed: speed, lateral: 0)
                    #expect(fast.bitPattern == full.bitPattern, "\(name) at \(speed) m/s: \(fast) against \(full)")
                    checked += 1
                }
                speed += 0.0137
            }
            for column in [limits.straightDeceleration, limits.straightBrakeInput] {
                #expect(limits.straight(column, speed: .nan) == column[0])
                #expect(limits.straight(column, speed: .infinity).bitPattern
                        == limits.value(column == limits.straightDeceleration ? limits.deceleration : limits.brakeInput,
                                        speed: .infinity, lateral: 0).bitPattern)
            }
            #expect(checked > 10_000)
            #expect(limits.minimumStraightDeceleration == limits.straightDeceleration.min())
        }
    }
}
