import Foundation
import GatehouseCrypto
import GatehouseOAuth

/// What the browser carries between the steps of one interaction (authorization request →
/// login form → password change → second factor or its enrolment → consent → redirect;
/// logout → confirmation), so that no node has to remember it: the validated request itself,
/// never re-read from the form.
///
/// It travels as a sealed token (``FlowSealer``) in a query parameter or hidden field, is
/// valid for minutes, names its step, and is bound to the browser's CSRF cookie: a token
/// altered, replayed in another browser or used at another step is refused.
struct FlowState: Codable, Sendable {
    enum Step: String, Codable, Sendable {
        /// The login form for ``request``.
        case login
        /// The password change of ``accountID`` (whose password was just verified) for ``request``.
        case password
        /// The consent page for ``request`` in the session ``sessionID``.
        case consent
        /// The logout confirmation; ``logoutRedirect`` is where to go afterwards.
        case logout
        /// The second-factor code of ``accountID`` (whose password was just verified) for ``request``.
        case secondFactor
        /// The enrolment of ``accountID`` in a second factor: ``pendingSecret`` until a first code
        /// confirms it.
        case enrolment
        /// After an enrolment, its recovery codes shown: ``request`` continues in the session
        /// ``sessionID`` the enrolment created.
        case resume
    }

    var step: Step
    /// Unix time after which the token is refused.
    var expires: Int64
    /// The validated authorization request (login, password, consent).
    var request: AuthorizationRequest?
    /// Password step: whose password is to be changed, at which account version (a change made
    /// meanwhile, or this one, spends the token).
    var accountID: UUID?
    var accountVersion: Int?
    /// Password step: why (`required` or `expired`).
    var reason: String?
    /// Consent step: the SHA-256 of the session cookie the consent is asked in, and whether the
    /// user authenticated during this interaction (for `prompt=login` and `max_age`).
    var sessionID: String?
    var fresh: Bool?
    /// Logout step: the registered post-logout redirect, `state` included, if any.
    var logoutRedirect: String?
    /// Second-factor and enrolment steps: the account's count of wrong codes when the flow
    /// began. The count lives in the store, so replaying an older copy of this token gains no
    /// attempts.
    var failureBaseline: Int?
    /// Enrolment step: the new TOTP secret, sealed with AES-256-GCM (``SecondFactorKeys``):
    /// the rest of the token is readable, the secret is not.
    var pendingSecret: String?

    /// How long each step's token is accepted.
    static func lifetime(_ step: Step) -> TimeInterval {
        switch step {
        case .login: 30 * 60
        case .enrolment: 15 * 60
        case .password, .consent, .logout, .secondFactor, .resume: 10 * 60
        }
    }
}

/// Seals and opens ``FlowState`` tokens: `base64url(JSON) "." base64url(HMAC-SHA-256)`, the MAC
/// over a domain label, the step, the payload and the CSRF cookie's value.
///
/// ```swift
/// let sealer = FlowSealer(key: key)
/// let token = sealer.seal(state, csrf: csrfCookie)
/// let back = sealer.open(token, csrf: csrfCookie, step: .login, now: clock.now())   // nil if tampered or expired
/// ```
struct FlowSealer: Sendable {
    let key: [UInt8]

    /// Tokens longer than this are refused unread.
    static let maximumLength = FormBody.maximumLength

    /// A key for flow tokens derived from a server secret shared by every node (the client-secret
    /// pepper), separated from its other uses by a label.
    static func deriveKey(from secret: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: secret, message: Array("gatehouse flow-state key v1".utf8))
    }

    func seal(_ state: FlowState, csrf: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Base64URL.encode((try? encoder.encode(state)) ?? Data())
        return payload + "." + Base64URL.encode(mac(payload: payload, step: state.step, csrf: csrf))
    }

    func open(_ token: String, csrf: String, step: FlowState.Step, now: Date) -> FlowState? {
        guard token.utf8.count <= Self.maximumLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let presented = Base64URL.decode(parts[1]) else { return nil }
        let payload = String(parts[0])
        guard ConstantTime.equals(presented, mac(payload: payload, step: step, csrf: csrf)) else { return nil }
        guard let json = Base64URL.decode(payload), let state = try? JSONDecoder().decode(FlowState.self, from: Data(json)),
              state.step == step, Double(state.expires) > now.timeIntervalSince1970 else { return nil }
        return state
    }

    private func mac(payload: String, step: FlowState.Step, csrf: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array("gatehouse.flow.v1|\(step.rawValue)|\(payload)|\(csrf)".utf8))
    }
}
