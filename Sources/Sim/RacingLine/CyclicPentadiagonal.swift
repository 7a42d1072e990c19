/// A symmetric cyclic pentadiagonal matrix of size `n` >= 5: entries A[i][j] are non-zero only where the cyclic
/// distance between i and j is at most 2. Stored as three diagonals; indices wrap modulo `n`.
///
/// This is the Hessian of a sum of squared curvatures over a closed polyline whose points each move along one
/// direction: the discrete curvature at point i depends on points i - 1, i, i + 1 only.
struct CyclicPentadiagonalMatrix {
    /// Size of the matrix (>= 5, so that the five diagonals are distinct).
    let n: Int
    /// A[i][i].
    var d0: [Double]
    /// A[i][(i + 1) % n] (= A[(i + 1) % n][i]).
    var d1: [Double]
    /// A[i][(i + 2) % n] (= A[(i + 2) % n][i]).
    var d2: [Double]

    /// The zero matrix of size `n` (>= 5).
    init(size n: Int) {
        precondition(n >= 5, "a cyclic pentadiagonal matrix needs at least 5 rows")
        self.n = n
        d0 = [Double](repeating: 0, count: n)
        d1 = d0
        d2 = d0
    }

    /// A[i][j] for 0 <= i, j < n.
    @inline(__always)
    func entry(_ i: Int, _ j: Int) -> Double {
        var d = j - i
        if d < 0 { d += n }
        switch d {
        case 0: return d0[i]
        case 1: return d1[i]
        case 2: return d2[i]
        case n - 1: return d1[j]
        case n - 2: return d2[j]
        default: return 0
        }
    }

    /// A x.
    func multiply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let i1 = i + 1 < n ? i + 1 : i + 1 - n
            let i2 = i + 2 < n ? i + 2 : i + 2 - n
            y[i] += d0[i] * x[i] + d1[i] * x[i1] + d2[i] * x[i2]
            y[i1] += d1[i] * x[i]
            y[i2] += d2[i] * x[i]
        }
        return y
    }

    /// x' A x / 2 + c' x.
    func quadraticForm(_ x: [Double], linear c: [Double]) -> Double {
        var total = 0.0
        for i in 0..<n {
            let i1 = i + 1 < n ? i + 1 : i + 1 - n
            let i2 = i + 2 < n ? i + 2 : i + 2 - n
            total += x[i] * (0.5 * d0[i] * x[i] + d1[i] * x[i1] + d2[i] * x[i2] + c[i])
        }
        return total
    }
}

/// The factorisation A = L D L' (L unit lower triangular, D diagonal) of a symmetric positive definite cyclic
/// pentadiagonal matrix, or of its principal submatrix on a subset of indices (whose non-zeros again lie within
/// two places of the diagonal, cyclically, in the subset's order). L keeps the band in its first m - 2 rows; its
/// last two rows fill in completely (the "arrow" of the cyclic corners), so factoring and solving both cost O(m).
struct CyclicPentadiagonalFactorization {
    /// Size of the factored matrix.
    let m: Int
    /// 1 / D[i].
    private var inverseDiagonal: [Double] = []
    /// L[i][i - 1] for the band rows i < m - 2.
    private var sub1: [Double] = []
    /// L[i][i - 2] for the band rows.
    private var sub2: [Double] = []
    /// Row m - 2 of L, columns 0..<m-2.
    private var rowA: [Double] = []
    /// Row m - 1 of L, columns 0..<m-1.
    private var rowB: [Double] = []
    /// Small matrices (m < 6) are factored densely: L below the diagonal, D on it, row-major m x m.
    private var dense: [Double] = []

    /// Factors the m x m principal submatrix of `matrix` on the indices `rows` (strictly increasing, m >= 1),
    /// with `shift` added to its diagonal. Returns nil when it is not numerically positive definite.
    init?(_ matrix: CyclicPentadiagonalMatrix, rows: [Int], shift: Double = 0) {
        let m = rows.count
        precondition(m >= 1)
        self.m = m
        if m < 6 {
            var l = [Double](repeating: 0, count: m * m)
            for i in 0..<m {
                for j in 0...i {
                    var s = matrix.entry(rows[i], rows[j]) + (i == j ? shift : 0)
                    for k in 0..<j { s -= l[i * m + k] * l[k * m + k] * l[j * m + k] }
                    if i == j {
                        guard s > 0, s.isFinite else { return nil }
                        l[i * m + i] = s
                    } else {
                        l[i * m + j] = s / l[j * m + j]
                    }
                }
            }
            dense = l
            return
        }
        let a = m - 2, last = m - 1
        // The submatrix's own diagonals: e1[p] = A[p][p + 1], e2[p] = A[p][p + 2] (cyclic in p).
        var e0 = [Double](repeating: 0, count: m), e1 = e0, e2 = e0
        for p in 0..<m {
            let i = rows[p]
            e0[p] = matrix.d0[i] + shift
            e1[p] = matrix.entry(i, rows[p + 1 < m ? p + 1 : p + 1 - m])
            e2[p] = matrix.entry(i, rows[p + 2 < m ? p + 2 : p + 2 - m])
        }
        var inverse = [Double](repeating: 0, count: m), l1 = [Double](repeating: 0, count: a), l2 = l1
        var la = [Double](repeating: 0, count: a), lb = [Double](repeating: 0, count: m - 1)
        let ok = inverse.withUnsafeMutableBufferPointer { inv in
            l1.withUnsafeMutableBufferPointer { l1 in
                l2.withUnsafeMutableBufferPointer { l2 in
                    la.withUnsafeMutableBufferPointer { la in
                        lb.withUnsafeMutableBufferPointer { lb in
                            e0.withUnsafeBufferPointer { e0 in
                                e1.withUnsafeBufferPointer { e1 in
                                    e2.withUnsafeBufferPointer { e2 in
                                        Self.factorArrow(
                                            m: m, e0: e0, e1: e1, e2: e2, inverse: inv, sub1: l1, sub2: l2, rowA: la,
                                            rowB: lb)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard ok else { return nil }
        _ = last
        inverseDiagonal = inverse
        sub1 = l1
        sub2 = l2
        rowA = la
        rowB = lb
    }

    /// L D L' of the arrow-shaped factor (see the type). Returns false if a pivot is not positive.
    private static func factorArrow(
        m: Int, e0: UnsafeBufferPointer<Double>, e1: UnsafeBufferPointer<Double>, e2: UnsafeBufferPointer<Double>,
        inverse: UnsafeMutableBufferPointer<Double>, sub1: UnsafeMutableBufferPointer<Double>,
        sub2: UnsafeMutableBufferPointer<Double>, rowA: UnsafeMutableBufferPointer<Double>,
        rowB: UnsafeMutableBufferPointer<Double>
    ) -> Bool {
        let a = m - 2, last = m - 1
        // Band rows: L[i][i-2] = A[i][i-2] / D[i-2]; L[i][i-1] = (A[i][i-1] - L[i][i-2] D[i-2] L[i-1][i-2]) / D[i-1];
        // D[i] = A[i][i] - L[i][i-2]^2 D[i-2] - L[i][i-1]^2 D[i-1].
        var dPrev2 = 0.0, dPrev1 = 0.0
        for i in 0..<a {
            var d = e0[i]
            var u2 = 0.0, u1 = 0.0
            if i >= 2 {
                u2 = e2[i - 2] * inverse[i - 2]
                d -= u2 * u2 * dPrev2
            }
            if i >= 1 {
                u1 = (e1[i - 1] - u2 * dPrev2 * sub1[i - 1]) * inverse[i - 1]
                d -= u1 * u1 * dPrev1
            }
            guard d > 0, d.isFinite else { return false }
            sub1[i] = u1
            sub2[i] = u2
            inverse[i] = 1 / d
            dPrev2 = dPrev1
            dPrev1 = d
        }
        // The two dense rows: L[r][j] = (A[r][j] - sum_k<j L[r][k] D[k] L[j][k]) / D[j]; w = L[r][j] D[j].
        // Row m - 2 has A entries at columns 0 (e2[m - 2]), m - 4, m - 3; row m - 1 at 0 (e1[m - 1]),
        // 1 (e2[m - 1]), m - 3 (e2[m - 3]) and m - 2.
        var wA2 = 0.0, wA1 = 0.0, wB2 = 0.0, wB1 = 0.0
        var dA = e0[a], dB = e0[last], cross = e1[a]
        for j in 0..<a {
            var sA = j == 0 ? e2[a] : 0, sB = j == 0 ? e1[last] : (j == 1 ? e2[last] : 0)
            if j == a - 2 { sA += e2[a - 2] }
            if j == a - 1 {
                sA += e1[a - 1]
                sB += e2[a - 1]
            }
            sA -= wA1 * sub1[j] + wA2 * sub2[j]
            sB -= wB1 * sub1[j] + wB2 * sub2[j]
            let lA = sA * inverse[j], lB = sB * inverse[j]
            rowA[j] = lA
            rowB[j] = lB
            dA -= lA * sA
            dB -= lB * sB
            cross -= lB * sA
            wA2 = wA1
            wA1 = sA
            wB2 = wB1
            wB1 = sB
        }
        guard dA > 0, dA.isFinite else { return false }
        inverse[a] = 1 / dA
        let lBA = cross / dA
        rowB[a] = lBA
        dB -= lBA * cross
        guard dB > 0, dB.isFinite else { return false }
        inverse[last] = 1 / dB
        return true
    }

    /// Solves A x = b (b has m values).
    func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == m)
        if m < 6 {
            var y = b
            for i in 0..<m {
                for k in 0..<i { y[i] -= dense[i * m + k] * y[k] }
            }
            for i in 0..<m { y[i] /= dense[i * m + i] }
            for i in stride(from: m - 1, through: 0, by: -1) {
                for k in (i + 1)..<m { y[i] -= dense[k * m + i] * y[k] }
            }
            return y
        }
        var y = b
        y.withUnsafeMutableBufferPointer { y in
            inverseDiagonal.withUnsafeBufferPointer { inv in
                sub1.withUnsafeBufferPointer { l1 in
                    sub2.withUnsafeBufferPointer { l2 in
                        rowA.withUnsafeBufferPointer { la in
                            rowB.withUnsafeBufferPointer { lb in
                                Self.substitute(m: m, y: y, inverse: inv, sub1: l1, sub2: l2, rowA: la, rowB: lb)
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Forward substitution with L, scaling by 1 / D, back substitution with L', in place.
    private static func substitute(
        m: Int, y: UnsafeMutableBufferPointer<Double>, inverse: UnsafeBufferPointer<Double>,
        sub1: UnsafeBufferPointer<Double>, sub2: UnsafeBufferPointer<Double>, rowA: UnsafeBufferPointer<Double>,
        rowB: UnsafeBufferPointer<Double>
    ) {
        let a = m - 2, last = m - 1
        var y2 = 0.0, y1 = 0.0
        var sA = y[a], sB = y[last]
        for i in 0..<a {
            let v = y[i] - sub1[i] * y1 - sub2[i] * y2
            y[i] = v
            sA -= rowA[i] * v
            sB -= rowB[i] * v
            y2 = y1
            y1 = v
        }
        y[a] = sA
        y[last] = sB - rowB[a] * sA
        for i in 0..<m { y[i] *= inverse[i] }
        let xLast = y[last]
        let xA = y[a] - rowB[a] * xLast
        y[a] = xA
        var x1 = 0.0, x2 = 0.0  // x[i + 1], x[i + 2] among the band rows
        for i in stride(from: a - 1, through: 0, by: -1) {
            var v = y[i] - rowA[i] * xA - rowB[i] * xLast
            if i + 1 < a { v -= sub1[i + 1] * x1 }
            if i + 2 < a { v -= sub2[i + 2] * x2 }
            y[i] = v
            x2 = x1
            x1 = v
        }
    }
}
