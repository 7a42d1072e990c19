import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A truncated normal prepared for sampling: the method and its constants are chosen once.
///
/// Works on the standardised interval [(lower - mean) / sd, (upper - mean) / sd], mirrored if needed so that
/// it leans right (a + b >= 0, hence b > 0 and b >= |a|). Then:
/// - at least 30% of the parent's mass inside: plain rejection from the normal (at most 3.4 draws on average);
/// - otherwise, an interval holding 0: inverse CDF with Phi and its inverse (Phi(a) >= 0.27, well conditioned);
/// - otherwise, right of 0 up to 30 sd: inverse CDF with the upper tail Q = 1 - Phi and its inverse, which keep
///   full relative precision where 1 - Phi would round to 0;
/// - beyond 30 sd (Q nears the subnormals): a + t with t exponential of rate a truncated to [0, b - a],
///   accepted with probability exp(-t^2 / 2) (exact, and above 0.999 there).
/// Every draw is clamped into [lower, upper] against rounding.
struct TruncatedNormalSampler: Sendable, Equatable {
    /// Below this acceptance probability, plain rejection gives way to an inverse CDF.
    static let rejectionThreshold = 0.3
    /// From this standardised lower bound on, sampling uses the exponential proposal.
    static let farTail = 30.0

    enum Method: Sendable, Equatable {
        /// sd 0 or lower == upper: always this value.
        case point(Double)
        case rejection
        case lowerInverse(phiA: Double, mass: Double)
        case upperInverse(qA: Double, mass: Double)
        case exponentialTail(spanMass: Double)
    }

    let mean: Double
    let sd: Double
    let lower: Double
    let upper: Double
    /// The right-leaning standardised interval.
    let a: Double
    let b: Double
    /// -1 when the interval was mirrored, else 1.
    let sign: Double
    let method: Method

    init(mean: Double, sd: Double, lower: Double, upper: Double) {
        GSLRuntime.configure()
        self.mean = mean
        self.sd = sd
        self.lower = lower
        self.upper = upper
        var a = (lower - mean) / sd
        var b = (upper - mean) / sd
        sign = a + b < 0 ? -1 : 1
        if sign < 0 { (a, b) = (-b, -a) }
        self.a = a
        self.b = b
        if !(a <= b) && !(sd == 0) {
            method = .point(.nan)  // invalid parameters (NaN somewhere, or lower > upper): never loop on them
        } else if !(sd > 0) || lower == upper {
            method = .point(min(max(mean, lower), upper))
        } else if a <= -0.6 || (a <= 0 && b >= 1.1) {
            // Holds [-0.6, 0.6] (45% of the mass) or [0, 1.1] (36%).
            method = .rejection
        } else if a <= 0 {
            let phiA = gsl_cdf_ugaussian_P(a)
            let mass = gsl_cdf_ugaussian_P(b) - phiA
            method = mass > Self.rejectionThreshold ? .rejection : .lowerInverse(phiA: phiA, mass: mass)
        } else if a >= Self.farTail {
            method = .exponentialTail(spanMass: -expm1(-a * (b - a)))  // 1 - exp(-a (b - a)); 1 if b is infinite
        } else {
            let qA = gsl_cdf_ugaussian_Q(a)
            let mass = qA - gsl_cdf_ugaussian_Q(b)
            method = mass > Self.rejectionThreshold ? .rejection : .upperInverse(qA: qA, mass: mass)
        }
    }

    func sample(_ stream: some RandomStream) -> Double {
        let z: Double
        switch method {
        case .point(let value):
            return value
        case .rejection:
            z = rejection(stream)
        case .lowerInverse(let phiA, let mass):
            z = gsl_cdf_ugaussian_Pinv(phiA + stream.uniform() * mass)
        case .upperInverse(let qA, let mass):
            z = gsl_cdf_ugaussian_Qinv(qA - stream.uniform() * mass)
        case .exponentialTail(let spanMass):
            z = exponentialTail(spanMass, stream)
        }
        let x = mean + sd * sign * (z.isFinite ? z : a)
        return min(max(x, lower), upper)
    }

    private func rejection(_ stream: some RandomStream) -> Double {
        while true {
            let z = stream.gaussian(sd: 1)
            if z >= a && z <= b { return z }
        }
    }

    private func exponentialTail(_ spanMass: Double, _ stream: some RandomStream) -> Double {
        while true {
            let t = -log1p(-stream.uniform() * spanMass) / a
            if stream.uniform() <= exp(-0.5 * t * t) { return a + t }
        }
    }
}
