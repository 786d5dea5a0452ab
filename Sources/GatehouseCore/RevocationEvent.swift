public import Foundation

/// One entry of the revocation feed: something that ended, named by a value that tokens
/// carry, so that applications verifying tokens offline refuse them without asking the
/// server (see the README's "Revocation feed").
///
/// The store numbers events in commit order (`sequence` 1, 2, 3…), so a reader that asks
/// for everything after the last number it saw never skips one. Events are kept until
/// `expiresAt`, when every token they could refuse has expired on its own.
///
/// ```swift
/// let sequence = try tx.appendRevocation(kind: .session, value: session.idHash, time: now, expires: session.expiresAt + 60)
/// let page = try tx.revocations(after: 0, limit: 500)
/// ```
public struct RevocationEvent: Hashable, Sendable, Codable {
    /// What an event names, with the token claim it is compared with.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// An SSO session ended (logout, reuse of a refresh token, a replayed code): refuse every
        /// token whose `sid` claim is the value.
        case session = "sid"
        /// Every token of the subject `value` issued at or before `time` (`iat` ≤ `time`): the
        /// account was disabled, or all of its sessions ended at once.
        case subject = "sub"
        /// One access token, by its `jti`, revoked through RFC 7009.
        case token = "jti"
        /// A grant (a refresh-token family) was revoked: refuse access tokens whose `gid` claim
        /// is the value.
        case grant = "gid"
    }

    /// Its place in the feed, assigned by the store: one past the last event ever appended.
    public var sequence: Int64
    public var kind: Kind
    /// The `sid`, `sub`, `jti` or `gid` value.
    public var value: String
    /// When it happened.
    public var time: Date
    /// When it stops mattering: every token it could refuse has expired by then.
    public var expiresAt: Date

    public init(sequence: Int64, kind: Kind, value: String, time: Date, expiresAt: Date) {
        self.sequence = sequence
        self.kind = kind
        self.value = value
        self.time = time
        self.expiresAt = expiresAt
    }
}
