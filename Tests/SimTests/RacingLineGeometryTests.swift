import Foundation
import Testing
@testable import Sim

/// The racing line on shapes whose answer is known: a circle, rounded rectangles, a track narrower than the car.
@Suite struct RacingLineGeometryTests {
    /// On a constant-width circle the minimum-curvature line is the largest circle that fits: the outer bound.
    @Test func onACircleTheLineIsTheOutermostFeasibleCircle() throws {
        let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 300, width: 6))
        let line = RacingLine(track: track)  // 2 m car + 0.5 m: 1.5 m from each limit
        #expect(line.parameters.margin == 1.5)
        let radius = Double(track.count) / track.curvature.reduce(0, +)  // the centreline's, 100.0007 m
        // Counter-clockwise: the outside is on the right, offset -(6 - 1.5).
        for i in 0..<line.count { #expect(abs(line.offset[i] + 4.5) < 1e-6) }
        for i in 0..<line.count { #expect(abs(line.curvature[i] * (radius + 4.5) - 1) < 1e-4) }
        #expect(abs(line.length - 2 * Double.pi * (radius + 4.5)) < 0.05)
        // Positions, headings and distances agree with the offsets.
        for i in stride(from: 0, to: line.count, by: 37) {
            let p = track.point(s: Double(i) * track.spacing, lateral: line.offset[i])
            #expect(hypot(p.x - line.x[i], p.y - line.y[i]) < 1e-9)
            #expect(abs(remainder(line.heading[i] - track.heading[i], 2 * Double.pi)) < 1e-4)
            #expect(abs(line.distance[i] - Double(i) * track.spacing * (radius + 4.5) / radius) < 0.01)
        }
    }

    /// With 90-degree corners joined by straights the line goes outside-inside-outside: at the outer bound along
    /// the straights, at the inner bound at each corner's apex, and straighter than the centreline.
    @Test func onARoundedRectangleTheLineApexesAtTheInsideOfEachCorner() throws {
        let shape = RacingLineTestSupport.roundedRectangle(long: 300, short: 150, radius: 30)
        let track = try Track(name: "rectangle", points: shape.points)
        let line = RacingLine(track: track)
        for middle in shape.cornerMiddles {
            // The apex: at the inner bound (left, +4.5) in the corner's middle (measured 4.4995 to 4.4999 m).
            #expect(line.offset(at: middle) > 4.49, "corner at \(middle) m: \(line.offset(at: middle)) m")
        }
        // The middle of each straight is at the outside.
        let long = [0.0, 0.5 * (shape.cornerMiddles[1] + shape.cornerMiddles[2])]
        let short = [0.5 * (shape.cornerMiddles[0] + shape.cornerMiddles[1])]
        for s in long + short { #expect(abs(line.offset(at: s) + 4.5) < 0.01, "straight at \(s) m") }
        // Measured: largest curvature 0.0233 1/m against the centreline's 0.0358; bending energy 0.100 1/m against
        // 0.206.
        let centreline = track.curvature.map(abs).max()!, ours = line.curvature.map(abs).max()!
        #expect(ours < 0.7 * centreline, "largest curvature \(ours) vs the centreline's \(centreline)")
        #expect(line.length < track.length)
        // The line bends less than the centreline (integral of curvature squared, 1/m).
        let energy = RacingLineTestSupport.bendingEnergy(x: line.x, y: line.y).energy
        let centre = RacingLineTestSupport.bendingEnergy(x: track.x, y: track.y).energy
        #expect(energy < 0.6 * centre, "\(energy) vs \(centre)")
    }

    /// On a stadium (180-degree ends) the line swings wide along the straights and cuts in at both ends of each
    /// hairpin: it bends less than the outermost semicircle would.
    @Test func onAStadiumTheLineBendsLessThanTheOutsideSemicircle() throws {
        let shape = RacingLineTestSupport.roundedRectangle(long: 400, short: 0, radius: 60)
        let track = try Track(name: "stadium", points: shape.points)
        let line = RacingLine(track: track)
        let energy = RacingLineTestSupport.bendingEnergy(x: line.x, y: line.y).energy
        let outside = 2 * Double.pi / (60 + 4.5)  // two semicircles of radius 64.5 m: 0.0974 1/m; ours 0.0890
        #expect(energy < 0.95 * outside, "\(energy) vs \(outside)")
        #expect(line.offset.min()! >= -4.5 - 1e-9 && line.offset.max()! <= 4.5 + 1e-9)
    }

    /// Where the track is narrower than the car plus margins, the line runs down the middle of the track there
    /// (the bounds collapse), and stays within the bounds everywhere else.
    @Test func whereTheTrackIsTooNarrowTheLineRunsDownTheMiddle() throws {
        let shape = RacingLineTestSupport.roundedRectangle(long: 300, short: 150, radius: 30) { s in
            (100...250).contains(s) ? (left: 0.6, right: 1.0) : (left: 6, right: 6)
        }
        let track = try Track(name: "narrow", points: shape.points)
        let line = RacingLine(track: track)
        let (lower, upper) = RacingLineTestSupport.bounds(track, margin: 1.5)
        var collapsed = 0
        for i in 0..<line.count {
            #expect(line.offset[i] >= lower[i] - 1e-9 && line.offset[i] <= upper[i] + 1e-9, "sample \(i)")
            if lower[i] == upper[i] {
                collapsed += 1
                #expect(abs(line.offset[i] - 0.5 * (track.widthLeft[i] - track.widthRight[i])) < 1e-9)
            }
        }
        #expect(collapsed > 120)  // about 150 m of the lap, less the width transitions
        #expect(line.offset(at: 175) == -0.2)  // (0.6 - 1.0) / 2 where the track is 1.6 m wide
        #expect(line.curvature.allSatisfy { $0.isFinite } && line.length.isFinite)
    }

    /// A track narrower than the margins everywhere gives the centre of the track everywhere.
    @Test func aTrackNarrowerThanTheCarEverywhereGivesItsMiddle() throws {
        let points = TrackTestSupport.circle(radius: 80, n: 200, width: 1).map {
            TrackPoint(x: $0.x, y: $0.y, widthRight: 1.2, widthLeft: 0.8)
        }
        let track = try Track(name: "thin", points: points)
        let line = RacingLine(track: track)
        for i in 0..<line.count { #expect(abs(line.offset[i] + 0.2) < 1e-9) }
    }

    @Test func parametersAndQueries() throws {
        #expect(RacingLine.Parameters().margin == 1.5)
        #expect(RacingLine.Parameters(vehicleWidth: 1.9, safetyMargin: 0.3).margin == 1.25)
        #expect(RacingLine.Parameters(vehicleWidth: -2, safetyMargin: .nan).margin == 0)
        let track = try Track(name: "circle", points: TrackTestSupport.circle(radius: 100, n: 300, width: 6))
        let line = RacingLine(track: track, parameters: .init(vehicleWidth: 0, safetyMargin: 0, nodeSpacing: 5))
        #expect(abs(line.offset(at: 10) + 6) < 1e-6)  // no margin: the very edge
        #expect(line.offset(at: 10 + track.length) == line.offset(at: 10))
        #expect(line.offset(at: .nan).isNaN && line.curvature(at: .infinity).isNaN && line.distance(at: .nan).isNaN)
        #expect(abs(line.distance(at: track.length / 2) - line.length / 2) < 0.01)
        #expect(line.trackName == "circle" && line.count == track.count && line.trackLength == track.length)
    }

    @Test func theLineIsDeterministic() throws {
        let track = try Track.load(path: TrackTestSupport.tracksDirectory + "/Spielberg.csv")
        let a = RacingLine(track: track), b = RacingLine(track: track)
        #expect(a.offset == b.offset && a.curvature == b.curvature && a.length == b.length)
    }
}
