#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GSL

/// The skill knob: maps a skill in 0...1 to a full set of trait distributions, every limit worse as skill falls.
///
/// Skill 1 is an alien: no limits at all (every limit trait a constant 0), so it laps exactly like the bare
/// policy. Below that, each limit grows with `u = 1 - skill` along its own curve, chosen from published figures
/// (`../shared/HUMAN_LIMITS.md`, cited in `docs/persona.md`): reaction time changes little with skill (racing
/// drivers do not react faster than other people), most of skill lives in braking points, perception noise and
/// consistency. People of one skill differ: each trait is a distribution around the curve, with a spread of
/// about 20 % of its mean (a truncated normal that never crosses the trait's range).
public enum SkillMap {
    /// The trait distributions of a person of `skill` (clamped into 0...1; NaN counts as 0).
    public static func distributions(skill: Double) -> [TraitName: Distribution] {
        let s = skill.isNaN ? 0 : min(max(skill, 0), 1)
        var result: [TraitName: Distribution] = [:]
        for trait in TraitName.allCases { result[trait] = distribution(trait, skill: s) }
        return result
    }

    /// The central value (mean of the distribution) of `trait` at `skill` (0...1).
    public static func centre(_ trait: TraitName, skill: Double) -> Double {
        let u = 1 - (skill.isNaN ? 0 : min(max(skill, 0), 1))
        switch trait {
        case .reactionTime: return 0.25 * pow(u, 0.3)
        case .anticipation: return 1
        case .distanceWeber: return 0.06 * pow(u, 0.7)
        case .speedWeber: return 0.015 * pow(u, 0.5)
        case .perceptionTimeConstant: return 10
        case .brakingPointBias: return 10 * pow(u, 1.5)
        case .riskMargin: return 2.2 - 1.4 * u
        case .brakingPointSpread: return 8 * u + 16 * u * u * u
        case .lapFormSpread: return 5 * u + 14 * u * u * u
        case .lapFormCorrelation: return u > 0 ? 0.5 : 0
        case .commitmentSpread: return 0.03 * u + 0.05 * u * u * u
        case .motorNoise: return 0.04 * pow(u, 0.7)
        case .motorRemnant: return 0.01 * u
        case .aggression: return 0.5
        case .fatigueOnset: return 20 + 60 * (1 - u)
        case .fatigueTimeConstant: return 40 + 80 * (1 - u)
        case .fatigueGain: return 1.5 * u
        case .lapseRate: return 0.5 * u * u
        case .lapseDuration: return 0.6
        case .fatigueLapseGain: return 3 * u
        }
    }

    /// The distribution of `trait` among people of `skill`: a truncated normal around ``centre(_:skill:)`` with
    /// a standard deviation of 20 % of it (15 % for reaction time, 0.15 for aggression), kept inside the trait's
    /// range; a constant where the centre is 0 or the trait does not vary between people.
    public static func distribution(_ trait: TraitName, skill: Double) -> Distribution {
        let centre = centre(trait, skill: skill)
        let range = trait.range
        switch trait {
        case .perceptionTimeConstant, .lapFormCorrelation, .lapseDuration, .anticipation, .riskMargin:
            return .constant(centre)
        case .aggression:
            return .truncatedNormal(mean: centre, sd: 0.15, lower: range.lowerBound, upper: range.upperBound)
        default:
            guard centre != 0 else { return .constant(0) }
            let sd = (trait == .reactionTime ? 0.15 : 0.2) * abs(centre)
            return .truncatedNormal(mean: centre, sd: sd, lower: range.lowerBound, upper: range.upperBound)
        }
    }
}
