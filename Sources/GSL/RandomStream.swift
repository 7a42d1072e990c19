import CGSL

/// A source of random draws for one consumer (one driver, one sampler).
///
/// The rest of Rival draws only through this protocol, so a second backend (a pure-Swift generator, a game's
/// own generator) can be added without touching the layers above. Every method advances the stream.
/// Implementations are not thread-safe: give each car its own stream.
public protocol RandomStream: AnyObject {
    /// A uniform draw in [0, 1).
    func uniform() -> Double
    /// A uniform draw in (0, 1), never exactly 0 (safe for `log`).
    func uniformPositive() -> Double
    /// A raw 32-bit draw, uniform over [0, 2^32).
    func nextUInt32() -> UInt32
    /// A normal draw with mean 0 and standard deviation `sd` (`sd` >= 0).
    func gaussian(sd: Double) -> Double
    /// A lognormal draw: exp of a normal with mean `mu` and standard deviation `sigma` of the logarithm.
    func lognormal(mu: Double, sigma: Double) -> Double
    /// A gamma draw with `shape` > 0 and `scale` > 0 (mean shape * scale).
    func gamma(shape: Double, scale: Double) -> Double
    /// A beta draw in [0, 1] with shape parameters `a` > 0, `b` > 0.
    func beta(a: Double, b: Double) -> Double
    /// An exponential draw with the given `mean` > 0.
    func exponential(mean: Double) -> Double
    /// A Weibull draw with `scale` > 0 and `shape` > 0.
    func weibull(scale: Double, shape: Double) -> Double
    /// A Poisson count with the given `mean` >= 0.
    func poisson(mean: Double) -> UInt32
}

/// Derives well-separated 32-bit seeds from a race seed and a driver index (SplitMix64 finaliser), so adding a
/// car never changes the other cars' draws.
public enum SeedDerivation {
    /// SplitMix64's output function: a bijective 64-bit mixer.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// SplitMix64 as a generator: the next uniform Double in [0, 1) (53 bits) from `state`, which it advances. A
    /// portable, seedable source where no GSL stream is wanted (the network's weight initialisation, tests).
    @inlinable
    public static func uniform(_ state: inout UInt64) -> Double {
        let z = mix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return Double(z >> 11) * 0x1p-53
    }

    /// The seed of stream `index` (0-based) of a race seeded with `raceSeed`; `salt` separates purposes
    /// (for example trait sampling vs. on-track noise) that must not share draws.
    @inlinable
    public static func seed(raceSeed: UInt64, index: Int, salt: UInt64 = 0) -> UInt64 {
        mix(mix(raceSeed ^ mix(salt)) &+ UInt64(bitPattern: Int64(index)))
    }
}

/// A Mersenne Twister (mt19937) stream from libgsl. Owns its `gsl_rng` and frees it in `deinit`.
///
/// GSL's mt19937 matches C++ `std::mt19937` draw for draw, so a C++ engine can replay the same streams.
/// mt19937 uses the low 32 bits of the seed; a seed of 0 is replaced by GSL's default (4357).
public final class GSLRandomStream: RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>

    /// A stream seeded with `seed` (low 32 bits used).
    public init(seed: UInt64) {
        GSLRuntime.configure()
        guard let r = gsl_rng_alloc(rival_gsl_rng_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        rng = r
        gsl_rng_set(r, UInt(truncatingIfNeeded: seed & 0xFFFF_FFFF))
    }

    /// The independent stream `index` of a race seeded with `raceSeed` (see `SeedDerivation`).
    public convenience init(raceSeed: UInt64, index: Int, salt: UInt64 = 0) {
        self.init(seed: SeedDerivation.seed(raceSeed: raceSeed, index: index, salt: salt))
    }

    deinit { gsl_rng_free(rng) }

    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    @inlinable public func nextUInt32() -> UInt32 { UInt32(truncatingIfNeeded: gsl_rng_get(rng)) }
    @inlinable public func gaussian(sd: Double) -> Double { gsl_ran_gaussian_ziggurat(rng, sd) }
    @inlinable public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }
    @inlinable public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(rng, shape, scale) }
    @inlinable public func beta(a: Double, b: Double) -> Double { gsl_ran_beta(rng, a, b) }
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }
    @inlinable public func weibull(scale: Double, shape: Double) -> Double { gsl_ran_weibull(rng, scale, shape) }
    @inlinable public func poisson(mean: Double) -> UInt32 { UInt32(gsl_ran_poisson(rng, mean)) }
}

/// Process-wide libgsl set-up: turns off GSL's default error handler (which aborts the process) so that
/// every call site checks return codes instead. Idempotent and thread-safe (a Swift global's lazy initialiser).
public enum GSLRuntime {
    private static let configured: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Makes sure GSL's abort-on-error handler is off. Called by every GSL-owning type's initialiser.
    public static func configure() { _ = configured }
}
