extension Surface {
    /// Multiplier on every tyre friction coefficient: 1 on the track, 0.6 on run-off and at the barrier (grass,
    /// gravel and dusty tarmac mixed; an estimate). The race engine resolves barrier contact itself; the car model
    /// treats the barrier like run-off.
    public var gripFactor: Double {
        switch self {
        case .track: return 1
        case .runoff, .barrier: return 0.6
        }
    }

    /// Rolling resistance added to the tyre's own coefficient (force per unit vertical load): 0 on the track, 0.06
    /// on run-off and at the barrier (soft ground and gravel; an estimate).
    public var extraRollingResistance: Double {
        switch self {
        case .track: return 0
        case .runoff, .barrier: return 0.06
        }
    }
}
