/// How many accounts a synchronisation created, updated, moved, disabled and enabled again,
/// how many grants it added and removed, and how many entries needed nothing.
public struct DirectorySyncCounts: Sendable, Hashable {
    public var created = 0
    /// Renamed, or given a new display name or email.
    public var updated = 0
    /// Given another home unit.
    public var moved = 0
    public var disabled = 0
    public var reenabled = 0
    public var grantsAdded = 0
    public var grantsRemoved = 0
    /// Entries read that needed no change.
    public var unchanged = 0
    /// Entries that could not become accounts (no unit rule matches, an invalid username, the
    /// username taken by another account).
    public var skipped = 0

    public init() {}

    /// Adds the changes of `plan`; a plan that changes nothing counts as unchanged.
    mutating func count(_ plan: AccountSyncPlan) {
        var updatedOnce = false
        var counted = false
        for change in plan.changes {
            counted = true
            switch change {
            case .create: created += 1
            case .rename, .displayName, .email:
                if !updatedOnce { updated += 1 }
                updatedOnce = true
            case .move: moved += 1
            case .disable: disabled += 1
            case .enable: reenabled += 1
            case .grantAdded: grantsAdded += 1
            case .grantRemoved: grantsRemoved += 1
            }
        }
        if !counted { unchanged += 1 }
    }

    /// Whether the run changed (or would change) anything.
    public var hasChanges: Bool {
        created + updated + moved + disabled + reenabled + grantsAdded + grantsRemoved > 0
    }

    /// The figures by name, for audit details and summaries, in table order.
    public var figures: [(name: String, value: Int)] {
        [("created", created), ("updated", updated), ("moved", moved), ("disabled", disabled), ("re-enabled", reenabled),
         ("grants added", grantsAdded), ("grants removed", grantsRemoved), ("unchanged", unchanged), ("skipped", skipped)]
    }

    /// The counts as an audit event's detail: `created` … `skipped`, names with underscores.
    public var auditDetail: [String: String] {
        Dictionary(uniqueKeysWithValues: figures.map { ($0.name.replacingSpaces, String($0.value)) })
    }

    /// The summary table: one figure a line, right-aligned, thousands grouped.
    ///
    /// ```
    /// created         149,988
    /// updated               0
    /// …
    /// ```
    public func table(extra: [(String, String)] = []) -> String {
        let rows = figures.map { ($0.name, Self.grouped($0.value)) } + extra
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { label, value in
            AccountSyncPlan.pad(label, labelWidth) + "  " + String(repeating: " ", count: valueWidth - value.count) + value
        }.joined(separator: "\n")
    }

    /// `150000` → `150,000`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }
}

extension String {
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "_" : $0 }) }
}
