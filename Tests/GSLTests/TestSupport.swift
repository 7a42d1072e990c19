import GSL

/// A `RandomStream` that forwards to a GSL stream and counts the draws, to check that a sampler does a
/// bounded amount of work without timing it.
final class CountingStream: RandomStream {
    let base: GSLRandomStream
    private(set) var draws = 0

    init(seed: UInt64) { base = GSLRandomStream(seed: seed) }

    func uniform() -> Double { draws += 1; return base.uniform() }
    func uniformPositive() -> Double { draws += 1; return base.uniformPositive() }
    func nextUInt32() -> UInt32 { draws += 1; return base.nextUInt32() }
    func gaussian(sd: Double) -> Double { draws += 1; return base.gaussian(sd: sd) }
    func lognormal(mu: Double, sigma: Double) -> Double { draws += 1; return base.lognormal(mu: mu, sigma: sigma) }
    func gamma(shape: Double, scale: Double) -> Double { draws += 1; return base.gamma(shape: shape, scale: scale) }
    func beta(a: Double, b: Double) -> Double { draws += 1; return base.beta(a: a, b: b) }
    func exponential(mean: Double) -> Double { draws += 1; return base.exponential(mean: mean) }
    func weibull(scale: Double, shape: Double) -> Double { draws += 1; return base.weibull(scale: scale, shape: shape) }
    func poisson(mean: Double) -> UInt32 { draws += 1; return base.poisson(mean: mean) }
}

/// Sample mean and (n - 1) variance by Welford's method, plus the extremes.
struct Moments {
    var count = 0
    var mean = 0.0
    private var m2 = 0.0
    var minimum = Double.infinity
    var maximum = -Double.infinity

    mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        minimum = min(minimum, x)
        maximum = max(maximum, x)
    }

    var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }

    init() {}

    init(_ distribution: Distribution, draws: Int, seed: UInt64) {
        let stream = GSLRandomStream(seed: seed)
        for _ in 0..<draws { add(distribution.sample(stream)) }
    }
}
