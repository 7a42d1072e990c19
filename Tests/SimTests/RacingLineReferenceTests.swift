import Foundation
import Testing
@testable import Sim

/// Our racing lines on the 20 shipped circuits against the independent minimum-curvature lines in
/// `tracks/reference-racelines/` (computed by the data's source, TUM, with their own optimiser).
@Suite struct RacingLineReferenceTests {
    /// The clearance the reference lines keep from the track limits (m). Their README does not say; measured on
    /// our tracks, the distance from each reference point to the nearer limit peaks sharply at 0.70-0.80 m on every
    /// circuit (5th percentile 0.75 m everywhere; the few points below come from centreline differences), i.e.
    /// an optimisation width of 1.5 m. So the comparison uses a 1.5 m car with no further safety margin.
    static let referenceParameters = RacingLine.Parameters(vehicleWidth: 1.5, safetyMargin: 0)

    /// Circuits whose mean difference is 1 m or more, and why. On both, our line bends less than the reference (a
    /// lower integral of squared curvature along the line, checked below: 1.5% less on Catalunya, 6% on
    /// Shanghai), and nearly all of the difference comes from a few long corners where the two optimisers settle
    /// on different sides of the track. Shanghai, s = 3230-3600 m: a 300 m right-hander of nearly constant radius
    /// (about 100 m) right after a left-hander, which we take wide (left) and the reference inside (right), up to
    /// 12 m apart; s = 480-810 m and 900-1070 m (the opening spiral) differ by up to 10 m. Catalunya,
    /// s = 1120-1450 m and 1730-2010 m, up to 9 m apart. Such corners are nearly flat directions of the
    /// objective, so they follow the details of the formulation: the reference sums squared curvature over
    /// equally spaced centreline stations, with the curvature linearised about the reference line (Heilmeier et
    /// al. 2019), and weighs the two sides of a long corner differently from the integral along the line itself
    /// that ours minimises.
    static let exceptions: [String: Double] = ["Catalunya": 1.25, "Shanghai": 1.4]

    @Test func linesMatchTheReferenceAndStayWithinTheBounds() throws {
        var table = "circuit        mean (m)  max (m)  bending ours / reference (1/m)\n"
        var failures: [String] = []
        for name in TrackTestSupport.shippedNames {
            let track = try Track.load(path: TrackTestSupport.tracksDirectory + "/\(name).csv")
            let line = RacingLine(track: track, parameters: Self.referenceParameters)
            // Bounds hold at every sample.
            let (lower, upper) = RacingLineTestSupport.bounds(track, margin: Self.referenceParameters.margin)
            for i in 0..<line.count where !(line.offset[i] >= lower[i] - 1e-9 && line.offset[i] <= upper[i] + 1e-9) {
                failures.append("\(name): sample \(i) offset \(line.offset[i]) outside [\(lower[i]), \(upper[i])]")
            }
            let points = try RacingLineTestSupport.referencePoints(name)
            let reference = RacingLineTestSupport.referenceFrenet(track, points)
            let c = RacingLineTestSupport.compare(track, line, reference: reference)
            let ours = RacingLineTestSupport.bendingEnergy(x: line.x, y: line.y).energy
            let theirs = RacingLineTestSupport.bendingEnergy(x: points.map(\.x), y: points.map(\.y)).energy
            table += name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: " %8.2f %8.2f   %.4f / %.4f\n", c.mean, c.max, ours, theirs)
            if let bound = Self.exceptions[name] {
                #expect(c.mean >= 1.0, "\(name) now meets the 1 m target: remove it from the exceptions")
                #expect(c.mean < bound, "\(name): mean difference \(c.mean) m")
                #expect(ours < theirs, "\(name): our line bends more (\(ours)) than the reference (\(theirs))")
            } else {
                #expect(c.mean < 1.0, "\(name): mean difference \(c.mean) m")
            }
            // The lines bend about as much as the reference or less (ours minimises that very integral).
            #expect(ours < 1.005 * theirs, "\(name): \(ours) vs \(theirs)")
        }
        print(table)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// With the default parameters (a 2 m car and 0.5 m safety margin: 1.5 m from each limit) the lines stay
    /// inside their bounds at every sample too.
    @Test(arguments: TrackTestSupport.shippedNames)
    func defaultLinesStayWithinTheBounds(name: String) throws {
        let track = try Track.load(path: TrackTestSupport.tracksDirectory + "/\(name).csv")
        let line = RacingLine(track: track)
        let (lower, upper) = RacingLineTestSupport.bounds(track, margin: 1.5)
        var worst = 0.0
        for i in 0..<line.count {
            worst = max(worst, lower[i] - line.offset[i], line.offset[i] - upper[i])
        }
        #expect(worst <= 1e-9, "\(name): bound exceeded by \(worst) m")
        #expect(line.length < track.length)  // a racing line cuts the corners
        #expect(line.curvature.allSatisfy { $0.isFinite })
    }
}
