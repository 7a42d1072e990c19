import Foundation

extension Track {
    /// Default width of the run-off band beyond each track limit (m).
    public static let defaultRunoffWidth = 10.0
    /// Default number of smoothing passes over the input points (see the `smoothingPasses` parameters).
    public static let defaultSmoothingPasses = 1

    /// Builds a circuit from centreline points held in memory (a game's own track data).
    ///
    /// - Parameters:
    ///   - name: the circuit's name (any text).
    ///   - points: the centreline as a closed loop, in driving order, at least 10 distinct points (ideally 1 to
    ///     10 m apart). The last point connects back to the first; a last point equal to the first is dropped,
    ///     and so is any point within 1 mm of the one before it. Left is counter-clockwise from the direction
    ///     of travel.
    ///   - runoffWidth: run-off band beyond each track limit before the barrier (m, finite, >= 0).
    ///   - smoothingPasses: low-pass passes over the points before splining (>= 0; 0 keeps the points exactly;
    ///     one pass moves real circuits' points by at most about 0.2 m). See the type's documentation.
    /// - Throws: `LoadError` with file `<points>` and the location `point I` (0-based index into `points`) for a
    ///   non-finite value, a width not above 0, fewer than 10 distinct points, a last point far from the first
    ///   (more than 10x the median spacing: not a closed loop), or a curvature above 2 1/m (points that fold back).
    public convenience init(
        name: String, points: [TrackPoint], runoffWidth: Double = Track.defaultRunoffWidth,
        smoothingPasses: Int = Track.defaultSmoothingPasses
    ) throws(LoadError) {
        let label = "<points>"
        try Track.checkOptions(runoffWidth: runoffWidth, smoothingPasses: smoothingPasses, file: label)
        let geometry = try TrackBuilder.build(
            points: points, locations: points.indices.map { "point \($0)" }, file: label, smoothingPasses: smoothingPasses)
        self.init(name: name, source: label, runoffWidth: runoffWidth, geometry: geometry)
    }

    /// Loads a circuit CSV file (`# x_m,y_m,w_tr_right_m,w_tr_left_m`, one point per row; see `tracks/README.md`).
    ///
    /// The track's `name` is the file name without its extension and `source` is `path` as given.
    /// - Parameters:
    ///   - path: the file's path, absolute or relative to the working directory.
    ///   - runoffWidth: run-off band beyond each track limit before the barrier (m, finite, >= 0).
    ///   - smoothingPasses: low-pass passes over the points before splining (>= 0).
    /// - Throws: `LoadError` naming `path` and, where one applies, the line (and column): file missing or
    ///   unreadable, empty, a row without exactly 4 columns, a value that is not a finite number, a width not
    ///   above 0, fewer than 10 distinct points, an open loop, or points that fold back on themselves.
    public static func load(
        path: String, runoffWidth: Double = Track.defaultRunoffWidth,
        smoothingPasses: Int = Track.defaultSmoothingPasses
    ) throws(LoadError) -> Track {
        try checkOptions(runoffWidth: runoffWidth, smoothingPasses: smoothingPasses, file: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError(file: path, expected: "file not found")
        }
        guard !isDirectory.boolValue else { throw LoadError(file: path, expected: "is a directory, expected a .csv file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, expected: "file could not be read")
        }
        let rows = try TrackCSV.parse(String(decoding: data, as: UTF8.self), file: path)
        let geometry = try TrackBuilder.build(
            points: rows.points, locations: rows.lines.map { "line \($0)" }, file: path, smoothingPasses: smoothingPasses)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Track(name: name, source: path, runoffWidth: runoffWidth, geometry: geometry)
    }

    /// Finds and loads a circuit by name or path, as a user types it (`Monza`, `monza`, `tracks/Monza.csv`).
    ///
    /// If `nameOrPath` names an existing file (not a directory), or ends in `.csv`, that file is loaded. Otherwise each directory in
    /// `searchDirectories` is searched in order for `<name>.csv`, comparing names case-insensitively (an exact
    /// match wins over a case-insensitive one in the same directory).
    /// - Throws: `LoadError` from loading, or, when no file matches, one that lists the circuits available in
    ///   the search directories.
    public static func resolve(
        _ nameOrPath: String, searchDirectories: [String], runoffWidth: Double = Track.defaultRunoffWidth,
        smoothingPasses: Int = Track.defaultSmoothingPasses
    ) throws(LoadError) -> Track {
        var isDirectory: ObjCBool = false
        let isFile = FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) && !isDirectory.boolValue
        if isFile || nameOrPath.lowercased().hasSuffix(".csv") {
            return try load(path: nameOrPath, runoffWidth: runoffWidth, smoothingPasses: smoothingPasses)
        }
        let wanted = nameOrPath.lowercased()
        for directory in searchDirectories {
            let names = shippedNames(in: directory)
            if let match = names.first(where: { $0 == nameOrPath }) ?? names.first(where: { $0.lowercased() == wanted }) {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(match + ".csv").path
                return try load(path: path, runoffWidth: runoffWidth, smoothingPasses: smoothingPasses)
            }
        }
        let available = Set(searchDirectories.flatMap { shippedNames(in: $0) }).sorted()
        let searched = searchDirectories.isEmpty ? "no search directories" : searchDirectories.joined(separator: ", ")
        throw LoadError(
            file: nameOrPath,
            expected: "no circuit of that name in \(searched); expected a .csv path or one of: "
                + (available.isEmpty ? "(none found)" : available.joined(separator: ", ")))
    }

    /// The circuit names available in `directory`: the names of its `.csv` files (any case of the extension)
    /// without the extension, sorted. Empty when the directory is missing or unreadable; subdirectories are not
    /// searched.
    public static func shippedNames(in directory: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.compactMap { entry -> String? in
            guard entry.lowercased().hasSuffix(".csv"), entry.count > 4 else { return nil }
            var isDirectory: ObjCBool = false
            let path = URL(fileURLWithPath: directory).appendingPathComponent(entry).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                return nil
            }
            return String(entry.dropLast(4))
        }.sorted()
    }

    private static func checkOptions(runoffWidth: Double, smoothingPasses: Int, file: String) throws(LoadError) {
        guard runoffWidth.isFinite, runoffWidth >= 0 else {
            throw LoadError(file: file, location: "runoffWidth", value: "\(runoffWidth)", expected: "expected a finite width >= 0 m")
        }
        guard (0...100).contains(smoothingPasses) else {
            throw LoadError(file: file, location: "smoothingPasses", value: "\(smoothingPasses)", expected: "expected 0...100")
        }
    }
}
