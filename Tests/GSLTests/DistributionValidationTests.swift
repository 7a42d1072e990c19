import Testing
import GSL

/// `Distribution.validate()` names the parameter, its value and the expected range.
@Suite struct DistributionValidationTests {
    static let invalid: [(Distribution, String)] = [
        (.constant(.nan), "value: nan is not a finite number"),
        (.normal(mean: 0, sd: -1), "sd: -1 is below 0"),
        (.normal(mean: .infinity, sd: 1), "mean: +infinity is not a finite number"),
        (.truncatedNormal(mean: 0, sd: 0.5, lower: 1, upper: 0.5), "upper: 0.5 is below lower (1)"),
        (.truncatedNormal(mean: 0, sd: 1, lower: .infinity, upper: .infinity),
         "lower: +infinity is not a number below +infinity"),
        (.truncatedNormal(mean: 0, sd: 1, lower: 0, upper: .nan), "upper: nan is not a number above -infinity"),
        (.lognormal(mu: 0, sigma: -0.25), "sigma: -0.25 is below 0"),
        (.gamma(shape: 2, scale: 0), "scale: 0 is not above 0"),
        (.beta(a: -1, b: 2), "a: -1 is not above 0"),
        (.uniform(lower: 0, upper: .infinity), "upper: +infinity is not a finite number"),
        (.uniform(lower: 3, upper: 2.5), "upper: 2.5 is below lower (3)"),
        (.exponential(mean: 0), "mean: 0 is not above 0"),
        (.weibull(scale: 1, shape: -0.5), "shape: -0.5 is not above 0"),
    ]

    @Test(arguments: invalid.indices)
    func invalidParametersAreNamed(index: Int) {
        let (distribution, message) = Self.invalid[index]
        #expect(distribution.validate() == message)
    }

    @Test func validEdgeCasesPass() {
        #expect(Distribution.normal(mean: 1, sd: 0).validate() == nil)
        #expect(Distribution.uniform(lower: 2, upper: 2).validate() == nil)
        #expect(Distribution.lognormal(mu: -3, sigma: 0).validate() == nil)
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: -.infinity, upper: .infinity).validate() == nil)
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: 1e6, upper: .infinity).validate() == nil)
    }

    @Test func invalidParametersGiveNonFiniteMomentsNotACrash() {
        // GSL's abort-on-error handler is off: gsl_sf_gamma(inf) reports overflow by its return value.
        #expect(!Distribution.weibull(scale: 1, shape: 0).mean.isFinite)
        #expect(!Distribution.weibull(scale: 1, shape: 0).variance.isFinite)
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: .nan, upper: 1).mean.isNaN)
    }

    @Test func familyNames() {
        #expect(Distribution.constant(1).familyName == "constant")
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: 0, upper: 1).familyName == "truncatedNormal")
        #expect(Distribution.weibull(scale: 1, shape: 1).familyName == "weibull")
    }
}
