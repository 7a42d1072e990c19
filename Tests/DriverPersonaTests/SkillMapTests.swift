import GSL
import Testing
@testable import DriverPersona

@Suite struct SkillMapTests {
    /// Every limit gets worse (or stays) as skill falls, and skill 1 has no limits at all.
    @Test func limitsGrowAsSkillFalls() {
        let worseWhenLarger: [TraitName] = [.reactionTime, .distanceWeber, .speedWeber, .brakingPointBias,
                                            .brakingPointSpread, .lapFormSpread, .commitmentSpread, .motorNoise,
                                            .motorRemnant, .fatigueGain, .lapseRate, .fatigueLapseGain]
        for trait in worseWhenLarger {
            var previous = SkillMap.centre(trait, skill: 1)
            #expect(previous == 0, "\(trait) at skill 1: \(previous)")
            for step in stride(from: 0.9, through: 0.0, by: -0.1) {
                let value = SkillMap.centre(trait, skill: step)
                #expect(value > previous, "\(trait): \(value) at skill \(step) after \(previous)")
                previous = value
            }
        }
        // Fatigue starts earlier and the margin kept against one's own spread shrinks as skill falls.
        #expect(SkillMap.centre(.riskMargin, skill: 0.1) < SkillMap.centre(.riskMargin, skill: 0.9))
        #expect(SkillMap.centre(.fatigueOnset, skill: 0.1) < SkillMap.centre(.fatigueOnset, skill: 0.9))
    }

    /// An alien samples exactly no limits; a club driver's samples sit around the curve.
    @Test func samplingFollowsTheCurve() {
        let alien = Persona(name: "alien", skill: 1).sample(raceSeed: 3, index: 0)
        for trait in TraitName.allCases where ![.anticipation, .riskMargin, .aggression, .fatigueOnset, .fatigueTimeConstant, .perceptionTimeConstant,
                                               .lapFormCorrelation, .lapseDuration].contains(trait) {
            #expect(alien[trait] == 0, "\(trait): \(alien[trait])")
        }
        let club = Persona(name: "club", skill: 0.5)
        let draws = (0..<2000).map { club.sample(raceSeed: 9, index: $0).brakingPointBias }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let centre = SkillMap.centre(.brakingPointBias, skill: 0.5)
        #expect(abs(mean - centre) < 0.02 * centre, "mean \(mean) vs \(centre)")
        #expect(club.sample(raceSeed: 9, index: 4) == club.sample(raceSeed: 9, index: 4))
        #expect(club.sample(raceSeed: 9, index: 4) != club.sample(raceSeed: 9, index: 5))
    }
}
