import Testing
import GSL

/// `SummaryStatistics` against values worked out by hand.
@Suite struct SummaryStatisticsTests {
    // Sum of squared deviations from the mean 5 is 32, of cubed deviations 42.
    let values: [Double] = [4, 2, 9, 4, 5, 7, 4, 5]

    @Test func momentsAndExtremes() {
        let stats = SummaryStatistics(values)
        #expect(stats.count == 8 && stats.nonFiniteCount == 0)
        #expect(stats.mean == 5)
        #expect(abs(stats.variance - 32.0 / 7) < 1e-14)
        #expect(abs(stats.standardDeviation - (32.0 / 7).squareRoot()) < 1e-14)
        // GSL: the mean of cubed standardised deviations, with the n - 1 standard deviation.
        let sd = (32.0 / 7).squareRoot()
        #expect(abs(stats.skewness - (42.0 / 8) / (sd * sd * sd)) < 1e-14)
        #expect(stats.minimum == 2 && stats.maximum == 9)
        #expect(stats.sortedValues == [2, 4, 4, 4, 5, 5, 7, 9])
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() {
        let stats = SummaryStatistics(values)
        #expect(stats.quantile(0) == 2)
        #expect(stats.quantile(1) == 9)
        #expect(stats.quantile(0.5) == 4.5)  // (n - 1) p = 3.5: halfway between 4 and 5
        #expect(stats.quantile(0.25) == 4)  // 1.75: between 4 and 4
        #expect(abs(stats.quantile(0.9) - 7.6) < 1e-14)  // 6.3: 7 + 0.3 (9 - 7)
        #expect(abs(stats.quantile(0.1) - 3.4) < 1e-14)  // 0.7: 2 + 0.7 (4 - 2)
        #expect(stats.quantile(-0.1).isNaN && stats.quantile(1.5).isNaN && stats.quantile(.nan).isNaN)
        let many = SummaryStatistics.quantiles(of: [3, 1, 2, 4], at: [0, 0.5, 1 / 3.0, 1])
        #expect(many.count == 4)
        #expect(many[0] == 1 && many[1] == 2.5 && abs(many[2] - 2) < 1e-14 && many[3] == 4)
    }

    @Test func nonFiniteValuesAreIgnoredAndCounted() {
        let stats = SummaryStatistics([1, .nan, 3, .infinity, -.infinity])
        #expect(stats.count == 2 && stats.nonFiniteCount == 3)
        #expect(stats.mean == 2 && stats.minimum == 1 && stats.maximum == 3)
        #expect(abs(stats.standardDeviation - 2.0.squareRoot()) < 1e-15)
        #expect(stats.skewness == 0)
        #expect(stats.quantile(0.5) == 2)
    }

    @Test func edgeCases() {
        let empty = SummaryStatistics([])
        #expect(empty.count == 0 && empty.nonFiniteCount == 0)
        #expect(empty.mean.isNaN && empty.standardDeviation.isNaN && empty.skewness.isNaN)
        #expect(empty.minimum.isNaN && empty.maximum.isNaN && empty.quantile(0.5).isNaN)
        let one = SummaryStatistics([4.25])
        #expect(one.mean == 4.25 && one.quantile(0.3) == 4.25 && one.minimum == 4.25)
        #expect(one.standardDeviation.isNaN && one.variance.isNaN && one.skewness.isNaN)
        let flat = SummaryStatistics([2, 2, 2])
        #expect(flat.standardDeviation == 0 && flat.skewness.isNaN)
        let onlyNaN = SummaryStatistics([.nan, .nan])
        #expect(onlyNaN.count == 0 && onlyNaN.nonFiniteCount == 2 && onlyNaN.mean.isNaN)
    }
}
