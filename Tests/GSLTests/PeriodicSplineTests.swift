import Testing
import GSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `PeriodicSpline` through sin on a closed grid over one period.
@Suite struct PeriodicSplineTests {
    static let knots = 64

    func sineSpline() throws -> PeriodicSpline {
        let x = (0...Self.knots).map { 2 * Double.pi * Double($0) / Double(Self.knots) }
        var y = x.map(sin)
        y[Self.knots] = y[0]  // sin(2 pi) is -2.4e-16, not exactly 0
        return try PeriodicSpline(x: x, y: y)
    }

    @Test func interpolatesSineAndItsDerivatives() throws {
        let spline = try sineSpline()
        #expect(abs(spline.period - 2 * Double.pi) < 1e-15 && spline.lowerBound == 0)
        var worstValue = 0.0, worstSlope = 0.0, worstCurvature = 0.0
        for i in 0..<1000 {
            let t = 2 * Double.pi * (Double(i) + 0.37) / 1000
            worstValue = max(worstValue, abs(spline.value(at: t) - sin(t)))
            worstSlope = max(worstSlope, abs(spline.derivative(at: t) - cos(t)))
            worstCurvature = max(worstCurvature, abs(spline.secondDerivative(at: t) + sin(t)))
        }
        #expect(worstValue < 1e-5, "value error \(worstValue)")
        #expect(worstSlope < 1e-4, "slope error \(worstSlope)")
        #expect(worstCurvature < 1e-2, "curvature error \(worstCurvature)")
    }

    @Test func wrapsAroundThePeriod() throws {
        let spline = try sineSpline()
        for t in [0.3, 1.7, 4.0, 6.1] {
            #expect(abs(spline.value(at: t + 6 * Double.pi) - spline.value(at: t)) < 1e-12)
            #expect(abs(spline.value(at: t - 4 * Double.pi) - spline.value(at: t)) < 1e-12)
            #expect(abs(spline.derivative(at: t + 2 * Double.pi) - spline.derivative(at: t)) < 1e-12)
        }
        #expect(abs(spline.value(at: -1) - sin(-1)) < 1e-5)
        // Continuous across the seam.
        #expect(abs(spline.value(at: 2 * Double.pi - 1e-9) - spline.value(at: 1e-9)) < 1e-8)
        #expect(abs(spline.derivative(at: 2 * Double.pi - 1e-9) - spline.derivative(at: 1e-9)) < 1e-7)
    }

    @Test func nonFiniteArgumentGivesNaN() throws {
        let spline = try sineSpline()
        #expect(spline.value(at: .nan).isNaN)
        #expect(spline.derivative(at: .infinity).isNaN)
        #expect(spline.secondDerivative(at: -.infinity).isNaN)
    }

    @Test func rejectsBadInputWithMessages() {
        func message(x: [Double], y: [Double]) -> String? {
            do {
                _ = try PeriodicSpline(x: x, y: y)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message(x: [0, 1, 2], y: [0, 1]) == "spline: 3 abscissae but 2 ordinates")
        #expect(message(x: [0, 1], y: [0, 0]) == "spline: 2 knots, need at least 3")
        #expect(message(x: [0, 2, 1, 3], y: [0, 1, 2, 0]) == "spline: abscissa 2 (1.0) is not above the previous (2.0)")
        #expect(message(x: [0, 1, .nan, 3], y: [0, 1, 2, 0]) == "spline: knot 2 is not finite (x nan, y 2.0)")
        #expect(message(x: [0, 1, 2, 3], y: [0, 1, 2, 0.5])
                == "spline: periodic data must end where it starts (y first 0.0, last 0.5)")
        #expect(message(x: [0, 1, 2, 3], y: [0, 1, -1, 0]) == nil)
    }
}
