import CGSL

/// Summary statistics of a sample (GSL's `gsl_stats_*`), for example simulated lap times in seconds.
///
/// Non-finite values (NaN, +-infinity) are ignored and counted in `nonFiniteCount`; every other field
/// describes the finite values only. With no finite values every moment, extreme and quantile is NaN;
/// with one, `standardDeviation`, `variance` and `skewness` are NaN; `skewness` is also NaN when all values
/// are equal. All statistics are in the unit of the values (`variance` in its square; `skewness` unit-free).
public struct SummaryStatistics: Sendable {
    /// Number of finite values used.
    public let count: Int
    /// Number of NaN or infinite values that were ignored.
    public let nonFiniteCount: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample variance, with the n - 1 (Bessel) denominator.
    public let variance: Double
    /// Sample standard deviation, the square root of `variance`.
    public let standardDeviation: Double
    /// GSL's skewness: the mean of ((x - mean) / standardDeviation)^3, with the sample (n - 1) standard
    /// deviation. 0 for symmetric data.
    public let skewness: Double
    /// Smallest finite value.
    public let minimum: Double
    /// Largest finite value.
    public let maximum: Double
    /// The finite values in increasing order (kept for `quantile`).
    public let sortedValues: [Double]

    /// Summarises `values`, ignoring (and counting) non-finite ones.
    public init(_ values: [Double]) {
        GSLRuntime.configure()
        var finite = values.filter(\.isFinite)
        nonFiniteCount = values.count - finite.count
        count = finite.count
        let n = finite.count
        finite.withUnsafeMutableBufferPointer { buffer in
            if n > 0 { gsl_sort(buffer.baseAddress, 1, n) }
        }
        sortedValues = finite
        guard n > 0 else {
            mean = .nan
            variance = .nan
            standardDeviation = .nan
            skewness = .nan
            minimum = .nan
            maximum = .nan
            return
        }
        minimum = finite[0]
        maximum = finite[n - 1]
        let (m, sd, skew) = finite.withUnsafeBufferPointer { buffer -> (Double, Double, Double) in
            let data = buffer.baseAddress
            let m = gsl_stats_mean(data, 1, n)
            guard n > 1 else { return (m, .nan, .nan) }
            let sd = gsl_stats_sd_m(data, 1, n, m)
            guard sd > 0 else { return (m, sd, .nan) }
            return (m, sd, gsl_stats_skew_m_sd(data, 1, n, m, sd))
        }
        mean = m
        standardDeviation = sd
        variance = sd * sd
        skewness = skew
    }

    /// The `p`-quantile of the finite values, 0 <= `p` <= 1, interpolated linearly between order statistics
    /// as GSL defines it: with the sorted values x_0...x_{n-1} and d = (n - 1) p, i = floor(d),
    /// the result is (1 - (d - i)) x_i + (d - i) x_{i+1}. So `quantile(0)` is the minimum, `quantile(1)` the
    /// maximum and `quantile(0.5)` the median. NaN when `p` is outside [0, 1] or NaN, or there are no values.
    public func quantile(_ p: Double) -> Double {
        guard count > 0, p >= 0, p <= 1 else { return .nan }
        return sortedValues.withUnsafeBufferPointer { buffer in
            gsl_stats_quantile_from_sorted_data(buffer.baseAddress, 1, count, p)
        }
    }

    /// `quantile(_:)` for each of `ps`, in order.
    public func quantiles(_ ps: [Double]) -> [Double] {
        ps.map(quantile)
    }

    /// The quantiles of `values` at each of `ps` (see `quantile(_:)`), sorting once. Non-finite values are
    /// ignored.
    public static func quantiles(of values: [Double], at ps: [Double]) -> [Double] {
        SummaryStatistics(values).quantiles(ps)
    }
}
