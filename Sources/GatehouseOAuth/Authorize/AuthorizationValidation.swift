import Foundation
import GatehouseCore

/// What the authorization endpoint does with a request.
public enum AuthorizationValidation: Sendable {
    /// A valid request: go on to ``OAuthEngine/authorize(_:sessionCookie:freshAuthentication:consentGiven:sourceIP:)``.
    case valid(AuthorizationRequest)
    /// An error to send back to the client's (validated) redirect URI.
    case redirect(AuthorizationRedirect)
    /// An error to show the user on an error page, never a redirect: the client or the
    /// redirect URI could not be trusted (RFC 6749 §4.1.2.1, RFC 9700 §4.1).
    case showError(OAuthError)
}

extension OAuthEngine {
    /// Validates an authorization request (RFC 6749 §4.1.1, §4.1.2.1; RFC 7636 §4.3;
    /// OIDC Core §3.1.2.1–3.1.2.2).
    ///
    /// Until the client and its redirect URI are established, errors are to be shown, never
    /// redirected: `client_id` must name a client registered for `authorization_code`, and
    /// `redirect_uri` must equal one of its registered URIs character for character (no prefix,
    /// path, port, query or fragment variation). After that, errors go back to the client with
    /// `state` and `iss`:
    /// - `response_type` must be `code` (`unsupported_response_type`); `response_mode`, when
    ///   given, `query`; request objects are not supported;
    /// - `scope` is required and within the client's scopes (`invalid_scope`);
    /// - PKCE for every client: `code_challenge` (43 base64url characters) with
    ///   `code_challenge_method=S256`; an absent method means `plain` and is refused;
    /// - `prompt` values known, `none` alone; `max_age` a non-negative integer;
    /// - `id_token_hint`, when given, an ID token this server issued to this client.
    ///
    /// ```swift
    /// switch await engine.validateAuthorization(try FormParameters.collect(queryPairs)) {
    /// case .valid(let request): …          // login page or engine.authorize(request, …)
    /// case .redirect(let error): …         // 302 to error.location
    /// case .showError(let error): …        // 400 page with error.description
    /// }
    /// ```
    public func validateAuthorization(_ parameters: [String: String]) async -> AuthorizationValidation {
        let form = ParameterReader(parameters: parameters)
        let clientID: String, redirectURI: String, state: String?
        do {
            clientID = try form.required("client_id", maximumLength: 128)
            redirectURI = try form.required("redirect_uri")
            state = try form.optional("state", maximumLength: 2048)
        } catch {
            return .showError(error)
        }
        let client: Client?
        do {
            client = try await store.read { tx in try lookup { try tx.client(id: clientID) } }
        } catch {
            return .showError(OAuthError.wrapping(error))
        }
        guard let client else {
            return .showError(OAuthError(.invalidRequest, "The client is not registered.", debug: "unknown client_id"))
        }
        guard client.redirectURIs.contains(redirectURI) else {
            return .showError(OAuthError(.invalidRequest, "The redirect_uri is not registered for this client.",
                                         debug: "redirect_uri not an exact match for client \(client.id)"))
        }
        do {
            return .valid(try validate(form, client: client, redirectURI: redirectURI, state: state))
        } catch {
            return .redirect(.error(error, to: redirectURI, state: state, issuer: issuer))
        }
    }

    /// The checks once the redirect URI is trusted; each failure is redirected.
    private func validate(_ form: ParameterReader, client: Client, redirectURI: String, state: String?) throws(OAuthError) -> AuthorizationRequest {
        if try form.optional("request", maximumLength: 65536) != nil { throw OAuthError(.requestNotSupported) }
        if try form.optional("request_uri") != nil { throw OAuthError(.requestURINotSupported) }
        guard let responseType = try form.optional("response_type", maximumLength: 64) else {
            throw OAuthError(.invalidRequest, "The parameter response_type is required.")
        }
        guard responseType == "code" else { throw OAuthError(.unsupportedResponseType, debug: "response_type \(responseType)") }
        if let mode = try form.optional("response_mode", maximumLength: 64), mode != "query" {
            throw OAuthError(.invalidRequest, "Only response_mode=query is supported.")
        }
        guard client.grantTypes.contains(.authorizationCode) else {
            throw OAuthError(.unauthorizedClient, "The client is not registered for the authorization code flow.")
        }
        guard let scopeValue = try form.optional("scope", maximumLength: 1024) else {
            throw OAuthError(.invalidScope, "The parameter scope is required.")
        }
        guard let scope = Scope(parsing: scopeValue) else { throw OAuthError(.invalidScope, "The scope is malformed.") }
        guard scope.isSubset(of: client.scopes) else {
            throw OAuthError(.invalidScope, "The scope is not available to this client.",
                             debug: "not registered: \(scope.set.subtracting(client.scopes).sorted().joined(separator: " "))")
        }
        guard let challenge = try form.optional("code_challenge", maximumLength: 128) else {
            throw OAuthError(.invalidRequest, "PKCE is required: send code_challenge with code_challenge_method=S256.")
        }
        guard try form.optional("code_challenge_method", maximumLength: 16) == "S256" else {
            throw OAuthError(.invalidRequest, "code_challenge_method must be S256.")
        }
        guard PKCE.isValidChallenge(challenge) else {
            throw OAuthError(.invalidRequest, "code_challenge must be the base64url SHA-256 of the code_verifier.")
        }
        let prompt = try parsePrompt(try form.optional("prompt", maximumLength: 128))
        let maxAge = try parseMaxAge(try form.optional("max_age", maximumLength: 12))
        var expectedSubject: String?
        if let hint = try form.optional("id_token_hint", maximumLength: 16384) {
            let verified = try IDTokenHint.verify(hint, engine: self, now: clock.now())
            guard verified.audience.contains(client.id) else {
                throw OAuthError(.invalidRequest, "The id_token_hint was not issued to this client.")
            }
            expectedSubject = verified.subject
        }
        return AuthorizationRequest(
            clientID: client.id, clientName: client.name, redirectURI: redirectURI, scope: scope.tokens, state: state,
            nonce: try form.optional("nonce", maximumLength: 512), codeChallenge: challenge, prompt: prompt, maxAge: maxAge,
            loginHint: try form.optional("login_hint", maximumLength: 256),
            uiLocales: try form.optional("ui_locales", maximumLength: 256).map(Self.words) ?? [],
            acrValues: try form.optional("acr_values", maximumLength: 512).map(Self.words) ?? [],
            expectedSubject: expectedSubject)
    }

    /// OIDC Core §3.1.2.1: space-separated values; `none` with any other value is an error.
    private func parsePrompt(_ value: String?) throws(OAuthError) -> Set<AuthorizationRequest.Prompt> {
        guard let value else { return [] }
        var prompt = Set<AuthorizationRequest.Prompt>()
        for word in Self.words(value) {
            guard let p = AuthorizationRequest.Prompt(rawValue: word) else {
                throw OAuthError(.invalidRequest, "Unsupported prompt value.", debug: "prompt \(FormParameters.printable(word))")
            }
            prompt.insert(p)
        }
        guard !prompt.contains(.none) || prompt.count == 1 else {
            throw OAuthError(.invalidRequest, "prompt=none cannot be combined with other values.")
        }
        return prompt
    }

    private func parseMaxAge(_ value: String?) throws(OAuthError) -> Int? {
        guard let value else { return nil }
        guard value.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int(value) else {
            throw OAuthError(.invalidRequest, "max_age must be a non-negative number of seconds.")
        }
        return seconds
    }

    static func words(_ value: String) -> [String] { value.split(separator: " ").map(String.init) }
}
