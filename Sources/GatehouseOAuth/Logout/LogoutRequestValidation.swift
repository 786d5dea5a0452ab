import Foundation
import GatehouseCore

/// A validated RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2).
public struct LogoutRequest: Sendable, Hashable {
    /// The client asking, from `client_id` or the `id_token_hint`'s audience.
    public var clientID: String?
    /// Where to send the browser afterwards: a registered `post_logout_redirect_uri`, with
    /// `state` appended (§3). `nil`: show the server's own "logged out" page.
    public var postLogoutRedirect: String?
    /// `sub` of the `id_token_hint`: when it is the current session's user, the server may
    /// log out without asking (§2: otherwise it should ask the user to confirm).
    public var hintSubject: String?
    /// `sid` of the `id_token_hint`.
    public var hintSessionID: String?
    /// `ui_locales`, for the confirmation page.
    public var uiLocales: [String]
}

/// What the end-session endpoint does with a request.
public enum LogoutValidation: Sendable, Hashable {
    case valid(LogoutRequest)
    /// An error to show, never a redirect: an unregistered `post_logout_redirect_uri` or an
    /// invalid hint.
    case showError(OAuthError)
}

extension OAuthEngine {
    /// Validates `GET/POST /logout` (RP-Initiated Logout §2): `id_token_hint` must be an ID
    /// token this server signed (expired ones are accepted); `client_id`, when also given,
    /// must be among its audience; `post_logout_redirect_uri` requires a known client and must
    /// equal one of its registered post-logout URIs exactly.
    ///
    /// ```swift
    /// guard case .valid(let logout) = await engine.validateLogout(parameters) else { … }
    /// let ended = try await engine.endSession(sessionCookie: cookie, sourceIP: peer)
    /// // deliver ended.backchannel, clear the cookie, redirect to logout.postLogoutRedirect
    /// ```
    public func validateLogout(_ parameters: [String: String]) async -> LogoutValidation {
        do {
            return .valid(try await logoutRequest(parameters))
        } catch {
            return .showError(error)
        }
    }

    private func logoutRequest(_ parameters: [String: String]) async throws(OAuthError) -> LogoutRequest {
        let form = ParameterReader(parameters: parameters)
        var clientID = try form.optional("client_id", maximumLength: 128)
        let redirect = try form.optional("post_logout_redirect_uri")
        let state = try form.optional("state", maximumLength: 2048)
        var hint: IDTokenHint?
        if let token = try form.optional("id_token_hint", maximumLength: 16384) {
            let verified = try IDTokenHint.verify(token, engine: self, now: clock.now())
            if let clientID {
                guard verified.audience.contains(clientID) else {
                    throw OAuthError(.invalidRequest, "The id_token_hint was not issued to this client.")
                }
            } else {
                clientID = verified.audience.count == 1 ? verified.audience[0] : nil
            }
            hint = verified
        }
        var location: String?
        if let redirect {
            guard let clientID else {
                throw OAuthError(.invalidRequest, "post_logout_redirect_uri needs client_id or id_token_hint.")
            }
            let client = try await read { storage in try lookup { try storage.client(id: clientID) } }
            guard let client, client.postLogoutRedirectURIs.contains(redirect) else {
                throw OAuthError(.invalidRequest, "The post_logout_redirect_uri is not registered for this client.")
            }
            location = state.map { AuthorizationRedirect(redirectURI: redirect, parameters: [("state", $0)]).location } ?? redirect
        }
        return LogoutRequest(
            clientID: clientID, postLogoutRedirect: location, hintSubject: hint?.subject, hintSessionID: hint?.sessionID,
            uiLocales: try form.optional("ui_locales", maximumLength: 256).map(Self.words) ?? [])
    }
}
