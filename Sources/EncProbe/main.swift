import Foundation
import PolicyCore
import Sim

// Throw-away probe (never committed): N batched 20-car calls on the benchmark's Monza grid.
// args: N alone(0/1) turn(0/1)
let args = CommandLine.arguments
let n = Int(args[1])!, alone = args[2] == "1", turn = args[3] == "1"
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let track = try Track.resolve("Monza", searchDirectories: [root.appendingPathComponent("tracks").path])
let car = try CarSpec.resolve("gt3", searchDirectories: [root.appendingPathComponent("cars").path])
let config = RaceConfig(laps: 1000, maxDuration: 1e9)
let race = try Race(track: track, entries: ExpertGrid.entries(track: track, car: car, count: 20, config: config), config: config)
for _ in 0..<2400 { race.step() }
var observations = (0..<20).map { Observation(view: race.view(for: $0), offsetCommand: 0.5) }
if alone { observations = observations.map { var o = $0; o.view.nearby = NearbyCars(); return o } }
let encoder = ObservationEncoder(track: race.track, car: race.cars[0])
let policy = try NetworkPolicy(file: root.appendingPathComponent("policies/default.safetensors").path, encoder: encoder)
if !turn { var g = TrackGuard(); g.turnShortfall = 0; policy.trackGuard = g }
let input = UnsafeMutableBufferPointer<Observation>.allocate(capacity: 20)
_ = input.initialize(from: observations)
let output = UnsafeMutableBufferPointer<Action>.allocate(capacity: 20)
output.initialize(repeating: Action())
var acc: Float = 0
for _ in 0..<n { policy.act(batch: UnsafeBufferPointer(input), into: output); acc += output[7].pedal }
print(acc)
