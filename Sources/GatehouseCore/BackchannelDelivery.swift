public import Foundation

/// Where a back-channel logout delivery stands.
public enum BackchannelDeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt (or being attempted under a lease).
    case pending
    /// The application answered 200 or 204 (OIDC Back-Channel Logout 1.0 §2.8).
    case delivered
    /// Abandoned: too many attempts, too old, the logout token expired, or the URI was refused.
    case failed
}

/// One logout token on its way to one application's back-channel logout URI (OIDC
/// Back-Channel Logout 1.0 §2.5), with the record of its attempts.
///
/// The logout token is kept only while the delivery is pending. It is a signed statement that
/// a session ended, addressed to one client and valid for minutes: it grants no access, and
/// replaying it can only log out a session that is already over. Keeping it until it is sent is
/// what lets another node (or this one after a restart) make the next attempt. The store drops
/// it as soon as the delivery is delivered or failed.
///
/// Several nodes may share one store: a node works on a delivery only while it holds its lease
/// (`leaseID` until `leasedUntil`), so a delivery is attempted by one node at a time.
public struct BackchannelDelivery: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var clientID: String
    /// The client's registered `backchannel_logout_uri`.
    public var uri: String
    /// The signed logout token; `nil` once the delivery is no longer pending.
    public var logoutToken: String?
    /// The token's `sub` (the account id) and `sid` (the session's stored id), for the record.
    public var subject: String?
    public var sessionID: String?
    public var status: BackchannelDeliveryStatus
    /// Attempts made so far.
    public var attempts: Int
    public var createdAt: Date
    /// Not attempted before this time.
    public var nextAttemptAt: Date
    /// Abandoned from this time on: the logout token's expiry, or the retry window's end if sooner.
    public var expiresAt: Date
    public var lastAttemptAt: Date?
    /// Why the last attempt failed, short and without the token (e.g. `HTTP 500`, `timeout`).
    public var lastError: String?
    public var deliveredAt: Date?
    /// The lease the delivery was last taken under, and until when it holds.
    public var leaseID: UUID?
    public var leasedUntil: Date?

    public init(
        id: UUID = UUID(), clientID: String, uri: String, logoutToken: String?, subject: String? = nil, sessionID: String? = nil,
        status: BackchannelDeliveryStatus = .pending, attempts: Int = 0, createdAt: Date, nextAttemptAt: Date? = nil, expiresAt: Date,
        lastAttemptAt: Date? = nil, lastError: String? = nil, deliveredAt: Date? = nil, leaseID: UUID? = nil, leasedUntil: Date? = nil
    ) {
        self.id = id; self.clientID = clientID; self.uri = uri; self.logoutToken = logoutToken; self.subject = subject
        self.sessionID = sessionID; self.status = status; self.attempts = attempts; self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt ?? createdAt; self.expiresAt = expiresAt; self.lastAttemptAt = lastAttemptAt
        self.lastError = lastError; self.deliveredAt = deliveredAt; self.leaseID = leaseID; self.leasedUntil = leasedUntil
    }
}

extension BackchannelDelivery: CustomStringConvertible {
    /// Everything but the logout token, so a delivery can be logged.
    public var description: String {
        var parts = ["id: \(id.uuidString.lowercased())", "client: \(clientID)", "status: \(status.rawValue)", "attempts: \(attempts)"]
        if let lastError { parts.append("last error: \(lastError)") }
        return "BackchannelDelivery(\(parts.joined(separator: ", ")))"
    }
}
