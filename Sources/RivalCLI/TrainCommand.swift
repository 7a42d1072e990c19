import ArgumentParser
import Foundation
import PolicyCore
import Sim

/// `rival train`: trains the driving policy by DAgger imitation of the expert (see docs/policy.md).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the driving policy (DAgger from the expert) and write its weights.",
        discussion: """
            Iteration 0 collects episodes driven by the expert; later iterations let the network drive and the \
            expert label every state. After each iteration the run is checkpointed (--checkpoints); --resume \
            continues a run exactly. docs/policy.md gives the commands that made policies/default.safetensors \
            (with the code of their time: the trainer and the observation have changed since, so they no longer \
            give the same bits).
            """)

    @Option(help: "Where to write the trained weights (the best validation iteration).")
    var out = "policies/default.safetensors"
    @Option(help: "Checkpoint directory (current and best weights, state, data set).")
    var checkpoints = ".build/rival-train"
    @Flag(help: "Continue the run in --checkpoints.") var resume = false
    @Option(help: "Seed of every random choice of the run.") var seed: UInt64 = 1
    @Option(help: "DAgger iterations at least (more while validation improves, up to --extra-iterations).")
    var iterations = TrainingSettings().iterations
    @Option(help: "Further iterations allowed while the validation score improves.")
    var extraIterations = TrainingSettings().extraIterations
    @Option(help: "Episodes collected per iteration.") var episodes = TrainingSettings().episodesPerIteration
    @Option(help: "Seconds of race time per episode.") var episodeSeconds = TrainingSettings().episodeDuration
    @Option(help: "Passes over the data after each iteration.") var epochs = TrainingSettings().epochsPerIteration
    @Option(help: "Hidden layer widths, comma-separated.") var hidden = "64,64"
    @Option(help: ArgumentHelp("The action prior the network's outputs are added to: pure pursuit (version 1, the "
                               + "shipped network's) or the expert's path curvature (version 2); docs/policy.md.",
                               valueName: "pure-pursuit|path-curvature"))
    var prior = "pure-pursuit"
    @Option(help: "Training circuits, comma-separated (default: the 15 of docs/policy.md).") var tracks: String?
    @Option(help: "Validation circuits, comma-separated (default: the other 5 shipped ones).") var validation: String?
    @Option(help: "Cars, comma-separated (default: every shipped car).") var cars: String?
    @Option(help: "Worker threads (default: every core).") var threads: Int?
    @Flag(help: "No progress display.") var quiet = false
    @Option(name: .customLong("learning-rate"), help: "Adam step size at the first iteration (default 0.001; on --resume, the run's).")
    var learningRate: Double?
    @Option(name: .customLong("learning-rate-decay"), help: "Per-iteration factor on the step size (default 0.8; on --resume, the run's).")
    var learningRateDecay: Double?
    @Option(name: .customLong("max-samples"), help: "Most samples kept, oldest dropped first (default 1500000; on --resume, the run's).")
    var maxSamples: Int?
    @Option(name: .customLong("steering-target-weight"),
            help: "Extra loss weight of a sample's steering per unit of its steering target, so sharp corrections count more (default 0; on --resume, the run's).")
    var steeringTargetWeight: Double?
    @Option(name: .customLong("braking-target-weight"),
            help: "Extra loss weight of a sample's pedal per unit of brake in its target, so braking counts more (default 0; on --resume, the run's).")
    var brakingTargetWeight: Double?
    @Option(name: .customLong("traffic-weight"),
            help: "Extra loss weight of a sample with another car within 10 m, so that wheel-to-wheel states count more (default 0; on --resume, the run's).")
    var trafficWeight: Double?
    @Option(name: .customLong("closing-share"),
            help: "Share of the episodes with opponents in which they start ahead and slower, so the learner closes on them (default 0; on --resume, the run's).")
    var closingShare: Double?
    @Option(name: .customLong("grid-share"),
            help: "Share of the episodes that start from a standing-start grid of 4 to 10 learner cars (default 0; on --resume, the run's).")
    var gridShare: Double?
    @Option(name: .customLong("failure-share"),
            help: "Share of the episodes that start 50 to 200 m before a spot where the learner recently left the track, spun or stalled (default 0; on --resume, the run's).")
    var failureShare: Double?
    @Flag(name: .customLong("failure-probe"), inversion: .prefixedNo,
          help: "Take --failure-share's spots from the network's own clean solo laps of every training circuit and car, run at the start of each iteration (default: from the episodes' failures; on --resume, the run's).")
    var failureProbe: Bool?
    @Flag(name: .customLong("full-table"), inversion: .prefixedNo,
          help: "Every iteration also drives every training circuit alone with every car, and reports the whole rival eval table (about 10 s more an iteration; default off; on --resume, the run's).")
    var fullTable: Bool?
    @Option(help: ArgumentHelp("Which weights --out gets: the best iteration by validation score, the one with the "
                               + "best whole table (--full-table: most clean runs), the latest, or the average of the "
                               + "last K iterations' weights (kept in --checkpoints).",
                               valueName: "best|best-table|latest|average:K"))
    var weights = "best"
    @Flag(name: .customLong("warm-restart"),
          help: "With --resume: restart the step-size schedule, so that the next iteration trains at --learning-rate again.")
    var warmRestart = false
    @Option(name: .customLong("init"),
            help: "Start from this weights file instead of random weights: a new run that fine-tunes it (the network drives from iteration 0).")
    var initial: String?
    @Flag(name: .customLong("forget-alongside"),
          help: "With --resume: first drop the samples with another car alongside (labelled by an older expert's give-way rule).")
    var forgetAlongside = false

    func validate() throws {
        try OutputPath.check(out, flag: "--out")
        guard (1...1000).contains(iterations) else { throw ValidationError("--iterations: \(iterations): expected 1...1000") }
        guard (0...1000).contains(extraIterations) else {
            throw ValidationError("--extra-iterations: \(extraIterations): expected 0...1000")
        }
        guard (1...100_000).contains(episodes) else { throw ValidationError("--episodes: \(episodes): expected 1...100000") }
        guard episodeSeconds >= 1 && episodeSeconds <= 3600 else {
            throw ValidationError("--episode-seconds: \(episodeSeconds): expected 1...3600")
        }
        guard (1...1000).contains(epochs) else { throw ValidationError("--epochs: \(epochs): expected 1...1000") }
        _ = try hiddenLayers()
        _ = try actionPrior()
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads: \(threads): expected 1...256") }
        if let rate = learningRate, !(rate > 0 && rate < 1) {
            throw ValidationError("--learning-rate: \(rate): expected a step size in 0...1 (exclusive)")
        }
        if let decay = learningRateDecay, !(decay > 0 && decay <= 1) {
            throw ValidationError("--learning-rate-decay: \(decay): expected a factor in 0...1 (0 exclusive)")
        }
        if let cap = maxSamples, !(1000...100_000_000).contains(cap) {
            throw ValidationError("--max-samples: \(cap): expected 1000...100000000")
        }
        for (flag, value) in [("--steering-target-weight", steeringTargetWeight), ("--braking-target-weight", brakingTargetWeight),
                              ("--traffic-weight", trafficWeight)] {
            if let value, !(value >= 0 && value <= 100) {
                throw ValidationError("\(flag): \(value): expected a weight in 0...100")
            }
        }
        for (flag, value) in [("--closing-share", closingShare), ("--grid-share", gridShare), ("--failure-share", failureShare)] {
            if let value, !(value >= 0 && value <= 1) { throw ValidationError("\(flag): \(value): expected a share in 0...1") }
        }
        if warmRestart && !resume { throw ValidationError("--warm-restart: expected it with --resume") }
        if forgetAlongside && !resume { throw ValidationError("--forget-alongside: expected it with --resume") }
        if initial != nil && resume {
            throw ValidationError("--init: expected it without --resume (a resumed run goes on from its checkpoint)")
        }
        guard ["best", "best-table", "latest"].contains(weights) || averageCount != nil else {
            throw ValidationError("--weights: \(weights): expected best, best-table, latest or average:K with K in 2...100")
        }
    }

    /// K of `--weights average:K` (2...100), nil for any other value.
    var averageCount: Int? {
        guard weights.hasPrefix("average:"), let k = Int(weights.dropFirst("average:".count)), (2...100).contains(k) else {
            return nil
        }
        return k
    }

    /// The ``ActionPrior`` `--prior` names.
    func actionPrior() throws -> ActionPrior {
        switch prior {
        case "pure-pursuit": return .purePursuit
        case "path-curvature": return .pathCurvature
        default: throw ValidationError("--prior: \(prior): expected pure-pursuit or path-curvature")
        }
    }

    func hiddenLayers() throws -> [Int] {
        let widths = hidden.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.allSatisfy({ $0 != nil && (1...1024).contains($0!) }) else {
            throw ValidationError("--hidden: \(hidden): expected comma-separated widths in 1...1024, for example 64,64")
        }
        return widths.map { $0! }
    }

    func run() throws {
        var settings = TrainingSettings()
        settings.seed = seed
        settings.iterations = iterations
        settings.extraIterations = extraIterations
        settings.episodesPerIteration = episodes
        settings.episodeDuration = episodeSeconds
        settings.epochsPerIteration = epochs
        settings.hiddenLayers = try hiddenLayers()
        // nil for pure pursuit, so that the checkpoints of runs from before the setting existed still resume.
        let kind = try actionPrior()
        settings.actionPrior = kind == .purePursuit ? nil : kind
        let trainTracks = try tracks.map { try ShippedData.tracks($0, flag: "--tracks") }
            ?? ShippedData.tracks(TrainingSettings.defaultTrainingTracks.joined(separator: ","), flag: "--tracks")
        let validationTracks = try validation.map { try ShippedData.tracks($0, flag: "--validation") }
            ?? (tracks == nil ? ShippedData.tracks(TrainingSettings.defaultValidationTracks.joined(separator: ","),
                                                   flag: "--validation") : [])
        let carList = try cars.map { try ShippedData.cars($0, flag: "--cars") } ?? ShippedData.allCars()
        settings.trainingTracks = trainTracks.map(\.name)
        settings.validationTracks = validationTracks.map(\.name)
        settings.cars = carList.map(\.name)
        if resume {
            let saved = try Self.checked { () throws(LoadError) in try PolicyTrainer.checkpointSettings(in: checkpoints) }
            guard saved.sameRun(as: settings) else {
                throw UserError("--resume: \(checkpoints): the checkpoint was made with other settings; "
                    + "give the same flags as the run being resumed (only the schedule may differ: --iterations, "
                    + "--extra-iterations, --learning-rate, --learning-rate-decay, --max-samples, --warm-restart, "
                    + "--steering-target-weight, --braking-target-weight, --traffic-weight, --closing-share, --grid-share, "
                    + "--failure-share, --failure-probe, --full-table)")
            }
            // The schedule goes on as it was, unless the flags change it.
            settings = settings.continuing(saved)
        }
        if let learningRate { settings.learningRate = learningRate }
        if let learningRateDecay { settings.learningRateDecay = learningRateDecay }
        if let maxSamples { settings.maximumSamples = maxSamples }
        if let steeringTargetWeight { settings.steeringTargetWeight = steeringTargetWeight }
        if let brakingTargetWeight { settings.brakingTargetWeight = brakingTargetWeight }
        if let trafficWeight { settings.trafficWeight = trafficWeight }
        if let closingShare { settings.closingShare = closingShare }
        if let gridShare { settings.gridShare = gridShare }
        if let failureShare { settings.failureShare = failureShare }
        if let failureProbe { settings.failureProbe = failureProbe }
        if let fullTable { settings.fullTable = fullTable }
        if weights == "best-table" && settings.fullTable != true {
            // Before anything is built; on --resume the run's own setting counts unless the flag changes it.
            throw UserError("--weights: best-table: expected it with --full-table"
                            + (resume ? " (the run being resumed has it off)" : ""))
        }
        if warmRestart {
            let saved = try Self.checked { () throws(LoadError) in try PolicyTrainer.checkpointIteration(in: checkpoints) }
            settings.learningRateRestart = saved
        }
        // The network to start from, loaded before anything is built so that a bad file fails at once.
        let start: MLPParameters? = try initial.map { file in
            try Self.checked { () throws(LoadError) in
                try MLPParameters(safetensors: try SafetensorsFile(path: file), file: file,
                                  expectedSpecVersion: ObservationSpec.version)
            }
        }
        if let initial { settings.initialNetwork = (initial as NSString).lastPathComponent }
        if let problem = settings.validate() { throw UserError("rival train: \(problem)") }
        if let start, let initial {
            try Self.checked { () throws(LoadError) in try PolicyTrainer.checkStart(start, settings: settings, file: initial) }
        }
        let display = ProgressDisplay(enabled: !quiet)
        display.note("rival train: building plans and encoders for \(trainTracks.count + validationTracks.count) circuits "
            + "x \(carList.count) cars")
        let trainer: PolicyTrainer
        do {
            trainer = try PolicyTrainer(settings: settings, trainingTracks: trainTracks, validationTracks: validationTracks,
                                        cars: carList, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            throw UserError(error.description)
        }
        if let start, let initial {
            try Self.checked { () throws(LoadError) in try trainer.start(from: start, file: initial) }
            display.note("rival train: starting from \(initial)")
        }
        if resume {
            try Self.checked { () throws(LoadError) in try trainer.restore(from: checkpoints) }
            display.note("rival train: resumed at iteration \(trainer.iteration) with \(trainer.sampleCount) samples")
            if forgetAlongside {
                // Alongside as the expert counts it: within a car length plus its margin, for the longest car.
                let reach = (carList.map(\.chassis.overallLengthM).max() ?? 0) + ExpertSettings().alongsideMargin
                let dropped = trainer.forgetSamples(withCarWithin: reach)
                display.note(String(format: "rival train: forgot %d samples with a car within %.2f m (%d left)",
                                    dropped, reach, trainer.sampleCount))
            }
        }
        let started = Date()
        let command = HTMLPage.commandLine
        try trainer.run(progress: { p in
            // Overall share: each iteration is about 40 % collecting, 50 % training and 10 % validating.
            let phase: Double = switch p.phase {
            case "collecting": 0.4 * p.fraction
            case "training": 0.4 + 0.5 * p.fraction
            default: 0.9 + 0.1 * p.fraction
            }
            display.bar((Double(p.iteration) + phase) / Double(max(p.plannedIterations, 1)), Self.progressLine(p),
                        showsETA: false)
        }, checkpoint: { t in
            if let r = t.history.last { display.note(Self.reportLine(r)) }
            try Self.checked { () throws(LoadError) in try t.save(to: checkpoints) }
        })
        // The best iteration by validation score, the last one trained, or the average of the last K.
        var best: MLPParameters
        let written: String
        if let k = averageCount {
            best = try Self.checked { () throws(LoadError) in try PolicyTrainer.averagedNetwork(last: k, in: checkpoints) }
            best.metadata = trainer.parameters.metadata
            written = "the average of iterations \(trainer.iteration - k)-\(trainer.iteration - 1)"
        } else if weights == "best-table" {
            guard let k = Self.bestTableIteration(trainer.history) else {
                throw UserError("--weights best-table: no iteration of this run has a whole table; run (or resume) it with --full-table")
            }
            best = try Self.checked { () throws(LoadError) in try PolicyTrainer.iterationNetwork(k, in: checkpoints) }
            best.metadata = trainer.parameters.metadata
            written = "\(k)"
        } else {
            best = weights == "latest" ? trainer.parameters : trainer.bestParameters
            written = "\(weights == "latest" ? trainer.iteration - 1 : trainer.bestIteration)"
        }
        let wall = trainer.history.reduce(0) { $0 + $1.seconds }
        best.metadata[MLPMetadataKey.provenance] = String(
            format: "%@ (seed %llu); DAgger from the expert, %d iterations, best %d, wrote %@ (%@), %d samples, %.0f s "
                + "wall over all iterations (%.0f s in this invocation)", command, seed, trainer.iteration,
            trainer.bestIteration, written, weights, trainer.sampleCount, wall, Date().timeIntervalSince(started))
        if let name = settings.initialNetwork {
            // The starting file's own provenance when this invocation loaded it (a resumed run knows its name only).
            best.metadata["initialised_from"] = name + (start.map { ": " + ($0.metadata[MLPMetadataKey.provenance] ?? "(no provenance)") } ?? "")
        }
        best.metadata["training_tracks"] = settings.trainingTracks.joined(separator: ",")
        best.metadata["validation_tracks"] = settings.validationTracks.joined(separator: ",")
        try Self.checked { () throws(LoadError) in try best.safetensors.write(to: out) }
        display.note("rival train: wrote \(out) (\(averageCount == nil ? "iteration " : "")\(written)) in "
            + String(format: "%.0f s", Date().timeIntervalSince(started)))
    }

    static func checked<T>(_ body: () throws(LoadError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw UserError(error.description)
        }
    }

    static func progressLine(_ p: PolicyTrainer.Progress) -> String {
        var line = String(format: "iteration %d/%d %@ %3.0f%%  samples %d", p.iteration + 1, p.plannedIterations,
                          p.phase, 100 * p.fraction, p.samples)
        if let r = p.last {
            line += String(format: "  loss %.5f  validation ratio %.4f", r.loss, r.validationMeanRatio)
            let perIteration = p.elapsed / Double(max(p.iteration, 1))
            line += String(format: "  elapsed %.0f s  ETA %.0f s", p.elapsed,
                           max(0, perIteration * Double(p.plannedIterations - p.iteration) - perIteration * p.fraction))
        }
        return line
    }

    static func reportLine(_ r: PolicyTrainer.IterationReport) -> String {
        var line = String(format: "iteration %d: expert share %.3f, +%d samples (%d), %d crashed episodes, loss %.5f, "
               + "validation mean %.4f worst %.4f clean %d/%d, score %.4f", r.iteration, r.expertShare,
               r.newSamples, r.samples, r.crashedEpisodes, r.loss, r.validationMeanRatio, r.validationWorstRatio,
               r.validationClean, r.validationRuns, r.score)
        if let t = r.table {
            line += String(format: ", table clean %d/%d, training within 3%% %d/%d, validation within 4%% %d/%d, "
                           + "median ratio %.4f", t.clean, t.runs, t.trainingWithinTarget, t.trainingRuns,
                           t.validationWithinTarget, t.validationRuns, t.medianRatio)
        }
        return line + String(format: ", %.0f s", r.seconds)
    }

    /// The iteration with the best whole table (``PolicyTrainer/TableSummary/isBetter(than:)``; the earlier of
    /// equals), nil when none has one.
    static func bestTableIteration(_ history: [PolicyTrainer.IterationReport]) -> Int? {
        var best: PolicyTrainer.IterationReport?
        for r in history {
            guard let t = r.table else { continue }
            if let b = best?.table, !t.isBetter(than: b) { continue }
            best = r
        }
        return best?.iteration
    }
}
