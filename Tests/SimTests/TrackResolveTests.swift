import Foundation
import Testing
@testable import Sim

/// Finding circuits by the name a user types, or by path.
@Suite struct TrackResolveTests {
    let tracks = TrackTestSupport.tracksDirectory

    @Test func byNameIgnoringCase() throws {
        for typed in ["Monza", "monza", "MONZA", "mOnZa"] {
            let track = try Track.resolve(typed, searchDirectories: [tracks])
            #expect(track.name == "Monza")
            #expect(track.source == tracks + "/Monza.csv")
            #expect(abs(track.length - 5791) < 2)
        }
    }

    @Test func byPath() throws {
        let track = try Track.resolve(tracks + "/Spa.csv", searchDirectories: [])
        #expect(track.name == "Spa" && track.source == tracks + "/Spa.csv")
        #expect(throws: LoadError(file: "nowhere/Spa.csv", expected: "file not found")) {
            try Track.resolve("nowhere/Spa.csv", searchDirectories: [tracks])
        }
    }

    @Test func searchDirectoriesInOrder() throws {
        let mine = try TrackTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let loop = TrackTestSupport.csv(TrackTestSupport.circle(radius: 100, n: 126))
        try loop.write(toFile: mine + "/Monza.csv", atomically: true, encoding: .utf8)
        try loop.write(toFile: mine + "/MyOval.csv", atomically: true, encoding: .utf8)
        #expect(try Track.resolve("myoval", searchDirectories: [tracks, mine]).source == mine + "/MyOval.csv")
        // The first directory that has the name wins.
        #expect(abs(try Track.resolve("Monza", searchDirectories: [mine, tracks]).length - 200 * Double.pi) < 0.05)
        #expect(Track.shippedNames(in: mine) == ["Monza", "MyOval"])
    }

    @Test func notFoundListsTheCircuits() {
        do {
            _ = try Track.resolve("Suzuka", searchDirectories: [tracks])
            Issue.record("Suzuka is not shipped")
        } catch {
            #expect(error.file == "Suzuka")
            let names = TrackTestSupport.shippedNames.joined(separator: ", ")
            #expect(error.description == "Suzuka: no circuit of that name in \(tracks); expected a .csv path or one of: \(names)")
        }
    }

    @Test func shippedNamesOfAMissingDirectoryIsEmpty() {
        #expect(Track.shippedNames(in: "/nonexistent/tracks").isEmpty)
        #expect(throws: LoadError.self) { try Track.resolve("Monza", searchDirectories: ["/nonexistent/tracks"]) }
    }
}
