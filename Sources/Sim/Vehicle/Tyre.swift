import Foundation

/// The shape of one magic-formula curve, normalised so that its peak is exactly 1 (multiply by the friction
/// coefficient and the vertical load to get a force).
///
/// `value(x) = sin(C atan(B x - E (B x - atan(B x)))) / peak`, odd in `x`. The lateral slip `x` is Pacejka's
/// `tan(alpha)`: the contact patch's sideways velocity over its rolling speed (MF 6.x, `alpha* = -V_sy / |V_cx|`),
/// which equals the slip angle in radians near the peak and needs no arctangent; the longitudinal slip is the slip
/// ratio. With `C` below about 1.57 and `E` near 1 the raw curve may never reach 1, so `peak` is found numerically
/// once, at construction.
struct MagicFormulaShape: Sendable, Equatable {
    let B: Double
    let C: Double
    let E: Double
    /// 1 / (the raw curve's largest value for slips 0...4).
    let peakInverse: Double
    /// Where the normalised curve reaches 1, within 1e-9.
    let peakSlip: Double

    init(_ coefficients: CarSpec.MagicFormula) {
        let (B, C, E) = (coefficients.B, coefficients.C, coefficients.E)
        self.B = B
        self.C = C
        self.E = E
        // Coarse scan of slips 0...4 (0 to 76 degrees), then golden-section refinement around the best sample.
        let samples = 4000
        let upper = 4.0
        var bestX = 0.0
        var best = -Double.infinity
        for i in 1...samples {
            let x = upper * Double(i) / Double(samples)
            let y = Self.raw(x, B: B, C: C, E: E)
            if y > best { (best, bestX) = (y, x) }
        }
        var low = max(0, bestX - upper / Double(samples))
        var high = min(upper, bestX + upper / Double(samples))
        let ratio = (5.0.squareRoot() - 1) / 2
        while high - low > 1e-10 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            if Self.raw(a, B: B, C: C, E: E) < Self.raw(b, B: B, C: C, E: E) { low = a } else { high = b }
        }
        let peakX = (low + high) / 2
        let peak = max(Self.raw(peakX, B: B, C: C, E: E), best)
        peakSlip = peakX
        peakInverse = peak > 0 ? 1 / peak : 0
    }

    /// The normalised force at slip `x`: 0 at 0, 1 at ``peakSlip``, odd.
    @inline(__always)
    func value(_ x: Double) -> Double { Self.raw(x, B: B, C: C, E: E) * peakInverse }

    /// The slip in 0...``peakSlip`` at which the normalised curve reaches `fraction` (clamped to 0...1), to 1e-12.
    func slip(at fraction: Double) -> Double {
        let target = min(max(fraction, 0), 1)
        return RootFinding.illinois(
            low: 0, high: peakSlip, lowValue: -target, highValue: 1 - target, valueTolerance: 1e-12, width: 1e-12
        ) { value($0) - target }
    }

    @inline(__always)
    static func raw(_ x: Double, B: Double, C: Double, E: Double) -> Double {
        let bx = B * x
        return sin(C * atan(bx - E * (bx - atan(bx))))
    }
}
