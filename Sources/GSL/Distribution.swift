/// A one-dimensional probability distribution that a persona trait is drawn from.
///
/// Values are in the unit of whatever they describe (a reaction time in seconds, a braking-point bias in
/// metres); the distribution itself is unit-free. Every case has an analytic `mean` and `variance`
/// (see `Distribution+Moments.swift`), a `validate()` that names a bad parameter
/// (`Distribution+Validation.swift`), and a JSON form for persona files (`Distribution+Codable.swift`).
///
/// `sample(_:)` draws only through `RandomStream`'s methods, so any backend works. Sampling an invalid
/// distribution (one whose `validate()` is not nil) is unspecified: usually NaN, but a backend may not return
/// at all (GSL's gamma sampler loops forever on a NaN shape). Validate when loading, or sample through
/// `DistributionSampler`, which checks once and then gives NaN.
public enum Distribution: Sendable, Equatable {
    /// Always `value` (finite).
    case constant(Double)
    /// Normal with the given `mean` (finite) and standard deviation `sd` (finite, >= 0; 0 gives `mean`).
    case normal(mean: Double, sd: Double)
    /// A normal with `mean` and `sd` (the parameters of the untruncated parent, `sd` >= 0) restricted to
    /// [`lower`, `upper`]. A bound may be infinite (`-infinity` / `+infinity`) for one-sided truncation;
    /// `lower` <= `upper`. With `sd` 0 the result is `mean` clamped into the interval. Sampling costs a
    /// bounded amount of work at any truncation, however narrow or far in the tail.
    case truncatedNormal(mean: Double, sd: Double, lower: Double, upper: Double)
    /// Lognormal: `exp(X)` with X normal of mean `mu` (finite) and standard deviation `sigma`
    /// (finite, >= 0). The median is `exp(mu)`. Values are > 0.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with `shape` > 0 and `scale` > 0 (mean `shape * scale`). Values are >= 0.
    case gamma(shape: Double, scale: Double)
    /// Beta on [0, 1] with shape parameters `a` > 0 and `b` > 0 (mean `a / (a + b)`).
    case beta(a: Double, b: Double)
    /// Uniform on [`lower`, `upper`) (finite, `lower` <= `upper`).
    case uniform(lower: Double, upper: Double)
    /// Exponential with the given `mean` > 0 (rate `1 / mean`). Values are >= 0.
    case exponential(mean: Double)
    /// Weibull with `scale` > 0 and `shape` > 0: P(X > x) = exp(-(x / scale)^shape). Values are >= 0.
    case weibull(scale: Double, shape: Double)

    /// The family's name as written in JSON (`"normal"`, `"truncatedNormal"`, ...); `"constant"` for a
    /// constant, which JSON writes as a bare number.
    public var familyName: String {
        switch self {
        case .constant: return "constant"
        case .normal: return "normal"
        case .truncatedNormal: return "truncatedNormal"
        case .lognormal: return "lognormal"
        case .gamma: return "gamma"
        case .beta: return "beta"
        case .uniform: return "uniform"
        case .exponential: return "exponential"
        case .weibull: return "weibull"
        }
    }

    /// One draw from the distribution, advancing `stream`.
    ///
    /// Costs one stream draw for most families (about 10-50 ns with `GSLRandomStream`). The truncated normal
    /// uses rejection when at least 30% of the parent's mass lies in the interval and an inverse CDF (beyond
    /// 30 sd, an exponential proposal accepted with probability > 0.999) otherwise, so it never loops for long;
    /// it chooses its method on every call, which `DistributionSampler` does once instead.
    public func sample(_ stream: some RandomStream) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .normal(let mean, let sd):
            return mean + stream.gaussian(sd: sd)
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            return TruncatedNormalSampler(mean: mean, sd: sd, lower: lower, upper: upper).sample(stream)
        case .lognormal(let mu, let sigma):
            return stream.lognormal(mu: mu, sigma: sigma)
        case .gamma(let shape, let scale):
            return stream.gamma(shape: shape, scale: scale)
        case .beta(let a, let b):
            return stream.beta(a: a, b: b)
        case .uniform(let lower, let upper):
            return lower + (upper - lower) * stream.uniform()
        case .exponential(let mean):
            return stream.exponential(mean: mean)
        case .weibull(let scale, let shape):
            return stream.weibull(scale: scale, shape: shape)
        }
    }
}
