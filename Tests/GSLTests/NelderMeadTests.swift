import Testing
import GSL

/// Nelder-Mead over GSL's nmsimplex2 with a Swift closure as the objective.
@Suite struct NelderMeadTests {
    @Test func findsTheRosenbrockMinimum() throws {
        var evaluations = 0
        let result = try NelderMead().minimize(start: [-1.2, 1], step: [0.1, 0.1]) { p in
            evaluations += 1
            let (x, y) = (p[0], p[1])
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        }
        #expect(result.converged)
        #expect(abs(result.point[0] - 1) < 1e-4 && abs(result.point[1] - 1) < 1e-4, "\(result.point)")
        #expect(result.value < 1e-8)
        #expect(result.iterations > 10 && result.iterations < 2000)
        #expect(evaluations >= result.iterations)
        #expect(result.simplexSize < 1e-8)
    }

    @Test func findsTheMinimumOfAFourDimensionalQuadratic() throws {
        let centre = [1.5, -2, 0.25, 4]
        let weights = [1.0, 3, 0.5, 10]
        let result = try NelderMead(sizeTolerance: 1e-6).minimize(start: [0, 0, 0, 0], step: [1, 1, 1, 1]) { p in
            var sum = 7.0
            for i in 0..<4 { sum += weights[i] * (p[i] - centre[i]) * (p[i] - centre[i]) }
            return sum + 0.5 * (p[0] - centre[0]) * (p[1] - centre[1])  // a mild coupling
        }
        #expect(result.converged)
        for i in 0..<4 { #expect(abs(result.point[i] - centre[i]) < 1e-4, "coordinate \(i): \(result.point)") }
        #expect(abs(result.value - 7) < 1e-8)
    }

    @Test func nonFiniteValuesAreAvoided() throws {
        // Undefined (NaN) below 0 and infinite above 10: the minimum at 2 is still found.
        let result = try NelderMead().minimize(start: [5], step: [4]) { p in
            let x = p[0]
            if x < 0 { return .nan }
            if x > 10 { return .infinity }
            return (x - 2) * (x - 2)
        }
        #expect(result.converged)
        #expect(abs(result.point[0] - 2) < 1e-4)
    }

    @Test func anObjectiveThatIsNeverFiniteReportsInfinity() throws {
        let result = try NelderMead(maxIterations: 50).minimize(start: [1, 1], step: [0.5, 0.5]) { _ in .nan }
        #expect(result.value == .infinity)
        #expect(result.iterations <= 50)
    }

    @Test func stopsAtTheIterationLimit() throws {
        let result = try NelderMead(maxIterations: 5).minimize(start: [-1.2, 1], step: [0.1, 0.1]) { p in
            (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0])
        }
        #expect(result.iterations == 5)
        #expect(!result.converged)
    }

    @Test func rejectsBadInputWithMessages() {
        func message(_ minimizer: NelderMead = NelderMead(), start: [Double], step: [Double]) -> String? {
            do {
                _ = try minimizer.minimize(start: start, step: step) { $0[0] * $0[0] }
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message(start: [], step: []) == "Nelder-Mead: the start point is empty")
        #expect(message(start: [1, 2], step: [0.1]) == "Nelder-Mead: 1 steps for a 2-dimensional start point")
        #expect(message(start: [1, .nan], step: [0.1, 0.1]) == "Nelder-Mead: start[1] is nan, not a finite number")
        #expect(message(start: [1, 2], step: [0.1, 0]) == "Nelder-Mead: step[1] is 0.0, expected a finite non-zero number")
        #expect(message(NelderMead(maxIterations: 0), start: [1], step: [1])
                == "Nelder-Mead: maxIterations is 0, expected at least 1")
        #expect(message(NelderMead(sizeTolerance: -1), start: [1], step: [1])
                == "Nelder-Mead: sizeTolerance is -1.0, expected a finite number above 0")
    }
}
