extension Distribution {
    /// Checks the parameters: nil when the distribution is valid, otherwise a message naming the first bad
    /// parameter, its value and the expected range, for example `"sd: -1 is below 0"` or
    /// `"upper: 1 is below lower (2)"`. NaN and (except truncation bounds) infinite values are rejected.
    public func validate() -> String? {
        firstIssue()?.message
    }

    /// The first invalid parameter, or nil.
    func firstIssue() -> ParameterIssue? {
        switch self {
        case .constant(let value):
            return ParameterIssue.finite("value", value)
        case .normal(let mean, let sd):
            return ParameterIssue.finite("mean", mean) ?? ParameterIssue.nonNegative("sd", sd)
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            if let issue = ParameterIssue.finite("mean", mean) ?? ParameterIssue.nonNegative("sd", sd) {
                return issue
            }
            if lower.isNaN || lower == .infinity {
                return ParameterIssue("lower", lower, "is not a number below +infinity")
            }
            if upper.isNaN || upper == -.infinity {
                return ParameterIssue("upper", upper, "is not a number above -infinity")
            }
            return ParameterIssue.ordered(lower: lower, upper: upper)
        case .lognormal(let mu, let sigma):
            return ParameterIssue.finite("mu", mu) ?? ParameterIssue.nonNegative("sigma", sigma)
        case .gamma(let shape, let scale):
            return ParameterIssue.positive("shape", shape) ?? ParameterIssue.positive("scale", scale)
        case .beta(let a, let b):
            return ParameterIssue.positive("a", a) ?? ParameterIssue.positive("b", b)
        case .uniform(let lower, let upper):
            return ParameterIssue.finite("lower", lower) ?? ParameterIssue.finite("upper", upper)
                ?? ParameterIssue.ordered(lower: lower, upper: upper)
        case .exponential(let mean):
            return ParameterIssue.positive("mean", mean)
        case .weibull(let scale, let shape):
            return ParameterIssue.positive("scale", scale) ?? ParameterIssue.positive("shape", shape)
        }
    }
}

/// One invalid parameter: its name (as in JSON), its value and what is wrong with it. Decoding attaches it as
/// the `underlyingError` of the `DecodingError` it throws, so that a loader can name the parameter's own JSON
/// path and value.
package struct ParameterIssue: Error, Equatable, Sendable {
    /// The parameter's name as written in JSON (`"sd"`); `"value"` for a constant.
    package let parameter: String
    /// The offending value.
    package let value: Double
    /// What is wrong, after the value: `"is below 0"`.
    package let problem: String

    init(_ parameter: String, _ value: Double, _ problem: String) {
        self.parameter = parameter
        self.value = value
        self.problem = problem
    }

    /// `"parameter: value problem"`, for example `"sd: -1 is below 0"`.
    package var message: String { "\(parameter): \(format(value)) \(problem)" }

    static func finite(_ name: String, _ value: Double) -> ParameterIssue? {
        value.isFinite ? nil : ParameterIssue(name, value, "is not a finite number")
    }

    static func nonNegative(_ name: String, _ value: Double) -> ParameterIssue? {
        if let issue = finite(name, value) { return issue }
        return value >= 0 ? nil : ParameterIssue(name, value, "is below 0")
    }

    static func positive(_ name: String, _ value: Double) -> ParameterIssue? {
        if let issue = finite(name, value) { return issue }
        return value > 0 ? nil : ParameterIssue(name, value, "is not above 0")
    }

    static func ordered(lower: Double, upper: Double) -> ParameterIssue? {
        upper >= lower ? nil : ParameterIssue("upper", upper, "is below lower (\(format(lower)))")
    }
}

/// A number as a designer wrote it: integral values without a trailing ".0", infinities spelt out.
func format(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value == .infinity { return "+infinity" }
    if value == -.infinity { return "-infinity" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
