import ArgumentParser
import Foundation
import Sim

/// `rival tracks`: the shipped circuits with their lengths and widths.
struct TracksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks", abstract: "List the shipped circuits (name, length, width range).")

    func run() throws {
        guard let dir = DataDirectories.candidates("tracks").first else {
            throw UserError("tracks/: no tracks directory found (run from the repository root or set RIVAL_DATA)")
        }
        print("circuit          length_m  min_width_m  max_width_m")
        for name in Track.shippedNames(in: dir) {
            let track = try Track.resolve(name, searchDirectories: [dir])
            var lo = Double.infinity, hi = 0.0
            for i in 0..<track.count {
                let w = track.widthLeft[i] + track.widthRight[i]
                lo = min(lo, w)
                hi = max(hi, w)
            }
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: " %8.0f  %11.1f  %11.1f", track.length, lo, hi))
        }
    }
}
