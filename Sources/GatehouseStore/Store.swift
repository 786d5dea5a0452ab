public import Foundation
public import GatehouseCore
public import GatehouseSCIM

/// All persistence in Gatehouse goes through this protocol. Two backends implement it
/// (SQLite, PostgreSQL) and both pass the same conformance suite (`StoreConformance`).
///
/// Work happens in transactions whose bodies are synchronous closures that the backend
/// runs on a thread of its own, never on the event loop or the cooperative pool:
///
/// ```swift
/// let account = try await store.write { tx in
///     var a = try tx.account(id: id)
///     a.status = .disabled
///     try tx.updateAccount(a)                       // bumps a.version
///     try tx.appendAudit(AuditRecord(action: "account.disable", actor: "cli", time: now))
///     return a
/// }
/// ```
///
/// A write body that throws rolls back everything it did, audit events included. A write
/// body may be run more than once when the backend retries a serialization conflict, so it
/// must not have side effects outside the transaction.
///
/// A store error raised by the database itself (a duplicate key, a dangling reference) ends
/// the transaction: PostgreSQL aborts it, and every backend then refuses to commit, throwing
/// that error from `write` even if the body caught it. Check first, or use a separate `write`,
/// when a failure is expected and should not undo the rest. Errors the store raises before
/// touching the database (`notFound` from a lookup, `conflict` from a stale version, `invalid`
/// from a check it makes itself) leave the transaction usable.
///
/// The store stamps `updatedAt` with its clock on every update, and keeps times to the
/// millisecond: a value read back equals the value written once both are rounded to
/// milliseconds.
public protocol Store: Sendable {
    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    /// Runs `body` in a read-write transaction, committed when it returns.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// Checks that the database answers (for `/health/ready`).
    func ping() async throws
    /// Closes every connection. Calls after `close` fail with `unavailable`.
    func close() async
}

/// A page of results for list queries.
public struct Page: Hashable, Sendable {
    public var limit: Int
    public var offset: Int
    public init(limit: Int = 100, offset: Int = 0) { self.limit = max(0, min(limit, 10_000)); self.offset = max(0, offset) }
}

/// What ``StoreWriter/mergeUnit(id:into:)`` moved.
public struct UnitMergeCounts: Hashable, Sendable, Codable {
    /// Accounts whose home unit became the target.
    public var accounts: Int
    /// Grants now at the target.
    public var grantsMoved: Int
    /// Grants dropped because the account already held the role at the target.
    public var grantsDropped: Int
    /// Child units now under the target (their own subtrees moved with them).
    public var children: Int
    /// Clients whose owning unit became the target.
    public var clientsMoved: Int
    public init(accounts: Int = 0, grantsMoved: Int = 0, grantsDropped: Int = 0, children: Int = 0, clientsMoved: Int = 0) {
        self.accounts = accounts; self.grantsMoved = grantsMoved; self.grantsDropped = grantsDropped; self.children = children
        self.clientsMoved = clientsMoved
    }
}

/// Filters for listing accounts. Every field narrows the result; `nil` means any.
public struct AccountQuery: Hashable, Sendable {
    /// Accounts whose home unit lies in this subtree.
    public var subtree: UnitPath?
    /// Username prefix (folded like usernames are).
    public var usernamePrefix: String?
    public var status: AccountStatus?
    /// Directory name for directory-sourced accounts.
    public var directory: String?
    /// Accounts whose home unit lies in one of these subtrees: an administrator's reach, which
    /// may be several grants wide. `nil`: anywhere; empty: nowhere.
    public var within: [UnitPath]?
    /// A filter tree (SCIM filters, the console's search box), run with bound parameters.
    public var filter: SCIMStoreQuery?
    /// Order of the results; the username breaks ties so pages are stable.
    public var sortBy: SCIMStoreField
    public var descending: Bool

    public init(subtree: UnitPath? = nil, usernamePrefix: String? = nil, status: AccountStatus? = nil, directory: String? = nil,
                within: [UnitPath]? = nil, filter: SCIMStoreQuery? = nil, sortBy: SCIMStoreField = .username, descending: Bool = false) {
        self.subtree = subtree; self.usernamePrefix = usernamePrefix; self.status = status; self.directory = directory
        self.within = within; self.filter = filter; self.sortBy = sortBy; self.descending = descending
    }
}

/// Read operations, available in both read and write transactions.
public protocol StoreReader {
    // Units
    func unit(id: UUID) throws -> OrgUnit
    func unit(path: UnitPath) throws -> OrgUnit
    /// Units in `subtree` (itself included), ordered by the path's bytes (so `/ha-noi-2` sorts
    /// before `/ha-noi/phuong-ba-dinh`; sort with `UnitPath.<` for depth-first order).
    func units(in subtree: UnitPath, page: Page) throws -> [OrgUnit]
    func countUnits(in subtree: UnitPath) throws -> Int

    // Accounts
    func account(id: UUID) throws -> Account
    func account(username: Username) throws -> Account
    func account(directory: String, externalID: String) throws -> Account
    /// Accounts matching `query`, ordered by username.
    func accounts(_ query: AccountQuery, page: Page) throws -> [Account]
    func countAccounts(_ query: AccountQuery) throws -> Int

    // Role grants
    func grant(id: UUID) throws -> RoleGrant
    /// Grants held by `accountID`, oldest first.
    func grants(accountID: UUID) throws -> [RoleGrant]
    /// Grants with their unit paths resolved, for authorization decisions, ordered by path and role.
    func effectiveGrants(accountID: UUID) throws -> [EffectiveGrant]
    /// Grants made at `unitID` itself (not its subtree), oldest first.
    func grants(unitID: UUID) throws -> [RoleGrant]

    // Clients
    func client(id: String) throws -> Client
    /// Every client, ordered by id.
    func clients() throws -> [Client]

    // Protocol state
    func authorizationCode(hash: String) throws -> AuthorizationCode
    func session(idHash: String) throws -> SSOSession
    /// Sessions of `accountID`, revoked and expired ones included, oldest first.
    func sessions(accountID: UUID) throws -> [SSOSession]
    func refreshFamily(id: UUID) throws -> RefreshFamily
    func consent(accountID: UUID, clientID: String) throws -> Consent
    /// Whether the access token with this `jti` was revoked (RFC 7009) and the revocation is
    /// still kept (see `revokeAccessToken`).
    func isAccessTokenRevoked(jti: String) throws -> Bool

    // Back-channel logout deliveries
    func backchannelDelivery(id: UUID) throws -> BackchannelDelivery
    /// Deliveries with `status` (any when `nil`), oldest first (by `createdAt`, then id).
    func backchannelDeliveries(status: BackchannelDeliveryStatus?, page: Page) throws -> [BackchannelDelivery]
    func countBackchannelDeliveries(status: BackchannelDeliveryStatus?) throws -> Int

    // Audit
    /// Events with `sequence > after`, ascending.
    func auditEvents(after sequence: Int64, limit: Int) throws -> [AuditEvent]
    /// The last appended event, or `nil` when the log is empty.
    func lastAuditEvent() throws -> AuditEvent?
    /// Events after `sequence` whose unit lies in one of `subtrees` (the unit as recorded when
    /// the event happened), oldest first. An event without a unit is in the root's subtree only.
    func auditEvents(within subtrees: [UnitPath], after sequence: Int64, limit: Int) throws -> [AuditEvent]

    // Revocation feed
    /// Revocation events with `sequence > after`, ascending, at most `limit` of them.
    /// Sequences are assigned in commit order, so a reader that passes the last sequence it
    /// saw never misses an event committed later.
    func revocations(after sequence: Int64, limit: Int) throws -> [RevocationEvent]
    /// `oldest`: the smallest sequence still kept (0 when none is); `latest`: the last
    /// sequence ever assigned (0 before the first append), which pruning never lowers.
    func revocationBounds() throws -> (oldest: Int64, latest: Int64)

    // LDAP directory synchronisation (see `DirectorySyncState`, `DirectoryAccount`)
    func directorySyncState(directory: String) throws -> DirectorySyncState?
    func directoryLease(directory: String) throws -> DirectoryLease?
    /// Accounts of `directory` with external id greater than `externalID` (all when nil),
    /// ordered by external id, at most `limit`: a keyset page.
    func directoryAccounts(directory: String, after externalID: String?, limit: Int) throws -> [DirectoryAccount]
    /// Accounts of `directory` with one of `externalIDs`, in no particular order.
    func directoryAccounts(directory: String, externalIDs: [String]) throws -> [DirectoryAccount]
    /// Accounts of `directory` whose recorded DN key is one of `dnKeys`, in no particular order.
    func directoryAccounts(directory: String, dnKeys: [String]) throws -> [DirectoryAccount]
    /// Every grant the synchronisation of `directory` made, oldest first.
    func directoryGrants(directory: String) throws -> [RoleGrant]
    /// The verifier of the password that last bound at the directory for `accountID`, kept
    /// only where `cached_password_fallback` is on; nil when none is kept.
    func directoryPasswordVerifier(accountID: UUID) throws -> String?

    // Bulk reads (imports): a few statements for many rows
    /// The accounts with one of `usernames` (those that exist), in no particular order.
    func accounts(usernames: [Username]) throws -> [Account]
    /// The grants held by any of `accountIDs`, oldest first.
    func grants(accountIDs: [UUID]) throws -> [RoleGrant]

    // Login throttling (see `ThrottleCounter`)
    /// The stored counters among `keys` (those that exist), in no particular order.
    func throttleCounters(keys: [String]) throws -> [ThrottleCounter]
}

/// Write operations. Every method either applies completely or throws; the enclosing
/// transaction decides whether any of it is kept.
public protocol StoreWriter: StoreReader {
    // Units
    /// Inserts a province or commune under its existing parent (`invalid` when the parent is
    /// missing or its path is not `unit.path.parent`).
    func insertUnit(_ unit: OrgUnit) throws
    /// Changes a unit's name and code; returns it as stored. The path and parent change only
    /// through `moveUnit` (`invalid` here).
    @discardableResult func updateUnit(_ unit: OrgUnit) throws -> OrgUnit
    /// Deletes a unit with no children, accounts, grants or owned clients; `invalid` otherwise
    /// (naming the clients).
    func deleteUnit(id: UUID) throws
    /// Moves `unitID`'s subtree under `newParentID` (optionally renaming its slug), rewriting
    /// every descendant path. Accounts, grants and clients reference units by id and so follow.
    /// Refused as `invalid` for the root, for a parent inside the unit's own subtree, and when
    /// the subtree would reach below commune level; `alreadyExists` when the new path is taken.
    /// Returns the moved unit.
    func moveUnit(id: UUID, toParent newParentID: UUID, slug: String?) throws -> OrgUnit
    /// Merges unit `id` into `targetID`, a unit of the same level: its accounts, grants and
    /// owned clients move to the target (a grant the account already holds there is dropped as
    /// redundant), its children move under the target (`alreadyExists` when a slug is taken
    /// there), and the unit is deleted. `invalid` for the root, for units of different levels,
    /// and for a target inside the unit's own subtree.
    @discardableResult func mergeUnit(id: UUID, into targetID: UUID) throws -> UnitMergeCounts

    // Accounts
    func insertAccount(_ account: Account) throws
    /// Stores `account` if its `version` still matches the stored one (else `conflict`);
    /// returns it with the version incremented and `updatedAt` set to now.
    @discardableResult func updateAccount(_ account: Account) throws -> Account
    /// Deletes the account with its grants, sessions, refresh families, consents and codes.
    func deleteAccount(id: UUID) throws

    // Role grants
    func insertGrant(_ grant: RoleGrant) throws
    func deleteGrant(id: UUID) throws

    // Clients
    func insertClient(_ client: Client) throws
    /// Replaces the stored client; returns it as stored.
    @discardableResult func updateClient(_ client: Client) throws -> Client
    /// Deletes the client with its codes, refresh families, consents and assertion records.
    func deleteClient(id: String) throws

    // Protocol state
    func insertAuthorizationCode(_ code: AuthorizationCode) throws
    /// Marks the code consumed and returns it. A code already consumed throws `conflict`
    /// (the caller treats that as a replay); an unknown code `notFound`. Expiry is the caller's
    /// to check.
    func consumeAuthorizationCode(hash: String, at time: Date) throws -> AuthorizationCode
    /// Deletes codes with `expiresAt < time`; returns how many.
    func deleteExpiredAuthorizationCodes(before time: Date) throws -> Int

    func insertSession(_ session: SSOSession) throws
    func updateSession(_ session: SSOSession) throws
    /// Revokes every live session of `accountID` (not revoked, `expiresAt > time`); returns
    /// those revoked, as stored.
    func revokeSessions(accountID: UUID, at time: Date) throws -> [SSOSession]
    /// Deletes sessions with `expiresAt < time`; returns how many.
    func deleteExpiredSessions(before time: Date) throws -> Int

    func insertRefreshFamily(_ family: RefreshFamily) throws
    func updateRefreshFamily(_ family: RefreshFamily) throws
    /// Revokes every live family (not revoked, `expiresAt > time`) of the session `sessionID`;
    /// returns the ids of those revoked, in no particular order.
    func revokeRefreshFamilies(sessionID: String, at time: Date) throws -> [UUID]
    /// Revokes every live family of `accountID`; returns the ids of those revoked.
    func revokeRefreshFamilies(accountID: UUID, at time: Date) throws -> [UUID]

    /// Inserts the consent or replaces the stored one for the same account and client.
    func upsertConsent(_ consent: Consent) throws
    func deleteConsent(accountID: UUID, clientID: String) throws

    /// Records that `clientID` used a client assertion (RFC 7523) with this `jti`, keeping it
    /// until `expiresAt`. Returns `false`, changing nothing, when the client already used `jti`
    /// and that record has not expired at `time`: a replay. A record expired at `time` is
    /// replaced. Never fails on the duplicate, so a replay leaves the transaction usable.
    func recordClientAssertion(clientID: String, jti: String, expiresAt: Date, at time: Date) throws -> Bool
    /// Deletes assertion records with `expiresAt < time`; returns how many.
    func deleteExpiredClientAssertions(before time: Date) throws -> Int
    /// Marks the access token `jti` revoked until `expiresAt` (when it expires anyway).
    /// Revoking it again keeps the later expiry.
    func revokeAccessToken(jti: String, expiresAt: Date) throws
    /// Deletes revocations with `expiresAt < time`; returns how many.
    func deleteExpiredAccessTokenRevocations(before time: Date) throws -> Int

    // Back-channel logout deliveries
    /// Inserts a delivery. A pending one must carry its logout token and a finished one must
    /// not (`invalid` otherwise); its lease fields are ignored (a new delivery is not leased).
    func insertBackchannelDelivery(_ delivery: BackchannelDelivery) throws
    /// Leases up to `limit` pending deliveries that are due at `time` (`nextAttemptAt <= time`)
    /// and not leased at `time` (no lease, or `leasedUntil < time`), soonest due first: each gets
    /// `leaseID` until `leasedUntil`. Returns them as stored, with their logout tokens. Two
    /// transactions never lease the same delivery for overlapping times, so nodes sharing the
    /// store attempt each delivery one at a time.
    func leaseBackchannelDeliveries(dueAt time: Date, leaseID: UUID, leasedUntil: Date, limit: Int) throws -> [BackchannelDelivery]
    /// Records an attempt made under `leaseID`: stores `delivery`'s status, attempts,
    /// `nextAttemptAt`, `lastAttemptAt`, `lastError` and `deliveredAt`, and releases the lease.
    /// The logout token is dropped when the status is no longer pending. Returns `false`,
    /// changing nothing, when the delivery is gone or no longer under `leaseID` (another node
    /// leased it after this lease ran out).
    func recordBackchannelAttempt(_ delivery: BackchannelDelivery, leaseID: UUID) throws -> Bool
    /// Deletes delivered and failed deliveries created before `time`; returns how many.
    func deleteFinishedBackchannelDeliveries(createdBefore time: Date) throws -> Int

    // Audit
    /// Appends `record` to the hash chain and returns the event as stored: sequence one past
    /// the last, `hash` computed by `AuditChain.hash(previousHash:record:sequence:)`.
    @discardableResult func appendAudit(_ record: AuditRecord) throws -> AuditEvent

    // Revocation feed
    /// Appends an event to the revocation feed and returns its sequence: one past the last
    /// ever assigned. Sequences are taken from a counter held until the transaction ends, so
    /// transactions that append commit in sequence order and a reader never sees sequence
    /// N+1 without N. `invalid` for an empty `value`.
    @discardableResult func appendRevocation(kind: RevocationEvent.Kind, value: String, time: Date, expires: Date) throws -> Int64
    /// Deletes revocation events with `expiresAt < time`; returns how many.
    func deleteExpiredRevocations(before time: Date) throws -> Int

    // LDAP directory synchronisation
    /// Inserts or replaces the state of `state.directory`.
    func saveDirectorySyncState(_ state: DirectorySyncState) throws
    /// Takes or renews the lease of `directory` for `holder` until `until`: succeeds when no
    /// one holds it, `holder` already does, or the holder's lease expired before `time`.
    /// Returns `false`, changing nothing, while another holder's lease runs. Never fails on the
    /// race, so two nodes that try at once leave with one winner and usable transactions.
    func acquireDirectoryLease(directory: String, holder: String, until: Date, at time: Date) throws -> Bool
    /// Extends the lease of `directory` to `until` if `holder` still holds it (its row is there
    /// and names it, expired or not); returns `false`, changing nothing, once it was released
    /// or another holder took it. A run renews rather than re-acquires, so a run that lost its
    /// lease never writes again, even after the new holder let it go.
    func renewDirectoryLease(directory: String, holder: String, until: Date) throws -> Bool
    /// Gives the lease up if `holder` holds it; returns whether it did.
    @discardableResult func releaseDirectoryLease(directory: String, holder: String) throws -> Bool
    /// Records the entry behind the directory account `accountID`: its DN, DN key and whether
    /// the synchronisation disabled it. `invalid` for a local account, `notFound` for none.
    func recordDirectoryEntry(accountID: UUID, dn: String, dnKey: String, disabledBySync: Bool) throws
    /// Inserts `grant` as one the synchronisation of `directory` manages (and may delete).
    /// Deleting the grant (`deleteGrant`) forgets that too.
    func insertDirectoryGrant(_ grant: RoleGrant, directory: String) throws
    /// Keeps `verifier` (a PHC string, never a password) for the directory account `accountID`.
    func storeDirectoryPasswordVerifier(accountID: UUID, verifier: String, at time: Date) throws
    /// Forgets the verifier of `accountID`; returns whether one was kept.
    @discardableResult func deleteDirectoryPasswordVerifier(accountID: UUID) throws -> Bool
    /// Forgets the verifiers of every account of `directory`; returns how many.
    @discardableResult func deleteDirectoryPasswordVerifiers(directory: String) throws -> Int

    // Bulk writes (imports): a few statements for many rows
    /// Inserts every account in `accounts`, as `insertAccount` would one by one, in as few
    /// statements as the backend allows. A duplicate or a missing unit fails the call.
    func insertAccounts(_ accounts: [Account]) throws
    /// Inserts every grant in `grants`, as `insertGrant` would one by one, in few statements.
    func insertGrants(_ grants: [RoleGrant]) throws

    // Login throttling (see `ThrottleCounter`)
    /// Counts one failure under `key` at `time` in one atomic statement, so concurrent
    /// writers on every node never lose a count: a new key, or one whose last failure is
    /// `window` or more before `time`, starts again at 1 (its block, if any, is kept); any
    /// other adds 1. Returns the counter as stored.
    @discardableResult func recordThrottleFailure(key: String, at time: Date, window: TimeInterval) throws -> ThrottleCounter
    /// Blocks `key` until `until`, or keeps its block if that ends later; `notFound` for a key
    /// with no counter.
    func blockThrottle(key: String, until: Date) throws
    /// Forgets the counter of `key` (a successful login); returns whether there was one.
    @discardableResult func resetThrottle(key: String) throws -> Bool
    /// Deletes counters whose last failure is before `time` and whose block (if any) ended
    /// before `time`; returns how many.
    func deleteExpiredThrottleCounters(before time: Date) throws -> Int
}

/// Failures counted under one key, for slowing down and then stopping password guessing
/// (NIST SP 800-63B §5.2.2). The key says what is counted, e.g. an account from one network
/// or a source address; the store gives keys no meaning. The counters live in the store so
/// every node sharing it sees the same counts.
public struct ThrottleCounter: Hashable, Sendable {
    public var key: String
    /// Failures since the count last started.
    public var failures: Int
    public var lastFailureAt: Date
    /// Attempts under this key are refused until then; `nil` when never blocked.
    public var blockedUntil: Date?

    public init(key: String, failures: Int, lastFailureAt: Date, blockedUntil: Date? = nil) {
        self.key = key
        self.failures = failures
        self.lastFailureAt = lastFailureAt
        self.blockedUntil = blockedUntil
    }

    /// Whether attempts under this key are refused at `time`.
    public func isBlocked(at time: Date) -> Bool { blockedUntil.map { time < $0 } ?? false }
}
