#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The JSON form used by persona files.
///
/// A bare number is a constant. Anything else is an object with exactly one key naming the family, whose
/// value is an object of parameters:
///
/// ```json
/// {"normal": {"mean": 0.2, "sd": 0.03}}
/// {"truncatedNormal": {"mean": 0.2, "sd": 0.05, "lower": 0.1, "upper": 0.4}}
/// {"lognormal": {"mu": -1.6, "sigma": 0.2}}      or  {"lognormal": {"median": 0.2, "sigma": 0.2}}
/// {"gamma": {"shape": 2, "scale": 0.1}}
/// {"beta": {"a": 2, "b": 5}}
/// {"uniform": {"lower": 0.1, "upper": 0.3}}
/// {"exponential": {"mean": 0.5}}
/// {"weibull": {"scale": 1, "shape": 1.5}}
/// ```
///
/// `truncatedNormal`'s `lower` and `upper` may be left out for an unbounded side; every other parameter is
/// required. Decoding throws `DecodingError.dataCorrupted` for an unknown family (the message lists the
/// valid ones), an unknown or missing parameter, and a value that `validate()` rejects; the error's coding
/// path points at the distribution or at its parameter object, and its `debugDescription` says what is
/// wrong, for example `sd: -1 is below 0` (an invalid parameter's error also carries it, with its value, as the
/// `underlyingError`, a `ParameterIssue`). Encoding writes the same form (a lognormal as `mu`/`sigma`,
/// an infinite truncation bound left out).
extension Distribution: Codable {
    /// Decodes the JSON form above; throws `DecodingError` with a message that names the problem.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let value = try? single.decode(Double.self) {
            self = .constant(value)
            if let issue = firstIssue() { throw Self.corrupted(decoder.codingPath, issue) }
            return
        }
        guard let object = try? decoder.container(keyedBy: DistributionKey.self) else {
            throw Self.corrupted(
                decoder.codingPath,
                "expected a number (a constant) or an object with one key naming the distribution, "
                    + "such as {\"normal\": {\"mean\": 0.2, \"sd\": 0.03}}")
        }
        let keys = object.allKeys.sorted { $0.stringValue < $1.stringValue }
        guard keys.count == 1, let familyKey = keys.first else {
            let found = keys.isEmpty ? "none" : "\(keys.count) (\(keys.map(\.stringValue).joined(separator: ", ")))"
            throw Self.corrupted(
                object.codingPath,
                "a distribution object needs exactly one key naming the family, found \(found); "
                    + "expected one of \(DistributionFamily.list)")
        }
        guard let family = DistributionFamily(rawValue: familyKey.stringValue) else {
            throw Self.corrupted(object.codingPath, DistributionFamily.unknownMessage(familyKey.stringValue))
        }
        let parameters: KeyedDecodingContainer<DistributionKey>
        do {
            parameters = try object.nestedContainer(keyedBy: DistributionKey.self, forKey: familyKey)
        } catch {
            throw Self.corrupted(
                object.codingPath + [familyKey],
                "the parameters of \(family.rawValue) must be an object, such as \(family.example)")
        }
        let reader = ParameterReader(container: parameters, family: family)
        try reader.rejectUnknownKeys()
        switch family {
        case .normal:
            self = .normal(mean: try reader.required("mean"), sd: try reader.required("sd"))
        case .truncatedNormal:
            self = .truncatedNormal(
                mean: try reader.required("mean"), sd: try reader.required("sd"),
                lower: try reader.optional("lower") ?? -.infinity, upper: try reader.optional("upper") ?? .infinity)
        case .lognormal:
            let sigma = try reader.required("sigma")
            let mu = try reader.optional("mu")
            let median = try reader.optional("median")
            switch (mu, median) {
            case (let mu?, nil):
                self = .lognormal(mu: mu, sigma: sigma)
            case (nil, let median?):
                if let issue = ParameterIssue.positive("median", median) {
                    throw Self.corrupted(parameters.codingPath, issue)
                }
                self = .lognormal(mu: log(median), sigma: sigma)
            case (nil, nil):
                throw Self.corrupted(parameters.codingPath, "missing parameter mu (or median); \(family.takes)")
            case (.some, .some):
                throw Self.corrupted(parameters.codingPath, "give mu or median, not both (mu = ln median)")
            }
        case .gamma:
            self = .gamma(shape: try reader.required("shape"), scale: try reader.required("scale"))
        case .beta:
            self = .beta(a: try reader.required("a"), b: try reader.required("b"))
        case .uniform:
            self = .uniform(lower: try reader.required("lower"), upper: try reader.required("upper"))
        case .exponential:
            self = .exponential(mean: try reader.required("mean"))
        case .weibull:
            self = .weibull(scale: try reader.required("scale"), shape: try reader.required("shape"))
        }
        if let issue = firstIssue() { throw Self.corrupted(parameters.codingPath, issue) }
    }

    /// Encodes the JSON form above (a constant as a bare number). With `JSONEncoder`'s default strategy a
    /// non-finite parameter (other than a left-out truncation bound) throws `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        if case .constant(let value) = self {
            var single = encoder.singleValueContainer()
            try single.encode(value)
            return
        }
        var object = encoder.container(keyedBy: DistributionKey.self)
        var parameters = object.nestedContainer(keyedBy: DistributionKey.self, forKey: DistributionKey(familyName))
        func put(_ value: Double, _ name: String) throws { try parameters.encode(value, forKey: DistributionKey(name)) }
        switch self {
        case .constant:
            break
        case .normal(let mean, let sd):
            try put(mean, "mean")
            try put(sd, "sd")
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            try put(mean, "mean")
            try put(sd, "sd")
            if lower != -.infinity { try put(lower, "lower") }
            if upper != .infinity { try put(upper, "upper") }
        case .lognormal(let mu, let sigma):
            try put(mu, "mu")
            try put(sigma, "sigma")
        case .gamma(let shape, let scale):
            try put(shape, "shape")
            try put(scale, "scale")
        case .beta(let a, let b):
            try put(a, "a")
            try put(b, "b")
        case .uniform(let lower, let upper):
            try put(lower, "lower")
            try put(upper, "upper")
        case .exponential(let mean):
            try put(mean, "mean")
        case .weibull(let scale, let shape):
            try put(scale, "scale")
            try put(shape, "shape")
        }
    }

    private static func corrupted(_ path: [any CodingKey], _ message: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }

    /// An invalid parameter: the message as its description, the issue itself as the underlying error.
    private static func corrupted(_ path: [any CodingKey], _ issue: ParameterIssue) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: issue.message, underlyingError: issue))
    }
}

/// A JSON object key chosen at run time.
struct DistributionKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The families that have a JSON object form, with the parameters each accepts (for decoding, messages and the
/// persona file schema).
package enum DistributionFamily: String, CaseIterable, Sendable {
    case normal, truncatedNormal, lognormal, gamma, beta, uniform, exponential, weibull

    /// Parameter names accepted, in documentation order.
    package var parameters: [String] {
        switch self {
        case .normal: return ["mean", "sd"]
        case .truncatedNormal: return ["mean", "sd", "lower", "upper"]
        case .lognormal: return ["mu", "median", "sigma"]
        case .gamma: return ["shape", "scale"]
        case .beta: return ["a", "b"]
        case .uniform: return ["lower", "upper"]
        case .exponential: return ["mean"]
        case .weibull: return ["scale", "shape"]
        }
    }

    /// The parameters that must always be given (lognormal also needs one of `mu`, `median`).
    package var required: [String] {
        switch self {
        case .truncatedNormal: return ["mean", "sd"]
        case .lognormal: return ["sigma"]
        default: return parameters
        }
    }

    /// The smallest value `parameter` may take and whether that value itself is excluded (`sd` >= 0: `(0, false)`;
    /// a gamma `shape` > 0: `(0, true)`); nil when only finiteness (and for bounds, their order) is checked.
    package func lowerLimit(of parameter: String) -> (value: Double, exclusive: Bool)? {
        switch (self, parameter) {
        case (.normal, "sd"), (.truncatedNormal, "sd"), (.lognormal, "sigma"): return (0, false)
        case (.lognormal, "median"), (.gamma, _), (.beta, _), (.exponential, _), (.weibull, _): return (0, true)
        default: return nil
        }
    }

    /// What the family takes, for messages: "normal takes mean, sd".
    package var takes: String {
        switch self {
        case .truncatedNormal: return "truncatedNormal takes mean, sd and optional lower, upper"
        case .lognormal: return "lognormal takes sigma and one of mu, median"
        default: return "\(rawValue) takes \(parameters.joined(separator: ", "))"
        }
    }

    /// A valid parameter object, as JSON text: `{"mean": 0.2, "sd": 0.03}`.
    package var example: String {
        switch self {
        case .normal: return "{\"mean\": 0.2, \"sd\": 0.03}"
        case .truncatedNormal: return "{\"mean\": 0.2, \"sd\": 0.05, \"lower\": 0.1, \"upper\": 0.4}"
        case .lognormal: return "{\"median\": 0.2, \"sigma\": 0.2}"
        case .gamma: return "{\"shape\": 2, \"scale\": 0.1}"
        case .beta: return "{\"a\": 2, \"b\": 5}"
        case .uniform: return "{\"lower\": 0.1, \"upper\": 0.3}"
        case .exponential: return "{\"mean\": 0.5}"
        case .weibull: return "{\"scale\": 1, \"shape\": 1.5}"
        }
    }

    static var list: String {
        allCases.map(\.rawValue).joined(separator: ", ") + " (or a bare number for a constant)"
    }

    static func unknownMessage(_ name: String) -> String {
        var message = "unknown distribution '\(name)'"
        if let near = allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) {
            message += " (did you mean '\(near.rawValue)'?)"
        }
        return message + "; expected one of \(list)"
    }
}

/// Reads one family's parameter object, rejecting keys the family does not take.
private struct ParameterReader {
    let container: KeyedDecodingContainer<DistributionKey>
    let family: DistributionFamily

    func rejectUnknownKeys() throws {
        let unknown = container.allKeys.map(\.stringValue).filter { !family.parameters.contains($0) }.sorted()
        if let first = unknown.first {
            let others = unknown.count > 1 ? " (and \(unknown.dropFirst().joined(separator: ", ")))" : ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath,
                debugDescription: "unknown parameter '\(first)'\(others); \(family.takes)"))
        }
    }

    func required(_ name: String) throws -> Double {
        let key = DistributionKey(name)
        guard container.contains(key) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath,
                debugDescription: "missing parameter \(name); \(family.takes)"))
        }
        return try container.decode(Double.self, forKey: key)
    }

    func optional(_ name: String) throws -> Double? {
        try container.decodeIfPresent(Double.self, forKey: DistributionKey(name))
    }
}
