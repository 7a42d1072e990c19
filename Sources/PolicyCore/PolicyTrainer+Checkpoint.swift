import Foundation
import Sim

/// Checkpoints of a training run: a directory with the current and best networks (safetensors), the run's
/// state (`trainer.json`: settings, iterations done, reports) and the aggregated data set (`dataset.bin`:
/// sample count as a little-endian UInt64, then the features and the expert actions as little-endian Float32).
/// Resuming from it continues exactly as the uninterrupted run would have.
extension PolicyTrainer {
    /// File names inside a checkpoint directory.
    public enum CheckpointFile {
        /// The network after the last finished iteration.
        public static let latest = "latest.safetensors"
        /// The network of the best-scoring iteration so far.
        public static let best = "best.safetensors"
        /// Settings, iterations done, best iteration and every iteration's report (JSON).
        public static let state = "trainer.json"
        /// The aggregated data set (binary, see the extension's documentation).
        public static let dataset = "dataset.bin"
        /// The network after iteration `k` (kept for every iteration, for ``PolicyTrainer/averagedNetwork(last:in:)``).
        public static func iteration(_ k: Int) -> String { "iteration-\(k).safetensors" }
    }

    /// The average of the networks of the last `k` finished iterations kept in the checkpoint `directory` (stochastic
    /// weight averaging: Izmailov et al. 2018; iterations differ a lot in how they drive, and an average of several
    /// damps that). Throws, naming the file, when one is missing or does not match the others.
    public static func averagedNetwork(last k: Int, in directory: String) throws(LoadError) -> MLPParameters {
        let done = try checkpointIteration(in: directory)
        guard k >= 1, k <= done else {
            throw LoadError(file: directory, value: "the last \(k) iterations",
                            expected: "1...\(done) (the iterations the checkpoint has finished)")
        }
        var networks: [MLPParameters] = []
        var names: [String] = []
        for iteration in (done - k)..<done {
            networks.append(try iterationNetwork(iteration, in: directory))
            names.append((directory as NSString).appendingPathComponent(CheckpointFile.iteration(iteration)))
        }
        return try MLPParameters.average(networks, files: names)
    }

    /// The network after `iteration`, as the checkpoint in `directory` keeps it (`iteration-K.safetensors`).
    public static func iterationNetwork(_ iteration: Int, in directory: String) throws(LoadError) -> MLPParameters {
        let file = (directory as NSString).appendingPathComponent(CheckpointFile.iteration(iteration))
        return try MLPParameters(safetensors: try SafetensorsFile(path: file), file: file,
                                 expectedSpecVersion: ObservationSpec.version)
    }

    struct State: Codable {
        var format = "rival.training/1"
        var settings: TrainingSettings
        var iteration: Int
        var bestIteration: Int
        var history: [IterationReport]
        /// Recent failure spots (``PolicyTrainer/failures``); absent in checkpoints from before they were kept.
        var failures: [Failure]?
    }

    /// Writes the checkpoint into `directory` (created if needed); each file is written whole, then renamed.
    public func save(to directory: String) throws(LoadError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LoadError(file: directory, expected: "cannot create the checkpoint directory (\(error.localizedDescription))")
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try parameters.safetensors.write(to: path(CheckpointFile.latest))
        if iteration > 0 { try parameters.safetensors.write(to: path(CheckpointFile.iteration(iteration - 1))) }
        try bestParameters.safetensors.write(to: path(CheckpointFile.best))
        let state = State(settings: settings, iteration: iteration, bestIteration: bestIteration, history: history,
                          failures: failures)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = Data()
        var count = UInt64(sampleCount).littleEndian
        withUnsafeBytes(of: &count) { data.append(contentsOf: $0) }
        inputs.withUnsafeBytes { data.append(contentsOf: $0) }
        targets.withUnsafeBytes { data.append(contentsOf: $0) }
        do {
            try data.write(to: URL(fileURLWithPath: path(CheckpointFile.dataset)), options: .atomic)
            try encoder.encode(state).write(to: URL(fileURLWithPath: path(CheckpointFile.state)), options: .atomic)
        } catch {
            throw LoadError(file: directory, expected: "cannot write the checkpoint (\(error.localizedDescription))")
        }
    }

    /// The settings a checkpoint was made with (to rebuild the trainer before ``restore(from:)``).
    public static func checkpointSettings(in directory: String) throws(LoadError) -> TrainingSettings {
        try readState(directory).settings
    }

    /// The next iteration a checkpoint's run would do.
    public static func checkpointIteration(in directory: String) throws(LoadError) -> Int {
        try readState(directory).iteration
    }

    private static func readState(_ directory: String) throws(LoadError) -> State {
        let file = (directory as NSString).appendingPathComponent(CheckpointFile.state)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LoadError(file: file, expected: "missing or unreadable (not a checkpoint directory?)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(State.self, from: data)
        } catch {
            throw LoadError(file: file, expected: "not a trainer state (\(error))")
        }
    }

    /// Restores the networks, the iteration count, the reports and the data set from `directory`; the trainer
    /// must have been built with the checkpoint's settings, except that the number of iterations may differ (a
    /// run can be resumed to go on for longer).
    public func restore(from directory: String) throws(LoadError) {
        let state = try Self.readState(directory)
        let stateFile = (directory as NSString).appendingPathComponent(CheckpointFile.state)
        guard state.settings.sameRun(as: settings) else {
            throw LoadError(file: stateFile, location: "settings", expected: "the settings of the run being resumed")
        }
        func network(_ name: String) throws(LoadError) -> MLPParameters {
            let file = (directory as NSString).appendingPathComponent(name)
            let p = try MLPParameters(safetensors: try SafetensorsFile(path: file), file: file,
                                      expectedSpecVersion: ObservationSpec.version)
            guard p.layerSizes == parameters.layerSizes else {
                throw LoadError(file: file, location: "__metadata__.layer_sizes", value: "\(p.layerSizes)",
                                expected: "\(parameters.layerSizes) as the settings give")
            }
            return p
        }
        var latest = try network(CheckpointFile.latest)
        var best = try network(CheckpointFile.best)
        let dataFile = (directory as NSString).appendingPathComponent(CheckpointFile.dataset)
        guard let data = FileManager.default.contents(atPath: dataFile), data.count >= 8 else {
            throw LoadError(file: dataFile, expected: "missing or shorter than its 8-byte header")
        }
        let count = Int(data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        let width = ObservationSpec.count, oldWidth = ObservationSpec.version1Count
        // A run of observation spec 1 (its networks were upgraded as they loaded) has 69 features a sample.
        let plausible = count >= 0 && count < 1 << 40
        let stored = plausible && data.count == 8 + 4 * count * (oldWidth + 2) ? oldWidth : width
        guard plausible, data.count == 8 + 4 * count * (stored + 2) else {
            throw LoadError(file: dataFile, value: "\(data.count) bytes",
                            expected: "expected 8 + 4 x \(count) x \(width + 2) bytes for \(count) samples")
        }
        var x = [Float](repeating: 0, count: count * stored), y = [Float](repeating: 0, count: count * 2)
        x.withUnsafeMutableBytes { $0.copyBytes(from: data[8..<(8 + 4 * count * stored)]) }
        y.withUnsafeMutableBytes { $0.copyBytes(from: data[(8 + 4 * count * stored)...]) }
        if stored == oldWidth {
            x = Self.upgradedFromObservationSpec1(x, count: count)
            // The new inputs' normalisation from the data (their weights are zero: the outputs do not change).
            if count > 0 {
                latest.setNormalisation(inputs: x, count: count, only: oldWidth..<width)
                best.inputMean[oldWidth...] = latest.inputMean[oldWidth...]
                best.inputStd[oldWidth...] = latest.inputStd[oldWidth...]
            }
        }
        // Samples of spec 1 or 2 gave opponents out to 150 m, those of spec 3 out to 60 m behind: hide those beyond
        // the horizons, as the encoder now does (samples of spec 5 are unchanged by this).
        Self.hideOpponentsBeyondHorizon(&x, count: count)
        restore(parameters: latest, best: best, iteration: state.iteration, bestIteration: state.bestIteration,
                history: state.history, failures: state.failures ?? [], inputs: x, targets: y)
    }

    /// In `count` samples of the current width, removes every opponent the encoder would not give now (a gap beyond
    /// ``ObservationSpec/opponentHorizon`` ahead or ``ObservationSpec/opponentHorizonBehind`` behind): the opponents
    /// left move up to the first slots, in their order, and the slots after them are padded as the encoder pads an
    /// absent opponent; returns how many opponents it removed. A slot the encoder gave (its scaled gap within
    /// `Float(60 / 150)` ahead and `Float(10 / 150)` behind, the same rounding) is kept. A car ahead that a car
    /// behind kept out of the four slots when the sample was taken cannot be restored.
    @discardableResult
    static func hideOpponentsBeyondHorizon(_ x: inout [Float], count: Int) -> Int {
        let width = ObservationSpec.count
        let ahead = Float(ObservationSpec.opponentHorizon / ObservationSpec.opponentRange)
        let behind = Float(ObservationSpec.opponentHorizonBehind / ObservationSpec.opponentRange)
        let gaps = ObservationSpec.gapIndices, nears = ObservationSpec.nearGapIndices
        var removed = 0
        for i in 0..<count {
            let row = i * width
            var kept = 0
            for k in 0..<ObservationSpec.opponentCount {
                let gap = x[row + gaps[k]]
                let padding = gap == 1 && x[row + gaps[k] + 1] == 0 && x[row + gaps[k] + 2] == 0
                if padding { continue }
                guard gap <= ahead && gap >= -behind else {
                    removed += 1
                    continue
                }
                if kept != k {
                    for j in 0..<3 { x[row + gaps[kept] + j] = x[row + gaps[k] + j] }
                    x[row + nears[kept]] = x[row + nears[k]]
                }
                kept += 1
            }
            for k in kept..<ObservationSpec.opponentCount {
                x[row + gaps[k]] = 1
                x[row + gaps[k] + 1] = 0
                x[row + gaps[k] + 2] = 0
                x[row + nears[k]] = 1
            }
        }
        return removed
    }

    /// Samples of observation spec 1 (69 features each) with the features version 2 adds computed from them:
    /// each near gap from its opponent's gap.
    static func upgradedFromObservationSpec1(_ old: [Float], count: Int) -> [Float] {
        let oldWidth = ObservationSpec.version1Count, width = ObservationSpec.count
        let near = ObservationSpec.nearRange, range = ObservationSpec.opponentRange
        var x = [Float](repeating: 0, count: count * width)
        for i in 0..<count {
            for j in 0..<oldWidth { x[i * width + j] = old[i * oldWidth + j] }
            for (k, column) in ObservationSpec.gapIndices.enumerated() {
                x[i * width + oldWidth + k] = Float(ObservationSpec.nearGap(Double(old[i * oldWidth + column]) * range) / near)
            }
        }
        return x
    }
}
