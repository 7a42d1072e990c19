import Foundation

/// A race on one circuit: 1 to 40 cars on a staggered grid, a fixed physics step, drivers deciding at their own
/// rates, timing, car-to-car contact, barriers and off-track incidents, and the finish.
///
/// The same entries, track and config give the same race bit for bit: the engine itself draws no random
/// numbers and updates cars in a fixed order. ``step()`` does not allocate in steady state (incident and
/// telemetry logs are reserved up front).
public final class Race {
    /// The circuit.
    public let track: Track
    /// The settings.
    public let config: RaceConfig
    /// Display names, by car index.
    public let names: [String]
    /// Car specifications, by car index.
    public let cars: [CarSpec]
    /// Race time (s since the start signal).
    @exclusivity(unchecked) public private(set) var time = 0.0
    /// Physics steps taken.
    @exclusivity(unchecked) public private(set) var stepCount = 0
    /// Each car's physical state, by car index.
    @exclusivity(unchecked) public private(set) var states: [CarState]
    /// Each car's held controls, by car index.
    @exclusivity(unchecked) public private(set) var controls: [CarControls]
    /// Each car's position along the track (arc length and lateral offset), by car index.
    @exclusivity(unchecked) public private(set) var frenet: [FrenetPoint]
    /// Each car's progress from the start line (m, unwrapped; negative on the grid), by car index.
    @exclusivity(unchecked) public private(set) var progress: [Double]
    /// Each car's timing, by car index.
    @exclusivity(unchecked) public private(set) var timing: [CarTiming]
    /// Everything logged so far, in time order.
    @exclusivity(unchecked) public private(set) var incidents: [Incident] = []
    /// Telemetry samples recorded so far (empty unless `config.telemetryRate > 0`).
    @exclusivity(unchecked) public private(set) var telemetry: [TelemetrySample] = []
    /// Race time at which the leader took the chequered flag; NaN until then.
    @exclusivity(unchecked) public private(set) var chequeredAt = Double.nan

    private let drivers: [any Driver]
    /// Each car's private per-step data (its model included), in memory the race owns: stepping borrows a model
    /// instead of copying it, and writing a car's fields costs no copy-on-write uniqueness check.
    private let slots: UnsafeMutableBufferPointer<CarSlot>
    /// Last race time each ordered pair was in contact, n x n, to log one incident per contact episode.
    @exclusivity(unchecked) private var lastContact: [Double]
    /// Car indices sorted by arc length (ascending), kept sorted incrementally.
    @exclusivity(unchecked) private var sOrder: [Int]
    /// Each car's place in `sOrder`.
    @exclusivity(unchecked) private var orderPosition: [Int]
    @exclusivity(unchecked) private var nextTelemetry = 0.0
    private let halfWidths: [Double]
    private let circleOffsets: [Double]
    private let masses: [Double]

    /// Seconds of contact-free running after which touching again (another car, or the barrier) counts as a new
    /// incident.
    static let contactEpisodeGap = 1.0
    /// Restitution of car-to-car and car-to-barrier impacts (0 = plastic, 1 = elastic).
    static let restitution = 0.2
    /// Speed below which a car against the barrier counts as stuck (m/s), and how long it stays stuck before the
    /// marshals put it back on the track (s). The car model has no reverse gear, so a pinned car cannot back off the
    /// wall as a driver would within a few seconds; at 10 s half of the contacts left in 10-car races of the learned
    /// policy were cars going off into a run-off where a car sat pinned (docs/policy.md, "Rejoining").
    static let stuckSpeed = 1.0
    static let stuckRecoveryTime = 3.0
    /// The marshals put a pinned car back only where no car behind would reach the spot within this time (s) at its
    /// present speed (``placementIsClear(_:s:lateral:)``). With the traffic guard following cars that keep the plan's
    /// pace at the plan's speed (PolicyCore), 294 of 300 8-to-12-car races of the shipped network without contact
    /// against 284 (docs/policy.md, "Following at the plan's pace").
    static let placementWarning = 1.5
    /// Fraction of speed along the wall kept per second while scraping the barrier.
    static let barrierScrubPerSecond = 0.5
    /// Range (m) within which cars appear in a driver's view.
    public static let viewRange = 150.0

    /// Sets up the grid, each car with `config`'s starting fuel (``RaceConfig/startingFuelMass(car:track:cache:)``;
    /// the default needs the car's limit lap, taken from `cache`). Throws when there are no cars, more than 40, a
    /// setting is out of range, or an explicit starting fuel exceeds a car's tank.
    public init(track: Track, entries: [RaceEntry], config: RaceConfig,
                cache: RacingLineCache = .shared) throws(RaceSetupError) {
        guard (1...40).contains(entries.count) else {
            throw RaceSetupError("cars: \(entries.count): expected 1...40 cars")
        }
        if let problem = config.validate() { throw RaceSetupError(problem) }
        for (i, e) in entries.enumerated() {
            let interval = e.driver.decisionInterval
            guard interval.isFinite, interval > 0, interval <= 1 else {
                throw RaceSetupError("driver \(i) (\(e.name)): decisionInterval: \(interval): expected 0...1 s")
            }
        }
        if case .kilograms(let kg) = config.startingFuel {
            for (i, e) in entries.enumerated() where kg > e.car.powertrain.fuelCapacityKg {
                throw RaceSetupError("startingFuel: \(kg): expected 0...\(e.car.powertrain.fuelCapacityKg) kg, "
                    + "the tank of car \(i) (\(e.name), \(e.car.name))")
            }
        }
        let startingFuel = entries.map { config.startingFuelMass(car: $0.car, track: track, cache: cache) }
        self.track = track
        self.config = config
        names = entries.map(\.name)
        cars = entries.map(\.car)
        drivers = entries.map(\.driver)
        let dt = config.timeStep
        let n = entries.count
        lastContact = Array(repeating: -.infinity, count: n * n)
        halfWidths = entries.map { $0.car.chassis.overallWidthM / 2 }
        circleOffsets = entries.map { max(0, ($0.car.chassis.overallLengthM - $0.car.chassis.overallWidthM) / 2) }
        masses = entries.map { $0.car.chassis.massKg }
        controls = Array(repeating: CarControls(), count: n)
        timing = Array(repeating: CarTiming(expectedLaps: config.laps), count: n)

        // Staggered two-column grid behind the line: pole on the left, half a slot ahead of P2.
        var states: [CarState] = []
        var frenet: [FrenetPoint] = []
        var progress: [Double] = []
        for i in 0..<n {
            let fuel = startingFuel[i]
            if let start = entries[i].start {
                // Placed on the lap: the first crossing of the line ends lap 0's run-in, as from a grid slot.
                let s = track.wrap(start.s.isFinite ? start.s : 0)
                let sample = track.sample(at: s)
                let lateral = start.lateral.isFinite ? start.lateral : 0
                let p = track.point(s: s, lateral: lateral)
                states.append(CarState(x: p.x, y: p.y, yaw: sample.heading + (start.headingError.isFinite ? start.headingError : 0),
                                       vx: start.speed.isFinite ? max(start.speed, 0) : 0,
                                       yawRate: start.yawRate.isFinite ? start.yawRate : 0, fuelMass: fuel))
                frenet.append(FrenetPoint(s: s, lateral: lateral))
                progress.append(s - track.length)
                continue
            }
            let back = config.gridSpacing * (0.5 + Double(i))
            let s = track.wrap(-back)
            let sample = track.sample(at: s)
            let column = i % 2 == 0 ? 1.0 : -1.0
            let usable = min(sample.widthLeft, sample.widthRight) - halfWidths[i] - 0.5
            let lateral = column * max(0, min(usable, 2.5))
            let p = track.point(s: s, lateral: lateral)
            states.append(CarState(x: p.x, y: p.y, yaw: sample.heading, fuelMass: fuel))
            frenet.append(FrenetPoint(s: s, lateral: lateral))
            progress.append(-back)
        }
        self.states = states
        self.frenet = frenet
        self.progress = progress
        sOrder = Array(0..<n).sorted { frenet[$0].s < frenet[$1].s }
        orderPosition = Array(repeating: 0, count: n)
        for (p, car) in sOrder.enumerated() { orderPosition[car] = p }
        slots = .allocate(capacity: n)
        for (i, e) in entries.enumerated() {
            (slots.baseAddress! + i).initialize(to: CarSlot(
                model: VehicleModel(spec: e.car, tyreWearMultiplier: config.tyreWearMultiplier,
                                    fuelRateMultiplier: config.fuelRateMultiplier),
                sample: track.sample(at: frenet[i].s), previousProgress: progress[i],
                nextMark: timing[i].nextMark(trackLength: track.length),
                nextDecision: 0, decisionInterval: max(e.driver.decisionInterval, dt), halfWidth: halfWidths[i]))
        }
        incidents.reserveCapacity(4096)
        if config.telemetryRate > 0 {
            let expected = Int(config.telemetryRate * Double(config.laps) * 150 * Double(n))
            telemetry.reserveCapacity(min(expected, 10_000_000))
        }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The number of cars.
    public var carCount: Int { states.count }

    /// Whether every car has finished or retired, or the race ran out of time.
    public var isFinished: Bool {
        if time >= config.maxDuration { return true }
        for i in 0..<carCount where slots[i].running { return false }
        return true
    }

    /// The running order now: car indices, leader first (finished cars by laps and finishing time, then the rest
    /// by progress from the start line).
    public func runningOrder() -> [Int] { result().entries.map(\.car) }

    /// Whether car `i` is still running (not finished, not retired).
    public func isRunning(_ i: Int) -> Bool {
        precondition(i >= 0 && i < carCount, "car index \(i) out of range")
        return slots[i].running
    }

    /// Advances the race by one physics step.
    public func step() {
        let dt = config.timeStep
        let n = carCount
        for i in 0..<n where slots[i].running && time >= slots[i].nextDecision - 1e-9 {
            controls[i] = drivers[i].decide(view(for: i))
            slots[i].nextDecision += slots[i].decisionInterval
        }
        for i in 0..<n where slots[i].running { move(i, dt: dt) }
        if n > 1 {
            sortByArcLength()
            resolveContacts()
        }
        let t0 = time
        time += dt
        stepCount += 1
        for i in 0..<n where slots[i].running && progress[i] >= slots[i].nextMark { updateTiming(i, from: t0, dt: dt) }
        if !chequeredAt.isNaN { retireStragglers() }
        if config.telemetryRate > 0, time >= nextTelemetry - 1e-9 {
            recordTelemetry()
            nextTelemetry += 1 / config.telemetryRate
        }
    }

    /// Steps until every car has finished or retired, or `config.maxDuration` has passed; returns the result.
    @discardableResult
    public func run() -> RaceResult {
        while !isFinished { step() }
        return result()
    }

    /// Car `i`'s physics step: dynamics on the surface under it, projection onto the track, progress, track limits.
    @inline(__always)
    private func move(_ i: Int, dt: Double) {
        let car = slots.baseAddress! + i
        let surface = track.surface(lateral: frenet[i].lateral, sample: car.pointee.sample)
        var state = states[i]
        car.pointee.model.stepInPlace(&state, controls: controls[i], surface: surface, dt: dt)
        states[i] = state
        let previousS = frenet[i].s
        car.pointee.previousProgress = progress[i]
        let f = track.projectNear(x: state.x, y: state.y, near: previousS)
        frenet[i] = f
        progress[i] += track.shortestDelta(from: previousS, to: f.s)
        car.pointee.sample = track.sampleInLap(f.s)
        checkTrackLimits(i, lateral: f.lateral)
    }

    // MARK: - Perception

    /// What car `i`'s driver perceives now (exact: a persona layer adds human errors on top).
    public func view(for i: Int) -> DriverView {
        let st = states[i]
        let f = frenet[i]
        let heading = slots[i].sample.heading
        var v = DriverView(time: time, carIndex: i, speed: st.vx, lateralSpeed: st.vy, yawRate: st.yawRate,
                           steeringAngle: st.steeringAngle, longitudinalAcceleration: st.longitudinalAcceleration,
                           lateralAcceleration: st.lateralAcceleration, s: f.s, lateral: f.lateral,
                           headingError: Self.wrapAngle(st.yaw - heading), lapsCompleted: timing[i].lapsCompleted)
        let n = carCount
        guard n > 1 else { return v }
        let p = orderPosition[i]
        // Forward along the loop.
        var k = 1
        while k < n {
            let j = sOrder[(p + k) % n]
            let gap = track.wrap(frenet[j].s - f.s)
            if gap > Self.viewRange { break }
            if slots[j].running {
                v.nearby.insert(NearbyCar(index: j, gap: gap, lateral: frenet[j].lateral,
                                          speedDifference: states[j].vx - st.vx, lateralSpeed: lateralRate(j)))
            }
            k += 1
        }
        let forwardSeen = k
        k = 1
        while k < n - forwardSeen + 1 {
            let j = sOrder[(p - k + n) % n]
            let gap = -track.wrap(f.s - frenet[j].s)
            if -gap > Self.viewRange { break }
            if slots[j].running {
                v.nearby.insert(NearbyCar(index: j, gap: gap, lateral: frenet[j].lateral,
                                          speedDifference: states[j].vx - st.vx, lateralSpeed: lateralRate(j)))
            }
            k += 1
        }
        return v
    }

    /// Car `j`'s velocity across the track (m/s, positive = towards the left edge): its body-frame velocity turned
    /// by its heading relative to the centreline where it is.
    @inline(__always)
    private func lateralRate(_ j: Int) -> Double {
        let st = states[j]
        let (sine, cosine) = Trig.sinCos(st.yaw - slots[j].sample.heading)
        return st.vx * sine + st.vy * cosine
    }

    // MARK: - Track limits

    /// The barrier and off-track checks in one pass over the car's sample: a car clear of both walls (nearly
    /// always) only compares, and the off-track flag is written only when it changes.
    @inline(__always)
    private func checkTrackLimits(_ i: Int, lateral: Double) {
        let car = slots.baseAddress! + i
        let hw = car.pointee.halfWidth
        let widthLeft = car.pointee.sample.widthLeft, widthRight = car.pointee.sample.widthRight
        var lateral = lateral
        if lateral + hw > widthLeft + track.runoffWidth || lateral - hw < -(widthRight + track.runoffWidth) {
            resolveBarrier(i)
            lateral = frenet[i].lateral
        }
        let off = lateral - hw > widthLeft || lateral + hw < -widthRight
        guard off != car.pointee.offTrack else { return }
        if off {
            log(Incident(kind: .offTrack, time: time, car: i, otherCar: -1, s: frenet[i].s,
                         lap: timing[i].lapsCompleted + 1, speed: states[i].vx))
        }
        car.pointee.offTrack = off
    }

    /// Puts a car that reaches the barrier (a side of it beyond the wall) back against it and bounces it off.
    @inline(never)
    private func resolveBarrier(_ i: Int) {
        let f = frenet[i]
        let sample = slots[i].sample
        let hw = slots[i].halfWidth
        let leftWall = sample.widthLeft + track.runoffWidth
        let rightWall = -(sample.widthRight + track.runoffWidth)
        var side = 0.0
        if f.lateral + hw > leftWall { side = 1 } else if f.lateral - hw < rightWall { side = -1 }
        guard side != 0 else { return }
        let lateral = side > 0 ? leftWall - hw : rightWall + hw
        let p = track.point(s: f.s, lateral: lateral)
        var st = states[i]
        st.x = p.x
        st.y = p.y
        // World velocity split into along-track (t) and towards-the-wall (n) parts.
        let (c, s) = (cos(st.yaw), sin(st.yaw))
        let vwx = st.vx * c - st.vy * s
        let vwy = st.vx * s + st.vy * c
        let th = sample.heading
        let tx = cos(th), ty = sin(th)
        let nx = -ty * side, ny = tx * side // unit normal pointing into the wall
        var vt = vwx * tx + vwy * ty
        var vn = vwx * nx + vwy * ny
        let impact = max(vn, 0)
        if vn > 0 { vn = -Self.restitution * vn }
        vt *= pow(Self.barrierScrubPerSecond, config.timeStep) * (1 - min(0.5, 0.02 * impact))
        let nvx = vt * tx + vn * nx, nvy = vt * ty + vn * ny
        st.vx = nvx * c + nvy * s
        st.vy = -nvx * s + nvy * c
        st.yawRate *= 0.9
        var placed = lateral
        // A car pinned against the barrier at walking pace (nose into it: without a reverse gear it cannot get
        // away) is put back by the marshals after a while, as games do: at the edge of the track on its side,
        // pointing down the track, rolling slowly, once no other car is on that spot (placementIsClear). The race
        // goes on with the time it lost.
        if (st.vx * st.vx + st.vy * st.vy).squareRoot() < Self.stuckSpeed {
            if slots[i].stuckSince.isNaN { slots[i].stuckSince = time }
            let edge = side > 0 ? sample.widthLeft - hw : -(sample.widthRight - hw)
            if time - slots[i].stuckSince >= Self.stuckRecoveryTime && placementIsClear(i, s: f.s, lateral: edge) {
                placed = edge
                let q = track.point(s: f.s, lateral: placed)
                st.x = q.x
                st.y = q.y
                st.yaw = sample.heading
                st.vx = Self.stuckSpeed
                st.vy = 0
                st.yawRate = 0
                slots[i].stuckSince = .nan
            }
        } else {
            slots[i].stuckSince = .nan
        }
        states[i] = st
        frenet[i] = FrenetPoint(s: f.s, lateral: placed)
        if time - slots[i].lastBarrier > Self.contactEpisodeGap {
            log(Incident(kind: .barrier, time: time, car: i, otherCar: -1, s: f.s,
                         lap: timing[i].lapsCompleted + 1, speed: impact))
        }
        slots[i].lastBarrier = time
    }

    /// Whether the marshals may put car `i` back at arc length `s`, lateral offset `lateral`: no other running car
    /// overlaps that spot (within both cars' half-lengths plus 2 m along the track and their half-widths plus 1 m
    /// across), and none behind it would reach it (the same reach along the track, anywhere across it) within
    /// ``placementWarning`` at its present speed. Put back regardless, two cars pinned side by side were put on the
    /// same spot of the edge at once, a contact; put back on a free spot, a car was put down a car length in front of
    /// one arriving at 17-19 m/s (Monza GT3 at 942 m, Shanghai GT3 at 4,807 m). Waiting for no car within a fixed 60 or
    /// 150 m behind left pinned cars longer in the run-off, where more cars hit them (docs/policy.md, "Staying in the
    /// run-off"); a second and a half at the arriving car's speed is 25-30 m at a slow corner's speed.
    func placementIsClear(_ i: Int, s: Double, lateral: Double) -> Bool {
        let reachI = circleOffsets[i] + halfWidths[i]
        for j in 0..<carCount where j != i && slots[j].running {
            let gap = track.shortestDelta(from: s, to: frenet[j].s)
            let reach = reachI + circleOffsets[j] + halfWidths[j] + 2
            if abs(gap) < reach && abs(frenet[j].lateral - lateral) < halfWidths[i] + halfWidths[j] + 1 { return false }
            if gap < 0 && -gap < reach + max(states[j].vx, 0) * Self.placementWarning { return false }
        }
        return true
    }

    // MARK: - Contacts

    /// Insertion sort of `sOrder` by arc length: nearly sorted from step to step, so O(n) in practice.
    private func sortByArcLength() {
        let n = sOrder.count
        guard n > 1 else { return }
        for a in 1..<n {
            let idx = sOrder[a]
            let key = frenet[idx].s
            var b = a - 1
            while b >= 0, frenet[sOrder[b]].s > key {
                sOrder[b + 1] = sOrder[b]
                b -= 1
            }
            sOrder[b + 1] = idx
        }
        for p in 0..<n { orderPosition[sOrder[p]] = p }
    }

    private func resolveContacts() {
        let n = carCount
        guard n > 1 else { return }
        for p in 0..<n {
            let a = sOrder[p]
            guard slots[a].running else { continue }
            var k = 1
            while k < n {
                let b = sOrder[(p + k) % n]
                let ds = track.wrap(frenet[b].s - frenet[a].s)
                if ds > 12 { break }
                if slots[b].running { collide(a, b) }
                k += 1
            }
        }
    }

    /// Each car is two discs of its half-width on its centreline; overlapping discs are pushed apart and the
    /// closing speed along the contact normal is reversed with restitution (momentum conserved).
    private func collide(_ a: Int, _ b: Int) {
        var sa = states[a], sb = states[b]
        let ca = cos(sa.yaw), sna = sin(sa.yaw)
        let cb = cos(sb.yaw), snb = sin(sb.yaw)
        let ra = halfWidths[a], rb = halfWidths[b]
        var best = 0.0, bnx = 0.0, bny = 0.0
        for ia in 0..<2 {
            let da = ia == 0 ? circleOffsets[a] : -circleOffsets[a]
            for ib in 0..<2 {
                let db = ib == 0 ? circleOffsets[b] : -circleOffsets[b]
                let dx = (sa.x + da * ca) - (sb.x + db * cb)
                let dy = (sa.y + da * sna) - (sb.y + db * snb)
                let d2 = dx * dx + dy * dy
                let reach = ra + rb
                guard d2 < reach * reach else { continue }
                let d = d2.squareRoot()
                let depth = reach - d
                if depth > best {
                    best = depth
                    if d > 1e-9 { bnx = dx / d; bny = dy / d } else { bnx = -ca; bny = -sna }
                }
            }
        }
        guard best > 0 else { return }
        let ma = masses[a], mb = masses[b]
        let wa = mb / (ma + mb), wb = ma / (ma + mb)
        sa.x += bnx * best * wa; sa.y += bny * best * wa
        sb.x -= bnx * best * wb; sb.y -= bny * best * wb
        let vax = sa.vx * ca - sa.vy * sna, vay = sa.vx * sna + sa.vy * ca
        let vbx = sb.vx * cb - sb.vy * snb, vby = sb.vx * snb + sb.vy * cb
        let closing = (vbx - vax) * bnx + (vby - vay) * bny // > 0: b moves towards a along n
        var nvax = vax, nvay = vay, nvbx = vbx, nvby = vby
        if closing > 0 {
            let j = (1 + Self.restitution) * closing / (1 / ma + 1 / mb)
            nvax += j / ma * bnx; nvay += j / ma * bny
            nvbx -= j / mb * bnx; nvby -= j / mb * bny
        }
        sa.vx = nvax * ca + nvay * sna; sa.vy = -nvax * sna + nvay * ca
        sb.vx = nvbx * cb + nvby * snb; sb.vy = -nvbx * snb + nvby * cb
        states[a] = sa
        states[b] = sb
        for k in 0..<2 {
            let car = k == 0 ? a : b
            let st = k == 0 ? sa : sb
            let old = frenet[car].s
            frenet[car] = track.project(x: st.x, y: st.y, near: old)
            progress[car] += track.signedDistance(from: old, to: frenet[car].s)
            slots[car].sample = track.sample(at: frenet[car].s)
        }
        let key = min(a, b) * carCount + max(a, b)
        if time - lastContact[key] > Self.contactEpisodeGap {
            let behind = track.signedDistance(from: frenet[a].s, to: frenet[b].s) >= 0 ? a : b
            log(Incident(kind: .contact, time: time, car: behind, otherCar: behind == a ? b : a,
                         s: frenet[behind].s, lap: timing[behind].lapsCompleted + 1, speed: max(closing, 0)))
        }
        lastContact[key] = time
    }

    // MARK: - Timing

    private func updateTiming(_ i: Int, from t0: Double, dt: Double) {
        let length = track.length
        guard progress[i] >= timing[i].nextMark(trackLength: length) else { return }
        var t = timing[i]
        let p0 = slots[i].previousProgress, p1 = progress[i]
        while p1 >= t.nextMark(trackLength: length) {
            let mark = t.nextMark(trackLength: length)
            let fraction = p1 > p0 ? min(max((mark - p0) / (p1 - p0), 0), 1) : 1
            let crossing = t0 + dt * fraction
            t.sectorTimes.append(crossing - t.sectorStart)
            t.sectorStart = crossing
            if t.nextSector == 2 {
                let lap = crossing - t.lapStart
                t.lapTimes.append(lap)
                t.bestLap = min(t.bestLap, lap)
                t.lapsCompleted += 1
                t.lapStart = crossing
                t.nextSector = 0
                if t.lapsCompleted >= config.laps || !chequeredAt.isNaN {
                    t.finished = true
                    t.finishTime = crossing
                    if chequeredAt.isNaN { chequeredAt = crossing }
                    break
                }
            } else {
                t.nextSector += 1
            }
        }
        timing[i] = t
        slots[i].nextMark = t.nextMark(trackLength: length)
        if t.finished { slots[i].running = false }
    }

    /// After the chequered flag, a car that has not crossed the line within two of the winner's average laps
    /// (at least 60 s) is stopped and classified by distance.
    private func retireStragglers() {
        guard !chequeredAt.isNaN else { return }
        let winnerAverage = chequeredAt / Double(max(config.laps, 1))
        let window = max(60, 2 * winnerAverage)
        guard time > chequeredAt + window else { return }
        for i in 0..<carCount where slots[i].running { slots[i].running = false }
    }

    // MARK: - Logs

    private func log(_ incident: Incident) {
        incidents.append(incident)
    }

    private func recordTelemetry() {
        for i in 0..<carCount where slots[i].running {
            let st = states[i]
            telemetry.append(TelemetrySample(
                time: time, car: i, lap: timing[i].lapsCompleted + 1, lapTime: time - timing[i].lapStart, s: frenet[i].s,
                x: st.x, y: st.y,
                speed: (st.vx * st.vx + st.vy * st.vy).squareRoot(), steering: controls[i].steering,
                throttle: controls[i].throttle, brake: controls[i].brake, lateral: frenet[i].lateral,
                surface: track.surface(s: frenet[i].s, lateral: frenet[i].lateral)))
        }
    }

    // MARK: - Results

    /// The classification so far (final once ``isFinished``).
    public func result() -> RaceResult {
        RaceResult(race: self)
    }

    // MARK: - Maths

    @inline(__always) static func wrapAngle(_ a: Double) -> Double {
        var x = a.truncatingRemainder(dividingBy: 2 * .pi)
        if x > .pi { x -= 2 * .pi } else if x <= -.pi { x += 2 * .pi }
        return x
    }
}

/// What the race keeps for each car besides its public per-car arrays, written only by the race.
private struct CarSlot {
    /// The car's dynamics.
    var model: VehicleModel
    /// The centreline sample at the car's arc length, refreshed whenever its `frenet` entry changes.
    var sample: TrackSample
    /// The car's progress before this step's move (m), for interpolating line crossings.
    var previousProgress: Double
    /// Progress at which the car next crosses a sector or finish line (m): its timing's `nextMark`.
    var nextMark: Double
    /// Race time of the driver's next decision (s).
    var nextDecision: Double
    /// Seconds between the driver's decisions (at least one physics step).
    let decisionInterval: Double
    /// Half the car's overall width (m).
    let halfWidth: Double
    /// Whether the car is wholly beyond a track limit.
    var offTrack = false
    /// Race time the car last touched the barrier (one incident per episode, as for contacts).
    var lastBarrier = -Double.infinity
    /// Race time since which the car has been against the barrier at walking pace (NaN when it is not).
    var stuckSince = Double.nan
    /// Not finished and not retired.
    var running = true
}
