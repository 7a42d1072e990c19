import ArgumentParser
import PolicyCore

/// `rival spec`: the observation spec of the learned policy, as the Markdown table of docs/policy.md.
struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Print the policy's observation spec (feature, unit, scale, meaning) as a Markdown table.")

    func run() throws {
        print("Observation spec \(ObservationSpec.version): \(ObservationSpec.count) features; each is the quantity "
            + "divided by its scale (the network's own input normalisation comes on top).\n")
        print("| # | feature | unit | scale | meaning |")
        print("|---|---|---|---|---|")
        for (i, f) in ObservationSpec.features.enumerated() {
            let scale = f.scale == f.scale.rounded() ? String(Int(f.scale)) : String(f.scale)
            print("| \(i) | `\(f.name)` | \(f.unit) | \(scale) | \(f.meaning) |")
        }
        print("\nAction: `steering` in -1...1 (fraction of the maximum road-wheel angle, + = left) and `pedal` in "
            + "-1...1 (+ = throttle fraction, - = brake fraction of the maximum brake force).")
    }
}
