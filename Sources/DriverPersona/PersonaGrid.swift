import GSL
import PolicyCore
import Sim

/// A grid of human drivers: each slot a persona, each car its own person (traits sampled from stream (race seed,
/// grid index)), all on one ``PolicySource``.
public struct PersonaGrid {
    /// The race entries, in grid order.
    public var entries: [RaceEntry]
    /// Each car's driver (to read its traits and ``HumanDriverStats`` after the race).
    public var drivers: [HumanDriver]
    /// Each car's persona name.
    public var personas: [String]

    /// `slots` in order (persona, number of cars); with `shuffled`, the grid order is a seeded shuffle of them
    /// (the same seed gives the same order). Names are the persona's with a number: `club 1`, `club 2`, ...
    public init(slots: [(persona: Persona, count: Int)], source: PolicySource, car: CarSpec, raceSeed: UInt64,
                shuffled: Bool = false) {
        var order: [Persona] = slots.flatMap { Array(repeating: $0.persona, count: max($0.count, 0)) }
        if shuffled && order.count > 1 {
            let stream = GSLRandomStream(raceSeed: raceSeed, index: 0, salt: 0x6772_6964)  // "grid"
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = min(Int(stream.uniform() * Double(i + 1)), i)
                order.swapAt(i, j)
            }
        }
        var numbering: [String: Int] = [:]
        var entries: [RaceEntry] = [], drivers: [HumanDriver] = [], personas: [String] = []
        for (index, persona) in order.enumerated() {
            numbering[persona.name, default: 0] += 1
            let traits = persona.sample(raceSeed: raceSeed, index: index)
            let driver = source.makeDriver(traits: traits, raceSeed: raceSeed, index: index)
            entries.append(RaceEntry(name: "\(persona.name) \(numbering[persona.name]!)", car: car, driver: driver))
            drivers.append(driver)
            personas.append(persona.name)
        }
        self.entries = entries
        self.drivers = drivers
        self.personas = personas
    }
}
