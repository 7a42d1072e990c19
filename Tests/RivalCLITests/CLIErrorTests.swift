import Foundation
import Testing

/// Bad flags and files: a message naming the flag or file, the value and what was expected; exit status 2.
@Suite struct CLIErrorTests {
    @Test(arguments: [
        (["race", "--laps", "0"], "--laps: 0: expected an integer in 1...1000"),
        (["race", "--cars", "41"], "--cars: 41: expected an integer in 1...40"),
        (["race", "--cars", "abc"], "--cars"),
        (["race", "--tyre-wear=-2"], "--tyre-wear: -2.0: expected a multiplier in 0...100"),
        (["race", "--tyre-wear", "-2"], "--tyre-wear"),
        (["race", "--fuel-rate", "nan"], "--fuel-rate: nan: expected a multiplier in 0...100"),
        (["race", "--fuel", "lots"], "--fuel: lots: expected race, full or a mass in 0...500 kg"),
        (["race", "--fuel=-3"], "--fuel: -3: expected race, full or a mass in 0...500 kg"),
        (["race", "--fuel", "inf"], "--fuel: inf: expected race, full or a mass in 0...500 kg"),
        (["race", "--car", "cup", "--fuel", "40"], "--fuel: 40: expected race, full or a mass in 0...37.0 kg (the Cup tank)"),
        (["race", "--track", "Atlantis"], "--track: Atlantis"),
        (["race", "--car", "bus"], "--car: bus"),
        (["race", "--telemetry", "/no/such/folder/t.csv"], "--telemetry: /no/such/folder/t.csv: folder /no/such/folder does not exist"),
        (["race", "--seed", "-1"], "--seed"),
        (["limit", "--track", "Monza", "--car", "tractor"], "--car: tractor"),
        (["race", "--driver", "robot"], "--driver: robot: expected persona, expert or policy"),
        (["race", "--base", "robot"], "--base: robot: expected expert or policy"),
        (["race", "--grid", "club:0"], "--grid: club:0: count 0: expected an integer in 1...40"),
        (["race", "--grid", "nobody:2"], "--grid: nobody: "),
        (["race", "--driver", "expert", "--grid", "club:2"], "--grid: club:2: only with --driver persona"),
        (["compare", "--laps", "2"], "--laps: 2: expected an integer in 5...200"),
        (["compare", "--persona", "nobody"], "--persona: nobody"),
        (["persona", "check", "--drivers", "0"], "--drivers: 0: expected an integer in 1...100"),
        (["race", "--driver", "policy", "--policy", "/no/such/p.safetensors"], "--policy: /no/such/p.safetensors"),
        (["eval", "--laps", "1"], "--laps: 1: expected an integer in 2...50"),
        (["eval", "--traffic", "--laps", "0"], "--laps: 0: expected an integer in 1...50"),
        (["eval", "--cars", "3"], "--cars: 3: only with --traffic"),
        (["eval", "--no-traffic-guard"], "--no-traffic-guard: only with --traffic (alone on track the guard does nothing)"),
        (["race", "--no-traffic-guard"], "--no-traffic-guard: only with the learned policy (--driver policy, or --base policy under personas)"),
        (["race", "--driver", "expert", "--no-traffic-guard"], "--no-traffic-guard: only with the learned policy"),
        (["race", "--no-track-guard"], "--no-track-guard: only with the learned policy (--driver policy, or --base policy under personas)"),
        (["race", "--driver", "expert", "--no-track-guard"], "--no-track-guard: only with the learned policy"),
        (["eval", "--traffic", "--cars", "41"], "--cars: 41: expected an integer in 1...40"),
        (["eval", "--policy", "/no/such/policy.safetensors", "--track", "Monza", "--car", "gt3"],
         "--policy: /no/such/policy.safetensors"),
        (["eval", "--track", "Atlantis"], "--track: Atlantis"),
        (["train", "--hidden", "64,0"], "--hidden: 64,0: expected comma-separated widths in 1...1024, for example 64,64"),
        (["train", "--iterations", "0"], "--iterations: 0: expected 1...1000"),
        (["train", "--prior", "pursuit"], "--prior: pursuit: expected pure-pursuit or path-curvature"),
        (["train", "--init", "policies/default.safetensors", "--prior", "path-curvature"],
         "policies/default.safetensors: __metadata__.action_prior: rival.prior/1: rival.prior/2, a residual network"),
        (["train", "--warm-restart"], "--warm-restart: expected it with --resume"),
        (["train", "--forget-alongside"], "--forget-alongside: expected it with --resume"),
        (["train", "--weights", "median"], "--weights: median: expected best, best-table, latest or average:K with K in 2...100"),
        (["train", "--weights", "average:1"], "--weights: average:1: expected best, best-table, latest or average:K with K in 2...100"),
        (["train", "--weights", "best-table"], "--weights: best-table: expected it with --full-table"),
        (["train", "--init", "x.safetensors", "--resume"], "--init: expected it without --resume"),
        (["train", "--init", "/no/such/p.safetensors"], "/no/such/p.safetensors"),
        (["train", "--init", "policies/default.safetensors", "--hidden", "32"],
         "policies/default.safetensors: __metadata__.layer_sizes: 73,64,64,2: 73,32,2 with tanh hidden layers"),
        (["train", "--learning-rate", "2"], "--learning-rate: 2.0: expected a step size in 0...1 (exclusive)"),
        (["train", "--max-samples", "10"], "--max-samples: 10: expected 1000...100000000"),
        (["train", "--braking-target-weight=-1"], "--braking-target-weight: -1.0: expected a weight in 0...100"),
        (["train", "--closing-share", "2"], "--closing-share: 2.0: expected a share in 0...1"),
        (["train", "--grid-share", "1.5"], "--grid-share: 1.5: expected a share in 0...1"),
        (["train", "--failure-share=-0.1"], "--failure-share: -0.1: expected a share in 0...1"),
        (["train", "--steering-target-weight", "nan"], "--steering-target-weight: nan: expected a weight in 0...100"),
        (["train", "--traffic-weight", "101"], "--traffic-weight: 101.0: expected a weight in 0...100"),
        (["train", "--episode-seconds", "0.5"], "--episode-seconds: 0.5: expected 1...3600"),
        (["train", "--out", "/no/such/folder/p.safetensors"], "--out: /no/such/folder/p.safetensors: folder /no/such/folder does not exist"),
        (["train", "--tracks", "Monza,Atlantis"], "--tracks: Atlantis"),
        (["train", "--resume", "--checkpoints", "/no/such/checkpoint"], "/no/such/checkpoint/trainer.json: missing or unreadable"),
    ])
    func badFlagsExitWithTwo(arguments: [String], message: String) throws {
        let out = try CLI.run(arguments)
        #expect(out.status == 2, "\(arguments): status \(out.status), stderr \(out.stderr)")
        #expect(out.stderr.contains(message), "\(arguments): stderr was \(out.stderr)")
    }

    @Test func unknownTrackListsTheShippedCircuits() throws {
        let out = try CLI.run(["race", "--track", "Atlantis"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("Monza"))
        #expect(out.stderr.contains("Spa"))
    }

    @Test func badTrackFileNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.csv")
        var rows = ["# x_m,y_m,w_tr_right_m,w_tr_left_m"]
        for i in 0..<20 { rows.append("\(100 * cos(Double(i) / 3.18)),\(100 * sin(Double(i) / 3.18)),5,5") }
        rows[7] = "1.0,2.0,abc,5"
        try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let out = try CLI.run(["race", "--track", file.path])
        #expect(out.status == 2)
        #expect(out.stderr.contains("bad.csv"))
        #expect(out.stderr.contains("line 8"))
    }

    @Test func truncatedPolicyFileIsRefusedWithItsName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rival-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("short.safetensors")
        try Data([200, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":".utf8)).write(to: file)
        let out = try CLI.run(["eval", "--policy", file.path, "--track", "Monza", "--car", "gt3"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("--policy: \(file.path)"), "stderr was \(out.stderr)")
    }

    @Test func specPrintsEveryFeature() throws {
        let out = try CLI.run(["spec"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("rival.observation/5: 73 features"))
        #expect(out.stdout.contains("| 68 | `opponent3.speedDifference` | m/s | 10 |"))
    }

    @Test func helpExitsWithZero() throws {
        let out = try CLI.run(["--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("race"))
    }
}

/// `rival eval` with the shipped policy: the JSON shape the issue names, and the limit it compares with.
@Suite struct EvalCommandTests {
    @Test func jsonRunsCarryLapsLimitAndIncidents() throws {
        let out = try CLI.run(["eval", "--track", "Monza", "--car", "gt3", "--laps", "2", "--json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(run["track"] as? String == "Monza")
        #expect(run["car"] as? String == "GT3")
        #expect(run["lapTimes"] is [Double])
        #expect(run["offTracks"] is Int)
        #expect(run["contacts"] is Int)
        let limit = try CLI.run(["limit", "--track", "Monza", "--car", "gt3", "--json"])
        let limitObject = try #require(try JSONSerialization.jsonObject(with: Data(limit.stdout.utf8)) as? [String: Any])
        let lapTime = try #require(limitObject["lapTime"] as? Double)
        #expect(abs((run["limitLapTime"] as? Double ?? 0) - lapTime) < 1e-9)
        // A ratio is given exactly when two laps were completed: the slowest compared lap over the limit.
        let laps = run["lapTimes"] as? [Double] ?? []
        if laps.count == 2 {
            #expect(abs((run["ratio"] as? Double ?? 0) - laps[1] / lapTime) < 1e-9)
        } else {
            #expect(run["ratio"] is NSNull)
        }
    }

    /// The track guard (the default) and `--no-track-guard`: said in the JSON, and the difference it makes where the
    /// shipped network leaves the track alone (Norisring in the GT3: 3 off-tracks without the guard, none with it).
    @Test func trackGuardFlag() throws {
        let common = ["eval", "--track", "Norisring", "--car", "gt3", "--json"]
        var offTracks: [Int] = []
        for flag in [[], ["--no-track-guard"]] {
            let out = try CLI.run(common + flag)
            #expect(out.status == 0, "stderr: \(out.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
            #expect(object["trackGuard"] as? Bool == flag.isEmpty)
            let runs = try #require(object["runs"] as? [[String: Any]])
            offTracks.append(try #require(runs.first?["offTracks"] as? Int))
        }
        #expect(offTracks[0] == 0)
        #expect(offTracks[1] >= 2)
    }

    /// `eval --traffic` is the race `rival race --driver policy` runs: the same incidents, counted by kind, with the
    /// traffic guard (the default) and without it.
    @Test(arguments: [[], ["--no-traffic-guard"]])
    func trafficCountsTheRaceIncidents(guardFlag: [String]) throws {
        let common = ["--track", "Catalunya", "--car", "gt3", "--cars", "4", "--laps", "2", "--json"] + guardFlag
        let out = try CLI.run(["eval", "--traffic"] + common)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["trafficGuard"] as? Bool == guardFlag.isEmpty)
        #expect(object["trackGuard"] as? Bool == true)
        let races = try #require(object["races"] as? [[String: Any]])
        #expect(races.count == 1)
        let race = try #require(races.first)
        #expect(race["track"] as? String == "Catalunya" && race["car"] as? String == "GT3")
        #expect(race["cars"] as? Int == 4 && race["laps"] as? Int == 2)
        let raced = try CLI.run(["race", "--driver", "policy"] + common)
        #expect(raced.status == 0, "stderr: \(raced.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(raced.stdout.utf8)) as? [String: Any])
        let incidents = try #require(result["incidents"] as? [[String: Any]])
        func count(_ kind: String) -> Int { incidents.filter { $0["kind"] as? String == kind }.count }
        #expect(race["contacts"] as? Int == count("contact"))
        #expect(race["offTracks"] as? Int == count("off-track"))
        #expect(race["barrierHits"] as? Int == count("barrier"))
        let classification = try #require(result["classification"] as? [[String: Any]])
        #expect(race["finished"] as? Int == classification.filter { $0["finished"] as? Bool == true }.count)
    }
}
