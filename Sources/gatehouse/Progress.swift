import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long command on standard error, as `rows 42,000/150,000 · 7,900 rows/s · 14 s left`.
///
/// On a terminal the line is rewritten in place (at most ten times a second) and cleared at the
/// end. Otherwise (a log file, a pipe) a plain line is written when the first step is done and
/// then every `interval` seconds, so that logs stay readable.
///
/// ```swift
/// var progress = ProgressLine(total: rows.count, unit: "rows")
/// for batch in batches { …; progress.advance(to: done) }
/// progress.finish()
/// ```
struct ProgressLine {
    let total: Int
    let unit: String
    let interactive: Bool
    let interval: TimeInterval
    private let started = Date()
    private var lastShown: Date?
    private var shownOnce = false

    /// `interactive` defaults to whether standard error is a terminal.
    init(total: Int, unit: String, interactive: Bool = isatty(STDERR_FILENO) == 1, interval: TimeInterval = 5) {
        self.total = total
        self.unit = unit
        self.interactive = interactive
        self.interval = interval
    }

    /// Seconds since the progress started.
    var elapsed: TimeInterval { Date().timeIntervalSince(started) }

    /// Reports that `done` of `total` are done.
    mutating func advance(to done: Int) {
        let now = Date()
        let due = interactive ? 0.1 : interval
        if shownOnce, let last = lastShown, now.timeIntervalSince(last) < due, done < total { return }
        lastShown = now
        shownOnce = true
        let line = Self.text(done: done, total: total, unit: unit, elapsed: now.timeIntervalSince(started))
        Self.write(interactive ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Clears the updating line on a terminal, so that other lines can be written; the next
    /// `advance` draws it again. Nothing otherwise.
    func clear() {
        if interactive && shownOnce { Self.write("\r\u{1B}[K") }
    }

    /// Clears the updating line on a terminal at the end; nothing otherwise.
    func finish() { clear() }

    /// `rows 42,000/150,000 · 7,900 rows/s · 14 s left`.
    static func text(done: Int, total: Int, unit: String, elapsed: TimeInterval) -> String {
        var parts = ["\(unit) \(grouped(done))/\(grouped(total))"]
        if elapsed > 0, done > 0 {
            let rate = Double(done) / elapsed
            parts.append("\(grouped(Int(rate.rounded()))) \(unit)/s")
            parts.append("\(Int((Double(total - done) / rate).rounded(.up))) s left")
        }
        return parts.joined(separator: " · ")
    }

    /// `150000` → `150,000`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    private static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
