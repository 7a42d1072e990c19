import Testing
import GSL

/// Every family's sample moments over 10^5 draws agree with its analytic `mean` and `variance`.
///
/// Mean: within 4 standard errors, sqrt(variance / n). Variance: within 4% relative, which is about four
/// standard errors of the sample variance for the heaviest-tailed case below (the exponential, kurtosis 9:
/// sqrt(8 / 10^5) = 0.9%); the light-tailed cases are far inside it.
@Suite struct DistributionMomentsTests {
    static let draws = 100_000
    static let varianceTolerance = 0.04

    static let cases: [Distribution] = [
        .normal(mean: 0.2, sd: 0.03),
        .truncatedNormal(mean: 0.2, sd: 0.05, lower: 0.1, upper: 0.4),  // rejection
        .truncatedNormal(mean: 0, sd: 1, lower: 0, upper: .infinity),  // half-normal, rejection
        .truncatedNormal(mean: 0, sd: 1, lower: 1.5, upper: 3),  // upper-tail inverse CDF
        .truncatedNormal(mean: 0, sd: 1, lower: 8, upper: 8.1),  // far and narrow
        .truncatedNormal(mean: 0, sd: 1, lower: -5, upper: -4.5),  // left tail, mirrored
        .truncatedNormal(mean: 0, sd: 1, lower: -0.05, upper: 0.1),  // narrow around the mean: lower-tail inverse
        .truncatedNormal(mean: 0, sd: 1, lower: 2, upper: 2.001),  // narrow enough for the series moments
        .truncatedNormal(mean: 10, sd: 2, lower: 100, upper: .infinity),  // 45 sd out: exponential proposal
        .truncatedNormal(mean: 0.3, sd: 0.1, lower: -.infinity, upper: 0.25),  // one-sided, upper bound only
        .lognormal(mu: -1.6, sigma: 0.25),
        .gamma(shape: 2, scale: 0.1),
        .gamma(shape: 0.5, scale: 3),
        .beta(a: 2, b: 5),
        .uniform(lower: 0.1, upper: 0.3),
        .exponential(mean: 0.5),
        .weibull(scale: 1, shape: 1.5),
        .weibull(scale: 2, shape: 0.8),
    ]

    @Test(arguments: cases.indices)
    func sampleMomentsMatchAnalyticMoments(index: Int) {
        let distribution = Self.cases[index]
        #expect(distribution.validate() == nil)
        let moments = Moments(distribution, draws: Self.draws, seed: 1000 + UInt64(index))
        let standardError = (distribution.variance / Double(Self.draws)).squareRoot()
        #expect(
            abs(moments.mean - distribution.mean) <= 4 * standardError,
            "\(distribution): sample mean \(moments.mean), analytic \(distribution.mean), SE \(standardError)")
        let relative = abs(moments.variance / distribution.variance - 1)
        #expect(
            relative <= Self.varianceTolerance,
            "\(distribution): sample variance \(moments.variance), analytic \(distribution.variance)")
    }

    @Test func constantAlwaysGivesItsValue() {
        let distribution = Distribution.constant(3.5)
        let moments = Moments(distribution, draws: 1000, seed: 1)
        #expect(moments.minimum == 3.5 && moments.maximum == 3.5)
        #expect(distribution.mean == 3.5)
        #expect(distribution.variance == 0)
    }

    @Test func drawsStayInTheSupport() {
        let checks: [(Distribution, ClosedRange<Double>)] = [
            (.beta(a: 0.5, b: 0.5), 0...1),
            (.uniform(lower: -2, upper: 3), -2...3),
            (.gamma(shape: 0.3, scale: 1), 0...Double.greatestFiniteMagnitude),
            (.exponential(mean: 2), 0...Double.greatestFiniteMagnitude),
            (.weibull(scale: 1, shape: 3), 0...Double.greatestFiniteMagnitude),
            (.lognormal(mu: 0, sigma: 2), Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude),
        ]
        for (distribution, range) in checks {
            let moments = Moments(distribution, draws: 20_000, seed: 9)
            #expect(range.contains(moments.minimum) && range.contains(moments.maximum), "\(distribution)")
        }
    }

    @Test func analyticMomentsOfKnownCases() {
        // Lognormal: mean exp(mu + sigma^2 / 2); the median exp(mu) is below the mean.
        let lognormal = Distribution.lognormal(mu: 0, sigma: 1)
        #expect(abs(lognormal.mean - 1.648_721_270_700_128) < 1e-12)
        #expect(abs(lognormal.variance - 4.670_774_270_471_604) < 1e-12)  // (e - 1) e
        // Weibull with shape 1 is the exponential.
        #expect(abs(Distribution.weibull(scale: 2, shape: 1).mean - 2) < 1e-12)
        #expect(abs(Distribution.weibull(scale: 2, shape: 1).variance - 4) < 1e-12)
        // Weibull shape 2 (Rayleigh): mean scale sqrt(pi) / 2.
        #expect(abs(Distribution.weibull(scale: 1, shape: 2).mean - 0.886_226_925_452_758) < 1e-12)
        #expect(abs(Distribution.beta(a: 2, b: 5).mean - 2.0 / 7) < 1e-15)
        #expect(abs(Distribution.beta(a: 2, b: 5).variance - 10.0 / 392) < 1e-15)
        #expect(abs(Distribution.uniform(lower: 1, upper: 4).variance - 0.75) < 1e-15)
        #expect(Distribution.gamma(shape: 2, scale: 3).mean == 6)
        #expect(Distribution.gamma(shape: 2, scale: 3).variance == 18)
        #expect(abs(Distribution.normal(mean: 1, sd: 2).standardDeviation - 2) < 1e-15)
    }
}
