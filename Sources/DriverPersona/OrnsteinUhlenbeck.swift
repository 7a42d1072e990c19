#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GSL

/// A unit Ornstein-Uhlenbeck process: mean 0, stationary standard deviation 1, correlation time `timeConstant`
/// (s). Stepped exactly for any step (`x' = x e^(-dt/tau) + sqrt(1 - e^(-2 dt/tau)) N(0, 1)`), so a
/// misjudgement persists for about `timeConstant`, as in the Human Driver Model (Treiber et al. 2006).
/// Scale it by the quantity's standard deviation.
public struct OrnsteinUhlenbeck: Sendable, Equatable {
    /// The current value (stationary sd 1).
    public private(set) var value: Double
    /// Correlation time (s, > 0).
    public let timeConstant: Double
    private var lastStep = -1.0
    private var decay = 0.0
    private var innovation = 0.0

    /// A process with correlation time `timeConstant` (s), starting at `value` (default 0).
    public init(timeConstant: Double, value: Double = 0) {
        self.timeConstant = max(timeConstant, 1e-3)
        self.value = value
    }

    /// Advances by `dt` seconds with one normal draw from `stream`; returns the new value.
    @inline(__always)
    public mutating func step(_ dt: Double, _ stream: GSLRandomStream) -> Double {
        if dt != lastStep {
            lastStep = dt
            decay = exp(-dt / timeConstant)
            innovation = (1 - decay * decay).squareRoot()
        }
        value = value * decay + innovation * stream.gaussian(sd: 1)
        return value
    }
}
