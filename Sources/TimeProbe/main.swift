import Foundation
import PolicyCore
import Sim

// Throw-away timing probe (never committed): the split of a batched call on the benchmark's grid.
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let track = try Track.resolve("Monza", searchDirectories: [root.appendingPathComponent("tracks").path])
let car = try CarSpec.resolve("gt3", searchDirectories: [root.appendingPathComponent("cars").path])
let config = RaceConfig(laps: 1000, maxDuration: 1e9)
let race = try Race(track: track, entries: ExpertGrid.entries(track: track, car: car, count: 20, config: config), config: config)
for _ in 0..<2400 { race.step() }
let observations = (0..<20).map { Observation(view: race.view(for: $0), offsetCommand: 0.5) }
let encoder = ObservationEncoder(track: race.track, car: race.cars[0])
let full = try NetworkPolicy(file: root.appendingPathComponent("policies/default.safetensors").path, encoder: encoder)
let bare = full.adapted(to: encoder); bare.trafficGuard = nil; bare.trackGuard = nil
let noTraffic = full.adapted(to: encoder); noTraffic.trafficGuard = nil
let input = UnsafeMutableBufferPointer<Observation>.allocate(capacity: 20)
_ = input.initialize(from: observations)
let output = UnsafeMutableBufferPointer<Action>.allocate(capacity: 20)
output.initialize(repeating: Action())
let feats = UnsafeMutableBufferPointer<Float>.allocate(capacity: 20 * ObservationSpec.count)
feats.initialize(repeating: 0.1)
let outs = UnsafeMutableBufferPointer<Float>.allocate(capacity: 40)
outs.initialize(repeating: 0)
var acc: Float = 0
func now() -> UInt64 { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec) }
let blocks = Int(CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "300")!
let kinds = CommandLine.arguments.count > 2 ? CommandLine.arguments[2].split(separator: ",").map(String.init) : ["full", "noTraffic", "bare", "encode", "forward"]
var times = [String: [Double]]()
for _ in 0..<blocks {
    for k in kinds {
        let t0 = now()
        for _ in 0..<200 {
            switch k {
            case "full": full.act(batch: UnsafeBufferPointer(input), into: output)
            case "noTraffic": noTraffic.act(batch: UnsafeBufferPointer(input), into: output)
            case "bare": bare.act(batch: UnsafeBufferPointer(input), into: output)
            case "encode": for i in 0..<20 { encoder.encode(input[i], into: feats.baseAddress! + i * ObservationSpec.count) }
            default: full.network.forward(batch: UnsafeBufferPointer(feats), count: 20, into: outs)
            }
            acc += output[7].pedal + outs[3]
        }
        times[k, default: []].append(Double(now() - t0) / 200)
    }
}
if CommandLine.arguments.count > 3 { for b in stride(from: 0, to: blocks, by: 10) { print(b, kinds.map { Int(times[$0]![b]) }) } }
for k in kinds { let t = times[k]!.sorted(); print(k, String(format: "min %.0f  p10 %.0f  p50 %.0f ns", t[0], t[t.count / 10], t[t.count / 2])) }
print(acc)
