import CGSL

/// Errors from building GSL-backed numerical objects.
public enum GSLError: Error, Equatable, CustomStringConvertible {
    /// The input was rejected; the text says which value and why.
    case invalidInput(String)
    /// libgsl returned a non-zero status code.
    case gsl(code: Int32, context: String)

    /// A message for a person: the rejected value and why, or the GSL status with GSL's own text.
    public var description: String {
        switch self {
        case .invalidInput(let why): return why
        case .gsl(let code, let context):
            return "\(context): GSL error \(code) (\(String(cString: gsl_strerror(code))))"
        }
    }
}

/// A periodic cubic spline through (x_i, y_i) (`gsl_interp_cspline_periodic`), for closed curves such as a
/// circuit parametrised by arc length. Owns its GSL interpolation object and frees it in `deinit`.
///
/// `x` must be strictly increasing, finite, with at least 3 knots; the last knot closes the period, so
/// `y.last` must equal `y.first` (the period is `x.last - x.first`). Evaluation outside [x.first, x.last]
/// wraps into the period.
public final class PeriodicSpline {
    private let interp: UnsafeMutablePointer<gsl_interp>
    private let accel: UnsafeMutablePointer<gsl_interp_accel>
    private let xs: [Double]
    private let ys: [Double]
    /// First knot abscissa.
    public let lowerBound: Double
    /// Period (`x.last - x.first`).
    public let period: Double

    /// Builds the spline; throws `GSLError.invalidInput` for non-increasing, non-finite, too few, or
    /// non-closing knots.
    public init(x: [Double], y: [Double]) throws(GSLError) {
        GSLRuntime.configure()
        guard x.count == y.count else {
            throw .invalidInput("spline: \(x.count) abscissae but \(y.count) ordinates")
        }
        guard x.count >= 3 else { throw .invalidInput("spline: \(x.count) knots, need at least 3") }
        for i in 0..<x.count {
            guard x[i].isFinite, y[i].isFinite else {
                throw .invalidInput("spline: knot \(i) is not finite (x \(x[i]), y \(y[i]))")
            }
            if i > 0, !(x[i] > x[i - 1]) {
                throw .invalidInput("spline: abscissa \(i) (\(x[i])) is not above the previous (\(x[i - 1]))")
            }
        }
        guard abs(y[y.count - 1] - y[0]) <= 1e-9 * max(1, abs(y[0])) else {
            throw .invalidInput("spline: periodic data must end where it starts (y first \(y[0]), last \(y[y.count - 1]))")
        }
        var yy = y
        yy[yy.count - 1] = yy[0]
        guard let i = gsl_interp_alloc(rival_gsl_interp_cspline_periodic(), x.count) else {
            throw .invalidInput("spline: gsl_interp_alloc failed")
        }
        guard let a = gsl_interp_accel_alloc() else {
            gsl_interp_free(i)
            throw .invalidInput("spline: gsl_interp_accel_alloc failed")
        }
        let status = x.withUnsafeBufferPointer { xp in
            yy.withUnsafeBufferPointer { yp in gsl_interp_init(i, xp.baseAddress, yp.baseAddress, x.count) }
        }
        if status != 0 {
            gsl_interp_free(i)
            gsl_interp_accel_free(a)
            throw .gsl(code: status, context: "spline: gsl_interp_init")
        }
        interp = i
        accel = a
        xs = x
        ys = yy
        lowerBound = x[0]
        period = x[x.count - 1] - x[0]
    }

    deinit {
        gsl_interp_free(interp)
        gsl_interp_accel_free(accel)
    }

    @inline(__always)
    private func wrapped(_ t: Double) -> Double {
        var u = (t - lowerBound).truncatingRemainder(dividingBy: period)
        if u < 0 { u += period }
        return lowerBound + u
    }

    /// The spline's value at `t` (wrapped into the period). Non-finite `t` gives NaN.
    public func value(at t: Double) -> Double {
        guard t.isFinite else { return .nan }
        let u = wrapped(t)
        return xs.withUnsafeBufferPointer { xp in
            ys.withUnsafeBufferPointer { yp in gsl_interp_eval(interp, xp.baseAddress, yp.baseAddress, u, accel) }
        }
    }

    /// The first derivative dy/dx at `t` (wrapped). Non-finite `t` gives NaN.
    public func derivative(at t: Double) -> Double {
        guard t.isFinite else { return .nan }
        let u = wrapped(t)
        return xs.withUnsafeBufferPointer { xp in
            ys.withUnsafeBufferPointer { yp in gsl_interp_eval_deriv(interp, xp.baseAddress, yp.baseAddress, u, accel) }
        }
    }

    /// The second derivative d2y/dx2 at `t` (wrapped). Non-finite `t` gives NaN.
    public func secondDerivative(at t: Double) -> Double {
        guard t.isFinite else { return .nan }
        let u = wrapped(t)
        return xs.withUnsafeBufferPointer { xp in
            ys.withUnsafeBufferPointer { yp in gsl_interp_eval_deriv2(interp, xp.baseAddress, yp.baseAddress, u, accel) }
        }
    }
}
