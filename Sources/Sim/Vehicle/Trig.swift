/// Sine and cosine together by Cody-Waite reduction and Taylor polynomials, for the hot path (steering angle and
/// heading).
///
/// Cheaper than two C library calls, accurate to a few units in the last place for the angles the car model uses
/// (|x| <= 4 rad), and plain arithmetic, so every platform gets the same bits. (For a single sine of an argument
/// whose sign changes from call to call, the C library's `sin` measured as fast: the quadrant switch mispredicts.)
enum Trig {
    /// Sine and cosine of `x` (rad). NaN for a non-finite `x`; any finite `x` works, but the reduction loses
    /// accuracy beyond about 1e6 rad.
    @inline(__always)
    static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        // Below pi/4 (0.785...) the quadrant is 0 and the reduction leaves x as it is: the same bits without it
        // (the shipped cars' steering angles, up to 0.5 rad, and often a heading).
        if abs(x) < 0.78 { return reducedSinCos(x) }
        let quadrant = (x * (2 / Double.pi) + 0x1.8p52) - 0x1.8p52  // round to nearest, no library call
        guard abs(quadrant) < 1e15 else { return (.nan, .nan) }  // NaN and infinities: no trap
        // pi/2 split in two doubles, so that the reduced angle keeps full precision.
        let reduced = (x - quadrant * 1.570_796_326_794_896_558) - quadrant * 6.123_233_995_736_766e-17
        let (sine, cosine) = reducedSinCos(reduced)
        switch Int(quadrant) & 3 {
        case 0: return (sine, cosine)
        case 1: return (cosine, -sine)
        case 2: return (-sine, -cosine)
        default: return (-cosine, sine)
        }
    }

    /// Sine and cosine for |x| <= pi/4 (good to 1 rad): Taylor series to x^15 and x^16, error below 3e-15.
    @inline(__always)
    static func reducedSinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let x2 = x * x
        var sine = -1.0 / 1_307_674_368_000
        sine = sine * x2 + 1.0 / 6_227_020_800
        sine = sine * x2 - 1.0 / 39_916_800
        sine = sine * x2 + 1.0 / 362_880
        sine = sine * x2 - 1.0 / 5040
        sine = sine * x2 + 1.0 / 120
        sine = sine * x2 - 1.0 / 6
        sine = (sine * x2 + 1) * x
        var cosine = 1.0 / 20_922_789_888_000
        cosine = cosine * x2 - 1.0 / 87_178_291_200
        cosine = cosine * x2 + 1.0 / 479_001_600
        cosine = cosine * x2 - 1.0 / 3_628_800
        cosine = cosine * x2 + 1.0 / 40320
        cosine = cosine * x2 - 1.0 / 720
        cosine = cosine * x2 + 1.0 / 24
        cosine = cosine * x2 - 1.0 / 2
        cosine = cosine * x2 + 1
        return (sine, cosine)
    }
}
