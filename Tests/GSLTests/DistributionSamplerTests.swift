import Testing
import GSL

/// `DistributionSampler` draws exactly what `Distribution.sample` draws.
@Suite struct DistributionSamplerTests {
    @Test(arguments: DistributionMomentsTests.cases.indices)
    func preparedSamplerMatchesDirectSampling(index: Int) {
        let distribution = DistributionMomentsTests.cases[index]
        let sampler = DistributionSampler(distribution)
        #expect(sampler.distribution == distribution)
        let a = GSLRandomStream(seed: 500 + UInt64(index)), b = GSLRandomStream(seed: 500 + UInt64(index))
        for _ in 0..<2000 { #expect(sampler.sample(a) == distribution.sample(b)) }
    }

    @Test func constantAndDegenerateCases() {
        let stream = GSLRandomStream(seed: 1)
        #expect(DistributionSampler(.constant(-2)).sample(stream) == -2)
        #expect(DistributionSampler(.truncatedNormal(mean: 9, sd: 0, lower: 0, upper: 4)).sample(stream) == 4)
        #expect(DistributionSampler(.truncatedNormal(mean: 0, sd: 1, lower: 1, upper: 1)).sample(stream) == 1)
    }

    @Test func invalidDistributionsGiveNaNWithoutDrawing() {
        let stream = CountingStream(seed: 1)
        #expect(DistributionSampler(.gamma(shape: .nan, scale: 1)).sample(stream).isNaN)
        #expect(DistributionSampler(.normal(mean: 0, sd: -1)).sample(stream).isNaN)
        #expect(stream.draws == 0)
        // Distribution.sample itself never loops on an invalid truncated normal either.
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: .nan, upper: 1).sample(stream).isNaN)
        #expect(Distribution.truncatedNormal(mean: 0, sd: 1, lower: 2, upper: 1).sample(stream).isNaN)
    }
}
