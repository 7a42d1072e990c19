import Foundation
import RivalTestSupport
@testable import Sim

/// Shared helpers for the Track tests.
enum TrackTestSupport {
    /// The repository's `tracks/` directory, found from this file's path.
    static let tracksDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SimTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("tracks").path

    /// The 20 circuits shipped in `tracks/`.
    static let shippedNames = [
        "Austin", "BrandsHatch", "Budapest", "Catalunya", "Hockenheim", "IMS", "Melbourne", "Montreal", "Monza",
        "MoscowRaceway", "Norisring", "Nuerburgring", "Sakhir", "SaoPaulo", "Shanghai", "Silverstone", "Sochi",
        "Spa", "Spielberg", "YasMarina",
    ]

    /// A fresh temporary directory for test files.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rival-track-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Deterministic uniform numbers in [0, 1) (SplitMix64, shared with the other test targets).
    typealias SplitMix = RivalTestSupport.SplitMix

    /// Points on a circle of `radius` m around (cx, cy), counter-clockwise, `n` of them, constant widths.
    static func circle(radius: Double, n: Int, cx: Double = 0, cy: Double = 0, width: Double = 6) -> [TrackPoint] {
        (0..<n).map { k in
            let a = 2 * Double.pi * Double(k) / Double(n)
            return TrackPoint(x: cx + radius * cos(a), y: cy + radius * sin(a), widthRight: width, widthLeft: width)
        }
    }

    /// A figure of eight (lemniscate of Gerono scaled to `size` m): crosses itself at the origin, where it
    /// passes at parameter pi/2... and 3pi/2 (s about a quarter and three quarters of the lap).
    static func figureOfEight(size: Double = 200, n: Int = 240, width: Double = 6) -> [TrackPoint] {
        (0..<n).map { k in
            let a = 2 * Double.pi * Double(k) / Double(n)
            return TrackPoint(x: size * cos(a), y: size * sin(a) * cos(a), widthRight: width, widthLeft: width)
        }
    }

    /// CSV text for points, with the standard header.
    static func csv(_ points: [TrackPoint]) -> String {
        "# x_m,y_m,w_tr_right_m,w_tr_left_m\n" + points.map { "\($0.x),\($0.y),\($0.widthRight),\($0.widthLeft)" }
            .joined(separator: "\n") + "\n"
    }
}
