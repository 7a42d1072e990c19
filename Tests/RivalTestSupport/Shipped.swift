import Foundation
import Sim

/// The shipped circuits and cars, loaded from the repository's `tracks/` and `cars/`, for the test targets.
public enum Shipped {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A shipped circuit by name.
    public static func track(_ name: String) throws -> Track {
        try Track.resolve(name, searchDirectories: [root.appendingPathComponent("tracks").path])
    }

    /// A shipped car by name.
    public static func car(_ name: String) throws -> CarSpec {
        try CarSpec.resolve(name, searchDirectories: [root.appendingPathComponent("cars").path])
    }
}
