import Sim

/// The learned driving policy: an ``MLP`` over the ``ObservationSpec`` features of one car model on one
/// circuit (the ``ObservationEncoder``), with two outputs, steering and pedal. When the weights file's metadata
/// names an action prior (`action_prior`: an ``ActionPrior`` raw value), the network is residual: its outputs are
/// added to the encoder's ``ObservationEncoder/prior(_:kind:)`` before clamping.
///
/// Stateless between calls (the previous action comes in the observation), so one instance can drive a whole
/// grid of the same car from one thread; it is not thread-safe (the network's scratch buffers). `act` and the
/// batched form do not allocate.
public final class NetworkPolicy: Policy {
    /// The network.
    public let network: MLP
    /// The feature encoder for this circuit and car.
    public let encoder: ObservationEncoder
    /// The action prior the network's outputs are added to; nil: the outputs are the action.
    public let prior: ActionPrior?
    /// Whether the network's outputs are added to an action prior.
    public var isResidual: Bool { prior != nil }
    /// Holds the network to the expert's speed rule in traffic and steers it round stalled cars
    /// (``TrafficGuard``); nil lets the network drive unchecked. On by default; alone on track it changes nothing.
    public var trafficGuard: TrafficGuard? {
        get { guarding ? shield.pointee : nil }
        set {
            guarding = newValue != nil
            if let newValue { shield.pointee = newValue }
        }
    }
    /// Holds the network to the speed plan and steers it back towards its line when it strays (``TrackGuard``; in
    /// traffic without the speed cap, towards the expert's traffic target); nil lets the network drive unchecked. On
    /// by default.
    public var trackGuard: TrackGuard? {
        get { trackGuarding ? edge.pointee : nil }
        set {
            trackGuarding = newValue != nil
            if let newValue { edge.pointee = newValue }
        }
    }
    /// The guards, kept outside the object so that a decision reads them in place (a stored optional struct is
    /// copied, some 300 bytes, at every read), and whether each is on.
    private let shield: UnsafeMutablePointer<TrafficGuard>
    private var guarding = true
    private let edge: UnsafeMutablePointer<TrackGuard>
    private var trackGuarding = true
    /// Most observations one batched call evaluates at once; larger batches are split.
    public static let maximumBatch = 64
    /// Encoded features of up to ``maximumBatch`` observations, and their outputs.
    private let features: UnsafeMutablePointer<Float>
    private let outputs: UnsafeMutablePointer<Float>
    /// The offset commands a batched call gave the network (the guard's passing commands), kept for the guard.
    private let commands: UnsafeMutablePointer<Double>
    /// Each car's spot on the encoder's table as the encoder located it, kept for the track guard.
    private let spots: UnsafeMutablePointer<ObservationEncoder.Spot>

    /// A policy with `parameters` for the circuit and car of `encoder`.
    /// - Throws: when the network does not take ``ObservationSpec/count`` inputs and give 2 outputs, or its
    ///   metadata names another observation spec version; `file` names the source in the message.
    public init(parameters: MLPParameters, encoder: ObservationEncoder, file: String = "<network>") throws(LoadError) {
        if let version = parameters.metadata[MLPMetadataKey.specVersion], version != ObservationSpec.version {
            throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.specVersion)", value: version,
                            expected: "observation spec version \(ObservationSpec.version)")
        }
        guard parameters.inputCount == ObservationSpec.count else {
            throw LoadError(file: file, location: MLPTensorName.weight(0), value: "\(parameters.inputCount) inputs",
                            expected: "\(ObservationSpec.count) inputs (observation spec \(ObservationSpec.version))")
        }
        guard parameters.outputCount == 2 else {
            throw LoadError(file: file, location: MLPTensorName.weight(parameters.layerCount - 1),
                            value: "\(parameters.outputCount) outputs", expected: "2 outputs (steering, pedal)")
        }
        if let name = parameters.metadata[ActionPrior.metadataKey] {
            guard let kind = ActionPrior(rawValue: name) else {
                throw LoadError(file: file, location: "__metadata__.\(ActionPrior.metadataKey)", value: name,
                                expected: "\(ActionPrior.described) or absent")
            }
            prior = kind
        } else {
            prior = nil
        }
        network = MLP(parameters)
        self.encoder = encoder
        features = .allocate(capacity: Self.maximumBatch * ObservationSpec.count)
        features.initialize(repeating: 0, count: Self.maximumBatch * ObservationSpec.count)
        outputs = .allocate(capacity: Self.maximumBatch * 2)
        outputs.initialize(repeating: 0, count: Self.maximumBatch * 2)
        shield = .allocate(capacity: 1)
        shield.initialize(to: TrafficGuard())
        edge = .allocate(capacity: 1)
        edge.initialize(to: TrackGuard())
        commands = .allocate(capacity: Self.maximumBatch)
        commands.initialize(repeating: 0, count: Self.maximumBatch)
        spots = .allocate(capacity: Self.maximumBatch)
        spots.initialize(repeating: encoder.locate(0), count: Self.maximumBatch)
    }

    /// Loads the weights file at `path` (safetensors; its observation spec version must be
    /// ``ObservationSpec/version``) for the circuit and car of `encoder`.
    public convenience init(file path: String, encoder: ObservationEncoder) throws(LoadError) {
        let contents = try SafetensorsFile(path: path)
        let parameters = try MLPParameters(safetensors: contents, file: path, expectedSpecVersion: ObservationSpec.version)
        try self.init(parameters: parameters, encoder: encoder, file: path)
    }

    /// A policy for another circuit or car with the same network weights.
    public func adapted(to encoder: ObservationEncoder) -> NetworkPolicy {
        // The parameters were accepted once; they are accepted again.
        let policy = try! NetworkPolicy(parameters: network.parameters, encoder: encoder)
        policy.trafficGuard = trafficGuard
        policy.trackGuard = trackGuard
        return policy
    }

    deinit {
        features.deallocate()
        outputs.deallocate()
        commands.deallocate()
        spots.deallocate()
        shield.deinitialize(count: 1)
        shield.deallocate()
        edge.deinitialize(count: 1)
        edge.deallocate()
    }

    public func act(_ observation: Observation) -> Action {
        withUnsafePointer(to: observation) { act(at: $0) }
    }

    /// ``act(_:)`` for the observation at `observation`, read in place.
    @inline(__always)
    private func act(at observation: UnsafePointer<Observation>) -> Action {
        let guarding = guarding      // read once: a class's stored property is access-checked at each read
        let command = guarding ? passingCommand(observation) : observation.pointee.offsetCommand
        let prior = encode(observation, command: command, into: features, spot: spots)
        network.forward(UnsafeBufferPointer(start: features, count: ObservationSpec.count),
                        into: UnsafeMutableBufferPointer(start: outputs, count: 2))
        var action = combine(outputs[0], outputs[1], prior)
        if trackGuarding {
            action = TrackGuard.apply(edge, action, to: observation, offsetCommand: command, encoder: encoder,
                                      here: spots[0])
        }
        guard guarding else { return action }
        return TrafficGuard.apply(shield, action, to: observation.pointer(to: \.view)!, offsetCommand: command,
                                  encoder: encoder)
    }

    public func act(batch observations: UnsafeBufferPointer<Observation>, into actions: UnsafeMutableBufferPointer<Action>) {
        precondition(actions.count >= observations.count, "actions buffer too small")
        let n = ObservationSpec.count
        let guarding = guarding, trackGuarding = trackGuarding
        guard let base = observations.baseAddress else { return }
        var start = 0
        while start < observations.count {
            let count = min(Self.maximumBatch, observations.count - start)
            let batch = base + start
            // Every car encoded first (each prior kept in its action's slot), then one forward pass for all. The
            // observations are read where they lie: passing `batch[i]` would copy each (some 400 bytes) several times.
            if guarding {
                for i in 0..<count {
                    let command = passingCommand(batch + i)
                    commands[i] = command
                    actions[start + i] = encode(batch + i, command: command, into: features + i * n, spot: spots + i)
                }
            } else {
                for i in 0..<count {
                    actions[start + i] = encoder.encode(batch + i, into: features + i * n, prior: prior, spot: spots + i)
                }
            }
            network.forward(batch: UnsafeBufferPointer(start: features, count: count * n), count: count,
                            into: UnsafeMutableBufferPointer(start: outputs, count: count * 2))
            for i in 0..<count {
                var action = combine(outputs[2 * i], outputs[2 * i + 1], actions[start + i])
                if trackGuarding {
                    action = TrackGuard.apply(edge, action, to: batch + i,
                                              offsetCommand: guarding ? commands[i] : batch[i].offsetCommand,
                                              encoder: encoder, here: spots[i])
                }
                if guarding {
                    actions[start + i] = TrafficGuard.apply(shield, action, to: (batch + i).pointer(to: \.view)!,
                                                            offsetCommand: commands[i], encoder: encoder)
                } else {
                    actions[start + i] = action
                }
            }
            start += count
        }
    }

    /// The offset command the guard gives the network for `observation`: its own, or one round a stalled car
    /// (``TrafficGuard/passingOffset(_:encoder:)``). Only while guarding.
    @inline(__always)
    private func passingCommand(_ observation: UnsafePointer<Observation>) -> Double {
        let own = observation.pointee.offsetCommand
        guard observation.pointee.view.nearby.count > 0 else { return own }
        return TrafficGuard.passingOffset(shield, observation.pointer(to: \.view)!, offsetCommand: own, encoder: encoder)
    }

    /// The features of the observation at `observation` with offset command `command` into `out`, and the prior;
    /// the car's spot on the encoder's table into `spot`.
    /// Kept out of line: inlined into `act`, the encoder made it too large for the optimiser, which then left small
    /// generic functions (`min`, `max`) as calls (callgrind: 6,250 instructions a decision against 5,940).
    @inline(never)
    private func encode(_ observation: UnsafePointer<Observation>, command: Double,
                        into out: UnsafeMutablePointer<Float>, spot: UnsafeMutablePointer<ObservationEncoder.Spot>) -> Action {
        if command.bitPattern == observation.pointee.offsetCommand.bitPattern {
            return encoder.encode(observation, into: out, prior: prior, spot: spot)
        }
        var passing = observation.pointee
        passing.offsetCommand = command
        return withUnsafePointer(to: passing) { encoder.encode($0, into: out, prior: prior, spot: spot) }
    }

    /// The network's outputs plus `prior` (the action prior when residual, else zero), clamped to -1...1; NaN
    /// counts as 0.
    @inline(__always)
    private func combine(_ steering: Float, _ pedal: Float, _ prior: Action) -> Action {
        var s = steering, p = pedal
        if isResidual {
            s += prior.steering
            p += prior.pedal
        }
        return Action(steering: s.isNaN ? 0 : min(max(s, -1), 1), pedal: p.isNaN ? 0 : min(max(p, -1), 1))
    }
}

/// The action prior a residual network's outputs are added to (``ObservationEncoder/prior(_:kind:)``), named in a
/// weights file's metadata under ``metadataKey`` by its raw value.
public enum ActionPrior: String, Sendable, Codable, CaseIterable {
    /// Version 1: pure-pursuit steering towards a point on the target line half a second ahead, no pedal.
    case purePursuit = "rival.prior/1"
    /// Version 2: the kinematic steering of the path the expert's path law asks for (the target line's curvature
    /// ahead plus a preview correction of the lateral error predicted along the car's course), no pedal.
    case pathCurvature = "rival.prior/2"
    /// The metadata key.
    public static let metadataKey = "action_prior"
    /// The versions a weights file may name, for messages.
    public static var described: String { allCases.map(\.rawValue).joined(separator: " or ") }
}
