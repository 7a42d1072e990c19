import Testing
import GSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The truncated normal: bounded work at any truncation, draws inside the interval, and analytic moments that
/// agree with numerical integration from the mean out to 1000 sd.
@Suite struct TruncatedNormalTests {
    /// Hard cases for plain rejection, whose acceptance probability is below 1e-15 for most of them.
    static let hardIntervals: [(lower: Double, upper: Double)] = [
        (8, 8.1), (-8.1, -8), (5, 5.000_001), (37, 38), (40, .infinity), (1000, 1001), (-.infinity, -60),
        (-0.001, 0.001), (0.3, 0.31),
    ]

    @Test(arguments: hardIntervals.indices)
    func hardIntervalsCostAFewDrawsAndStayInRange(index: Int) {
        let (lower, upper) = Self.hardIntervals[index]
        let distribution = Distribution.truncatedNormal(mean: 0, sd: 1, lower: lower, upper: upper)
        let stream = CountingStream(seed: 77)
        let samples = 20_000
        var moments = Moments()
        for _ in 0..<samples { moments.add(distribution.sample(stream)) }
        // Inverse CDF costs one draw; the exponential proposal about two; rejection is not used here.
        #expect(Double(stream.draws) / Double(samples) <= 2.1, "[\(lower), \(upper)]: \(stream.draws) draws")
        #expect(moments.minimum >= lower && moments.maximum <= upper, "[\(lower), \(upper)]")
        let standardError = (distribution.variance / Double(samples)).squareRoot()
        #expect(abs(moments.mean - distribution.mean) <= 4 * standardError, "[\(lower), \(upper)]")
    }

    @Test func wideIntervalsUseRejectionWithFewDraws() {
        let distribution = Distribution.truncatedNormal(mean: 0, sd: 1, lower: -0.3, upper: 0.5)
        let stream = CountingStream(seed: 5)
        for _ in 0..<10_000 {
            let x = distribution.sample(stream)
            #expect(x >= -0.3 && x <= 0.5)
        }
        // Acceptance is Phi(0.5) - Phi(-0.3) = 0.31: a bit over three draws per sample on average.
        #expect(stream.draws < 10_000 * 34 / 10)
    }

    @Test func sameSeedSameDraws() {
        let distribution = Distribution.truncatedNormal(mean: 1, sd: 0.5, lower: 3, upper: 3.2)
        let a = GSLRandomStream(seed: 11), b = GSLRandomStream(seed: 11)
        for _ in 0..<1000 { #expect(distribution.sample(a) == distribution.sample(b)) }
    }

    @Test func zeroSpreadOrEqualBoundsGiveTheClampedMean() {
        let stream = GSLRandomStream(seed: 3)
        let clamped = Distribution.truncatedNormal(mean: 5, sd: 0, lower: 0, upper: 4)
        #expect(clamped.sample(stream) == 4)
        #expect(clamped.mean == 4 && clamped.variance == 0)
        let point = Distribution.truncatedNormal(mean: 0, sd: 1, lower: 2, upper: 2)
        #expect(point.sample(stream) == 2)
        #expect(point.mean == 2 && point.variance == 0)
    }

    @Test func halfNormalMoments() {
        let half = Distribution.truncatedNormal(mean: 0, sd: 2, lower: 0, upper: .infinity)
        #expect(abs(half.mean - 2 * (2 / Double.pi).squareRoot()) < 1e-14)
        #expect(abs(half.variance - 4 * (1 - 2 / Double.pi)) < 1e-13)
        let untruncated = Distribution.truncatedNormal(mean: 3, sd: 2, lower: -.infinity, upper: .infinity)
        #expect(untruncated.mean == 3 && untruncated.variance == 4)
    }

    static let integrationIntervals: [(lower: Double, upper: Double, varianceTolerance: Double)] = [
        (0, .infinity, 1e-8), (1.5, 3, 1e-8), (8, 8.1, 1e-8), (-5, -4.5, 1e-8), (-0.05, 0.1, 1e-8),
        (-1, 1, 1e-8), (2, 2.001, 1e-8), (2, 2.0099, 1e-8), (2, 2.0101, 1e-8), (45, .infinity, 1e-8),
        (100, 100.01, 1e-8), (-3, 30, 1e-8), (1000, .infinity, 1e-8), (1000, 1000.0001, 1e-5),
    ]

    @Test(arguments: integrationIntervals.indices)
    func analyticMomentsMatchNumericalIntegration(index: Int) {
        let (lower, upper, tolerance) = Self.integrationIntervals[index]
        let distribution = Distribution.truncatedNormal(mean: 0, sd: 1, lower: lower, upper: upper)
        let (mean, variance) = Self.integratedMoments(lower, upper)
        #expect(abs(distribution.mean - mean) <= 1e-10 * max(1, abs(mean)), "[\(lower), \(upper)]")
        #expect(abs(distribution.variance / variance - 1) <= tolerance,
                "[\(lower), \(upper)]: \(distribution.variance) vs \(variance)")
    }

    /// Mean and variance of the standard normal on [lower, upper] by Simpson's rule, in coordinates centred
    /// on the interval's start so that nothing underflows or cancels.
    static func integratedMoments(_ lower: Double, _ upper: Double) -> (Double, Double) {
        // Anchor at the endpoint nearest 0 (or 0 inside), integrate over t = x - anchor.
        let anchor = lower > 0 ? lower : (upper < 0 ? upper : 0)
        let lo = lower.isFinite ? lower : anchor - 40
        let hi = upper.isFinite ? upper : max(anchor, 0) + 40 / max(1, anchor)
        let n = 20_000
        let h = (hi - lo) / Double(n)
        var z = 0.0, s1 = 0.0, s2 = 0.0
        for i in 0...n {
            let weight: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
            let t = lo - anchor + Double(i) * h
            let density = exp(-(t * t) / 2 - anchor * t)  // exp(-(x^2 - anchor^2) / 2)
            z += weight * density
            s1 += weight * density * t
            s2 += weight * density * t * t
        }
        let meanT = s1 / z
        return (anchor + meanT, s2 / z - meanT * meanT)
    }
}
