/// The Illinois variant of regula falsi: a root of a continuous function on a bracket, in a handful of
/// evaluations for smooth functions, and never outside the bracket.
enum RootFinding {
    /// A root of `f` between `low` and `high`, where `f(low) <= 0 <= f(high)` (given as `lowValue`, `highValue`).
    /// Stops when `|f| <= valueTolerance`, the bracket is narrower than `width`, or after 100 evaluations.
    static func illinois(
        low: Double, high: Double, lowValue: Double, highValue: Double, valueTolerance: Double, width: Double,
        _ f: (Double) -> Double
    ) -> Double {
        var (low, high, lowValue, highValue) = (low, high, lowValue, highValue)
        var side = 0
        for _ in 0..<100 {
            guard highValue - lowValue > 0, high - low > width else { break }
            let x = (low * highValue - high * lowValue) / (highValue - lowValue)
            let y = f(x)
            if abs(y) <= valueTolerance { return x }
            if y < 0 {
                (low, lowValue) = (x, y)
                if side == -1 { highValue /= 2 }
                side = -1
            } else {
                (high, highValue) = (x, y)
                if side == 1 { lowValue /= 2 }
                side = 1
            }
        }
        return 0.5 * (low + high)
    }
}
