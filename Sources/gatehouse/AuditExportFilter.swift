import Foundation
import GatehouseCore

/// Which events `audit export` keeps.
struct AuditExportFilter: Sendable {
    var since: Date?
    var subtree: UnitPath?

    /// Parses the options; a bad value is one clear error.
    init(since: String?, unit: String?) throws {
        if let since {
            guard let date = AuditTime.parse(since) else {
                throw CLIError("--since '\(since)' is neither an RFC 3339 time (2026-05-01T08:00:00Z) nor a date (2026-05-01)")
            }
            self.since = date
        }
        if let unit {
            do { subtree = try UnitPath(unit) } catch { throw CLIError("--unit: \(error)") }
        }
    }

    /// At or after `since`, and with a unit inside `subtree` (an event without a unit is kept
    /// only when no subtree is asked for).
    func keeps(_ event: AuditEvent) -> Bool {
        if let since, event.record.time < since { return false }
        if let subtree {
            guard let unit = event.record.unit, subtree.contains(unit) else { return false }
        }
        return true
    }
}
