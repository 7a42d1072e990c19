import Foundation
import Testing
@testable import Sim

/// The numerical parts under the racing line: the cyclic pentadiagonal factorisation, the box-constrained QP and
/// the curvature residuals' derivatives.
@Suite struct RacingLineSolverTests {
    /// A random symmetric, diagonally dominant (so positive definite) cyclic pentadiagonal matrix.
    static func randomMatrix(_ n: Int, _ rng: inout TrackTestSupport.SplitMix) -> CyclicPentadiagonalMatrix {
        var h = CyclicPentadiagonalMatrix(size: n)
        for i in 0..<n {
            h.d1[i] = rng.uniform(-2, 2)
            h.d2[i] = rng.uniform(-1, 1)
        }
        for i in 0..<n { h.d0[i] = 6.5 + rng.next() }
        return h
    }

    @Test(arguments: [5, 6, 7, 8, 9, 12, 41])
    func factorisationSolvesFullAndPrincipalSubmatrices(n: Int) {
        var rng = TrackTestSupport.SplitMix(state: UInt64(n))
        let h = Self.randomMatrix(n, &rng)
        let subsets: [[Int]] = [
            Array(0..<n), (0..<n).filter { $0 % 3 != 1 }, (0..<n).filter { $0 != 0 && $0 != n - 2 },
            (0..<n).filter { $0 % 4 != 3 }, [0, 1, 2], [n - 1],
        ]
        for rows in subsets {
            let b = rows.map { _ in rng.uniform(-1, 1) }
            let factor = try! #require(CyclicPentadiagonalFactorization(h, rows: rows))
            let x = factor.solve(b)
            for (p, i) in rows.enumerated() {
                var sum = 0.0
                for (q, j) in rows.enumerated() { sum += h.entry(i, j) * x[q] }
                #expect(abs(sum - b[p]) < 1e-12, "n \(n), \(rows.count) rows, row \(p)")
            }
        }
    }

    @Test func factorisationRejectsAnIndefiniteMatrix() {
        var h = CyclicPentadiagonalMatrix(size: 8)
        for i in 0..<8 { h.d0[i] = 1; h.d1[i] = 2 }
        #expect(CyclicPentadiagonalFactorization(h, rows: Array(0..<8)) == nil)
        #expect(CyclicPentadiagonalFactorization(h, rows: [0, 1, 2]) == nil)
    }

    @Test func multiplyAndQuadraticFormMatchTheEntries() {
        var rng = TrackTestSupport.SplitMix(state: 3)
        let h = Self.randomMatrix(9, &rng)
        let x = (0..<9).map { _ in rng.uniform(-1, 1) }, c = (0..<9).map { _ in rng.uniform(-1, 1) }
        let y = h.multiply(x)
        var form = 0.0
        for i in 0..<9 {
            var sum = 0.0
            for j in 0..<9 { sum += h.entry(i, j) * x[j] }
            #expect(abs(sum - y[i]) < 1e-12)
            form += x[i] * (0.5 * sum + c[i])
        }
        #expect(abs(form - h.quadraticForm(x, linear: c)) < 1e-12)
    }

    /// The QP's answer satisfies the KKT conditions: inside the box, zero gradient where free, the gradient
    /// pushing outwards where at a bound; fixed variables (equal bounds) stay put.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func boxQPSatisfiesTheKKTConditions(seed: UInt64) {
        var rng = TrackTestSupport.SplitMix(state: seed)
        let n = 300
        // A biharmonic-like matrix (J'J of second differences, like the racing line's) plus a little diagonal.
        var h = CyclicPentadiagonalMatrix(size: n)
        for i in 0..<n {
            h.d0[i] = 6 + 0.01 * rng.next()
            h.d1[i] = -4
            h.d2[i] = 1
        }
        let c = (0..<n).map { _ in rng.uniform(-1, 1) }
        var lower = (0..<n).map { _ in rng.uniform(-3, -0.5) }
        var upper = (0..<n).map { _ in rng.uniform(0.5, 3) }
        for i in stride(from: 7, to: n, by: 37) { lower[i] = 0.25; upper[i] = 0.25 }
        let solution = BoxConstrainedQP.solve(
            hessian: h, linear: c, lower: lower, upper: upper, start: [Double](repeating: 0, count: n),
            activeSetIterations: 50, maximumIterations: 500)
        #expect(solution.converged)
        let x = solution.x
        let g = h.multiply(x)
        var atBounds = 0
        for i in 0..<n {
            let gradient = g[i] + c[i]
            #expect(x[i] >= lower[i] - 1e-12 && x[i] <= upper[i] + 1e-12)
            if lower[i] == upper[i] {
                #expect(x[i] == lower[i])
            } else if x[i] <= lower[i] + 1e-9 {
                atBounds += 1
                #expect(gradient >= -1e-6)
            } else if x[i] >= upper[i] - 1e-9 {
                atBounds += 1
                #expect(gradient <= 1e-6)
            } else {
                #expect(abs(gradient) < 1e-6)
            }
        }
        #expect(atBounds > 10)  // the bounds matter in this problem
    }

    /// The residuals' analytic derivatives match central differences.
    @Test func residualJacobianMatchesFiniteDifferences() {
        var rng = TrackTestSupport.SplitMix(state: 11)
        let n = 40
        var p = MinimumCurvatureProblem(baseX: [], baseY: [], normalX: [], normalY: [], lower: [], upper: [])
        for k in 0..<n {
            let angle = 2 * Double.pi * Double(k) / Double(n)
            let radius = 50 + rng.uniform(-3, 3)
            p.baseX.append(radius * cos(angle))
            p.baseY.append(0.6 * radius * sin(angle))
            let normal = angle + rng.uniform(-0.3, 0.3)
            p.normalX.append(cos(normal))
            p.normalY.append(sin(normal))
            p.lower.append(-5)
            p.upper.append(5)
        }
        let a0 = (0..<n).map { _ in rng.uniform(-2, 2) }
        let (_, jm, j0, jp) = p.residuals(a0, jacobian: true)
        var worst = 0.0
        for j in 0..<n {
            var plus = a0, minus = a0
            plus[j] += 1e-5
            minus[j] -= 1e-5
            let rp = p.residuals(plus, jacobian: false).r, rm = p.residuals(minus, jacobian: false).r
            for k in 0..<n {
                let numeric = (rp[k] - rm[k]) / 2e-5
                var analytic = 0.0
                if j == (k + n - 1) % n { analytic += jm[k] }
                if j == k { analytic += j0[k] }
                if j == (k + 1) % n { analytic += jp[k] }
                worst = max(worst, abs(numeric - analytic))
            }
        }
        #expect(worst < 1e-9, "worst difference \(worst)")  // the derivatives are about 1e-3
    }
}
