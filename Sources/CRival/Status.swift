import CRivalHeader
#if canImport(Glibc)
import Glibc
#endif

/// A failed C call: the status code it returns and the message `rival_last_error()` gives.
struct CallError: Error {
    /// One of the `RIVAL_ERROR_*` codes.
    var code: Int32
    /// What went wrong, naming the argument or file.
    var message: String

    static func null(_ argument: String) -> CallError {
        CallError(code: RIVAL_ERROR_NULL_ARGUMENT, message: "\(argument): is NULL")
    }

    static func invalid(_ message: String) -> CallError { CallError(code: RIVAL_ERROR_INVALID_ARGUMENT, message: message) }

    static func range(_ message: String) -> CallError { CallError(code: RIVAL_ERROR_OUT_OF_RANGE, message: message) }

    static func load(_ error: any Error) -> CallError { CallError(code: RIVAL_ERROR_LOAD, message: "\(error)") }
}

/// The per-thread last-error message: a `malloc`ed C string under a pthread key, freed when the thread ends.
/// The key is created once; it is the only process-wide value and it is never written after that.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    /// The message of this thread's last failed call, or nil if none.
    static var current: UnsafePointer<CChar>? {
        pthread_getspecific(key).map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) }
    }

    /// Replaces this thread's message.
    static func set(_ message: String) {
        let copy = strdup(message)
        free(pthread_getspecific(key))
        pthread_setspecific(key, copy)
    }
}

/// Runs one C entry point's body: `RIVAL_OK`, or the error's code with its message recorded for this thread.
@inline(__always)
func call(_ body: () throws(CallError) -> Void) -> Int32 {
    do {
        try body()
        return RIVAL_OK
    } catch {
        LastError.set(error.message)
        return error.code
    }
}

/// `pointer`, or a null-argument error naming `argument`.
@inline(__always)
func required<T>(_ pointer: T?, _ argument: String) throws(CallError) -> T {
    guard let pointer else { throw .null(argument) }
    return pointer
}

/// The C string `text` as a Swift string (invalid UTF-8 repaired), or a null-argument error naming `argument`.
func string(_ text: UnsafePointer<CChar>?, _ argument: String) throws(CallError) -> String {
    String(cString: try required(text, argument))
}

/// `value` if it is finite, else an invalid-argument error naming `argument` (only built on failure, so the hot
/// path does not allocate).
@inline(__always)
func finite(_ value: Double, _ argument: @autoclosure () -> String) throws(CallError) -> Double {
    guard value.isFinite else { throw .invalid("\(argument()): \(value): expected a finite number") }
    return value
}

/// A string constant with static storage as a C string.
func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// The message of this thread's last failed call (`""` if none); valid until the next failure on this thread.
@c @implementation
public func rival_last_error() -> UnsafePointer<CChar>! {
    LastError.current ?? cString("")
}

/// The library's version as a C string with static storage.
@c @implementation
public func rival_version() -> UnsafePointer<CChar>! {
    cString("0.1.0")
}
