import CKernels
import Foundation
import Sim

/// Turns an ``Observation`` into the feature vector of ``ObservationSpec`` (version 3) for one car on one
/// circuit. The reference it conditions the policy on is an ``ExpertPlan``: the racing line (from the shared
/// `RacingLineCache`) and the speed plan on it (quasi-steady per-axle limits at the plan's grip share, for the
/// fuel on board), tabulated per centreline sample once, so encoding reads tables and does two trigonometric
/// calls.
///
/// Immutable and `Sendable`: one encoder serves every car of the same model on the same circuit, from any
/// thread. `encode` does not allocate, lock or throw.
public final class ObservationEncoder: @unchecked Sendable {
    // @unchecked: the table below is written once, in init, and only read afterwards.
    /// The circuit.
    public let track: Track
    /// The plan the features are taken from.
    public let plan: ExpertPlan
    /// The car's name.
    public let carName: String
    /// Half the car's overall width (m).
    public let halfWidth: Double
    /// The racing line's margin from each track limit (m): the offset command stays within the limits less this.
    public let lineMargin: Double
    /// The car's maximum road-wheel angle (rad) and wheelbase (m).
    public let maxSteer: Double
    public let wheelbase: Double
    /// The car descriptor features (power to mass, grip, downforce, mass), before scaling.
    let descriptor: (Double, Double, Double, Double)
    /// Each feature's scale (``ObservationSpec/features``), then 1s up to ``stagedCount``; after them, in the same
    /// allocation, their reciprocals (rounded to nearest), for CKernels' AVX2 scaling, and then ``spotOffsets`` for its
    /// locating (read from this heap copy: a `SIMD16` passed by address is copied to the stack at each call, and the
    /// kernel's wide loads of it then wait on the copy's narrower stores).
    let scales: UnsafeMutablePointer<Double>
    /// Whether CKernels' AVX2 code locates the spots, works out the course and racing-line features and scales the
    /// features (four at a time; the divisions as the reciprocal's product corrected twice with fused multiply-adds;
    /// the same bits as the Swift code).
    let usesAVX2: Bool
    /// The circuit's lap length (m), sample spacing (m) and sample count, copied for the hot path, and the spacing's
    /// reciprocal (rounded to nearest) for CKernels' AVX2 locating.
    let length: Double, spacing: Double, count: Int
    let spacingReciprocal: Double
    /// The plan's lap time (s), copied for the hot path.
    let plannedLapTime: Double
    /// Per centreline sample, one row of ``Column/count`` values (see ``Column``) followed by their differences
    /// to the next sample's (sample 0 after the last), so that interpolating reads one row: `a + t * (b - a)` with
    /// `b - a` as tabulated, the same Double.
    let table: UnsafeMutablePointer<Double>
    /// ``ObservationSpec/lineDistances``, copied for the hot path.
    let lineDistances: InlineArray<11, Double>
    /// What ``locateAll(_:)`` adds to the car's arc length: 0 (unused: lane 0 is the car's spot), the line
    /// distances, then ``ObservationSpec/courseDistances`` 1, 2, 4 and 5 (course distances 0, 3 and 6 are line
    /// distances 2, 6 and 10: `encode` reuses those spots, and init checks it).
    let spotOffsets: SIMD16<Double>
    /// The largest of ``spotOffsets``.
    let farthestSpot: Double
    /// The lanes of ``locateAll(_:)`` that hold each course distance's spot, and the same on the heap as C ints for
    /// CKernels.
    let courseLanes: InlineArray<7, Int>
    let courseLaneTable: UnsafeMutablePointer<Int32>
    /// Doubles `encode` stages: the features and one pad, so that the scaling reads whole pairs.
    static let stagedCount = 74
    /// The course's curvatures and widths and the racing line's points: the features `rival_encode_course_avx2`
    /// writes (init checks the count against the spec).
    static let courseAndLineCount = 25

    /// The columns of ``table``: centreline position and unit normal (pointing left), curvature, widths, line
    /// offset and the road-wheel angle fraction its curvature needs, planned speed and acceleration, the line's
    /// curvature and its angle to the centreline (rad), and the plan's time from the lap's start (s; the last row's
    /// difference runs to the lap's end, not back to 0).
    enum Column {
        static let cx = 0, cy = 1, nx = 2, ny = 3, curvature = 4, widthLeft = 5, widthRight = 6
        static let lineOffset = 7, lineSteer = 8, planSpeed = 9, planAcceleration = 10
        static let lineCurvature = 11, lineAngle = 12, planTime = 13
        static let count = 14
        /// Doubles a row takes: the values, then the differences to the next row.
        static let stride = 28
    }

    /// Tabulates the plan's circuit for its car.
    public convenience init(plan: ExpertPlan) {
        self.init(plan: plan, usesAVX2: MLPKernel.best == .avx2)
    }

    /// Tabulates the plan's circuit for its car, using CKernels' AVX2 code only when `usesAVX2` (tests compare the two
    /// paths; `usesAVX2` must be false where ``MLPKernel/avx2`` is not available).
    init(plan: ExpertPlan, usesAVX2: Bool) {
        let track = plan.track, car = plan.model.spec
        self.track = track
        self.plan = plan
        carName = car.name
        halfWidth = car.chassis.overallWidthM / 2
        maxSteer = car.steering.maxAngleRad
        wheelbase = car.chassis.wheelbaseM
        let line = plan.line
        lineMargin = line.parameters.margin
        let n = track.count
        length = track.length
        spacing = track.spacing
        spacingReciprocal = 1 / track.spacing
        count = n
        let (l, m) = (car.chassis.wheelbaseM, car.steering.maxAngleRad)
        let columns: [[Double]] = [
            track.x, track.y, track.heading.map { -sin($0) }, track.heading.map { cos($0) }, track.curvature,
            track.widthLeft, track.widthRight, Array(line.offset.prefix(n)),
            line.curvature.prefix(n).map { atan(l * $0) / m }, Array(plan.speed.prefix(n)),
            Array(plan.acceleration.prefix(n)), Array(line.curvature.prefix(n)), Array(plan.lineAngle.prefix(n)),
            plan.elapsed,
        ]
        plannedLapTime = plan.plannedLapTime
        table = .allocate(capacity: n * Column.stride)
        for i in 0..<n {
            let j = i + 1 == n ? 0 : i + 1
            for c in 0..<Column.count {
                (table + i * Column.stride + c).initialize(to: columns[c][i])
                let next = c == Column.planTime ? columns[c][i + 1] : columns[c][j]
                (table + i * Column.stride + Column.count + c).initialize(to: next - columns[c][i])
            }
        }
        var course = InlineArray<7, Double>(repeating: 0), line11 = InlineArray<11, Double>(repeating: 0)
        for n in 0..<7 { course[n] = ObservationSpec.courseDistances[n] }
        for n in 0..<11 { line11[n] = ObservationSpec.lineDistances[n] }
        precondition(course[0] == line11[2] && course[3] == line11[6] && course[6] == line11[10],
                     "the encoder shares the spots of course distances 10, 80 and 250 m with the line's")
        lineDistances = line11
        let lanes: InlineArray<7, Int> = [3, 12, 13, 7, 14, 15, 11]
        var offsets = SIMD16<Double>(repeating: 0)
        for n in 0..<11 { offsets[n + 1] = line11[n] }
        for n in 0..<7 where lanes[n] >= 12 { offsets[lanes[n]] = course[n] }
        spotOffsets = offsets
        farthestSpot = offsets.max()
        courseLanes = lanes
        precondition(Self.courseAndLineCount == 2 * course.count + line11.count,
                     "rival_encode_course_avx2 writes the course's two features and the line's one at each distance")
        courseLaneTable = .allocate(capacity: 7)
        for n in 0..<7 { (courseLaneTable + n).initialize(to: Int32(lanes[n])) }
        let mass = car.chassis.massKg
        descriptor = (car.powertrain.powerW / mass, car.tyre.lateral.D, 0.5 * 1.225 * car.aero.downforceAreaM2 / mass,
                      mass)
        scales = .allocate(capacity: 2 * Self.stagedCount + 16)
        scales.initialize(repeating: 1, count: 2 * Self.stagedCount + 16)
        for n in 0..<16 { scales[2 * Self.stagedCount + n] = offsets[n] }
        for (n, feature) in ObservationSpec.features.enumerated() {
            scales[n] = feature.scale
            scales[Self.stagedCount + n] = 1 / feature.scale
        }
        self.usesAVX2 = usesAVX2 && MLPKernel.avx2.isAvailable
        // rival_locate_spots_avx2 writes each spot as the row's address and then t, 16 bytes a spot.
        precondition(MemoryLayout<Spot>.stride == 16 && MemoryLayout<Spot>.offset(of: \.t) == 8,
                     "the encoder's spots are laid out as the AVX2 locating writes them")
    }

    deinit {
        table.deinitialize(count: count * Column.stride)
        table.deallocate()
        scales.deallocate()
        courseLaneTable.deallocate()
    }

    /// An encoder on a plan for `car` on `track` with `fuelMass` kg on board (nil: the fuel a default race
    /// starts with, `RaceConfig().startingFuelMass`). Builds the plan (about 0.2 s in a release build; the racing
    /// line comes from `cache`).
    public convenience init(track: Track, car: CarSpec, fuelMass: Double? = nil, cache: RacingLineCache = .shared) {
        let fuel = fuelMass ?? RaceConfig().startingFuelMass(car: car, track: track, cache: cache)
        self.init(plan: ExpertPlan(track: track, car: car, fuelMass: fuel, cache: cache))
    }

    /// The action prior `kind` for `observation`. A residual network adds its output to it (residual policy
    /// learning: Silver et al. 2018, Johannink et al. 2019): the prior gives the steering its basic feedback to the
    /// line, the network the rest of the expert's skill. Neither prior has a pedal. (A pedal prior proportional to
    /// the speed plan's lead was tried and dropped: it braked late and abruptly, and the network spent its capacity
    /// cancelling it.)
    /// - ``ActionPrior/purePursuit``: steering towards the target line (the racing line plus the offset command)
    ///   at a look-ahead of half a second (8...40 m).
    /// - ``ActionPrior/pathCurvature``: the road-wheel angle of a kinematic bicycle on the path the expert's path
    ///   law asks for (``pathCurvaturePrior(_:here:)``).
    public func prior(_ observation: Observation, kind: ActionPrior = .purePursuit) -> Action {
        let v = observation.view
        let s = v.s.isFinite ? v.s : 0
        let heading = v.headingError.isFinite ? v.headingError : 0
        let (se, ce) = sineCosine(heading)
        return withUnsafePointer(to: observation) {
            prior($0, kind: kind, here: locate(s), cosHeading: ce, sinHeading: se)
        }
    }

    /// The prior `kind`, given the spot of the car's arc length and the cosine and sine of its heading error
    /// (finite, or 0 when not), as ``encode(_:into:)`` has them.
    @inline(__always)
    func prior(_ observation: UnsafePointer<Observation>, kind: ActionPrior, here: Spot, cosHeading ce: Double,
               sinHeading se: Double) -> Action {
        switch kind {
        case .purePursuit: purePursuitPrior(observation, here: here, cosHeading: ce, sinHeading: se)
        case .pathCurvature: pathCurvaturePrior(observation, here: here)
        }
    }

    /// The path-curvature prior (version 2): the curvature the expert's path law asks for (the target line's
    /// curvature a little ahead, minus twice the lateral error predicted one preview distance along the car's
    /// course over the preview distance squared; ``ExpertDriver``, with its default settings), turned into the
    /// road-wheel angle of a kinematic bicycle, `atan(wheelbase * curvature)`. It follows the car's course (the body
    /// slip included) rather than its heading, so a sliding car is not steered into the slide; what the tyres' slip
    /// adds (understeer, counter-steer) is left to the network.
    @inline(__always)
    func pathCurvaturePrior(_ observation: UnsafePointer<Observation>, here: Spot) -> Action {
        let v = observation.pointer(to: \.view)!
        let s = v.pointee.s.isFinite ? v.pointee.s : 0
        let lateral = v.pointee.lateral.isFinite ? v.pointee.lateral : 0
        let speed = v.pointee.speed.isFinite ? max(v.pointee.speed, 0) : 0
        let heading = v.pointee.headingError.isFinite ? v.pointee.headingError : 0
        let vy = v.pointee.lateralSpeed.isFinite ? v.pointee.lateralSpeed : 0
        let course = heading + atan2(vy, max(speed, 1)) - at(Column.lineAngle, here)
        let preview = max(Self.minimumPreview, speed * Self.previewTime)
        let target = targetLateral(here, offsetCommand: observation.pointee.offsetCommand)
        let predicted = lateral + preview * sin(course) - target
        let kappa = at(Column.lineCurvature, locate(s + speed * Self.curvatureLead))
            - 2 * predicted / (preview * preview)
        let steering = atan(wheelbase * kappa) / maxSteer
        return Action(steering: Float(steering.isFinite ? min(max(steering, -1), 1) : 0), pedal: 0)
    }

    /// The expert's default preview time (s) and shortest preview (m), and how far ahead it reads the line's
    /// curvature (s), as the path-curvature prior uses them (``ExpertSettings``).
    static let previewTime = ExpertSettings().previewTime
    static let minimumPreview = ExpertSettings().minimumPreview
    static let curvatureLead = ExpertSettings().curvatureLead

    /// The pure-pursuit prior (version 1).
    @inline(__always)
    func purePursuitPrior(_ observation: UnsafePointer<Observation>, here: Spot, cosHeading ce: Double,
                          sinHeading se: Double) -> Action {
        let v = observation.pointer(to: \.view)!
        let s = v.pointee.s.isFinite ? v.pointee.s : 0
        let lateral = v.pointee.lateral.isFinite ? v.pointee.lateral : 0
        let speed = v.pointee.speed.isFinite ? max(v.pointee.speed, 0) : 0
        let lookAhead = min(max(0.5 * speed, 8), 40)
        // The target point in the car's frame (the track's tangent turned by the heading error).
        let tnx = at(Column.nx, here), tny = at(Column.ny, here)
        let fx = tny * ce + tnx * se, fy = tny * se - tnx * ce
        let ahead = locate(s + lookAhead)
        let target = targetLateral(ahead, offsetCommand: observation.pointee.offsetCommand)
        let qx = at(Column.cx, ahead) + target * at(Column.nx, ahead) - (at(Column.cx, here) + lateral * tnx)
        let qy = at(Column.cy, ahead) + target * at(Column.ny, ahead) - (at(Column.cy, here) + lateral * tny)
        let y = fx * qy - fy * qx
        let d2 = max(qx * qx + qy * qy, 1)
        let steering = atan(2 * wheelbase * y / d2) / maxSteer
        return Action(steering: Float(min(max(steering, -1), 1)), pedal: 0)
    }

    /// Where arc length `s` (wrapped) falls between the table's samples: the row of the sample before it and the
    /// fraction `t` of the way to the next one.
    struct Spot {
        var row: UnsafePointer<Double>
        var t: Double
    }

    /// The spot of arc length `s` (wrapped; NaN counts as 0).
    @inline(__always)
    func locate(_ s: Double) -> Spot {
        // Track.wrap's fast path inline: an arc length within the lap is returned as it is.
        var u = (s >= 0 && s < length ? s : track.wrap(s)) / spacing
        if !(u >= 0) { u = 0 }
        let i = min(Int(u), count - 1)
        return Spot(row: UnsafePointer(table + i * Column.stride), t: u - Double(i))
    }

    /// Linear interpolation of table column `c` at a spot.
    @inline(__always)
    func at(_ c: Int, _ p: Spot) -> Double {
        p.row[c] + p.t * p.row[Column.count + c]
    }

    /// The plan's time (s) from spot `a` to spot `b`, `b` taken to be ahead of `a` by less than a lap.
    @inline(__always)
    func plannedTime(from a: Spot, to b: Spot) -> Double {
        let t = at(Column.planTime, b) - at(Column.planTime, a)
        return t >= 0 ? t : t + plannedLapTime
    }

    /// ``at(_:_:)`` of columns `c...c + 3` (`c <= 10`) in one vector: each lane the same sum, rounded the same.
    @inline(__always)
    func at4(_ c: Int, _ p: Spot) -> SIMD4<Double> {
        let row = UnsafeRawPointer(p.row)
        let value = row.loadUnaligned(fromByteOffset: c * 8, as: SIMD4<Double>.self)
        let difference = row.loadUnaligned(fromByteOffset: (Column.count + c) * 8, as: SIMD4<Double>.self)
        return value + SIMD4(repeating: p.t) * difference
    }

    /// Writes to `spots` (16, initialized or not) the spot of the car's arc length `s` (lane 0) and of
    /// `s + spotOffsets[n]` (lanes 1...15), each as ``locate(_:)`` finds it: with AVX2 and FMA (`avx2`, where
    /// ``usesAVX2``) four lanes at a time and the divisions by the spacing done as corrected multiplications
    /// (`rival_locate_spots_avx2`, the same bits), else with the divisions two at a time.
    @inline(__always)
    func locateAll(_ s: Double, into spots: UnsafeMutablePointer<Spot>, avx2: Bool) {
        // Every lane is within the lap when the car's and the farthest are (the offsets are at least 0, and
        // rounding is monotonic). Otherwise each lane as locate(_:) wraps it.
        let withinLap = s >= 0 && s + farthestSpot < length
        if avx2 && withinLap {
            rival_locate_spots_avx2(s, scales + 2 * Self.stagedCount, spacing, spacingReciprocal, count - 1, table,
                                    Column.stride, spots)
            return
        }
        var a = SIMD16<Double>(repeating: s) + spotOffsets
        a[0] = s
        if !withinLap {
            for n in 0..<16 where !(a[n] >= 0 && a[n] < length) { a[n] = track.wrap(a[n]) }
        }
        let u = a / SIMD16(repeating: spacing)
        withUnsafeBytes(of: u) { lanes in       // the lanes read from memory, not extracted one by one
            for n in 0..<16 {
                var v = lanes.load(fromByteOffset: n * 8, as: Double.self)
                if !(v >= 0) { v = 0 }
                let i = min(Int(v), count - 1)
                (spots + n).initialize(to: Spot(row: UnsafePointer(table + i * Column.stride), t: v - Double(i)))
            }
        }
    }

    /// The lateral offset (m) the driver aims at around arc length `s`: the racing line plus `offsetCommand`,
    /// kept within the track limits less the line's margin.
    @inline(__always)
    public func targetLateral(s: Double, offsetCommand: Double) -> Double {
        targetLateral(locate(s), offsetCommand: offsetCommand)
    }

    @inline(__always)
    func targetLateral(_ p: Spot, offsetCommand: Double) -> Double {
        targetLateral(widthLeft: at(Column.widthLeft, p), widthRight: at(Column.widthRight, p),
                      lineOffset: at(Column.lineOffset, p), offsetCommand: offsetCommand)
    }

    @inline(__always)
    func targetLateral(widthLeft: Double, widthRight: Double, lineOffset: Double, offsetCommand: Double) -> Double {
        let command = offsetCommand.isFinite ? offsetCommand : 0
        let lateral = lineOffset + command
        return min(max(lateral, -widthRight + lineMargin), widthLeft - lineMargin)
    }

    /// Writes the ``ObservationSpec/count`` features of `observation` to `out`. Non-finite inputs give finite
    /// features (NaN counts as 0), so a bad view never poisons a network.
    public func encode(_ observation: Observation, into out: UnsafeMutablePointer<Float>) {
        _ = withUnsafePointer(to: observation) { encode($0, into: out, prior: nil) }
    }

    /// `out[n] = Float(raw[n] / scales[n])` for every feature (`raw` holds ``stagedCount`` values), or 0 where
    /// that is not finite: four at a time with AVX2 and FMA (`avx2`, only where ``MLPKernel/avx2`` runs: a
    /// multiplication by the reciprocal and two corrections, no division), else two divisions at a time (the same
    /// quotients, rounded the same way).
    @inline(__always)
    func scaleFeatures(_ raw: UnsafePointer<Double>, into out: UnsafeMutablePointer<Float>, avx2: Bool) {
        if avx2 {
            rival_scale_features_avx2(raw, scales, scales + Self.stagedCount, out, ObservationSpec.count)
            return
        }
        var q = 0
        while q < ObservationSpec.count - 1 {
            let f = SIMD2(raw[q], raw[q + 1]) / SIMD2(scales[q], scales[q + 1])
            let f0 = Float(f[0]), f1 = Float(f[1])
            out[q] = f0.isFinite ? f0 : 0
            out[q + 1] = f1.isFinite ? f1 : 0
            q += 2
        }
        let last = Float(raw[ObservationSpec.count - 1] / scales[ObservationSpec.count - 1])
        out[ObservationSpec.count - 1] = last.isFinite ? last : 0
    }

    /// ``encode(_:into:)``, and when `kind` is not nil also the action ``prior(_:kind:)`` (bit for bit the same),
    /// which shares the encoder's spot of the car and its cosine and sine of the heading error; zero when it is nil.
    /// It reads the observation in place, field by field: passing a value from a caller's buffer (a batch) would
    /// copy all of it, some 400 bytes, and reading its nearby cars would copy them twice more. When `spot` is given,
    /// the car's spot (its arc length located, NaN counted as 0) is written there for the ``TrackGuard``; when
    /// `unscaled` is given, the features before scaling (Double) are copied there (for tests).
    @inline(__always)
    func encode(_ observation: UnsafePointer<Observation>, into out: UnsafeMutablePointer<Float>,
                prior kind: ActionPrior?, spot: UnsafeMutablePointer<Spot>? = nil,
                unscaled: UnsafeMutablePointer<Double>? = nil) -> Action {
        let v = observation.pointer(to: \.view)!
        // Each feature is staged unscaled; the scaling is done four or two at a time at the end (scaleFeatures: the
        // same quotients, rounded the same way, at a fraction of the divider's time).
        // Staged on the stack, not zeroed first: every feature is written before it is read (and the pad is
        // never read as a feature); the 16 spots likewise, after them in the same buffer.
        let stagedBytes = Self.stagedCount * MemoryLayout<Double>.stride
        let bytes = stagedBytes + 16 * MemoryLayout<Spot>.stride
        return withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 16) { buffer in
            let base = buffer.baseAddress!
            var staged = StagedFeatures(raw: base.bindMemory(to: Double.self, capacity: Self.stagedCount),
                                        scales: scales)
            let spots = (base + stagedBytes).bindMemory(to: Spot.self, capacity: 16)
            let s = v.pointee.s.isFinite ? v.pointee.s : 0
            let lateral = v.pointee.lateral.isFinite ? v.pointee.lateral : 0
            // Own motion.
            staged.put(v.pointee.speed, 50)
            staged.put(v.pointee.lateralSpeed, 5)
            staged.put(v.pointee.yawRate, 1)
            staged.put(v.pointee.steeringAngle / maxSteer, 1)
            staged.put(v.pointee.longitudinalAcceleration, 10)
            staged.put(v.pointee.lateralAcceleration, 10)
            staged.put(Double(observation.pointee.previousAction.steering), 1)
            staged.put(Double(observation.pointee.previousAction.pedal), 1)
            // Pose on the track. Each distance ahead is located once (all at once: lane 0 is the car's spot, lanes
            // 1...11 the line's, and the course's 10, 80 and 250 m are the line's) and every table column read there.
            // The line's distance n at lane n + 1, the course's at courseLanes[n].
            locateAll(s, into: spots, avx2: usesAVX2)
            let here = spots[0]
            spot?.pointee = here
            let pose = at4(Column.cx, here), edges = at4(Column.curvature, here)
            let wl = edges[1], wr = edges[2]
            let half = max(0.5 * (wl + wr), 0.5)
            staged.put((lateral - 0.5 * (wl - wr)) / half, 1)
            staged.put(v.pointee.headingError, 1)
            staged.put(wl - lateral, 10)
            staged.put(wr + lateral, 10)
            // The racing line (plus the offset command) ahead, in the car's frame. The car's forward axis is the
            // track's tangent turned by the heading error.
            let tnx = pose[2], tny = pose[3]
            let px = pose[0] + lateral * tnx
            let py = pose[1] + lateral * tny
            let tangentX = tny, tangentY = -tnx
            let heading = v.pointee.headingError.isFinite ? v.pointee.headingError : 0
            let (se, ce) = sineCosine(heading)
            let fx = tangentX * ce - tangentY * se, fy = tangentX * se + tangentY * ce
            if usesAVX2 {
                // The same 25 values, four spots at a time (rival_encode_course_avx2: the same operations, the same
                // bits).
                let command = observation.pointee.offsetCommand
                rival_encode_course_avx2(spots, courseLaneTable, Column.count, px, py, fx, fy,
                                         command.isFinite ? command : 0, lineMargin, staged.raw + staged.count)
                staged.skip(Self.courseAndLineCount)
            } else {
                var courseColumns = InlineArray<7, SIMD4<Double>>(repeating: .zero)   // curvature, widths, line offset
                for n in 0..<7 { courseColumns[n] = at4(Column.curvature, spots[courseLanes[n]]) }
                for n in 0..<7 { staged.put(courseColumns[n][0], 0.01) }
                for n in 0..<7 { staged.put(courseColumns[n][1] + courseColumns[n][2], 10) }
                for n in 0..<11 {
                    let p = spots[n + 1]
                    let g = at4(Column.cx, p), w = at4(Column.curvature, p)
                    let target = targetLateral(widthLeft: w[1], widthRight: w[2], lineOffset: w[3],
                                               offsetCommand: observation.pointee.offsetCommand)
                    let qx = g[0] + target * g[2] - px
                    let qy = g[1] + target * g[3] - py
                    staged.put(fx * qy - fy * qx, 10)
                }
            }
            let shift = observation.pointee.speedPlanShift
            let judged = observation.pointee.speedPlanScale
            let scale = judged.isFinite && judged > 0 ? judged : 1
            if shift != 0 && shift.isFinite {
                // The speed plan as the driver misplaces it (Observation.speedPlanShift); geometry stays.
                for n in 0..<11 { staged.put(scale * at(Column.planSpeed, locate(s + shift + lineDistances[n])), 50) }
                staged.put(scale * scale * at(Column.planAcceleration, locate(s + shift + lineDistances[1])), 10)
            } else {
                for n in 0..<11 { staged.put(scale * at(Column.planSpeed, spots[n + 1]), 50) }
                staged.put(scale * scale * at(Column.planAcceleration, spots[2]), 10)      // 5 m ahead
            }
            staged.put(at(Column.lineSteer, spots[1]), 1)                  // 0 m
            staged.put(at(Column.lineSteer, spots[3]), 1)                  // 10 m
            staged.put(at(Column.lineSteer, spots[courseLanes[1]]), 1)                 // 25 m: s + 25, as located for the course
            // The car.
            staged.put(descriptor.0, 1000)
            staged.put(descriptor.1, 1)
            staged.put(descriptor.2, 0.01)
            staged.put(descriptor.3, 1000)
            staged.put(observation.pointee.offsetCommand, 5)
            // The nearest opponents within the horizons, read in place: the cars are nearest first by absolute gap, so
            // the first beyond opponentHorizon ends the search, and one farther behind than opponentHorizonBehind is
            // skipped (a car ahead beyond it takes the slot).
            NearbyCars.withCars(at: v.pointer(to: \.nearby)!) { cars in
                let range = ObservationSpec.opponentRange
                let first = staged.count
                var present = 0, k = 0
                while present < ObservationSpec.opponentCount && k < cars.count {
                    let o = cars[k]
                    k += 1
                    guard abs(o.gap) <= ObservationSpec.opponentHorizon else { break }
                    guard ObservationSpec.givesOpponent(atGap: o.gap) else { continue }
                    staged.put(min(max(o.gap, -range), range), range)
                    staged.put(o.lateral - lateral, 5)
                    staged.put(o.speedDifference, 10)
                    present += 1
                }
                for _ in present..<ObservationSpec.opponentCount {
                    staged.put(range, range)
                    staged.put(0, 5)
                    staged.put(0, 10)
                }
                // The near gaps from the staged gaps (clamping to 10 m after 150 m is clamping to 10 m; the padding's
                // 150 m gives the padding's 10).
                for i in 0..<ObservationSpec.opponentCount {
                    staged.put(ObservationSpec.nearGap(staged.raw[first + 3 * i]), ObservationSpec.nearRange)
                }
            }
            assert(staged.count == ObservationSpec.count)
            unscaled?.update(from: staged.raw, count: ObservationSpec.count)
            scaleFeatures(staged.raw, into: out, avx2: usesAVX2)
            guard let kind else { return Action() }
            return prior(observation, kind: kind, here: here, cosHeading: ce, sinHeading: se)
        }
    }
}

/// The unscaled features as `ObservationEncoder.encode` stages them, in order. (A struct with a mutating method
/// rather than a local function capturing the array: a capture made Swift check exclusivity at run time.)
struct StagedFeatures {
    /// The values (``ObservationEncoder/stagedCount``: the features and a pad), on the caller's stack.
    let raw: UnsafeMutablePointer<Double>
    /// How many are staged.
    var count = 0
    /// The features' scales, for checking the order in debug builds.
    let scales: UnsafePointer<Double>

    init(raw: UnsafeMutablePointer<Double>, scales: UnsafeMutablePointer<Double>) {
        self.raw = raw
        self.scales = UnsafePointer(scales)
    }

    @inline(__always)
    mutating func put(_ x: Double, _ scale: Double) {
        assert(scale == scales[count], "feature \(count): scale \(scale), the spec says \(scales[count])")
        raw[count] = x
        count += 1
    }

    /// Counts `n` values written at `raw + count` by other code.
    @inline(__always)
    mutating func skip(_ n: Int) {
        assert(count + n <= ObservationSpec.count)
        count += n
    }
}

/// The sine and cosine of `x`, the same bits as Foundation's `sin` and `cos`, in one call (glibc's `sincos`).
@inline(__always)
func sineCosine(_ x: Double) -> (sin: Double, cos: Double) {
    var sine = 0.0, cosine = 0.0
    rival_sincos(x, &sine, &cosine)
    return (sine, cosine)
}
