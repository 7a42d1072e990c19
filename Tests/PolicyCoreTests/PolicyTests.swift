import Foundation
import GSL
@testable import PolicyCore
import Sim
import Testing
import RivalTestSupport

@Suite("Observation spec, policies and the policy driver")
struct PolicyTests {
    static func network(hidden: [Int] = [16], seed: UInt64 = 3) -> MLPParameters {
        var p = MLPParameters(layerSizes: [ObservationSpec.count] + hidden + [2],
                              activations: Array(repeating: .tanh, count: hidden.count) + [.identity], seed: seed)
        p.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        return p
    }

    static func encode(_ encoder: ObservationEncoder, _ observation: Observation) -> [Float] {
        var out = [Float](repeating: .nan, count: ObservationSpec.count)
        out.withUnsafeMutableBufferPointer { encoder.encode(observation, into: $0.baseAddress!) }
        return out
    }

    static func index(_ name: String) -> Int { ObservationSpec.features.firstIndex { $0.name == name }! }

    @Test("the spec: 73 uniquely named features, the course out to 250 m, 4 opponents, documented in docs/policy.md")
    func spec() throws {
        #expect(ObservationSpec.count == 73)
        #expect(ObservationSpec.version == "rival.observation/5")
        #expect(ObservationSpec.opponentHorizon == 60 && ObservationSpec.opponentHorizonBehind == 10)
        // Version 2 is version 1 and the near gaps after it.
        #expect(ObservationSpec.features[ObservationSpec.version1Count...].map(\.name) == (0..<4).map { "opponent\($0).nearGap" })
        #expect(Set(ObservationSpec.features.map(\.name)).count == ObservationSpec.count)
        // The encoder reads these layouts at fixed positions.
        #expect(ObservationSpec.courseDistances.count == 7)
        #expect(ObservationSpec.lineDistances.count == 11 && ObservationSpec.lineDistances[1] == 5
                && ObservationSpec.lineDistances[2] == 10)
        #expect(ObservationSpec.lineSteerDistances == [0, 10, 25])
        #expect(ObservationSpec.courseDistances.last == 250)
        #expect(ObservationSpec.lineDistances.last == 250)
        #expect(ObservationSpec.features.filter { $0.name.hasPrefix("opponent") }.count == 4 * 4)
        let doc = try String(contentsOf: Shipped.root.appendingPathComponent("docs/policy.md"), encoding: .utf8)
        for feature in ObservationSpec.features where !feature.name.contains("@") && !feature.name.hasPrefix("opponent") {
            #expect(doc.contains("`\(feature.name)`"), "docs/policy.md lacks \(feature.name)")
        }
    }

    @Test("encoding: a car on the racing line, pointing along it, sees the line dead ahead; the offset command moves it")
    func encoding() throws {
        let track = try Shipped.track("Monza"), car = try Shipped.car("gt3")
        let encoder = ObservationEncoder(track: track, car: car)
        // On the main straight, at a sample of the line.
        let i = 300, s = Double(i) * track.spacing
        let line = encoder.plan.line
        let lineAngle = remainder(line.heading[i] - track.heading[i], 2 * .pi)
        let view = DriverView(speed: 50, s: s, lateral: line.offset(at: s), headingError: lineAngle)
        let f = Self.encode(encoder, Observation(view: view))
        #expect(abs(f[Self.index("lineLateral@0")]) < 1e-4)
        #expect(abs(f[Self.index("lineLateral@5")]) < 0.005)        // within 5 cm
        #expect(abs(f[Self.index("speed")] - 1) < 1e-6)
        #expect(abs(f[Self.index("planSpeed@0")] * 50 - Float(encoder.plan.plannedSpeed(at: s))) < 0.01)
        #expect(abs(f[Self.index("lineSteer@0")] - Float(atan(car.chassis.wheelbaseM * line.curvature(at: s)) / car.steering.maxAngleRad)) < 1e-4)
        // Opponents absent: padded far ahead and level.
        #expect(f[Self.index("opponent0.gap")] == 1)
        #expect(f[Self.index("opponent3.speedDifference")] == 0)
        #expect(f[Self.index("opponent0.nearGap")] == 1 && f[Self.index("opponent3.nearGap")] == 1)
        // One metre of offset command towards the middle of the track: the target is 1 m that side of the car.
        let side: Float = line.offset[i] > 0 ? -1 : 1
        let shifted = Self.encode(encoder, Observation(view: view, offsetCommand: Double(side)))
        #expect(abs(shifted[Self.index("lineLateral@0")] - 0.1 * side) < 5e-4)
        #expect(abs(shifted[Self.index("offsetCommand")] - 0.2 * side) < 1e-6)
        // The car one metre left of the line sees the line on its right.
        var left = view
        left.lateral += 1
        #expect(abs(Self.encode(encoder, Observation(view: left))[Self.index("lineLateral@0")] + 0.1) < 1e-3)
        // Edges: distances to both limits add up to the track width.
        let sample = track.sample(at: s)
        #expect(abs((f[Self.index("edgeLeft")] + f[Self.index("edgeRight")]) * 10 - Float(sample.widthLeft + sample.widthRight)) < 1e-3)
        // A nearby car ahead and to the left, 5 m/s slower.
        var nearby = NearbyCars()
        nearby.insert(NearbyCar(index: 1, gap: 30, lateral: view.lateral + 2, speedDifference: -5))
        let traffic = Self.encode(encoder, Observation(view: DriverView(speed: 50, s: s, lateral: view.lateral, nearby: nearby)))
        #expect(abs(traffic[Self.index("opponent0.gap")] - 0.2) < 1e-6)
        #expect(abs(traffic[Self.index("opponent0.lateral")] - 0.4) < 1e-6)
        #expect(abs(traffic[Self.index("opponent0.speedDifference")] + 0.5) < 1e-6)
        #expect(traffic[Self.index("opponent1.gap")] == 1)
        #expect(traffic[Self.index("opponent0.nearGap")] == 1)   // 30 m: beyond the near range
        // Alongside, 1.5 m behind and 2 m ahead: the near gaps tell them apart where the gaps barely differ.
        var alongside = NearbyCars()
        alongside.insert(NearbyCar(index: 1, gap: -1.5, lateral: view.lateral + 2.5, speedDifference: 0))
        alongside.insert(NearbyCar(index: 2, gap: 2, lateral: view.lateral - 2.5, speedDifference: 0))
        let pair = Self.encode(encoder, Observation(view: DriverView(speed: 50, s: s, lateral: view.lateral, nearby: alongside)))
        #expect(abs(pair[Self.index("opponent0.nearGap")] + 0.15) < 1e-6 && abs(pair[Self.index("opponent1.nearGap")] - 0.2) < 1e-6)
        #expect(abs(pair[Self.index("opponent0.gap")] + 0.01) < 1e-6)
        #expect(pair[Self.index("opponent2.nearGap")] == 1)
        // Spec 5: a car within 60 m ahead or 10 m behind is given, one beyond is padded as absent; a car ahead
        // takes the slot of a nearer one 10.5 m behind.
        var spread = NearbyCars()
        for (index, gap) in [(1, -10.0), (2, -10.5), (3, 59.5), (4, -60.0), (5, 60.5), (6, -100.0)] {
            spread.insert(NearbyCar(index: index, gap: gap, lateral: view.lateral + 1, speedDifference: 3))
        }
        let far = Self.encode(encoder, Observation(view: DriverView(speed: 50, s: s, lateral: view.lateral, nearby: spread)))
        #expect(abs(far[Self.index("opponent0.gap")] * 150 + 10) < 1e-4 && abs(far[Self.index("opponent1.gap")] * 150 - 59.5) < 1e-4)
        #expect(far[Self.index("opponent0.nearGap")] == -1 && far[Self.index("opponent1.nearGap")] == 1)
        #expect(far[Self.index("opponent1.speedDifference")] == 0.3 && far[Self.index("opponent1.lateral")] == 0.2)
        for k in 2...3 {
            #expect(far[Self.index("opponent\(k).gap")] == 1 && far[Self.index("opponent\(k).lateral")] == 0)
            #expect(far[Self.index("opponent\(k).speedDifference")] == 0 && far[Self.index("opponent\(k).nearGap")] == 1)
        }
    }

    @Test("encoding never gives a non-finite feature, even for a NaN view")
    func nonFinite() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Spa"), car: try Shipped.car("cup"))
        let view = DriverView(speed: .nan, lateralSpeed: .infinity, yawRate: -.infinity, s: .nan, lateral: .nan, headingError: .nan)
        let f = Self.encode(encoder, Observation(view: view, offsetCommand: .nan, previousAction: Action(steering: .nan, pedal: 2)))
        #expect(f.allSatisfy { $0.isFinite })
    }

    @Test("actions: the pedal splits into throttle and brake, values are clamped, NaN counts as 0")
    func actions() {
        #expect(Action(steering: 0.3, pedal: 0.6).controls == CarControls(steering: Double(Float(0.3)), throttle: Double(Float(0.6)), brake: 0))
        #expect(Action(steering: -2, pedal: -0.5).controls == CarControls(steering: -1, throttle: 0, brake: 0.5))
        #expect(Action(steering: .nan, pedal: .nan).controls == CarControls())
        #expect(Action(CarControls(steering: 0.25, throttle: 0, brake: 0.75)) == Action(steering: 0.25, pedal: -0.75))
    }

    @Test("the expert as a Policy behind PolicyDriver drives exactly as the expert driver itself")
    func expertAsPolicy() throws {
        let track = try Shipped.track("Sakhir"), car = try Shipped.car("cup")
        let plan = ExpertPlan(track: track, car: car)
        func lap(_ driver: any Driver) throws -> [Double] {
            let race = try Race(track: track, entries: [RaceEntry(name: "x", car: car, driver: driver)], config: RaceConfig(laps: 2))
            return race.run().entries[0].lapTimes
        }
        let direct = try lap(ExpertDriver(plan: plan))
        let adapted = try lap(PolicyDriver(policy: ExpertDriver(plan: plan)))
        #expect(direct.count == 2)
        // Action carries Float: the adapted expert's controls are rounded to Float, so laps agree to a few ms.
        #expect(zip(direct, adapted).allSatisfy { abs($0 - $1) < 0.05 })
    }

    /// Observations of a GT3 expert race at Monza after `steps` steps, car `k` with an offset command of
    /// `k * spread - 1` m.
    static func monzaObservations(cars: Int, steps: Int, spread: Double) throws -> (Track, CarSpec, [Observation]) {
        let track = try Shipped.track("Monza"), car = try Shipped.car("gt3")
        let config = RaceConfig(laps: 1000, maxDuration: 1e9)
        let race = try Race(track: track, entries: ExpertGrid.entries(track: track, car: car, count: cars, config: config),
                            config: config)
        for _ in 0..<steps { race.step() }
        let observations = (0..<cars).map { Observation(view: race.view(for: $0), offsetCommand: Double($0) * spread - 1) }
        return (track, car, observations)
    }

    @Test("the encoder's AVX2 code (spots, course and line features, scaling) gives the Swift code's features and prior, bit for bit")
    func encoderKernels() throws {
        guard MLPKernel.avx2.isAvailable else { return }
        var state: UInt64 = 29
        var compared = 0, differing = 0
        for name in ["Monza", "Spa"] {
            let track = try Shipped.track(name), car = try Shipped.car(name == "Spa" ? "formula" : "gt3")
            let plan = ExpertPlan(track: track, car: car)
            let fast = ObservationEncoder(plan: plan, usesAVX2: true), slow = ObservationEncoder(plan: plan, usesAVX2: false)
            #expect(fast.usesAVX2 && !slow.usesAVX2)
            let config = RaceConfig(laps: 1000, maxDuration: 1e9)
            let race = try Race(track: track, entries: ExpertGrid.entries(track: track, car: car, count: 10, config: config),
                                config: config)
            var observations: [Observation] = []
            for round in 0..<6 {
                for _ in 0..<150 { race.step() }
                observations += (0..<10).map { Observation(view: race.view(for: $0), offsetCommand: Double(round) - 2.5) }
            }
            let commands: [Double] = [-4, -0.0, 0.7, 3, 25, -25, .nan, .infinity]
            for (k, base) in observations.enumerated() {
                for variant in 0..<8 {
                    var o = base
                    o.offsetCommand = commands[(k + variant) % commands.count]
                    switch variant {
                    case 1: o.view.lateral += 6 * (2 * SeedDerivation.uniform(&state) - 1)
                    case 2: o.view.headingError = 0.6 * (2 * SeedDerivation.uniform(&state) - 1)
                    case 3: o.view.s = SeedDerivation.uniform(&state) * track.length      // anywhere, near the line too
                    case 4: o.view.headingError = .nan
                    case 5: o.view.s = -0.0
                    case 6: o.view.lateral = .nan
                    default: break
                    }
                    // The features and the prior, and the unscaled Doubles (where a last-bit difference would seldom
                    // survive the rounding to Float).
                    var a = [Float](repeating: .nan, count: ObservationSpec.count), b = a
                    var ra = [Double](repeating: .nan, count: ObservationSpec.count), rb = ra
                    let (pa, pb) = withUnsafePointer(to: o) { at in
                        ra.withUnsafeMutableBufferPointer { rawA in
                            rb.withUnsafeMutableBufferPointer { rawB in
                                (a.withUnsafeMutableBufferPointer {
                                    fast.encode(at, into: $0.baseAddress!, prior: .pathCurvature, unscaled: rawA.baseAddress!)
                                 },
                                 b.withUnsafeMutableBufferPointer {
                                    slow.encode(at, into: $0.baseAddress!, prior: .pathCurvature, unscaled: rawB.baseAddress!)
                                 })
                            }
                        }
                    }
                    compared += 1
                    if a.map(\.bitPattern) != b.map(\.bitPattern) || ra.map(\.bitPattern) != rb.map(\.bitPattern) || pa != pb {
                        differing += 1
                    }
                }
            }
        }
        #expect(compared == 960 && differing == 0, "\(differing) of \(compared) observations encode differently")
    }

    @Test("the batched network policy gives the same actions as one call per car")
    func batch() throws {
        let (track, car, observations) = try Self.monzaObservations(cars: 9, steps: 600, spread: 0.3)
        let encoder = ObservationEncoder(track: track, car: car)
        var parameters = Self.network(hidden: [24, 16])
        var features = [Float]()
        for o in observations { features += Self.encode(encoder, o) }
        parameters.setNormalisation(inputs: features, count: observations.count, minimumStd: 0.05)
        let policy = try NetworkPolicy(parameters: parameters, encoder: encoder)
        let single = observations.map { policy.act($0) }
        var batched = [Action](repeating: Action(), count: 9)
        observations.withUnsafeBufferPointer { o in batched.withUnsafeMutableBufferPointer { policy.act(batch: o, into: $0) } }
        #expect(single == batched)
        #expect(Set(single.map { $0.steering }).count > 1)
        #expect(single.contains { abs($0.steering) < 1 })
    }

    @Test("feature scaling gives the same bits with AVX2 and without; sineCosine is Foundation's sin and cos")
    func scalingAndTrigonometry() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        let specials: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, 0, -0.0, .leastNormalMagnitude / 64, -.leastNonzeroMagnitude, 4e38, -4e38,
                                  3.4028234e38, 1.1754942e-38, 7e-46]
        var state: UInt64 = 11
        var raw = [Double](repeating: 0, count: ObservationEncoder.stagedCount)
        for round in 0..<300 {
            for n in 0..<ObservationSpec.count {
                raw[n] = round % 3 == 0 ? specials[(n * 7 + round) % specials.count]
                    : (2 * SeedDerivation.uniform(&state) - 1) * pow(10, Double(round % 13) - 6)
            }
            var portable = [Float](repeating: 1, count: ObservationSpec.count), avx2 = portable
            raw.withUnsafeBufferPointer { r in
                portable.withUnsafeMutableBufferPointer { encoder.scaleFeatures(r.baseAddress!, into: $0.baseAddress!, avx2: false) }
                if MLPKernel.avx2.isAvailable {
                    avx2.withUnsafeMutableBufferPointer { encoder.scaleFeatures(r.baseAddress!, into: $0.baseAddress!, avx2: true) }
                }
            }
            let expected = (0..<ObservationSpec.count).map { n -> Float in
                let f = Float(raw[n] / ObservationSpec.features[n].scale)
                return f.isFinite ? f : 0
            }
            #expect(portable.map(\.bitPattern) == expected.map(\.bitPattern))
            if MLPKernel.avx2.isAvailable { #expect(avx2.map(\.bitPattern) == expected.map(\.bitPattern)) }
        }
        // Quotients next to the float and double rounding boundaries: raw is the scale times a double midpoint (the
        // quotient within a rounding of a tie), times a float midpoint, or one of those moved by an ulp, or a random
        // significand at a random exponent; the AVX2 path's corrected multiplications must round as the division.
        if MLPKernel.avx2.isAvailable {
            var boundaryMismatches = 0, checked = 0
            for round in 0..<4_000 {
                for n in 0..<ObservationSpec.count {
                    let scale = ObservationSpec.features[n].scale
                    let unit = 1 + SeedDerivation.uniform(&state)
                    let exponent = Double(Int(SeedDerivation.uniform(&state) * 80) - 40)
                    let m = unit * pow(2, exponent)
                    var x: Double
                    switch (round + n) % 5 {
                    case 0: x = scale * (m + m.ulp / 2)
                    case 1: x = scale * Double(Float(m)).advanced(by: Double(Float(m).ulp) / 2)
                    case 2: x = (scale * (m + m.ulp / 2)).nextUp
                    case 3: x = (scale * (m + m.ulp / 2)).nextDown
                    default: x = Double(bitPattern: UInt64(SeedDerivation.uniform(&state) * 0x7fe0_0000_0000_0000))
                    }
                    raw[n] = round % 2 == 0 ? x : -x
                }
                var avx2 = [Float](repeating: 1, count: ObservationSpec.count)
                raw.withUnsafeBufferPointer { r in
                    avx2.withUnsafeMutableBufferPointer { encoder.scaleFeatures(r.baseAddress!, into: $0.baseAddress!, avx2: true) }
                }
                for n in 0..<ObservationSpec.count {
                    let f = Float(raw[n] / ObservationSpec.features[n].scale)
                    boundaryMismatches += avx2[n].bitPattern == (f.isFinite ? f : 0).bitPattern ? 0 : 1
                    checked += 1
                }
            }
            #expect(boundaryMismatches == 0, "\(boundaryMismatches) of \(checked) quotients near rounding boundaries differ")
        }
        // The encoder's 16 spots located with AVX2 (four lanes at a time, corrected multiplications for the divisions
        // by the spacing) against the Swift code, at arc lengths all round the lap (the AVX2 path takes those whose
        // farthest spot is within the lap; the rest wrap in Swift either way).
        if MLPKernel.avx2.isAvailable {
            let length = encoder.length
            var spotMismatches = 0, located = 0
            let fast = UnsafeMutablePointer<ObservationEncoder.Spot>.allocate(capacity: 16)
            let slow = UnsafeMutablePointer<ObservationEncoder.Spot>.allocate(capacity: 16)
            defer { fast.deallocate(); slow.deallocate() }
            for k in 0..<60_000 {
                let s: Double
                switch k % 6 {
                case 0: s = Double(k / 6) * encoder.spacing                 // on a sample
                case 1: s = (Double(k / 6) * encoder.spacing).nextDown
                case 2: s = (Double(k / 6) * encoder.spacing).nextUp
                case 3: s = k == 3 ? -0.0 : SeedDerivation.uniform(&state) * length
                case 4: s = length - encoder.farthestSpot - SeedDerivation.uniform(&state) * 2
                default: s = SeedDerivation.uniform(&state) * length * (k % 12 == 5 ? 1e-9 : 1)
                }
                encoder.locateAll(s, into: fast, avx2: true)
                encoder.locateAll(s, into: slow, avx2: false)
                for n in 0..<16 {
                    located += 1
                    if fast[n].row != slow[n].row || fast[n].t.bitPattern != slow[n].t.bitPattern { spotMismatches += 1 }
                }
            }
            #expect(spotMismatches == 0, "\(spotMismatches) of \(located) spots differ")
        }
        var mismatches = 0
        for k in 0..<200_000 {
            let x = k % 2 == 0 ? Double(k - 100_000) * 3.7e-5 : (2 * SeedDerivation.uniform(&state) - 1) * pow(10, Double(k % 7) - 3)
            let (s, c) = sineCosine(x)
            if s.bitPattern != Foundation.sin(x).bitPattern || c.bitPattern != Foundation.cos(x).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("a residual policy's action is its network's output plus the prior, bit for bit, alone and batched",
          arguments: ActionPrior.allCases)
    func residual(kind: ActionPrior) throws {
        let (track, car, grid) = try Self.monzaObservations(cars: 6, steps: 900, spread: 0.4)
        var observations = grid
        observations[5].view.headingError = .nan        // a bad view: the prior and features treat it as 0
        observations[4].view.s += track.length         // a lap on: the same spot
        let encoder = ObservationEncoder(track: track, car: car)
        var parameters = Self.network(hidden: [24, 16], seed: 5)
        parameters.metadata[ActionPrior.metadataKey] = kind.rawValue
        let raw = observations.flatMap { Self.encode(encoder, $0) }
        parameters.setNormalisation(inputs: raw, count: observations.count, minimumStd: 0.05)
        for k in 0..<parameters.layerCount { parameters.weights[k] = parameters.weights[k].map { $0 * 0.2 } }
        let policy = try NetworkPolicy(parameters: parameters, encoder: encoder)
        #expect(policy.isResidual && policy.prior == kind)
        // The composition alone: the track guard steers cars of this spread-out grid that stray from their line
        // (TrackGuardTests).
        policy.trackGuard = nil
        let network = MLP(parameters)
        var expected: [Action] = []
        for o in observations {
            // The encoder's shared prior is the public prior, to the bit.
            var features = [Float](repeating: .nan, count: ObservationSpec.count)
            let shared = withUnsafePointer(to: o) { at in
                features.withUnsafeMutableBufferPointer { encoder.encode(at, into: $0.baseAddress!, prior: kind) }
            }
            let prior = encoder.prior(o, kind: kind)
            #expect(shared == prior)
            #expect(features == Self.encode(encoder, o))
            let y = network.forward(features)
            let s = y[0] + prior.steering, p = y[1] + prior.pedal
            expected.append(Action(steering: min(max(s, -1), 1), pedal: min(max(p, -1), 1)))
        }
        #expect(Set(expected.map(\.steering)).count == observations.count)
        #expect(expected.allSatisfy { abs($0.steering) < 1 && abs($0.pedal) < 1 })
        #expect(observations.map { policy.act($0) } == expected)
        var batched = [Action](repeating: Action(), count: observations.count)
        observations.withUnsafeBufferPointer { o in batched.withUnsafeMutableBufferPointer { policy.act(batch: o, into: $0) } }
        #expect(batched == expected)
    }

    @Test("the path-curvature prior steers by the line's curvature on the line, back to it from either side, and by the car's course when it slides")
    func pathCurvaturePrior() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        let plan = encoder.plan
        // The sharpest point of the line: a corner, where pure pursuit and the path's curvature differ most.
        let row = plan.line.curvature.prefix(plan.track.count).indices.max { abs(plan.line.curvature[$0]) < abs(plan.line.curvature[$1]) }!
        let s = Double(row) * plan.track.spacing
        let speed = 20.0
        func steering(lateral: Double, heading: Double = 0, lateralSpeed: Double = 0) -> Double {
            let view = DriverView(speed: speed, lateralSpeed: lateralSpeed, s: s,
                                  lateral: encoder.targetLateral(s: s, offsetCommand: 0) + lateral,
                                  headingError: plan.at(plan.lineAngle, s) + heading)
            return Double(encoder.prior(Observation(view: view), kind: .pathCurvature).steering)
        }
        // On the line and along it: the kinematic angle of the line's curvature 0.08 s ahead.
        let kappa = plan.at(plan.line.curvature, s + speed * ExpertSettings().curvatureLead)
        let onLine = steering(lateral: 0)
        #expect(abs(onLine - atan(encoder.wheelbase * kappa) / encoder.maxSteer) < 1e-3, "\(onLine) against \(kappa)")
        #expect(abs(onLine) > 0.1)
        // A metre to the left of it steers right, a metre to the right steers left: by 2 / preview^2 (preview 10 m
        // at 20 m/s) of curvature.
        let left = steering(lateral: 1), right = steering(lateral: -1)
        #expect(left < onLine && onLine < right)
        let expected = atan(encoder.wheelbase * (kappa - 2 / 100)) / encoder.maxSteer
        #expect(abs(left - expected) < 2e-3, "\(left) against \(expected)")
        // Sliding: the nose 0.1 rad off the line but the car moving along it (course = heading + slip angle): the
        // prior reads the course, so it asks for what it asks on the line; pointed off without the slide, it
        // steers back.
        let sliding = steering(lateral: 0, heading: 0.1, lateralSpeed: -speed * tan(0.1))
        #expect(abs(sliding - onLine) < 1e-6)
        #expect(steering(lateral: 0, heading: 0.1) < onLine - 0.05)
    }

    @Test("a network of the wrong shape, spec version or action prior is refused with the file and what was expected")
    func wrongNetworks() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        var unknownPrior = Self.network()
        unknownPrior.metadata[ActionPrior.metadataKey] = "rival.prior/9"
        #expect(throws: LoadError(file: "p.safetensors", location: "__metadata__.action_prior", value: "rival.prior/9",
                                  expected: "rival.prior/1 or rival.prior/2 or absent")) {
            try NetworkPolicy(parameters: unknownPrior, encoder: encoder, file: "p.safetensors")
        }
        var wrongInputs = MLPParameters(layerSizes: [10, 4, 2], activations: [.tanh, .identity])
        wrongInputs.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        #expect(throws: LoadError(file: "w.safetensors", location: "layers.0.weight", value: "10 inputs",
                                  expected: "73 inputs (observation spec rival.observation/5)")) {
            try NetworkPolicy(parameters: wrongInputs, encoder: encoder, file: "w.safetensors")
        }
        var wrongOutputs = MLPParameters(layerSizes: [73, 4, 3], activations: [.tanh, .identity])
        wrongOutputs.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version
        #expect(throws: LoadError(file: "w.safetensors", location: "layers.1.weight", value: "3 outputs",
                                  expected: "2 outputs (steering, pedal)")) {
            try NetworkPolicy(parameters: wrongOutputs, encoder: encoder, file: "w.safetensors")
        }
        var oldSpec = Self.network()
        oldSpec.metadata[MLPMetadataKey.specVersion] = "rival.observation/0"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-spec-\(getpid()).safetensors").path
        try oldSpec.safetensors.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: LoadError(file: path, location: "__metadata__.observation_spec_version", value: "rival.observation/0",
                                  expected: "observation spec version rival.observation/5")) {
            try NetworkPolicy(file: path, encoder: encoder)
        }
        // A version-1 file of the wrong width is not upgraded: refused.
        var narrow = MLPParameters(layerSizes: [70, 4, 2], activations: [.tanh, .identity])
        narrow.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version1
        try narrow.safetensors.write(to: path)
        #expect(throws: LoadError(file: path, location: "__metadata__.observation_spec_version", value: "rival.observation/1",
                                  expected: "observation spec version rival.observation/5")) {
            try NetworkPolicy(file: path, encoder: encoder)
        }
    }

    @Test("a version-1 network loads as a version-5 one that acts the same, bit for bit, whatever the near gaps")
    func version1Upgrade() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        var old = MLPParameters(layerSizes: [ObservationSpec.version1Count, 16, 2], activations: [.tanh, .identity], seed: 5)
        old.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version1
        old.metadata[ActionPrior.metadataKey] = ActionPrior.purePursuit.rawValue
        for i in old.inputStd.indices { old.inputStd[i] = 0.5 + Float(i % 7) * 0.1; old.inputMean[i] = Float(i % 5) * 0.05 }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spec1-\(getpid()).safetensors").path
        try old.safetensors.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let policy = try NetworkPolicy(file: path, encoder: encoder)
        let upgraded = try #require(old.upgradedFromObservationSpec1())
        #expect(policy.network.parameters == old.upgradedToCurrentSpec())
        #expect(policy.network.parameters.metadata[MLPMetadataKey.upgradedFrom] == ObservationSpec.version1)
        #expect(policy.network.parameters.weights == upgraded.weights)
        #expect(upgraded.inputCount == ObservationSpec.count && upgraded.metadata[MLPMetadataKey.specVersion] == ObservationSpec.version)
        #expect(Self.network().upgradedFromObservationSpec1() == nil)
        // The outputs: the version-1 network on the first 69 features, the upgraded one on all 73, with cars near.
        let s = 300 * encoder.track.spacing
        for gap in [-4.0, -0.5, 0.5, 3.0, 40.0] {
            var nearby = NearbyCars()
            nearby.insert(NearbyCar(index: 1, gap: gap, lateral: 2.5, speedDifference: -1))
            let f = Self.encode(encoder, Observation(view: DriverView(speed: 30, s: s, nearby: nearby)))
            #expect(old.referenceForward(Array(f[..<ObservationSpec.version1Count])) == upgraded.referenceForward(f))
            #expect(abs(old.referenceForward(Array(f[..<ObservationSpec.version1Count]))[1]) > 0)
        }
    }

    @Test("a version-2 or version-3 network loads as a version-5 one with the same weights, marked as upgraded; an unknown version does not")
    func version2Upgrade() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        var old = MLPParameters(layerSizes: [ObservationSpec.count, 16, 2], activations: [.tanh, .identity], seed: 7)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spec2-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for version in [ObservationSpec.version2, ObservationSpec.version3] {
            old.metadata[MLPMetadataKey.specVersion] = version
            try old.safetensors.write(to: path)
            let loaded = try NetworkPolicy(file: path, encoder: encoder).network.parameters
            #expect(loaded.weights == old.weights && loaded.biases == old.biases && loaded.inputMean == old.inputMean)
            #expect(loaded.metadata[MLPMetadataKey.specVersion] == ObservationSpec.version)
            #expect(loaded.metadata[MLPMetadataKey.upgradedFrom] == version)
        }
        old.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version2
        // A version-2 file of the wrong width is refused, as is a version this library does not know.
        var narrow = MLPParameters(layerSizes: [ObservationSpec.version1Count, 4, 2], activations: [.tanh, .identity])
        narrow.metadata[MLPMetadataKey.specVersion] = ObservationSpec.version2
        #expect(narrow.upgradedToCurrentSpec() == nil)
        var future = old
        future.metadata[MLPMetadataKey.specVersion] = "rival.observation/9"
        try future.safetensors.write(to: path)
        let error = try #require(throws: LoadError.self) { try NetworkPolicy(file: path, encoder: encoder) }
        #expect(error.description.contains("rival.observation/9") && error.description.contains("observation spec version rival.observation/5"))
    }

    @Test("stored samples of spec 2 and 3 lose the opponents beyond the horizons, the rest moved up and padded as the encoder does; spec-5 samples are kept")
    func horizonSamples() throws {
        let encoder = ObservationEncoder(track: try Shipped.track("Monza"), car: try Shipped.car("gt3"))
        let s = 300 * encoder.track.spacing
        func cars(_ gaps: [Double]) -> NearbyCars {
            var nearby = NearbyCars()
            for (index, gap) in gaps.enumerated() {
                nearby.insert(NearbyCar(index: index + 1, gap: gap, lateral: 1.5, speedDifference: -2))
            }
            return nearby
        }
        /// The features of `gaps` as an older spec gave them: these cars in these slots, the rest padded.
        func older(_ spec4: [Float], _ gaps: [Double]) -> [Float] {
            var x = spec4
            for k in 0..<ObservationSpec.opponentCount {
                let given = k < gaps.count
                x[Self.index("opponent\(k).gap")] = given ? Float(gaps[k] / 150) : 1
                x[Self.index("opponent\(k).lateral")] = given ? 0.3 : 0
                x[Self.index("opponent\(k).speedDifference")] = given ? -0.2 : 0
                x[Self.index("opponent\(k).nearGap")] = given ? Float(min(max(gaps[k], -10), 10) / 10) : 1
            }
            return x
        }
        // Spec 3 gave the four nearest within 60 m, ahead or behind; spec 5 skips the car 30 m behind for the one
        // 40 m ahead.
        let a = Self.encode(encoder, Observation(view: DriverView(speed: 40, s: s, nearby: cars([5, -9, -30, 40, -149]))))
        #expect(a == older(a, [5, -9, 40]))
        // Spec 2 gave them out to 150 m.
        let b = Self.encode(encoder, Observation(view: DriverView(speed: 40, s: s, nearby: cars([5, 61, -149]))))
        #expect(b == older(b, [5]))
        var data = older(a, [5, -9, -30, 40]) + older(b, [5, 61, -149]) + a + b
        #expect(PolicyTrainer.hideOpponentsBeyondHorizon(&data, count: 4) == 3)
        #expect(data == a + b + a + b)
    }

    @Test("a version-1 data set gains its near gaps from the gaps it holds")
    func version1Samples() {
        var old = [Float](repeating: 0.25, count: 2 * ObservationSpec.version1Count)
        old[Self.index("opponent0.gap")] = 3 / 150
        old[Self.index("opponent1.gap")] = -30 / 150
        old[ObservationSpec.version1Count + Self.index("opponent0.gap")] = -0.5 / 150
        let x = PolicyTrainer.upgradedFromObservationSpec1(old, count: 2)
        let width = ObservationSpec.count
        #expect(x.count == 2 * width)
        #expect(Array(x[0..<ObservationSpec.version1Count]) == Array(old[0..<ObservationSpec.version1Count]))
        #expect(Array(x[width..<(width + ObservationSpec.version1Count)]) == Array(old[ObservationSpec.version1Count...]))
        #expect(abs(x[Self.index("opponent0.nearGap")] - 0.3) < 1e-6 && x[Self.index("opponent1.nearGap")] == -1)
        #expect(x[Self.index("opponent2.nearGap")] == 1)    // 0.25 x 150 m = 37.5 m
        #expect(abs(x[width + Self.index("opponent0.nearGap")] + 0.05) < 1e-6)
    }
}
