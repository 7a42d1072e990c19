import Foundation
import Synchronization

/// A one-line progress display on standard error, redrawn in place: a bar with the share done, a label and an
/// estimate of the time left. It draws only on a terminal, only when enabled (not `--quiet`) and only once the run
/// has lasted `delay` seconds, so short runs and redirected output stay clean. Notes (`note`) are printed one per
/// line whenever the display is enabled. Safe to call from worker threads.
final class ProgressDisplay: Sendable {
    let enabled: Bool
    /// Whether standard error is a terminal.
    let isTerminal = isatty(2) != 0
    /// Seconds a run lasts before the bar appears.
    let delay: Double
    private let started = Date()
    private struct State {
        var lastDraw = Date.distantPast
        var drawn = false
    }
    private let state = Mutex(State())

    init(enabled: Bool, delay: Double = 2) {
        self.enabled = enabled
        self.delay = delay
    }

    /// Seconds since the display was made.
    var elapsed: Double { Date().timeIntervalSince(started) }

    /// Draws `line()` if a draw is due: enabled, on a terminal, past the delay, and 0.2 s after the last draw.
    private func drawIfDue(_ line: () -> String) {
        guard enabled, isTerminal else { return }
        let now = Date()
        guard now.timeIntervalSince(started) >= delay else { return }
        state.withLock { state in
            guard now.timeIntervalSince(state.lastDraw) > 0.2 else { return }
            state.lastDraw = now
            let text = line()
            let shown = text.count < columns ? text : String(text.prefix(columns - 1))
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + shown).utf8))
            state.drawn = true
        }
    }

    /// Redraws the line with free text.
    func update(_ line: String) {
        drawIfDue { line }
    }

    /// Redraws the line as a bar: `[#######.............]  35%  label  ETA 12 s`. `fraction` is clamped to 0...1;
    /// the estimate assumes the rest goes at the pace so far.
    func bar(_ fraction: Double, _ label: @autoclosure () -> String, showsETA: Bool = true) {
        let elapsed = self.elapsed
        drawIfDue { Self.barLine(fraction, label(), elapsed: showsETA ? elapsed : nil) }
    }

    /// The bar's text (20 cells), for ``bar(_:_:)`` and tests.
    static func barLine(_ fraction: Double, _ label: String, elapsed: Double?, width: Int = 20) -> String {
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let filled = Int((f * Double(width)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        line += String(format: " %3.0f%%  ", 100 * f) + label
        if let elapsed, f > 0.01 && f < 1 {
            line += String(format: "  ETA %.0f s", elapsed / f * (1 - f))
        }
        return line
    }

    /// Prints a note on its own line (clearing the bar first).
    func note(_ line: String) {
        guard enabled else { return }
        state.withLock { state in
            FileHandle.standardError.write(Data(((state.drawn ? "\r\u{1B}[K" : "") + line + "\n").utf8))
            state.drawn = false
        }
    }

    /// Clears the bar, for example before printing to standard output.
    func clear() {
        state.withLock { state in
            guard state.drawn else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            state.drawn = false
        }
    }

    /// Terminal columns (`COLUMNS`, else 120): a longer line would wrap and break the redraw.
    private let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "").flatMap { $0 > 20 ? $0 : nil } ?? 120
}
