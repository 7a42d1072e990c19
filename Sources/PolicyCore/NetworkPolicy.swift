import Sim

/// The learned driving policy: an ``MLP`` over the ``ObservationSpec`` features of one car model on one
/// circuit (the ``ObservationEncoder``), with two outputs, steering and pedal. When the weights file's metadata
/// names an action prior (`action_prior`: ``ActionPrior/version``), the network is residual: its outputs are
/// added to the encoder's ``ObservationEncoder/prior(_:)`` before clamping.
///
/// Stateless between calls (the previous action comes in the observation), so one instance can drive a whole
/// grid of the same car from one thread; it is not thread-safe (the network's scratch buffers). `act` and the
/// batched form do not allocate.
public final class NetworkPolicy: Policy {
    /// The network.
    public let network: MLP
    /// The feature encoder for this circuit and car.
    public let encoder: ObservationEncoder
    /// Whether the network's outputs are added to the encoder's action prior.
    public let isResidual: Bool
    /// Holds the network to the expert's speed rule in traffic and steers it round stalled cars
    /// (``TrafficGuard``); nil lets the network drive unchecked. On by default; alone on track it changes nothing.
    public var trafficGuard: TrafficGuard? {
        get { guarding ? shield.pointee : nil }
        set {
            guarding = newValue != nil
            if let newValue { shield.pointee = newValue }
        }
    }
    /// The guard, kept outside the object so that a decision reads it in place (a stored optional struct is copied,
    /// some 300 bytes, at every read), and whether it is on.
    private let shield: UnsafeMutablePointer<TrafficGuard>
    private var guarding = true
    /// Most observations one batched call evaluates at once; larger batches are split.
    public static let maximumBatch = 64
    /// Encoded features of up to ``maximumBatch`` observations, and their outputs.
    private let features: UnsafeMutablePointer<Float>
    private let outputs: UnsafeMutablePointer<Float>
    /// The offset commands a batched call gave the network (the guard's passing commands), kept for the guard.
    private let commands: UnsafeMutablePointer<Double>

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
        switch parameters.metadata[ActionPrior.metadataKey] {
        case nil: isResidual = false
        case ActionPrior.version?: isResidual = true
        case let other?:
            throw LoadError(file: file, location: "__metadata__.\(ActionPrior.metadataKey)", value: other,
                            expected: "\(ActionPrior.version) or absent")
        }
        network = MLP(parameters)
        self.encoder = encoder
        features = .allocate(capacity: Self.maximumBatch * ObservationSpec.count)
        features.initialize(repeating: 0, count: Self.maximumBatch * ObservationSpec.count)
        outputs = .allocate(capacity: Self.maximumBatch * 2)
        outputs.initialize(repeating: 0, count: Self.maximumBatch * 2)
        shield = .allocate(capacity: 1)
        shield.initialize(to: TrafficGuard())
        commands = .allocate(capacity: Self.maximumBatch)
        commands.initialize(repeating: 0, count: Self.maximumBatch)
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
        return policy
    }

    deinit {
        features.deallocate()
        outputs.deallocate()
        commands.deallocate()
        shield.deinitialize(count: 1)
        shield.deallocate()
    }

    public func act(_ observation: Observation) -> Action {
        let guarding = guarding      // read once: a class's stored property is access-checked at each read
        let command = guarding ? passingCommand(observation) : observation.offsetCommand
        let prior = encode(observation, command: command, into: features)
        network.forward(UnsafeBufferPointer(start: features, count: ObservationSpec.count),
                        into: UnsafeMutableBufferPointer(start: outputs, count: 2))
        let action = combine(outputs[0], outputs[1], prior)
        guard guarding else { return action }
        return shield.pointee.apply(action, to: observation.view, offsetCommand: command, encoder: encoder)
    }

    public func act(batch observations: UnsafeBufferPointer<Observation>, into actions: UnsafeMutableBufferPointer<Action>) {
        precondition(actions.count >= observations.count, "actions buffer too small")
        let n = ObservationSpec.count
        let guarding = guarding
        guard let base = observations.baseAddress else { return }
        var start = 0
        while start < observations.count {
            let count = min(Self.maximumBatch, observations.count - start)
            let batch = base + start
            // Every car encoded first (each prior kept in its action's slot), then one forward pass for all.
            if guarding {
                for i in 0..<count {
                    commands[i] = passingCommand(batch[i])
                    actions[start + i] = encode(batch[i], command: commands[i], into: features + i * n)
                }
            } else {
                for i in 0..<count {
                    actions[start + i] = encoder.encode(batch[i], into: features + i * n, prior: isResidual)
                }
            }
            network.forward(batch: UnsafeBufferPointer(start: features, count: count * n), count: count,
                            into: UnsafeMutableBufferPointer(start: outputs, count: count * 2))
            for i in 0..<count {
                let action = combine(outputs[2 * i], outputs[2 * i + 1], actions[start + i])
                if guarding {
                    actions[start + i] = shield.pointee.apply(action, to: batch[i].view, offsetCommand: commands[i],
                                                              encoder: encoder)
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
    private func passingCommand(_ observation: Observation) -> Double {
        guard observation.view.nearby.count > 0 else { return observation.offsetCommand }
        return shield.pointee.passingOffset(observation.view, offsetCommand: observation.offsetCommand, encoder: encoder)
    }

    /// The features of `observation` with offset command `command` into `out`, and the prior.
    @inline(__always)
    private func encode(_ observation: Observation, command: Double, into out: UnsafeMutablePointer<Float>) -> Action {
        if command.bitPattern == observation.offsetCommand.bitPattern {
            return encoder.encode(observation, into: out, prior: isResidual)
        }
        var passing = observation
        passing.offsetCommand = command
        return encoder.encode(passing, into: out, prior: isResidual)
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

/// The action prior a residual network's outputs are added to (``ObservationEncoder/prior(_:)``).
public enum ActionPrior {
    /// The prior's version, named in a weights file's metadata under ``metadataKey``.
    public static let version = "rival.prior/1"
    /// The metadata key.
    public static let metadataKey = "action_prior"
}
