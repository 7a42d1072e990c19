import CRivalHeader
import DriverPersona
import Foundation
import Sim

/// Creates a world on the data folder `dataDir` (`tracks/`, `cars/`, `personas/`; NULL: the current directory).
@c @implementation
public func rival_world_create(_ dataDir: UnsafePointer<CChar>?, _ outWorld: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let out = try required(outWorld, "out_world")
        let directory = dataDir.map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
        var isDirectory: ObjCBool = false
        guard !directory.isEmpty, FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw CallError(code: RIVAL_ERROR_LOAD, message: "data_dir: \(directory): expected an existing folder")
        }
        give(WorldHandle(dataDirectory: directory), to: out)
    }
}

/// Releases a world (NULL: nothing).
@c @implementation
public func rival_world_destroy(_ world: OpaquePointer?) {
    Handle.release(world, kind: .world)
}

/// Loads a circuit by shipped name or CSV path, found through `world`.
@c @implementation
public func rival_track_load(_ world: OpaquePointer?, _ nameOrPath: UnsafePointer<CChar>?,
                             _ outTrack: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let world = try Handle.object(world, as: WorldHandle.self, kind: .world, "world")
        let name = try string(nameOrPath, "name_or_path")
        let out = try required(outTrack, "out_track")
        do {
            give(TrackHandle(try Track.resolve(name, searchDirectories: world.directories("tracks"))), to: out)
        } catch {
            throw .load(error)
        }
    }
}

/// Builds a circuit from `count` (>= 10) centreline points with widths, a closed loop.
@c @implementation
public func rival_track_from_points(_ name: UnsafePointer<CChar>?, _ points: UnsafePointer<rival_track_point>?,
                                    _ count: Int32, _ outTrack: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let name = try string(name, "name")
        let points = try required(points, "points")
        let out = try required(outTrack, "out_track")
        guard count >= 10 else { throw .invalid("count: \(count): expected at least 10 points") }
        let list = UnsafeBufferPointer(start: points, count: Int(count)).map {
            TrackPoint(x: $0.x_m, y: $0.y_m, widthRight: $0.width_right_m, widthLeft: $0.width_left_m)
        }
        do {
            give(TrackHandle(try Track(name: name, points: list)), to: out)
        } catch {
            throw .invalid("\(error)")
        }
    }
}

/// The centreline's length (m).
@c @implementation
public func rival_track_length(_ track: OpaquePointer?, _ outLength: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track")
        try required(outLength, "out_length_m").pointee = track.track.length
    }
}

/// Projects world position (`x`, `y`) onto the track near `sGuess` (NaN: the whole lap): s and lateral (m).
@c @implementation
public func rival_track_project(_ track: OpaquePointer?, _ x: Double, _ y: Double, _ sGuess: Double,
                                _ outS: UnsafeMutablePointer<Double>?, _ outLateral: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track").track
        let x = try finite(x, "x_m"), y = try finite(y, "y_m")
        guard !sGuess.isInfinite else { throw .invalid("s_guess_m: \(sGuess): expected a finite number or NaN") }
        let s = try required(outS, "out_s_m"), lateral = try required(outLateral, "out_lateral_m")
        let point = sGuess.isNaN ? track.projectGlobal(x: x, y: y) : track.project(x: x, y: y, near: sGuess)
        s.pointee = point.s
        lateral.pointee = point.lateral
    }
}

/// The world position of the point at arc length `s`, `lateral` metres from the centreline (m).
@c @implementation
public func rival_track_position(_ track: OpaquePointer?, _ s: Double, _ lateral: Double, _ outX: UnsafeMutablePointer<Double>?,
                                 _ outY: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track").track
        let s = try finite(s, "s_m"), lateral = try finite(lateral, "lateral_m")
        let x = try required(outX, "out_x_m"), y = try required(outY, "out_y_m")
        let p = track.point(s: s, lateral: lateral)
        x.pointee = p.x
        y.pointee = p.y
    }
}

/// The centreline's heading at arc length `s` (rad).
@c @implementation
public func rival_track_heading(_ track: OpaquePointer?, _ s: Double, _ outHeading: UnsafeMutablePointer<Double>?) -> Int32 {
    call { () throws(CallError) in
        let track = try Handle.object(track, as: TrackHandle.self, kind: .track, "track").track
        let s = try finite(s, "s_m")
        try required(outHeading, "out_heading_rad").pointee = track.sample(at: s).heading
    }
}

/// Releases a track (NULL: nothing).
@c @implementation
public func rival_track_destroy(_ track: OpaquePointer?) {
    Handle.release(track, kind: .track)
}

/// Loads a car by shipped name or JSON path, found through `world`.
@c @implementation
public func rival_car_load(_ world: OpaquePointer?, _ nameOrPath: UnsafePointer<CChar>?,
                           _ outCar: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let world = try Handle.object(world, as: WorldHandle.self, kind: .world, "world")
        let name = try string(nameOrPath, "name_or_path")
        let out = try required(outCar, "out_car")
        do {
            give(CarHandle(try CarSpec.resolve(name, searchDirectories: world.directories("cars"))), to: out)
        } catch {
            throw .load(error)
        }
    }
}

/// Releases a car (NULL: nothing).
@c @implementation
public func rival_car_destroy(_ car: OpaquePointer?) {
    Handle.release(car, kind: .car)
}

/// Loads a persona by shipped name or JSON path, found through `world`.
@c @implementation
public func rival_persona_load(_ world: OpaquePointer?, _ nameOrPath: UnsafePointer<CChar>?,
                               _ outPersona: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call { () throws(CallError) in
        let world = try Handle.object(world, as: WorldHandle.self, kind: .world, "world")
        let name = try string(nameOrPath, "name_or_path")
        let out = try required(outPersona, "out_persona")
        do {
            give(PersonaHandle(try Persona.resolve(name, searchDirectories: world.directories("personas"))), to: out)
        } catch {
            throw .load(error)
        }
    }
}

/// Releases a persona (NULL: nothing).
@c @implementation
public func rival_persona_destroy(_ persona: OpaquePointer?) {
    Handle.release(persona, kind: .persona)
}
