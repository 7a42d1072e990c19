import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean and variance of the truncated normal, free of the textbook formula's cancellation.
enum TruncatedNormalMoments {
    /// Mean and variance of the truncated normal with the given parameters (assumed valid).
    static func moments(mean: Double, sd: Double, lower: Double, upper: Double) -> (mean: Double, variance: Double) {
        if !(sd > 0) || lower == upper { return (min(max(mean, lower), upper), 0) }
        let (m, v) = standardMoments((lower - mean) / sd, (upper - mean) / sd)
        return (mean + sd * m, sd * sd * v)
    }

    /// Mean and variance of the standard normal restricted to [a, b], a < b.
    ///
    /// Three regimes, each free of catastrophic cancellation (relative error of the variance below about 1e-8
    /// out to a few hundred sd, 1e-6 at a thousand):
    /// - a narrow interval (half width h, midpoint c, h max(1, |c|) < 0.02): a series in h;
    /// - an interval holding 0: the textbook formula with Z = Phi(b) - Phi(a);
    /// - an interval right of 0: moments of x - a, written with the inverse Mills ratio's excess
    ///   c(x) = phi(x) / Q(x) - x, so that nothing underflows or cancels however far out the interval lies.
    static func standardMoments(_ a: Double, _ b: Double) -> (mean: Double, variance: Double) {
        if a == -.infinity && b == .infinity { return (0, 1) }
        if a + b < 0 {
            let (m, v) = standardMoments(-b, -a)
            return (-m, v)
        }
        let h = 0.5 * (b - a)
        let c = 0.5 * (a + b)
        if h.isFinite && h * max(1, c) < 0.02 {
            // Density ~ exp(-c t - t^2 / 2) on [-h, h], expanded to fourth order in h.
            let h2 = h * h
            let mean = c - c * h2 / 3 + c * h2 * h2 * (c * c + 2) / 45
            let variance = h2 / 3 - h2 * h2 * (3 * c * c + 2) / 45
            return (mean, variance)
        }
        if a > 0 { return rightOfZeroMoments(a, b) }
        let mass = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
        let ratioA = a.isFinite ? density(a) / mass : 0  // phi(a) / Z
        let ratioB = b.isFinite ? density(b) / mass : 0  // phi(b) / Z
        let m = ratioA - ratioB
        let termA = a.isFinite ? a * ratioA : 0
        let termB = b.isFinite ? b * ratioB : 0
        return (m, max(0, 1 + termA - termB - m * m))
    }

    /// 0 < a < b. With t = x - a, the density is proportional to g(t) = exp(-a t - t^2 / 2) on [0, b - a];
    /// integrating g' by parts gives E[t] and E[t^2] in terms of c(a), c(b) and the tail ratio Q(b) / Q(a).
    private static func rightOfZeroMoments(_ a: Double, _ b: Double) -> (mean: Double, variance: Double) {
        let (ca, oneSidedVariance) = tail(a)
        if b == .infinity { return (a + ca, oneSidedVariance) }
        let (cb, _) = tail(b)
        let d = b - a
        let gap = d + cb - ca  // h(b) - h(a), h the inverse Mills ratio
        // rho = Q(b) / Q(a) = exp(-d (a + b) / 2) h(a) / h(b); w = rho / (1 - rho).
        let logRho = -0.5 * d * (a + b) + log1p(-gap / (b + cb))
        let w = exp(logRho) / -expm1(logRho)
        let m = ca - w * gap
        let v = oneSidedVariance + w * (d * (2 * ca - cb - d) + (cb - ca) * (a + 2 * ca)) - (w * gap) * (w * gap)
        return (a + m, max(0, v))
    }

    /// For x > 0: c(x) = phi(x) / Q(x) - x (so the mean of the normal beyond x is x + c) and the variance of the
    /// normal beyond x, 1 - c (x + c). From x = 3 on, both come from Laplace's continued fraction
    /// Q / phi = 1 / (x + 1 / (x + 2 / (x + 3 / ...))), which avoids the cancellation.
    static func tail(_ x: Double) -> (c: Double, variance: Double) {
        if x < 3 {
            let c = density(x) / gsl_cdf_ugaussian_Q(x) - x
            return (c, 1 - c * (x + c))
        }
        // s = 2 / (x + 3 / (x + 4 / ...)), c = 1 / (x + s), and 1 - c (x + c) = c (s - c).
        var s = 0.0
        for k in stride(from: 80, through: 2, by: -1) { s = Double(k) / (x + s) }
        let c = 1 / (x + s)
        return (c, c * (s - c))
    }

    /// The standard normal density.
    static func density(_ x: Double) -> Double { exp(-0.5 * x * x) * 0.398_942_280_401_432_7 }
}
