import GSL

/// Deterministic uniform numbers in [0, 1) for tests (SplitMix64, ``SeedDerivation/uniform(_:)``), so a failure
/// replays.
public struct SplitMix: Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> Double { SeedDerivation.uniform(&state) }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * next() }
}
