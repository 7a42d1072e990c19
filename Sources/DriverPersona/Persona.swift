import GSL

/// A kind of driver, as a game designer writes it in a persona file: a skill and optional per-trait
/// distributions. Every driver instance samples its own ``HumanTraits`` from it, so ten "club" drivers are ten
/// different people, and the same seed gives the same ten.
public struct Persona: Sendable, Equatable {
    /// Display name (`"club"`).
    public var name: String
    /// Skill, 0...1: sets every trait not overridden (``SkillMap``); 1 is an alien with no limits.
    public var skill: Double
    /// Traits the designer set explicitly; they replace the skill's distribution for that trait.
    public var overrides: [TraitName: Distribution]
    /// Free text for people (the calibration tool records its target and fit here).
    public var comment: String?
    /// What kind of driver this is, for designers choosing a persona (`"a regular at club track days..."`).
    public var description: String? = nil

    public init(name: String, skill: Double, overrides: [TraitName: Distribution] = [:], comment: String? = nil) {
        self.name = name
        self.skill = skill
        self.overrides = overrides
        self.comment = comment
    }

    /// The distribution `trait` is drawn from: the override, or the skill's.
    public func distribution(_ trait: TraitName) -> Distribution {
        overrides[trait] ?? SkillMap.distribution(trait, skill: skill)
    }

    /// Stream salt that separates trait sampling from every other use of a driver's seed.
    public static let traitSalt: UInt64 = 0x7065_7273_6F6E_61  // "persona"

    /// The traits of driver `index` of a race seeded `raceSeed`: one draw per trait, in ``TraitName`` order, from
    /// that driver's own stream (so adding a car never changes the others), clamped into each trait's range.
    public func sample(raceSeed: UInt64, index: Int) -> HumanTraits {
        sample(GSLRandomStream(raceSeed: raceSeed, index: index, salt: Self.traitSalt))
    }

    /// The traits drawn from `stream`, one draw per trait in ``TraitName`` order, clamped into each range.
    public func sample(_ stream: some RandomStream) -> HumanTraits {
        var traits = HumanTraits()
        for trait in TraitName.allCases { traits[trait] = distribution(trait).sample(stream) }
        return traits.clamped
    }
}
