import GSL
import Sim

/// A car in a DAgger training episode: the expert labels every state the car visits, while the car is driven
/// by the learner (on a delayed, noisy view of the world) or, with probability ``expertShare``, by the expert;
/// exploration noise is added to the applied action. Records (true observation features, expert action) pairs.
final class DAggerDriver: Driver {
    let decisionInterval: Double
    let expert: ExpertDriver
    let learner: NetworkPolicy?
    let encoder: ObservationEncoder
    let settings: TrainingSettings
    let random: GSLRandomStream
    /// Share of decisions the expert's action is applied (the rest: the learner's).
    let expertShare: Double
    /// Whether this car's samples are kept.
    var recording: Bool
    /// Delayed views: a ring of `delayCount + 1` decisions.
    private var ring: [DriverView]
    private var ringHead = 0
    private var filled = 0
    private let delayCount: Int
    private var offsetCommand = 0.0
    private var nextOffsetChange = 0.0
    private var previous = Action()
    /// Recorded features (`ObservationSpec.count` per sample) and expert actions (2 per sample).
    private(set) var inputs: [Float] = []
    private(set) var targets: [Float] = []
    private var scratch: [Float]

    init(expert: ExpertDriver, learner: NetworkPolicy?, encoder: ObservationEncoder, settings: TrainingSettings,
         random: GSLRandomStream, expertShare: Double, delay: Double, recording: Bool) {
        decisionInterval = settings.decisionInterval
        self.expert = expert
        self.learner = learner
        self.encoder = encoder
        self.settings = settings
        self.random = random
        self.expertShare = expertShare
        self.recording = recording
        delayCount = max(0, Int((delay / settings.decisionInterval).rounded()))
        ring = Array(repeating: DriverView(), count: delayCount + 1)
        scratch = Array(repeating: 0, count: ObservationSpec.count)
        if recording {
            let expected = Int(settings.episodeDuration / settings.decisionInterval) + 2
            inputs.reserveCapacity(expected * ObservationSpec.count)
            targets.reserveCapacity(expected * 2)
        }
    }

    func decide(_ view: DriverView) -> CarControls {
        if view.time >= nextOffsetChange {
            let m = settings.maximumOffsetCommand
            offsetCommand = random.uniform() < 0.5 ? 0 : (2 * random.uniform() - 1) * m
            nextOffsetChange = view.time + 2 + 4 * random.uniform()
        }
        let observation = Observation(view: view, offsetCommand: offsetCommand, previousAction: previous)
        let label = expert.act(observation)
        if recording {
            // The held action is recorded as a random one: at 60 decisions a second it is nearly the label, and a
            // network that leans on it copies its own last output and lags behind the road (the "copycat" problem
            // of behaviour cloning with action history; measured here: a network trained with the true held
            // action stayed at 7 % throttle from a standing start because its last pedal was low).
            // The road-wheel angle follows the held steering at the steering rate, so it carries the same copy:
            // measured here, a network trained with it held its steering where the wheels were and drifted off a
            // straight while the expert (and the prior) steered back. It is randomised the same way.
            var recorded = observation
            if settings.randomisesHeldAction {
                recorded.previousAction = Action(steering: Float(2 * random.uniform() - 1), pedal: Float(2 * random.uniform() - 1))
                recorded.view.steeringAngle = (2 * random.uniform() - 1) * encoder.maxSteer
            }
            scratch.withUnsafeMutableBufferPointer { encoder.encode(recorded, into: $0.baseAddress!) }
            inputs.append(contentsOf: scratch)
            // A residual network learns what the expert adds to the prior.
            let prior = settings.prior.map { encoder.prior(observation, kind: $0) } ?? Action()
            targets.append(label.steering - prior.steering)
            targets.append(label.pedal - prior.pedal)
        }
        // The learner sees the world as it was `delayCount` decisions ago, with perception noise.
        ring[ringHead] = view
        ringHead = (ringHead + 1) % ring.count
        filled = min(filled + 1, ring.count)
        var chosen = label
        if let learner, random.uniform() >= expertShare {
            var seen = filled == ring.count ? ring[ringHead] : ring[(ringHead - filled + ring.count) % ring.count]
            seen.speed *= 1 + random.gaussian(sd: settings.speedNoise)
            seen.lateral += random.gaussian(sd: settings.lateralNoise)
            seen.headingError += random.gaussian(sd: settings.headingNoise)
            chosen = learner.act(Observation(view: seen, offsetCommand: offsetCommand, previousAction: previous))
        }
        chosen.steering = min(max(chosen.steering + Float(random.gaussian(sd: settings.steeringNoise)), -1), 1)
        chosen.pedal = min(max(chosen.pedal + Float(random.gaussian(sd: settings.pedalNoise)), -1), 1)
        previous = chosen
        return chosen.controls
    }

    /// Samples recorded so far.
    var sampleCount: Int { targets.count / 2 }
}
