public import Foundation
public import GatehouseCore

/// What the store remembers between two synchronisations of one LDAP directory.
///
/// ```swift
/// var state = try tx.directorySyncState(directory: "ha-noi") ?? DirectorySyncState(directory: "ha-noi")
/// state.cookie = Array("rid=000,csn=20250101000000.000000Z#000000#000#000000".utf8)
/// state.lastSyncAt = now
/// try tx.saveDirectorySyncState(state)
/// ```
public struct DirectorySyncState: Hashable, Sendable {
    /// The directory's name in `ldap.yaml`.
    public var directory: String
    /// The RFC 4533 content-synchronisation cookie (`syncCookie`, opaque bytes) the next
    /// incremental refresh starts from; nil when none is held.
    public var cookie: [UInt8]?
    /// For directories without RFC 4533: the greatest `modifyTimestamp` (RFC 4512 §3.4,
    /// GeneralizedTime) seen, from which the next incremental search starts.
    public var watermark: String?
    /// A digest of the settings that decide what an entry becomes (filters, attribute map,
    /// unit and group rules). A change forces a full synchronisation.
    public var configurationDigest: String?
    /// For each group rule, a digest of the rule and of its group's members at the last run,
    /// so an incremental run recomputes only the rules whose group changed.
    public var groupDigests: [String: String]
    /// When the last full synchronisation finished.
    public var lastFullSyncAt: Date?
    /// When the last synchronisation, full or incremental, finished.
    public var lastSyncAt: Date?

    public init(
        directory: String, cookie: [UInt8]? = nil, watermark: String? = nil, configurationDigest: String? = nil,
        groupDigests: [String: String] = [:], lastFullSyncAt: Date? = nil, lastSyncAt: Date? = nil
    ) {
        self.directory = directory
        self.cookie = cookie
        self.watermark = watermark
        self.configurationDigest = configurationDigest
        self.groupDigests = groupDigests
        self.lastFullSyncAt = lastFullSyncAt
        self.lastSyncAt = lastSyncAt
    }
}

/// Who may synchronise a directory until when. One node at a time holds it; a holder that
/// stops renewing it loses it when it expires.
public struct DirectoryLease: Hashable, Sendable {
    public var directory: String
    /// The node (and run) that holds it, e.g. `node-1/4c1f…`.
    public var holder: String
    public var expiresAt: Date

    public init(directory: String, holder: String, expiresAt: Date) {
        self.directory = directory
        self.holder = holder
        self.expiresAt = expiresAt
    }
}

/// A directory-sourced account with what the synchronisation keeps beside it.
public struct DirectoryAccount: Hashable, Sendable {
    public var account: Account
    /// The entry's DN as the server last spelled it; nil before the first synchronisation
    /// recorded it. For people and logs: compare `dnKey`.
    public var dn: String?
    /// The DN in a canonical form (parsed and normalised), for resolving group members.
    public var dnKey: String?
    /// Whether the synchronisation disabled the account because its entry went away, so it
    /// may enable it again when the entry comes back. An account an administrator disabled
    /// stays disabled.
    public var disabledBySync: Bool
    /// Every grant the account holds, oldest first.
    public var grants: [RoleGrant]
    /// Which of `grants` the directory's group rules made, and so may take away. Grants given
    /// by hand are not among them.
    public var managedGrantIDs: Set<UUID>

    public init(
        account: Account, dn: String? = nil, dnKey: String? = nil, disabledBySync: Bool = false, grants: [RoleGrant] = [],
        managedGrantIDs: Set<UUID> = []
    ) {
        self.account = account
        self.dn = dn
        self.dnKey = dnKey
        self.disabledBySync = disabledBySync
        self.grants = grants
        self.managedGrantIDs = managedGrantIDs
    }

    /// The grants the synchronisation made.
    public var managedGrants: [RoleGrant] { grants.filter { managedGrantIDs.contains($0.id) } }
}
