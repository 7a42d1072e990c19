import Foundation
import Testing
@testable import Sim

/// Geometry and queries on synthetic circuits whose answers are known exactly.
@Suite struct TrackGeometryTests {
    @Test func circleOfRadius100HasCurvatureOneHundredth() throws {
        for passes in [0, 1] {
            let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 126), smoothingPasses: passes)
            #expect(abs(track.length - 200 * Double.pi) < 0.05)
            #expect(track.count == 628)
            #expect(abs(track.turningAngle - 2 * Double.pi) < 1e-9)
            for k in track.curvature {
                #expect(abs(k - 0.01) < 0.0001)  // within 1%
            }
            for i in 0..<track.count {
                #expect(abs(hypot(track.x[i], track.y[i]) - 100) < 0.01)
            }
        }
        let clockwise = try Track(name: "cw", points: TrackTestSupport.circle(radius: 100, n: 126).reversed())
        #expect(clockwise.curvature.allSatisfy { abs($0 + 0.01) < 0.0001 })
        #expect(abs(clockwise.turningAngle + 2 * Double.pi) < 1e-9)
    }

    @Test func headingIsInterpolatedAcrossPlusMinusPi() throws {
        // Start where the heading is pi (the top of a counter-clockwise circle), and a clockwise one too.
        let ccw = TrackTestSupport.circle(radius: 50, n: 63)
        let rotated = Array(ccw[16...] + ccw[..<16])
        for points in [rotated, Array(rotated.reversed())] {
            let track = try Track(name: "c", points: points)
            #expect(track.heading[0] > -Double.pi && track.heading[0] <= Double.pi)
            for k in 0..<2000 {
                let s = Double(k) / 2000 * track.length * 1.5 - 0.25 * track.length
                let c = track.sample(at: s)
                let radial = atan2(c.y, c.x)
                let tangent = radial + (track.turningAngle > 0 ? Double.pi / 2 : -Double.pi / 2)
                #expect(abs(remainder(c.heading - tangent, 2 * Double.pi)) < 1e-3, "s \(s)")
            }
            // Across the seam the heading keeps turning the same way.
            let last = track.sample(at: track.length - 0.5 * track.spacing).heading
            let first = track.heading[0] + track.turningAngle
            #expect(abs(first - last - 0.5 * track.spacing * track.curvature[0]) < 1e-4)
        }
    }

    @Test func figureOfEightTurnsZeroAndProjectsLocallyAtTheCrossing() throws {
        let track = try Track(name: "eight", points: TrackTestSupport.figureOfEight())
        #expect(abs(track.turningAngle) < 1e-9)
        #expect(abs(track.curvature.reduce(0, +) * track.spacing) < 0.05)
        // The two passes through the crossing (the origin).
        let distances = (0..<track.count).map { hypot(track.x[$0], track.y[$0]) }
        let firstHalf = 0..<(track.count / 2)
        let a = firstHalf.min { distances[$0] < distances[$1] }!
        let b = (track.count / 2..<track.count).min { distances[$0] < distances[$1] }!
        #expect(distances[a] < 1 && distances[b] < 1)
        #expect(abs(track.signedDistance(from: Double(a), to: Double(b)) ) > 200)
        var random = TrackTestSupport.SplitMix(state: 8)
        for branch in [a, b] {
            let s0 = Double(branch) * track.spacing
            for _ in 0..<200 {
                let s = s0 + random.uniform(-8, 8), lateral = random.uniform(-6, 6)
                let p = track.point(s: s, lateral: lateral)
                let f = track.project(x: p.x, y: p.y, near: s + random.uniform(-3, 3))
                #expect(abs(track.signedDistance(from: s, to: f.s)) < 1e-6)
                #expect(abs(f.lateral - lateral) < 1e-6)
            }
        }
        // A point on one branch right at the crossing is on the other branch too: only the guess decides.
        let p = track.point(s: Double(a) * track.spacing, lateral: 0)
        let onA = track.project(x: p.x, y: p.y, near: Double(a) * track.spacing + 5)
        let onB = track.project(x: p.x, y: p.y, near: Double(b) * track.spacing - 5)
        #expect(abs(track.signedDistance(from: Double(a) * track.spacing, to: onA.s)) < 1e-6)
        #expect(abs(track.signedDistance(from: Double(b) * track.spacing, to: onB.s)) < 1)
        #expect(abs(onB.lateral) < 1)
    }

    @Test func wrapAndSignedDistance() throws {
        let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 126))
        let length = track.length
        #expect(track.wrap(0) == 0)
        #expect(track.wrap(length) == 0)
        #expect(abs(track.wrap(-1) - (length - 1)) < 1e-9)
        #expect(abs(track.wrap(3.5 * length + 2) - (0.5 * length + 2)) < 1e-9)
        #expect(track.wrap(.nan).isNaN && track.wrap(.infinity).isNaN)
        #expect(abs(track.signedDistance(from: 10, to: length - 10) + 20) < 1e-9)
        #expect(abs(track.signedDistance(from: length - 10, to: 10) - 20) < 1e-9)
        #expect(abs(track.signedDistance(from: 0, to: 0.5 * length) - 0.5 * length) < 1e-9)
        #expect(abs(track.signedDistance(from: 0.5 * length, to: 0) - 0.5 * length) < 1e-9)
        #expect(abs(track.signedDistance(from: 5, to: 5 + 3 * length + 7) - 7) < 1e-9)
        #expect(track.signedDistance(from: .nan, to: 1).isNaN)
    }

    @Test func samplesInterpolateLinearly() throws {
        let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 126))
        let c = track.sample(at: 10.25 * track.spacing)
        #expect(abs(c.x - (0.75 * track.x[10] + 0.25 * track.x[11])) < 1e-9)
        #expect(abs(c.y - (0.75 * track.y[10] + 0.25 * track.y[11])) < 1e-9)
        #expect(abs(c.heading - (0.75 * track.heading[10] + 0.25 * track.heading[11])) < 1e-12)
        let p = track.point(s: 10.25 * track.spacing, lateral: 3)
        #expect(abs(hypot(p.x, p.y) - 97) < 0.01)  // left of a counter-clockwise circle is inward
        #expect(track.sample(at: .nan).x.isNaN)
        let f = track.project(x: .nan, y: 0, near: 0)
        #expect(f.s.isNaN && f.lateral.isNaN)
    }

    @Test func surfaceAndEdgeDistancesAtKnownOffsets() throws {
        let points = TrackTestSupport.circle(radius: 100, n: 126).map {
            TrackPoint(x: $0.x, y: $0.y, widthRight: 7, widthLeft: 4)
        }
        let track = try Track(name: "circle", points: points, runoffWidth: 3)
        #expect(track.runoffWidth == 3)
        for s in [0.0, 17.3, track.length - 0.1, -40] {
            let e = track.edgeDistances(s: s, lateral: 1)
            #expect(abs(e.left - 3) < 1e-9 && abs(e.right - 8) < 1e-9)
            #expect(track.surface(s: s, lateral: 0) == .track)
            #expect(track.surface(s: s, lateral: 4) == .track)
            #expect(track.surface(s: s, lateral: -7) == .track)
            #expect(track.surface(s: s, lateral: 4.01) == .runoff)
            #expect(track.surface(s: s, lateral: -5) == .track)
            #expect(track.surface(s: s, lateral: -7.5) == .runoff)
            #expect(track.surface(s: s, lateral: 6.99) == .runoff)
            #expect(track.surface(s: s, lateral: 7) == .barrier)
            #expect(track.surface(s: s, lateral: -10) == .barrier)
            #expect(track.surface(s: s, lateral: -30) == .barrier)
        }
        #expect(track.surface(s: 0, lateral: .nan) == .barrier)
        let defaulted = try Track(name: "circle", points: points)
        #expect(defaulted.runoffWidth == 10)
        #expect(defaulted.surface(s: 0, lateral: 13.9) == .runoff)
        #expect(defaulted.surface(s: 0, lateral: -17) == .barrier)
    }

    @Test func duplicatePointsAreDropped() throws {
        let clean = TrackTestSupport.circle(radius: 100, n: 126)
        var doubled: [TrackPoint] = []
        for (i, p) in clean.enumerated() {
            doubled.append(p)
            if i % 10 == 3 { doubled.append(p) }
        }
        doubled.append(clean[0])  // the loop closed explicitly
        let a = try Track(name: "a", points: clean), b = try Track(name: "b", points: doubled)
        #expect(a.count == b.count && a.length == b.length && a.x == b.x && a.curvature == b.curvature)
    }

    @Test func smoothingMovesRealPointsLittle() throws {
        let raw = try Track.load(path: TrackTestSupport.tracksDirectory + "/Spa.csv", smoothingPasses: 0)
        let smooth = try Track.load(path: TrackTestSupport.tracksDirectory + "/Spa.csv")
        #expect(abs(raw.length - smooth.length) < 1)
        // La Source's kink: the raw spline peaks near 0.18 1/m, one pass brings it below 0.14.
        #expect(raw.curvature.map(abs).max()! > 0.17)
        #expect(smooth.curvature.map(abs).max()! < 0.14)
        var worst = 0.0
        for i in stride(from: 0, to: raw.count, by: 5) {
            let f = smooth.project(x: raw.x[i], y: raw.y[i], near: Double(i) * raw.spacing * smooth.length / raw.length)
            worst = max(worst, abs(f.lateral))
        }
        #expect(worst < 0.25)
    }
}
