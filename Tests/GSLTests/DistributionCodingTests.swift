import Foundation
import Testing
import GSL

/// The persona-file JSON form: round trips, accepted spellings, and the text of decoding errors.
@Suite struct DistributionCodingTests {
    struct Traits: Codable {
        var reactionTime: Distribution
    }

    static let everyCase: [Distribution] = [
        .constant(0.25),
        .normal(mean: 0.2, sd: 0.03),
        .truncatedNormal(mean: 0.2, sd: 0.05, lower: 0.1, upper: 0.4),
        .truncatedNormal(mean: 0.2, sd: 0.05, lower: 0, upper: .infinity),
        .truncatedNormal(mean: 0.2, sd: 0.05, lower: -.infinity, upper: 0.4),
        .lognormal(mu: -1.6, sigma: 0.2),
        .gamma(shape: 2, scale: 0.1),
        .beta(a: 2, b: 5),
        .uniform(lower: 0.1, upper: 0.3),
        .exponential(mean: 0.5),
        .weibull(scale: 1, shape: 1.5),
    ]

    @Test(arguments: everyCase)
    func roundTrip(distribution: Distribution) throws {
        let data = try JSONEncoder().encode(Traits(reactionTime: distribution))
        let decoded = try JSONDecoder().decode(Traits.self, from: data)
        #expect(decoded.reactionTime == distribution)
    }

    @Test func encodedForm() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func text(_ d: Distribution) throws -> String { String(decoding: try encoder.encode([d]), as: UTF8.self) }
        #expect(try text(.constant(0.25)) == "[0.25]")
        #expect(try text(.normal(mean: 0.2, sd: 0.03)) == #"[{"normal":{"mean":0.2,"sd":0.03}}]"#)
        #expect(try text(.lognormal(mu: -1, sigma: 0.5)) == #"[{"lognormal":{"mu":-1,"sigma":0.5}}]"#)
        #expect(try text(.truncatedNormal(mean: 1, sd: 2, lower: 0, upper: .infinity))
                == #"[{"truncatedNormal":{"lower":0,"mean":1,"sd":2}}]"#)
    }

    @Test func decodesTheDesignersSpellings() throws {
        let json = #"""
            [0.3, {"normal": {"mean": 0.2, "sd": 0.03}}, {"lognormal": {"median": 0.2, "sigma": 0.25}},
             {"truncatedNormal": {"mean": 0.2, "sd": 0.05, "lower": 0.05}}, {"uniform": {"lower": 1, "upper": 2}}]
            """#
        let decoded = try JSONDecoder().decode([Distribution].self, from: Data(json.utf8))
        #expect(decoded.count == 5)
        #expect(decoded[0] == .constant(0.3))
        #expect(decoded[1] == .normal(mean: 0.2, sd: 0.03))
        guard case .lognormal(let mu, let sigma) = decoded[2] else {
            Issue.record("expected a lognormal, got \(decoded[2])")
            return
        }
        #expect(abs(mu - log(0.2)) < 1e-15 && sigma == 0.25)
        #expect(decoded[3] == .truncatedNormal(mean: 0.2, sd: 0.05, lower: 0.05, upper: .infinity))
        #expect(decoded[4] == .uniform(lower: 1, upper: 2))
    }

    /// Decodes `{"reactionTime": <fragment>}` and returns the error's JSON path and description.
    func failure(_ fragment: String) -> (path: String, message: String)? {
        let json = #"{"reactionTime": \#(fragment)}"#
        do {
            _ = try JSONDecoder().decode(Traits.self, from: Data(json.utf8))
            return nil
        } catch let DecodingError.dataCorrupted(context) {
            return (context.codingPath.map(\.stringValue).joined(separator: "."), context.debugDescription)
        } catch {
            return ("", "unexpected error \(error)")
        }
    }

    @Test func unknownFamilyListsTheValidOnes() {
        let error = failure(#"{"gaussian": {"mean": 0.2, "sd": 0.03}}"#)
        #expect(error?.path == "reactionTime")
        #expect(error?.message == "unknown distribution 'gaussian'; expected one of normal, truncatedNormal, "
                + "lognormal, gamma, beta, uniform, exponential, weibull (or a bare number for a constant)")
        #expect(failure(#"{"Normal": {"mean": 0.2, "sd": 0.03}}"#)?.message.hasPrefix(
            "unknown distribution 'Normal' (did you mean 'normal'?); expected one of normal,") == true)
    }

    @Test func unknownParameterIsNamed() {
        let error = failure(#"{"normal": {"mean": 0.2, "sdev": 0.03}}"#)
        #expect(error?.path == "reactionTime.normal")
        #expect(error?.message == "unknown parameter 'sdev'; normal takes mean, sd")
    }

    @Test func negativeSpreadIsRejectedWithItsValue() {
        let error = failure(#"{"normal": {"mean": 0.2, "sd": -1}}"#)
        #expect(error?.path == "reactionTime.normal")
        #expect(error?.message == "sd: -1 is below 0")
    }

    @Test func otherDecodingErrors() {
        #expect(failure(#"{"normal": {"mean": 0.2}}"#)?.message == "missing parameter sd; normal takes mean, sd")
        #expect(failure(#"{"gamma": {"shape": 0, "scale": 1}}"#)?.message == "shape: 0 is not above 0")
        #expect(failure(#"{"uniform": {"lower": 2, "upper": 1}}"#)?.message == "upper: 1 is below lower (2)")
        #expect(failure(#"{"lognormal": {"median": -0.2, "sigma": 0.1}}"#)?.message == "median: -0.2 is not above 0")
        #expect(failure(#"{"lognormal": {"sigma": 0.1}}"#)?.message
                == "missing parameter mu (or median); lognormal takes sigma and one of mu, median")
        #expect(failure(#"{"lognormal": {"mu": 0, "median": 1, "sigma": 0.1}}"#)?.message
                == "give mu or median, not both (mu = ln median)")
        #expect(failure(#"{"normal": {"mean": 0.2, "sd": 0.03}, "gamma": {"shape": 1, "scale": 1}}"#)?.message
                == "a distribution object needs exactly one key naming the family, found 2 (gamma, normal); "
                + "expected one of normal, truncatedNormal, lognormal, gamma, beta, uniform, exponential, weibull "
                + "(or a bare number for a constant)")
        #expect(failure(#"{"normal": 0.2}"#)?.message
                == #"the parameters of normal must be an object, such as {"mean": 0.2, "sd": 0.03}"#)
        #expect(failure(#""fast""#)?.message.hasPrefix("expected a number (a constant) or an object") == true)
    }

    @Test func wrongParameterTypeKeepsThePath() {
        let json = #"{"reactionTime": {"normal": {"mean": "0.2", "sd": 0.03}}}"#
        do {
            _ = try JSONDecoder().decode(Traits.self, from: Data(json.utf8))
            Issue.record("decoded a string mean")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["reactionTime", "normal", "mean"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
