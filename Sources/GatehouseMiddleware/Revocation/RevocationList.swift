public import Foundation
import Synchronization

/// What one revocation names (the `kind` of a revocation-feed event, see the README's
/// "Revocation feed"): every token and application session carrying that value is refused.
public enum RevocationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An SSO session ended (logout, an administrator, refresh-token reuse): the `sid` claim.
    case session = "sid"
    /// Every token of a subject issued at or before the event's time (account disabled, or
    /// all its sessions ended): the `sub` claim, compared with `iat`.
    case subject = "sub"
    /// One access token (RFC 7009 revocation): the `jti` claim.
    case token = "jti"
    /// One grant, a refresh-token family: the `gid` claim of the access tokens issued from it.
    case grant = "gid"
}

/// One revocation: what it names, when it happened, and until when it matters (after that,
/// every token it could refuse has expired on its own).
public struct Revocation: Sendable, Hashable {
    public var kind: RevocationKind
    public var value: String
    public var time: Date
    public var expires: Date

    public init(kind: RevocationKind, value: String, time: Date, expires: Date) {
        self.kind = kind
        self.value = value
        self.time = time
        self.expires = expires
    }
}

/// The revocations an application knows of, consulted on every request without a call to the
/// server. Filled by the revocation feed (``RevocationFeed``) and by back-channel logouts
/// (``BackchannelLogoutReceiver``); entries are forgotten once they expire.
///
/// Reads take a lock briefly and allocate nothing, so the check costs well under a
/// microsecond beside a signature verification.
public final class RevocationList: Sendable {
    private struct State {
        var sessions: [String: Date] = [:]
        /// Subject → the latest cutoff: tokens issued at or before it are refused.
        var subjects: [String: (cutoff: Date, expires: Date)] = [:]
        var tokens: [String: Date] = [:]
        var grants: [String: Date] = [:]
        var count: Int { sessions.count + subjects.count + tokens.count + grants.count }
    }

    private let state = Mutex(State())

    public init() {}

    /// Records `revocation`. A later revocation of the same subject moves its cutoff forward.
    public func add(_ revocation: Revocation) {
        add([revocation])
    }

    /// Records several revocations at once.
    public func add(_ revocations: some Sequence<Revocation>) {
        state.withLock { state in
            for r in revocations {
                switch r.kind {
                case .session: state.sessions[r.value] = max(state.sessions[r.value] ?? r.expires, r.expires)
                case .token: state.tokens[r.value] = max(state.tokens[r.value] ?? r.expires, r.expires)
                case .grant: state.grants[r.value] = max(state.grants[r.value] ?? r.expires, r.expires)
                case .subject:
                    let old = state.subjects[r.value]
                    state.subjects[r.value] = (max(old?.cutoff ?? r.time, r.time), max(old?.expires ?? r.expires, r.expires))
                }
            }
        }
    }

    /// Whether a token or session with these claims is revoked. `issuedAt` is its `iat`
    /// (for a session, the `iat` of the ID token that opened it); a subject revocation
    /// refuses what was issued at or before its time, and nothing issued after.
    public func isRevoked(subject: String?, sessionID: String?, tokenID: String?, grantID: String?, issuedAt: Date?) -> Bool {
        state.withLock { state in
            if state.count == 0 { return false }
            if let sessionID, state.sessions[sessionID] != nil { return true }
            if let tokenID, state.tokens[tokenID] != nil { return true }
            if let grantID, state.grants[grantID] != nil { return true }
            if let subject, let entry = state.subjects[subject] {
                // Without `iat` there is no telling when the token was issued: refuse it.
                guard let issuedAt else { return true }
                return issuedAt <= entry.cutoff
            }
            return false
        }
    }

    /// Forgets the revocations that expired before `now`; returns how many.
    @discardableResult
    public func purge(now: Date) -> Int {
        state.withLock { state in
            let before = state.count
            state.sessions = state.sessions.filter { $0.value >= now }
            state.tokens = state.tokens.filter { $0.value >= now }
            state.grants = state.grants.filter { $0.value >= now }
            state.subjects = state.subjects.filter { $0.value.expires >= now }
            return before - state.count
        }
    }

    /// How many revocations are held.
    public var count: Int { state.withLock { $0.count } }
}
