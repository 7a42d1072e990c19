import Foundation
import Testing
@testable import Sim

/// The 20 circuits in `tracks/`: they load, their geometry matches the raw data and the real circuits, and the
/// track coordinates invert exactly.
@Suite struct TrackShippedCircuitTests {
    static func load(_ name: String) throws -> Track {
        try Track.load(path: TrackTestSupport.tracksDirectory + "/\(name).csv")
    }

    /// Length of the raw closed polyline through the file's points (m).
    static func rawPolylineLength(_ name: String) throws -> Double {
        let text = try String(contentsOfFile: TrackTestSupport.tracksDirectory + "/\(name).csv", encoding: .utf8)
        let points = try TrackCSV.parse(text, file: name).points
        var total = 0.0
        for i in points.indices {
            let a = points[i], b = points[(i + 1) % points.count]
            total += hypot(b.x - a.x, b.y - a.y)
        }
        return total
    }

    @Test func theShippedDirectoryHoldsTheTwentyCircuits() {
        #expect(Track.shippedNames(in: TrackTestSupport.tracksDirectory) == TrackTestSupport.shippedNames)
    }

    @Test(arguments: TrackTestSupport.shippedNames)
    func loadsWithSaneGeometry(name: String) throws {
        let track = try Self.load(name)
        #expect(track.name == name)
        #expect(track.count == Int(track.length.rounded()))
        #expect(abs(track.spacing - 1) < 0.001)
        for array in [track.x, track.y, track.heading, track.curvature, track.widthLeft, track.widthRight] {
            #expect(array.count == track.count)
        }
        // Within 2% of the raw polyline (the spline is measured to be 0.1 to 1.3 m longer).
        let raw = try Self.rawPolylineLength(name)
        #expect(abs(track.length - raw) / raw < 0.02)
        #expect(track.length > raw && track.length - raw < 2)
        // Widths stay positive and plausible; curvature stays below a 5 m radius (measured max 0.174 1/m, Shanghai).
        #expect(track.widthLeft.min()! > 3 && track.widthRight.min()! > 3)
        #expect(track.widthLeft.max()! < 20 && track.widthRight.max()! < 20)
        #expect(track.curvature.map(abs).max()! < 0.2)
    }

    /// Official lengths (m) of layouts that match the data (Melbourne and Yas Marina before 2021; IMS is the
    /// 2.5-mile oval).
    static let realLengths: [String: Double] = [
        "Monza": 5793, "Spa": 7004, "Silverstone": 5891, "Austin": 5513, "Sakhir": 5412, "Shanghai": 5451,
        "Spielberg": 4318, "Montreal": 4361, "Budapest": 4381, "SaoPaulo": 4309, "Sochi": 5848, "Hockenheim": 4574,
        "Nuerburgring": 5148, "BrandsHatch": 3908, "IMS": 4023, "Melbourne": 5303, "YasMarina": 5554,
    ]

    @Test(arguments: realLengths.keys.sorted())
    func lengthMatchesTheRealCircuit(name: String) throws {
        let track = try Self.load(name)
        let real = try #require(Self.realLengths[name])
        #expect(abs(track.length - real) / real < 0.05, "\(name): \(track.length) m vs \(real) m")
        // In fact all are within 0.5%.
        #expect(abs(track.length - real) / real < 0.005, "\(name): \(track.length) m vs \(real) m")
    }

    /// None of the shipped circuits is a figure of eight: each turns once, clockwise or counter-clockwise.
    static let counterClockwise: Set<String> = ["Austin", "IMS", "MoscowRaceway", "Norisring", "SaoPaulo", "YasMarina"]

    @Test(arguments: TrackTestSupport.shippedNames)
    func curvatureIntegratesToTheHeading(name: String) throws {
        let track = try Self.load(name)
        let expected = Self.counterClockwise.contains(name) ? 2 * Double.pi : -2 * Double.pi
        #expect(abs(track.turningAngle - expected) < 1e-9)
        let total = track.curvature.reduce(0, +) * track.spacing
        #expect(abs(total - expected) < 0.05, "\(name): curvature sums to \(total) rad")
        #expect(abs(total - expected) < 0.005, "\(name): curvature sums to \(total) rad")  // measured max 0.0043
        var worstStep = 0.0
        for i in 0..<track.count {
            let j = (i + 1) % track.count
            let turn = (j == 0 ? track.heading[0] + track.turningAngle : track.heading[j]) - track.heading[i]
            worstStep = max(worstStep, abs(turn - 0.5 * (track.curvature[i] + track.curvature[j]) * track.spacing))
        }
        #expect(worstStep < 0.004, "\(name): heading step differs from the curvature by \(worstStep) rad")
    }

    /// point(s, lateral) -> project gives back (s, lateral) to rounding error wherever (s, lateral) is the nearest
    /// foot point within the window. The exceptions are all deep in the run-off on the inside of hairpins: either
    /// another part of the centreline is nearer (projection returns that nearer foot point), or the point lies
    /// beyond the corner's centre of curvature (lateral * curvature > 1), where its foot point is a local maximum
    /// of the distance and no projection can return it. Either way the result rebuilds the same position.
    @Test(arguments: TrackTestSupport.shippedNames)
    func projectionRoundTripsWithinOneCentimetre(name: String) throws {
        let track = try Self.load(name)
        var random = TrackTestSupport.SplitMix(state: 2024)
        var worst = 0.0, worstRebuild = 0.0, ambiguous = 0
        let trials = 4000
        for _ in 0..<trials {
            let s = random.uniform(0, track.length)
            let here = track.sample(at: s)
            let lateral = random.uniform(-(here.widthRight + track.runoffWidth), here.widthLeft + track.runoffWidth)
            let p = track.point(s: s, lateral: lateral)
            let guess = s + random.uniform(-10, 10)
            let f = track.project(x: p.x, y: p.y, near: guess)
            let back = track.point(s: f.s, lateral: f.lateral)
            worstRebuild = max(worstRebuild, hypot(back.x - p.x, back.y - p.y))
            let error = max(abs(track.signedDistance(from: s, to: f.s)), abs(f.lateral - lateral))
            if error < 0.01 {
                worst = max(worst, error)
            } else {
                ambiguous += 1
                let nearer = abs(f.lateral) < abs(lateral)
                let beyondCentre = lateral * here.curvature > 0.9
                #expect(nearer || beyondCentre, "\(name) s \(s) lateral \(lateral): got \(f)")
                #expect(track.surface(s: s, lateral: lateral) == .runoff, "\(name) s \(s) lateral \(lateral)")
            }
        }
        #expect(worst < 1e-6, "\(name): round trip error \(worst) m")
        #expect(worstRebuild < 1e-6, "\(name): rebuilt position off by \(worstRebuild) m")
        #expect(ambiguous < trials / 100, "\(name): \(ambiguous) of \(trials) points have no unique projection")
    }

    /// On the track surface itself the round trip is exact everywhere, also from a guess 25 m away.
    @Test(arguments: TrackTestSupport.shippedNames)
    func projectionOnTheTrackSurfaceIsExact(name: String) throws {
        let track = try Self.load(name)
        var random = TrackTestSupport.SplitMix(state: 7)
        var worst = 0.0
        for i in stride(from: 0, to: track.count, by: 3) {
            let s = Double(i) * track.spacing + random.uniform(0, track.spacing)
            let here = track.sample(at: s)
            let lateral = random.uniform(-here.widthRight, here.widthLeft)
            let p = track.point(s: s, lateral: lateral)
            let f = track.project(x: p.x, y: p.y, near: s + random.uniform(-25, 25))
            worst = max(worst, abs(track.signedDistance(from: s, to: f.s)), abs(f.lateral - lateral))
        }
        #expect(worst < 1e-6, "\(name): \(worst) m")
    }

    @Test func globalProjectionFindsTheSamePointOnMonza() throws {
        let track = try Self.load("Monza")
        var random = TrackTestSupport.SplitMix(state: 99)
        for _ in 0..<200 {
            let s = random.uniform(0, track.length), lateral = random.uniform(-4, 4)
            let p = track.point(s: s, lateral: lateral)
            let f = track.projectGlobal(x: p.x, y: p.y)
            #expect(abs(track.signedDistance(from: s, to: f.s)) < 1e-6)
            #expect(abs(f.lateral - lateral) < 1e-6)
        }
    }
}
