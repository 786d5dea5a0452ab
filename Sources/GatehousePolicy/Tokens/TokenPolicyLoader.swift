import Foundation
import Yams

extension TokenPolicy {
    static let keys = ["access_token", "id_token", "refresh_token", "authorization_code", "sso_session", "keys", "clock_skew"]
    private static let minute: TimeInterval = 60, hour: TimeInterval = 3600, day: TimeInterval = 86400
    private static let algorithms = SigningAlgorithm.allCases.map { ($0.rawValue, $0) }

    /// Reads `tokens.yaml`; keys left out keep their defaults.
    static func load(_ root: Node, diagnostics: Diagnostics) -> TokenPolicy? {
        guard let f = Fields(root, allowed: keys, context: "", diagnostics: diagnostics) else { return nil }
        var p = TokenPolicy.defaults
        if let a = f.fields("access_token", allowed: ["lifetime", "signing_alg"], context: "access_token") {
            // RFC 9068 access tokens cannot be revoked before they expire: keep them short.
            if let v = a.duration("lifetime", in: minute...hour) { p.accessTokenLifetime = v }
            if let v = a.choice("signing_alg", algorithms) { p.accessTokenSigningAlg = v }
        }
        if let i = f.fields("id_token", allowed: ["lifetime", "signing_alg"], context: "id_token") {
            if let v = i.duration("lifetime", in: minute...day) { p.idTokenLifetime = v }
            if let v = i.choice("signing_alg", algorithms) { p.idTokenSigningAlg = v }
        }
        if let r = f.fields("refresh_token", allowed: ["lifetime", "idle"], context: "refresh_token") {
            if let v = r.duration("lifetime", in: 5 * minute...90 * day) { p.refreshTokenLifetime = v }
            if let v = r.duration("idle", in: 5 * minute...90 * day) { p.refreshTokenIdle = v }
            if p.refreshTokenIdle > p.refreshTokenLifetime {
                r.error("idle (\(PolicyDuration.format(p.refreshTokenIdle))) exceeds lifetime (\(PolicyDuration.format(p.refreshTokenLifetime)))", at: r.value("idle"))
            }
        }
        if let c = f.fields("authorization_code", allowed: ["lifetime"], context: "authorization_code") {
            // RFC 6749 §4.1.2: a maximum of 10 minutes is recommended.
            if let v = c.duration("lifetime", in: 10...10 * minute) { p.authorizationCodeLifetime = v }
        }
        if let s = f.fields("sso_session", allowed: ["idle", "absolute"], context: "sso_session") {
            if let v = s.duration("idle", in: 5 * minute...7 * day) { p.sessionIdle = v }
            if let v = s.duration("absolute", in: 5 * minute...30 * day) { p.sessionAbsolute = v }
            if p.sessionIdle > p.sessionAbsolute {
                s.error("idle (\(PolicyDuration.format(p.sessionIdle))) exceeds absolute (\(PolicyDuration.format(p.sessionAbsolute)))", at: s.value("idle"))
            }
        }
        if p.refreshTokenLifetime > p.sessionAbsolute {
            // A refresh-token family dies with its session, so a longer lifetime would only mislead.
            f.error("refresh_token lifetime (\(PolicyDuration.format(p.refreshTokenLifetime))) exceeds sso_session absolute (\(PolicyDuration.format(p.sessionAbsolute))); refresh tokens end with their session", at: f.value("refresh_token") ?? f.value("sso_session"))
        }
        if let k = f.fields("keys", allowed: ["activation_delay", "jwks_max_age"], context: "keys") {
            if let v = k.duration("activation_delay", in: 0...7 * day) { p.keyActivationDelay = v }
            if let v = k.duration("jwks_max_age", in: 0...day) { p.jwksMaxAge = v }
            if p.keyActivationDelay < p.jwksMaxAge {
                k.error("activation_delay (\(PolicyDuration.format(p.keyActivationDelay))) is shorter than jwks_max_age (\(PolicyDuration.format(p.jwksMaxAge))): applications with a cached JWKS would meet tokens signed by a key they have not seen", at: k.value("activation_delay") ?? k.value("jwks_max_age"))
            }
        }
        if let v = f.duration("clock_skew", in: 0...5 * minute) { p.clockSkew = v }
        return p
    }
}
