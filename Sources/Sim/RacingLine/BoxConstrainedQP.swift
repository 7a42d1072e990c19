/// Minimises a convex quadratic 0.5 x'Hx + c'x subject to box bounds lower <= x <= upper, where H is symmetric
/// positive definite and cyclic pentadiagonal.
///
/// Method: first the primal-dual active set method (M. Hintermueller, K. Ito, K. Kunisch, "The primal-dual active
/// set strategy as a semismooth Newton method", SIAM J. Optimization 13(3), 2003): guess which variables sit at
/// which bound from the current point and multipliers, solve for the rest exactly (one cyclic pentadiagonal
/// solve, O(n)), update the multipliers, and repeat until the guess no longer changes; that point satisfies the
/// KKT conditions and is the minimiser. It usually takes a handful of iterations, but for a matrix that is not an
/// M-matrix it can cycle, so after `activeSetIterations` without settling the solver falls back to Bertsekas's
/// projected Newton method (D. P. Bertsekas, "Projected Newton methods for optimization problems with simple
/// constraints", SIAM J. Control and Optimization 20(2), 1982), which always converges. Each iteration splits the
/// variables into an epsilon-active set (at or near a bound, with the gradient pushing outwards), which takes a
/// diagonally scaled gradient step, and the free set, which takes the exact Newton step on the free block of H
/// (a cyclic pentadiagonal solve, O(n)); the combined step is projected onto the box and shortened by an
/// Armijo rule along the projection arc. Once the active set is identified (usually within a few iterations)
/// the full step is the exact minimiser and the method stops.
///
/// A variable whose bounds are equal (or crossed: then `lower` wins) is fixed at its bound.
enum BoxConstrainedQP {
    /// The result: the minimiser and the iterations used.
    struct Solution {
        var x: [Double]
        var iterations: Int
        var converged: Bool
    }

    /// Solves the problem from `start` (projected onto the box first): the primal-dual active set method, then,
    /// if that has not settled after `activeSetIterations`, projected Newton from its last point.
    static func solve(
        hessian h: CyclicPentadiagonalMatrix, linear c: [Double], lower: [Double], upper: [Double], start: [Double],
        activeSetIterations: Int = 10, tolerance: Double = 1e-6, maximumIterations: Int = 20
    ) -> Solution {
        let n = h.n
        precondition(c.count == n && lower.count == n && upper.count == n && start.count == n)
        let attempt = primalDualActiveSet(
            hessian: h, linear: c, lower: lower, upper: upper, start: start, maximumIterations: activeSetIterations)
        if attempt.converged { return attempt }
        var result = projectedNewton(
            hessian: h, linear: c, lower: lower, upper: upper, start: attempt.x, tolerance: tolerance,
            maximumIterations: maximumIterations)
        result.iterations += attempt.iterations
        return result
    }

    /// Solves H_FF x_F = b for the free indices `free` (increasing), regularising the block if it is not
    /// numerically positive definite.
    static func solveFree(_ h: CyclicPentadiagonalMatrix, free: [Int], _ b: [Double]) -> [Double] {
        var factor = CyclicPentadiagonalFactorization(h, rows: free)
        var shift = 0.0
        while factor == nil {
            shift = shift == 0 ? 1e-12 * (h.d0.max() ?? 1) : 10 * shift
            factor = CyclicPentadiagonalFactorization(h, rows: free, shift: shift)
        }
        return factor!.solve(b)
    }

    /// The primal-dual active set iteration (see the type's documentation). Converged means the active sets
    /// repeated, so the point is the exact minimiser (up to rounding).
    static func primalDualActiveSet(
        hessian h: CyclicPentadiagonalMatrix, linear c: [Double], lower: [Double], upper: [Double], start: [Double],
        maximumIterations: Int
    ) -> Solution {
        let n = h.n
        // state: -1 at lower, +1 at upper, 0 free; fixed variables stay at lower.
        var state = [Int8](repeating: 0, count: n)
        var x = (0..<n).map { min(max(start[$0], lower[$0]), max(upper[$0], lower[$0])) }
        var multiplier = h.multiply(x)
        for i in 0..<n { multiplier[i] = -(multiplier[i] + c[i]) }
        var free = [Int]()
        free.reserveCapacity(n)
        var atBound = [Double](repeating: 0, count: n)
        for iteration in 0..<maximumIterations {
            var changed = iteration == 0
            free.removeAll(keepingCapacity: true)
            for i in 0..<n {
                let next: Int8
                if !(lower[i] < upper[i]) {
                    next = -1
                } else if multiplier[i] + h.d0[i] * (x[i] - upper[i]) > 0 {
                    next = 1
                } else if multiplier[i] + h.d0[i] * (x[i] - lower[i]) < 0 {
                    next = -1
                } else {
                    next = 0
                }
                if next != state[i] { changed = true }
                state[i] = next
                switch next {
                case 1: atBound[i] = upper[i]
                case -1: atBound[i] = lower[i]
                default:
                    atBound[i] = 0
                    free.append(i)
                }
            }
            if !changed { return Solution(x: x, iterations: iteration, converged: true) }
            // x_A at the bounds; H_FF x_F = -c_F - H_FA x_A.
            let coupling = h.multiply(atBound)
            x = atBound
            if !free.isEmpty {
                let xf = solveFree(h, free: free, free.map { -c[$0] - coupling[$0] })
                for (p, i) in free.enumerated() { x[i] = xf[p] }
            }
            let gradient = h.multiply(x)
            for i in 0..<n { multiplier[i] = state[i] == 0 ? 0 : -(gradient[i] + c[i]) }
        }
        return Solution(x: x, iterations: maximumIterations, converged: false)
    }

    /// Bertsekas's projected Newton method from `start` (projected onto the box first).
    /// - Parameters:
    ///   - tolerance: stop when a full projected Newton step moves no component by more than this (units of x).
    ///   - maximumIterations: cap on projected Newton iterations.
    static func projectedNewton(
        hessian h: CyclicPentadiagonalMatrix, linear c: [Double], lower: [Double], upper: [Double], start: [Double],
        tolerance: Double, maximumIterations: Int
    ) -> Solution {
        let n = h.n
        @inline(__always) func project(_ v: Double, _ i: Int) -> Double {
            v > upper[i] ? (v < lower[i] ? lower[i] : upper[i]) : (v < lower[i] ? lower[i] : v)
        }
        var x = (0..<n).map { project(start[$0], $0) }
        var f = h.quadraticForm(x, linear: c)
        var free = [Int]()
        free.reserveCapacity(n)
        var position = [Int](repeating: -1, count: n)
        var trial = x
        var direction = [Double](repeating: 0, count: n)
        for iteration in 0..<maximumIterations {
            var g = h.multiply(x)
            var residual = 0.0
            for i in 0..<n {
                g[i] += c[i]
                residual = max(residual, abs(x[i] - project(x[i] - g[i] / h.d0[i], i)))
            }
            if residual == 0 { return Solution(x: x, iterations: iteration, converged: true) }
            let epsilon = min(residual, 1e-2)

            free.removeAll(keepingCapacity: true)
            for i in 0..<n {
                position[i] = -1
                let fixed = !(lower[i] < upper[i])
                let atLower = x[i] <= lower[i] + epsilon && g[i] > 0
                let atUpper = x[i] >= upper[i] - epsilon && g[i] < 0
                if fixed || atLower || atUpper {
                    direction[i] = fixed ? 0 : -g[i] / h.d0[i]
                } else {
                    position[i] = free.count
                    free.append(i)
                }
            }
            var newtonDecrease = 0.0
            if !free.isEmpty {
                let step = solveFree(h, free: free, free.map { -g[$0] })
                for (p, i) in free.enumerated() {
                    direction[i] = step[p]
                    newtonDecrease -= g[i] * step[p]
                }
            }
            // Armijo rule along the projection arc.
            var t = 1.0
            var accepted = false
            var fTrial = f
            for _ in 0..<60 {
                var predicted = t * newtonDecrease
                for i in 0..<n {
                    trial[i] = project(x[i] + t * direction[i], i)
                    if position[i] < 0 { predicted += g[i] * (x[i] - trial[i]) }
                }
                fTrial = h.quadraticForm(trial, linear: c)
                if f - fTrial >= 1e-4 * predicted { accepted = true; break }
                t *= 0.5
            }
            // The size of a full step measures the distance to the minimiser in metres, also along directions
            // where H is nearly flat (the gradient there is tiny, so a gradient test would stop too early).
            var moved = 0.0
            for i in 0..<n { moved = max(moved, abs(trial[i] - x[i])) }
            if !accepted { return Solution(x: x, iterations: iteration + 1, converged: moved < tolerance) }
            swap(&x, &trial)
            f = fTrial
            if t == 1 && moved < tolerance { return Solution(x: x, iterations: iteration + 1, converged: true) }
        }
        return Solution(x: x, iterations: maximumIterations, converged: false)
    }
}
