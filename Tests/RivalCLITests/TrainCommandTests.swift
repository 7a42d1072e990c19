import Foundation
import Testing

/// `rival train` end to end on a tiny budget (the real run is documented in docs/policy.md).
@Suite struct TrainCommandTests {
    @Test("--full-table reports the whole table each iteration, and --weights best-table writes that iteration's network")
    func fullTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rival-train-cli-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let checkpoints = folder.appendingPathComponent("ck").path, out = folder.appendingPathComponent("p.safetensors").path
        let result = try CLI.run(["train", "--tracks", "Monza", "--validation", "Norisring", "--cars", "gt3",
                                  "--hidden", "8", "--iterations", "2", "--extra-iterations", "0", "--episodes", "2",
                                  "--episode-seconds", "3", "--epochs", "1", "--full-table",
                                  "--weights", "best-table", "--checkpoints", checkpoints, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout + result.stderr
        // Both iterations report two runs: Monza (training) and Norisring (validation) with the GT3 car.
        let tables = text.split(separator: "\n").filter { $0.contains("table clean") }
        #expect(tables.count == 2, "\(text)")
        #expect(tables.allSatisfy { $0.contains("training within 3% ") && $0.contains("/1, validation within 4% ") })
        // The written network is one of the checkpoint's iterations, byte for byte in its weights.
        let wrote = try #require(text.split(separator: "\n").first { $0.contains("rival train: wrote") })
        let k = try #require(["0", "1"].first { wrote.contains("(iteration \($0))") })
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        let kept = try Data(contentsOf: URL(fileURLWithPath: checkpoints + "/iteration-\(k).safetensors"))
        #expect(written.suffix(2_000) == kept.suffix(2_000))
    }
}
