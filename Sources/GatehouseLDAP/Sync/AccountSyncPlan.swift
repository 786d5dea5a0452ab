public import Foundation
public import GatehouseCore

/// What a synchronisation does (or, in a dry run, would do) to one account.
///
/// `description` is one line per change, as `gatehouse ldap sync --dry-run` prints them:
///
/// ```
/// create   nguyen.van.an  "Nguyễn Văn An" <nguyen.van.an@hanoi.gov.vn> at /ha-noi/phuong-ba-dinh
/// move     tran.thi.binh  /ha-noi → /hue
/// grant+   tran.thi.binh  clerk@/hue
/// disable  le.van.cuong   (entry gone or no longer matching the user filter)
/// ```
public struct AccountSyncPlan: Sendable, Hashable, CustomStringConvertible {
    /// Why an account is disabled.
    public enum DisableReason: String, Sendable, Hashable {
        /// Deleted from the directory, or no longer matching the user filter.
        case gone = "entry gone or no longer matching the user filter"
        /// Locked or disabled in the directory itself.
        case disabledInDirectory = "disabled in the directory"
    }

    /// One change, for people and for the counts.
    public enum Change: Sendable, Hashable {
        case create(displayName: String, email: String?, unit: UnitPath)
        case rename(from: String, to: String)
        case displayName(from: String, to: String)
        case email(from: String?, to: String?)
        case move(from: UnitPath, to: UnitPath)
        case disable(DisableReason)
        case enable
        case grantAdded(role: String, unit: UnitPath)
        case grantRemoved(role: String, unit: UnitPath)
    }

    /// The values the account is to have (for a creation, or the fields an update sets).
    struct Target: Sendable, Hashable {
        var username: Username
        var displayName: String
        var email: String?
        var unitID: UUID
    }

    /// A grant to make: `role` at the unit `unitID` (`unit`).
    struct GrantTarget: Sendable, Hashable {
        var role: String
        var unitID: UUID
        var unit: UnitPath
    }

    /// The entry to record beside the account.
    struct EntryRecord: Sendable, Hashable {
        var dn: String
        var dnKey: String
        var disabledBySync: Bool
    }

    public let externalID: String
    /// The account changed; nil for one to create.
    public let accountID: UUID?
    /// The account's username (the new one for a creation or a rename).
    public let username: String
    public internal(set) var changes: [Change]

    var target: Target?
    /// Written when it differs from what the store holds.
    var entry: EntryRecord?
    var grantsToAdd: [GrantTarget] = []
    var grantsToRemove: [RoleGrant] = []

    init(externalID: String, accountID: UUID?, username: String, changes: [Change] = [], target: Target? = nil, entry: EntryRecord? = nil) {
        self.externalID = externalID
        self.accountID = accountID
        self.username = username
        self.changes = changes
        self.target = target
        self.entry = entry
    }

    /// Whether anything is to be written (a plan may only record the entry's new DN).
    var writesAnything: Bool { !changes.isEmpty || entry != nil }

    var isCreation: Bool { changes.contains { if case .create = $0 { true } else { false } } }
    var disables: Bool { changes.contains { if case .disable = $0 { true } else { false } } }
    var enables: Bool { changes.contains(.enable) }

    public var description: String { lines.joined(separator: "\n") }

    /// One line per change.
    public var lines: [String] {
        changes.map { change in
            let (verb, detail) = Self.describe(change)
            return Self.pad(verb, 8) + " " + username + "  " + detail
        }
    }

    static func describe(_ change: Change) -> (String, String) {
        switch change {
        case .create(let name, let email, let unit):
            return ("create", "\"\(name)\"" + (email.map { " <\($0)>" } ?? "") + " at \(unit)")
        case .rename(let from, _): return ("rename", "from \(from)")
        case .displayName(let from, let to): return ("update", "display name \"\(from)\" → \"\(to)\"")
        case .email(let from, let to): return ("update", "email \(from ?? "(none)") → \(to ?? "(none)")")
        case .move(let from, let to): return ("move", "\(from) → \(to)")
        case .disable(let reason): return ("disable", "(\(reason.rawValue))")
        case .enable: return ("enable", "(entry back in the directory)")
        case .grantAdded(let role, let unit): return ("grant+", "\(role)@\(unit)")
        case .grantRemoved(let role, let unit): return ("grant-", "\(role)@\(unit)")
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// An entry the synchronisation could not turn into an account, with why.
public struct DirectorySyncSkip: Sendable, Hashable, CustomStringConvertible {
    public var dn: String
    public var reason: String

    public init(dn: String, reason: String) {
        self.dn = dn
        self.reason = reason
    }

    public var description: String { AccountSyncPlan.pad("skip", 8) + " " + dn + "  (" + reason + ")" }
}
