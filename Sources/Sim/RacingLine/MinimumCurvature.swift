import Foundation

/// The minimum-curvature problem on a closed polyline: point k of the line is base point k moved by an offset
/// a_k along unit normal k, with lower_k <= a_k <= upper_k; find the offsets that minimise
/// sum_k l_k * kappa_k^2, where kappa_k is the discrete (Menger) curvature of points k - 1, k, k + 1 and l_k the
/// length of line around point k: the integral of the squared curvature along the line itself.
///
/// This is the minimum-curvature racing line of Heilmeier et al. 2019 ("Minimum curvature trajectory planning
/// and control for an autonomous race car", Vehicle System Dynamics 58(10)): they write the curvature through a
/// spline, linearise it around the current line, solve the resulting QP and re-linearise a few times. Here the
/// curvature is the three-point circle through neighbouring points (exact for circles, independent of the point
/// spacing), weighted by the line's own length around each point, and linearised exactly (Gauss-Newton), so each
/// QP's Hessian J'J is cyclic pentadiagonal and the QP is solved exactly by `BoxConstrainedQP`. Weighting by the
/// line's length rather than the centreline's matters: a sum over equally spaced centreline stations counts the
/// outside of a corner as shorter than it is and pulls the line wide in hairpins.
struct MinimumCurvatureProblem {
    /// Base points (m).
    var baseX: [Double]
    var baseY: [Double]
    /// Unit normals along which the offsets move.
    var normalX: [Double]
    var normalY: [Double]
    /// Bounds of the offsets (m); lower <= upper.
    var lower: [Double]
    var upper: [Double]

    var count: Int { baseX.count }

    /// The residuals r_k = kappa_k * sqrt(l_k) for offsets `a`, where kappa_k is the discrete curvature at point
    /// k (1/m, + left) and l_k = (|P_k - P_k-1| + |P_k+1 - P_k|) / 2 the length of line it stands for, so that
    /// sum r_k^2 approximates the integral of kappa^2 along the line (1/m); with `jacobian`, also the derivatives
    /// of r_k with respect to the offsets of points k - 1, k and k + 1 (1/m^1.5 per m).
    func residuals(_ a: [Double], jacobian: Bool) -> (r: [Double], jm: [Double], j0: [Double], jp: [Double]) {
        let n = count
        var px = [Double](repeating: 0, count: n), py = px
        for k in 0..<n {
            px[k] = baseX[k] + a[k] * normalX[k]
            py[k] = baseY[k] + a[k] * normalY[k]
        }
        var r = [Double](repeating: 0, count: n)
        var jm = jacobian ? r : [], j0 = jm, jp = jm
        for k in 0..<n {
            let km = k == 0 ? n - 1 : k - 1, kp = k == n - 1 ? 0 : k + 1
            let ax = px[k] - px[km], ay = py[k] - py[km]  // a = P_k - P_k-1
            let bx = px[kp] - px[k], by = py[kp] - py[k]  // b = P_k+1 - P_k
            let cx = px[kp] - px[km], cy = py[kp] - py[km]  // c = P_k+1 - P_k-1
            let a2 = ax * ax + ay * ay, b2 = bx * bx + by * by, c2 = cx * cx + cy * cy
            let la = a2.squareRoot(), lb = b2.squareRoot()
            let q = la * lb * c2.squareRoot()
            guard q > 0 else { continue }
            // Menger curvature: 2 (a x b) / (|a| |b| |c|).
            let kappa = 2 * (ax * by - ay * bx) / q
            let length = 0.5 * (la + lb), root = length.squareRoot()
            r[k] = kappa * root
            guard jacobian else { continue }
            // d kappa = 2 d(a x b) / Q - kappa (da.a / |a|^2 + db.b / |b|^2 + dc.c / |c|^2) and
            // d l = (da.a / |a| + db.b / |b|) / 2, with dP_j = N_j d(offset_j);
            // d r = sqrt(l) d kappa + kappa d l / (2 sqrt(l)).
            let half = 0.5 * kappa / root
            var nx = normalX[km], ny = normalY[km]  // previous point: da = -N, dc = -N, d(a x b) = -N x b
            var an = ax * nx + ay * ny, bn = bx * nx + by * ny, cn = cx * nx + cy * ny
            var dk = -2 * (nx * by - ny * bx) / q + kappa * (an / a2 + cn / c2)
            jm[k] = root * dk - half * 0.5 * an / la
            nx = normalX[k]; ny = normalY[k]  // own point: da = N, db = -N, d(a x b) = N x c
            an = ax * nx + ay * ny; bn = bx * nx + by * ny
            dk = 2 * (nx * cy - ny * cx) / q - kappa * (an / a2 - bn / b2)
            j0[k] = root * dk + half * 0.5 * (an / la - bn / lb)
            nx = normalX[kp]; ny = normalY[kp]  // next point: db = N, dc = N, d(a x b) = a x N
            bn = bx * nx + by * ny; cn = cx * nx + cy * ny
            dk = 2 * (ax * ny - ay * nx) / q - kappa * (bn / b2 + cn / c2)
            jp[k] = root * dk + half * 0.5 * bn / lb
        }
        return (r, jm, j0, jp)
    }

    /// sum_k r_k^2 (about the integral of kappa^2 along the line, 1/m) for offsets `a`.
    func objective(_ a: [Double]) -> Double {
        let r = residuals(a, jacobian: false).r
        var total = 0.0
        for k in 0..<count { total += r[k] * r[k] }
        return total
    }

    /// The smallest damping (relative to the mean diagonal of J'J): enough to keep the factorisation positive
    /// definite, too little to hold back the flattest directions.
    static let dampingFloor = 1e-12
    /// Damping below which a short step means convergence. The flattest directions of real circuits (a whole
    /// straight or constant-radius corner moving sideways) have eigenvalues of J'J around 1e-7 to 1e-9 of the mean
    /// diagonal; a short step under heavier damping can look converged before they have moved.
    static let settledDamping = 1e-10

    /// Offsets `a` projected into the bounds.
    func clamped(_ a: [Double]) -> [Double] {
        (0..<count).map { k in min(max(a[k], lower[k]), upper[k] < lower[k] ? lower[k] : upper[k]) }
    }

    /// Runs Levenberg-Marquardt (Gauss-Newton with damping mu I added to J'J) from `start` (clamped into the
    /// bounds) until, with damping below `settledDamping`, a step moves no offset by more than `tolerance` (m) or
    /// improves the objective by less than 1e-8 of itself, or `maximumIterations` is reached. Each iteration is one
    /// `BoxConstrainedQP` for the step within the bounds. The damping starts at `initialDamping` times the mean
    /// diagonal of J'J, shrinks tenfold after a step whose actual decrease matches the predicted one and grows
    /// fourfold after a poor one (a rejected step is retried with more damping): it keeps the first steps where
    /// the linearisation holds, since offsets that are a large fraction of a hairpin's radius change its curvature
    /// far from linearly. Returns the offsets and the number of iterations.
    func solve(
        start: [Double], maximumIterations: Int, tolerance: Double = 1e-2, initialDamping: Double = 1e-2
    ) -> (offsets: [Double], iterations: Int) {
        let n = count
        precondition(n >= 5 && start.count == n)
        var a = clamped(start)
        var current = objective(a)
        var lambda = initialDamping
        var next = a
        for iteration in 0..<maximumIterations {
            let (r, jm, j0, jp) = residuals(a, jacobian: true)
            var h = CyclicPentadiagonalMatrix(size: n)
            var g = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let km = k == 0 ? n - 1 : k - 1, kp = k == n - 1 ? 0 : k + 1
                h.d0[km] += jm[k] * jm[k]
                h.d0[k] += j0[k] * j0[k]
                h.d0[kp] += jp[k] * jp[k]
                h.d1[km] += jm[k] * j0[k]
                h.d1[k] += j0[k] * jp[k]
                h.d2[km] += jm[k] * jp[k]
                g[km] += jm[k] * r[k]
                g[k] += j0[k] * r[k]
                g[kp] += jp[k] * r[k]
            }
            // The damping's floor keeps the factorisation positive definite without slowing the nearly flat
            // directions (a sideways shift along a long straight) much.
            var mean = 0.0
            for k in 0..<n { mean += h.d0[k] }
            mean /= Double(n)
            let damping = max(lambda, Self.dampingFloor) * mean
            for k in 0..<n { h.d0[k] += damping }
            var lowerStep = [Double](repeating: 0, count: n), upperStep = lowerStep
            for k in 0..<n {
                lowerStep[k] = lower[k] - a[k]
                upperStep[k] = max(upper[k], lower[k]) - a[k]
            }
            let qp = BoxConstrainedQP.solve(
                hessian: h, linear: g, lower: lowerStep, upper: upperStep,
                start: [Double](repeating: 0, count: n)
            )
            let step = qp.x
            // Predicted decrease of sum r^2 by the undamped linear model: -(2 g'd + d'Hd).
            var squares = 0.0
            var largest = 0.0
            for k in 0..<n {
                next[k] = a[k] + step[k]
                largest = max(largest, abs(step[k]))
                squares += step[k] * step[k]
            }
            let predicted = -2 * h.quadraticForm(step, linear: g) + damping * squares
            let value = objective(next)
            let actual = current - value
            let ratio = predicted > 0 ? actual / predicted : (actual >= 0 ? 1 : -1)
            let settled = lambda <= Self.settledDamping
            if ratio < 0.25 {
                lambda = max(4 * lambda, 1e-6)
            } else if ratio > 0.75 {
                lambda = max(lambda / 10, Self.dampingFloor)
            }
            guard actual >= 0, ratio > 0 else { continue }
            swap(&a, &next)
            current = value
            // Converged once the damping is too small to hold back even the flat directions and the step is
            // short or gains next to nothing.
            if settled && (largest < tolerance || actual < 1e-8 * value) { return (a, iteration + 1) }
        }
        return (a, maximumIterations)
    }
}
