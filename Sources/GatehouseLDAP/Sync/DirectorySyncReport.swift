/// What a synchronisation run did.
public struct DirectorySyncReport: Sendable {
    public enum Kind: String, Sendable {
        /// Every entry read (paged, RFC 2696) and compared; accounts without an entry disabled.
        case full
        /// Only what changed since the last run.
        case incremental
    }

    public var directory: String
    public var kind: Kind
    /// How changes were found: `content-sync` (RFC 4533) or `modify-timestamp`.
    public var method: DirectorySyncConfiguration.IncrementalMethod
    public var dryRun: Bool
    public var counts: DirectorySyncCounts
    /// Entries (and RFC 4533 identifiers) read from the directory.
    public var entriesRead: Int
    /// Usernames of the accounts disabled (or that would be).
    public var disabledAccounts: [String]
    /// Things an operator should know: groups not found, a cookie the server refused.
    public var warnings: [String]
    public var duration: Duration
}

/// Where a run reports as it goes; both closures are optional.
public struct DirectorySyncObserver: Sendable {
    /// Called after each page with what the run has read and done so far.
    public var progress: (@Sendable (DirectorySyncProgress) -> Void)?
    /// Called with each change (one line each, as `AccountSyncPlan.lines`) and each skipped entry.
    public var change: (@Sendable (String) -> Void)?

    public init(progress: (@Sendable (DirectorySyncProgress) -> Void)? = nil, change: (@Sendable (String) -> Void)? = nil) {
        self.progress = progress
        self.change = change
    }
}

/// A run's figures so far.
public struct DirectorySyncProgress: Sendable {
    public var entriesRead: Int
    public var counts: DirectorySyncCounts
    public var elapsed: Duration
}
