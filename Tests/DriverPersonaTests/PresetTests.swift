import Foundation
import PolicyCore
import Sim
import Testing
@testable import DriverPersona
import RivalTestSupport

/// The shipped presets alone on track: the full check (20 laps, 3 circuits, 5 people each) is
/// `rival persona check` (docs/persona.md); this is a smaller one on one circuit.
@Suite("Presets")
struct PresetTests {
    static func preset(_ name: String) throws -> Persona {
        try Persona.resolve(name, searchDirectories: [Shipped.root.appendingPathComponent("personas").path])
    }

    @Test("pace, spread and mistakes are ordered by preset; the alien laps as the bare policy")
    func orderedByPreset() throws {
        let (source, car) = try Shipped.expert("Catalunya", "gt3", laps: 8)
        let personas = try ["rookie", "club", "pro", "alien"].map(Self.preset)
        let check = PersonaCheck.run(personas: personas, sources: [source], car: car, laps: 8, drivers: 3, seed: 1,
                                     config: RaceConfig(laps: 8), threads: 2)
        let s = check.summaries
        for k in 1..<s.count {
            #expect(s[k].pace < s[k - 1].pace, "pace \(s[k - 1].persona) \(s[k - 1].pace) vs \(s[k].persona) \(s[k].pace)")
            #expect(s[k].coefficientOfVariation < s[k - 1].coefficientOfVariation,
                    "CV \(s[k - 1].persona) \(s[k - 1].coefficientOfVariation) vs \(s[k].persona) \(s[k].coefficientOfVariation)")
            #expect(s[k].mistakesPerLap <= s[k - 1].mistakesPerLap)
        }
        #expect(s[0].coefficientOfVariation > 0.01, "rookie CV \(s[0].coefficientOfVariation)")
        #expect(s[2].coefficientOfVariation < 0.005, "pro CV \(s[2].coefficientOfVariation)")
        // No limits at all: exactly the bare policy's pace, and no mistakes.
        #expect(abs(s[3].pace - 1) < 1e-12 && s[3].mistakesPerLap == 0)
        #expect(s[0].pace > 1.03 && s[2].pace < 1.03)
    }
}
