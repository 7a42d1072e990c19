/// The observation a network policy sees, version 5: the layout of the feature vector that
/// ``ObservationEncoder`` writes and that a policy's weights file declares (`observation_spec_version`).
///
/// Every feature is a physical quantity divided by a fixed scale, so that typical values are of order 1; the
/// network's own input normalisation (mean and standard deviation from its training data, stored in the weights
/// file) comes on top. ``features`` lists each with its unit and scale; docs/policy.md has the same table.
public enum ObservationSpec {
    /// The version string weights files carry in their metadata.
    public static let version = "rival.observation/5"
    /// Version 3: the same features as version 5, but opponents behind are given out to ``opponentHorizon`` (60 m)
    /// instead of ``opponentHorizonBehind`` (10 m). Its weights files load as networks of version 5 with the same
    /// weights (``MLPParameters/upgradedToCurrentSpec()``): the network then sees no car more than 10 m behind, and
    /// the slots such cars took go to cars ahead. (Version 4 was an experiment with three more features, branch
    /// `spec4`, never shipped: its files are refused, as of a version this library does not know.)
    public static let version3 = "rival.observation/3"
    /// Version 2: the same features as version 3, but opponents are given out to ``opponentRange`` (150 m) instead
    /// of ``opponentHorizon`` (60 m). Its weights files load as networks of version 3 with the same weights
    /// (``MLPParameters/upgradedToCurrentSpec()``): the network then sees no car beyond 60 m, which its training
    /// episodes (opponents placed 60 m behind to 80 m ahead) seldom showed it anyway.
    public static let version2 = "rival.observation/2"
    /// Version 1: version 2 without the near gaps (the last ``opponentCount`` features). Its weights files still
    /// load, as networks of version 3 that give the near gaps zero weight.
    public static let version1 = "rival.observation/1"
    /// Version 1's feature count.
    public static let version1Count = 69

    /// Distances ahead (m, along the centreline) at which the course's curvature and width are sampled.
    public static let courseDistances: [Double] = [10, 25, 50, 80, 120, 170, 250]
    /// Distances ahead (m, along the centreline) at which the racing line is given in the car's frame, with its
    /// planned speed.
    public static let lineDistances: [Double] = [0, 5, 10, 20, 35, 55, 80, 110, 150, 200, 250]
    /// Distances ahead (m) at which the steering the racing line's curvature needs is given.
    public static let lineSteerDistances: [Double] = [0, 10, 25]
    /// Opponents given (nearest first by absolute gap, within ``opponentHorizon`` ahead and
    /// ``opponentHorizonBehind`` behind); absent ones are padded as far ahead and level.
    public static let opponentCount = 4
    /// Scale of the opponents' gaps (m) and the padding's gap: an absent opponent is 150 m ahead.
    public static let opponentRange = 150.0
    /// Opponents farther than this (m of arc length, ahead or behind) are not given: their slots are padded as
    /// absent (version 3). A car 60 m away is 1.2 s away at 50 m/s, and the expert reacts to none that far;
    /// with opponents out to 150 m, a car 100 to 150 m behind filled the slots, the network had seldom seen one
    /// there in training, and in 10-car races it went off far from other cars (docs/policy.md, "Traffic").
    public static let opponentHorizon = 60.0
    /// Opponents farther behind than this (m of arc length) are not given either (version 5): the expert the
    /// network imitates reacts to no car behind it but one alongside (within a car length and
    /// ``ExpertSettings/alongsideMargin``: 5.8-6.7 m for the shipped cars), so its labels never depend on one, and a
    /// car 10 to 60 m behind could only teach the network a false cue and take a slot a car ahead needs. With
    /// version 3's 60 m behind, the shipped network in 10-car races went off 321 times in 60 races; with 10 m,
    /// 247, and fewer on all four networks measured (docs/policy.md, "Observation spec 5"). It equals
    /// ``nearRange``: a car is given behind while its near gap still resolves it.
    public static let opponentHorizonBehind = 10.0
    /// Range of the near gaps (m): the gap again, clamped to this and divided by it, so that the network resolves
    /// who is ahead of a car alongside (on the 150 m scale a metre is less than 0.01; the give-way rule turns on it).
    public static let nearRange = 10.0

    /// One feature: its name, unit and the scale it is divided by.
    public struct Feature: Sendable, Equatable {
        /// Name, as in docs/policy.md.
        public var name: String
        /// Unit of the physical quantity.
        public var unit: String
        /// The feature is the quantity divided by this.
        public var scale: Double
        /// What it is.
        public var meaning: String
    }

    /// Every feature, in vector order.
    public static let features: [Feature] = {
        var f: [Feature] = [
            Feature(name: "speed", unit: "m/s", scale: 50, meaning: "forward speed in the car's frame"),
            Feature(name: "lateralSpeed", unit: "m/s", scale: 5, meaning: "sideways speed in the car's frame, + = left"),
            Feature(name: "yawRate", unit: "rad/s", scale: 1, meaning: "yaw rate, + = turning left"),
            Feature(name: "steering", unit: "1", scale: 1, meaning: "road-wheel angle over the car's maximum"),
            Feature(name: "longitudinalAcceleration", unit: "m/s^2", scale: 10,
                    meaning: "acceleration felt along the car, + = speeding up"),
            Feature(name: "lateralAcceleration", unit: "m/s^2", scale: 10, meaning: "acceleration felt across the car, + = left"),
            Feature(name: "previousSteering", unit: "1", scale: 1, meaning: "steering of the held action, -1...1"),
            Feature(name: "previousPedal", unit: "1", scale: 1, meaning: "pedal of the held action, -1...1"),
            Feature(name: "lateralOverHalfWidth", unit: "1", scale: 1,
                    meaning: "offset from the track's middle over its half width, + = left, +-1 = at a limit"),
            Feature(name: "headingError", unit: "rad", scale: 1, meaning: "car heading minus track heading, + = left"),
            Feature(name: "edgeLeft", unit: "m", scale: 10, meaning: "distance from the car's centre to the left limit"),
            Feature(name: "edgeRight", unit: "m", scale: 10, meaning: "distance from the car's centre to the right limit"),
        ]
        for d in courseDistances {
            f.append(Feature(name: "courseCurvature@\(Int(d))", unit: "1/m", scale: 0.01,
                             meaning: "centreline curvature \(Int(d)) m ahead, + = left"))
        }
        for d in courseDistances {
            f.append(Feature(name: "courseWidth@\(Int(d))", unit: "m", scale: 10, meaning: "track width \(Int(d)) m ahead"))
        }
        for d in lineDistances {
            f.append(Feature(name: "lineLateral@\(Int(d))", unit: "m", scale: 10,
                             meaning: "racing line plus offset command \(Int(d)) m ahead: sideways in the car's frame, + = left"))
        }
        for d in lineDistances {
            f.append(Feature(name: "planSpeed@\(Int(d))", unit: "m/s", scale: 50,
                             meaning: "speed plan on the racing line \(Int(d)) m ahead: the quasi-steady limit at the plan's grip share"))
        }
        f.append(Feature(name: "planAcceleration@5", unit: "m/s^2", scale: 10,
                         meaning: "the speed plan's longitudinal acceleration 5 m ahead"))
        for d in lineSteerDistances {
            f.append(Feature(name: "lineSteer@\(Int(d))", unit: "1", scale: 1,
                             meaning: "road-wheel angle (over the maximum) the racing line's curvature \(Int(d)) m ahead needs: atan(wheelbase x curvature)"))
        }
        f += [
            Feature(name: "powerToMass", unit: "W/kg", scale: 1000, meaning: "engine power over mass with no fuel"),
            Feature(name: "grip", unit: "1", scale: 1, meaning: "peak lateral friction coefficient of the tyres"),
            Feature(name: "downforce", unit: "1/m", scale: 0.01,
                    meaning: "downforce per mass per speed squared: 0.5 rho ClA / m"),
            Feature(name: "mass", unit: "kg", scale: 1000, meaning: "mass with no fuel"),
            Feature(name: "offsetCommand", unit: "m", scale: 5, meaning: "commanded offset from the racing line, + = left"),
        ]
        for k in 0..<opponentCount {
            f += [
                Feature(name: "opponent\(k).gap", unit: "m", scale: opponentRange,
                        meaning: "arc-length gap to the \(k + 1)th nearest car within 60 m ahead and 10 m behind, + = ahead (padding: +150)"),
                Feature(name: "opponent\(k).lateral", unit: "m", scale: 5,
                        meaning: "its lateral offset minus ours, + = to our left (padding: 0)"),
                Feature(name: "opponent\(k).speedDifference", unit: "m/s", scale: 10,
                        meaning: "its speed minus ours (padding: 0)"),
            ]
        }
        // Version 2.
        for k in 0..<opponentCount {
            f.append(Feature(name: "opponent\(k).nearGap", unit: "m", scale: nearRange,
                             meaning: "opponent\(k).gap clamped to -10...10 m: who is ahead when alongside (padding: +10)"))
        }
        return f
    }()

    /// The number of features.
    public static let count = features.count

    /// The position of the feature called `name` in the vector, nil when there is none.
    public static func index(of name: String) -> Int? { features.firstIndex { $0.name == name } }
    /// The positions of the opponents' gaps (`opponentK.gap`), nearest first.
    public static let gapIndices = (0..<opponentCount).map { index(of: "opponent\($0).gap")! }
    /// The positions of the opponents' near gaps (`opponentK.nearGap`), nearest first.
    public static let nearGapIndices = (0..<opponentCount).map { index(of: "opponent\($0).nearGap")! }

    /// Whether a network of observation spec `version` with `inputCount` inputs loads upgraded to this version
    /// (``MLPParameters/upgradedToCurrentSpec()``): one of version 1 with ``version1Count`` inputs or of version 2
    /// with ``count``.
    public static func upgrades(from version: String?, inputCount: Int) -> Bool {
        version == version1 && inputCount == version1Count
            || (version == version2 || version == version3) && inputCount == count
    }

    /// Whether an opponent `gap` metres away (+ = ahead) is given: within ``opponentHorizon`` ahead and
    /// ``opponentHorizonBehind`` behind (false for NaN).
    @inline(__always)
    public static func givesOpponent(atGap gap: Double) -> Bool {
        gap <= opponentHorizon && gap >= -opponentHorizonBehind
    }

    /// A gap (m) as its near gap counts it, before scaling: clamped to ``nearRange``.
    @inline(__always)
    public static func nearGap(_ gap: Double) -> Double { min(max(gap, -nearRange), nearRange) }
}

extension MLPParameters {
    /// This network of an earlier observation spec (``ObservationSpec/version1``, ``ObservationSpec/version2`` or
    /// ``ObservationSpec/version3``) as one of the current spec: a version-1 network gains the near gaps with zero
    /// weights (``upgradedFromObservationSpec1()``); all keep their weights and are marked
    /// `observation_spec_upgraded_from`. What changes is only what the encoder gives them: no opponent beyond
    /// ``ObservationSpec/opponentHorizon`` ahead or ``ObservationSpec/opponentHorizonBehind`` behind. nil when the
    /// network is of none of them (its metadata and input count).
    public func upgradedToCurrentSpec() -> MLPParameters? {
        let found = metadata[MLPMetadataKey.specVersion]
        guard ObservationSpec.upgrades(from: found, inputCount: inputCount) else { return nil }
        var p = upgradedFromObservationSpec1() ?? self      // version 2: the same inputs
        p.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        p.metadata[MLPMetadataKey.upgradedFrom] = found
        return p
    }

    /// This network of observation spec 1 (``ObservationSpec/version1``) as one of the current spec that computes
    /// the same outputs: the features version 2 adds (after version 1's, in the same order) get zero weights, mean
    /// 0 and standard deviation 1. nil when the network is not a version-1 one (its metadata and input count).
    public func upgradedFromObservationSpec1() -> MLPParameters? {
        guard metadata[MLPMetadataKey.specVersion] == ObservationSpec.version1,
              inputCount == ObservationSpec.version1Count, layerCount >= 1 else { return nil }
        let old = ObservationSpec.version1Count, new = ObservationSpec.count, rows = layerSizes[1]
        var p = self
        var weight = [Float](repeating: 0, count: rows * new)
        for r in 0..<rows {
            for c in 0..<old { weight[r * new + c] = weights[0][r * old + c] }
        }
        p.weights[0] = weight
        p.layerSizes[0] = new
        p.inputMean += [Float](repeating: 0, count: new - old)
        p.inputStd += [Float](repeating: 1, count: new - old)
        p.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        return p
    }
}
