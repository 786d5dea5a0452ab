import Foundation
import GatehouseCore

/// How long each kind of revocation-feed event is kept: until every token it could refuse has
/// expired on its own, plus the clock skew applications allow on `exp`. Pruned after that by
/// ``OAuthEngine/purgeExpired()``.
///
/// | kind | kept until |
/// |---|---|
/// | `sid` | the session's absolute expiry, or now + the longest token lifetime if later |
/// | `sub` | now + the longest of the session's absolute lifetime, the refresh-token and the access-token lifetimes |
/// | `jti` | the token's `exp` |
/// | `gid` | now + the access-token lifetime (the family issues no token after now) |
///
/// each plus ``OAuthConfiguration/clockSkew``.
struct RevocationRetention: Sendable {
    let lifetimes: TokenLifetimes
    let clockSkew: TimeInterval

    init(_ configuration: OAuthConfiguration) {
        lifetimes = configuration.lifetimes
        clockSkew = configuration.clockSkew
    }

    /// A session that ended at `now`: tokens naming it were issued before `now` and expire
    /// within the longest token lifetime; an application may also hold a session of its own
    /// for it until the SSO session's expiry.
    func session(_ session: SSOSession, endedAt now: Date) -> Date {
        max(session.expiresAt, now + lifetimes.longestSignedToken) + clockSkew
    }

    /// Every token of an account, issued at or before `now`.
    func subject(at now: Date) -> Date {
        now + max(lifetimes.sessionAbsolute, lifetimes.refreshToken, lifetimes.accessToken) + clockSkew
    }

    /// One access token, which expires at `expiresAt`.
    func token(expiresAt: Date) -> Date {
        expiresAt + clockSkew
    }

    /// A refresh-token family revoked at `now`: its access tokens were issued before `now`.
    func grant(at now: Date) -> Date {
        now + lifetimes.accessToken + clockSkew
    }
}
