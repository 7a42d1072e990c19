import GSL

/// The human-likeness figures of one driver's lap times (`../shared/HUMAN_LIMITS.md`): spread, skewness, lag-1
/// autocorrelation, and the typical loss to the driver's own best lap.
///
/// Spread, skewness and autocorrelation are taken on the residuals from a straight-line fit over lap number, so
/// that a steady drift (tyre wear, fuel burn, fatigue) does not count as inconsistency, as in the real-data
/// figures they are compared with. Non-finite laps are dropped. When the spread is below 0.01 % of the mean lap,
/// skewness and autocorrelation are reported as 0 (the residuals are rounding noise).
public struct LapTimeStatistics: Sendable, Equatable {
    /// Laps used.
    public var count: Int
    /// Mean lap time (s).
    public var mean: Double
    /// Best lap (s).
    public var best: Double
    /// Standard deviation of the detrended lap times (s).
    public var spread: Double
    /// ``spread`` over ``mean`` (a fraction; 0.01 = 1 %).
    public var coefficientOfVariation: Double
    /// Sample skewness of the detrended lap times (positive: a tail of slow laps).
    public var skewness: Double
    /// Lag-1 autocorrelation of the detrended lap times.
    public var lagOneAutocorrelation: Double
    /// Drift per lap of the straight-line fit (s).
    public var trendPerLap: Double
    /// Median and 90th percentile of each lap's excess over the best lap (s).
    public var medianExcess: Double
    public var p90Excess: Double

    /// The figures of `laps` (in driving order); fewer than 3 finite laps give zeros except ``mean`` and ``best``.
    public init(_ laps: some Collection<Double>) {
        let x = laps.filter(\.isFinite)
        count = x.count
        let summary = SummaryStatistics(x)
        mean = x.isEmpty ? .nan : summary.mean
        best = x.min() ?? .nan
        guard x.count >= 3 else {
            spread = 0; coefficientOfVariation = 0; skewness = 0; lagOneAutocorrelation = 0; trendPerLap = 0
            medianExcess = 0; p90Excess = 0
            return
        }
        let n = Double(x.count)
        let meanIndex = (n - 1) / 2
        var sxy = 0.0, sxx = 0.0
        for (i, t) in x.enumerated() {
            sxy += (Double(i) - meanIndex) * (t - summary.mean)
            sxx += (Double(i) - meanIndex) * (Double(i) - meanIndex)
        }
        let slope = sxx > 0 ? sxy / sxx : 0
        trendPerLap = slope
        let residuals = x.enumerated().map { $0.element - slope * (Double($0.offset) - meanIndex) }
        let r = SummaryStatistics(residuals)
        spread = r.standardDeviation
        coefficientOfVariation = spread / summary.mean
        // Below a spread of 0.01 % of the lap the shape of the residuals is rounding noise, not behaviour.
        let meaningful = coefficientOfVariation >= 1e-4
        skewness = meaningful && r.skewness.isFinite ? r.skewness : 0
        var lag = 0.0, variance = 0.0
        for i in 0..<residuals.count {
            variance += (residuals[i] - r.mean) * (residuals[i] - r.mean)
            if i > 0 { lag += (residuals[i] - r.mean) * (residuals[i - 1] - r.mean) }
        }
        lagOneAutocorrelation = meaningful && variance > 0 ? lag / variance : 0
        let bestLap = x.min() ?? 0
        let excess = x.map { $0 - bestLap }
        medianExcess = SummaryStatistics.quantiles(of: excess, at: [0.5])[0]
        p90Excess = SummaryStatistics.quantiles(of: excess, at: [0.9])[0]
    }
}
