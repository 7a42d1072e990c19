import DriverPersona
import Sim

/// The Swift object behind an opaque C handle. Each kind of handle is a subclass; `kind` lets an entry point check
/// that a handle of the right kind was passed (a C caller through a cast, or ctypes, can pass any pointer).
class Handle {
    /// What kind of object this is.
    enum Kind: UInt32 {
        case world = 0x5257_4C44, track, car, persona, driver, race
    }

    let kind: Kind

    init(kind: Kind) { self.kind = kind }

    /// Retains the object for C and gives its handle.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The object of handle `pointer`, checked to be a `T` of `kind`, without retaining it.
    @inline(__always)
    static func object<T: Handle>(_ pointer: OpaquePointer?, as type: T.Type, kind: Kind, _ argument: String) throws(CallError) -> T {
        guard let pointer else { throw .null(argument) }
        let handle = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        guard handle.kind == kind else {
            throw .invalid("\(argument): a \(handle.kind) handle, expected a \(kind) handle")
        }
        return unsafeDowncast(handle, to: type)
    }

    /// Handle `pointer`, checked to be of `kind`, as an unmanaged reference (for the hot path, which borrows it).
    @inline(__always)
    static func unmanaged(_ pointer: OpaquePointer?, kind: Kind, _ argument: String) throws(CallError) -> Unmanaged<Handle> {
        guard let pointer else { throw .null(argument) }
        let unmanaged = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer))
        let actual = unmanaged._withUnsafeGuaranteedRef { $0.kind }
        guard actual == kind else { throw .invalid("\(argument): a \(actual) handle, expected a \(kind) handle") }
        return unmanaged
    }

    /// Releases C's reference to handle `pointer` (nothing for NULL or a handle not of `kind`).
    static func release(_ pointer: OpaquePointer?, kind: Kind) {
        guard let pointer else { return }
        let unmanaged = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer))
        guard unmanaged.takeUnretainedValue().kind == kind else {
            LastError.set("destroy: a \(unmanaged.takeUnretainedValue().kind) handle passed to the \(kind) destroy; ignored")
            return
        }
        unmanaged.release()
    }
}

/// Writes handle `object` to `out` (already checked non-null).
@inline(__always)
func give(_ object: Handle, to out: UnsafeMutablePointer<OpaquePointer?>) {
    out.pointee = object.retainedPointer()
}

/// A world: the data folder in which named tracks, cars and personas are found.
final class WorldHandle: Handle {
    /// The folder holding `tracks/`, `cars/` and `personas/`.
    let dataDirectory: String

    init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
        super.init(kind: .world)
    }

    /// The search folders for `folder` (`tracks`, `cars`, `personas`).
    func directories(_ folder: String) -> [String] {
        [dataDirectory.hasSuffix("/") ? dataDirectory + folder : dataDirectory + "/" + folder]
    }
}

/// A loaded circuit.
final class TrackHandle: Handle {
    let track: Track
    init(_ track: Track) {
        self.track = track
        super.init(kind: .track)
    }
}

/// A loaded car.
final class CarHandle: Handle {
    let car: CarSpec
    init(_ car: CarSpec) {
        self.car = car
        super.init(kind: .car)
    }
}

/// A loaded persona.
final class PersonaHandle: Handle {
    let persona: Persona
    init(_ persona: Persona) {
        self.persona = persona
        super.init(kind: .persona)
    }
}
