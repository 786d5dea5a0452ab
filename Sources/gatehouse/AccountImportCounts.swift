import Foundation

/// How many rows an accounts import created, updated, left unchanged and rejected.
struct AccountImportCounts: Sendable, Equatable {
    var created = 0, updated = 0, unchanged = 0, rejected = 0

    /// The counts as the detail of an `account.import` audit event.
    var detail: [String: String] {
        ["created": "\(created)", "updated": "\(updated)", "unchanged": "\(unchanged)"]
    }

    static func += (a: inout AccountImportCounts, b: AccountImportCounts) {
        a.created += b.created
        a.updated += b.updated
        a.unchanged += b.unchanged
        a.rejected += b.rejected
    }

    /// The final table: one figure a line, right-aligned.
    ///
    /// ```
    /// created     149,988
    /// updated           0
    /// unchanged         0
    /// rejected         12
    /// time         18.4 s
    /// rate    8,151 rows/s
    /// ```
    func table(seconds: TimeInterval, dryRun: Bool) -> String {
        let rows = created + updated + unchanged + rejected
        let rate = seconds > 0 ? Int((Double(rows) / seconds).rounded()) : rows
        let figures: [(String, String)] = [
            (dryRun ? "would create" : "created", ProgressLine.grouped(created)),
            (dryRun ? "would update" : "updated", ProgressLine.grouped(updated)),
            ("unchanged", ProgressLine.grouped(unchanged)),
            ("rejected", ProgressLine.grouped(rejected)),
            ("time", String(format: "%.1f s", seconds)),
            ("rate", "\(ProgressLine.grouped(rate)) rows/s"),
        ]
        let labelWidth = figures.map(\.0.count).max()!, valueWidth = figures.map(\.1.count).max()!
        return figures.map { label, value in
            label.padded(labelWidth) + "  " + String(repeating: " ", count: valueWidth - value.count) + value
        }.joined(separator: "\n")
    }
}
