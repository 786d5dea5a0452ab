public import AsyncHTTPClient
public import Foundation
import GatehouseCrypto
public import GatehouseJOSE
import NIOCore

/// Logs the users of a server-rendered application in through Gatehouse with the
/// authorization code flow (OpenID Connect Core §3.1, PKCE S256 per RFC 7636, `state`,
/// `nonce`, the RFC 9207 `iss` check), keeps them logged in with a signed session cookie,
/// and logs them out everywhere (RP-Initiated Logout 1.0).
///
/// Every request's session is checked against the ``RevocationList``, so a session ended
/// elsewhere (logout in another application, an administrator, a disabled account) stops
/// working here as soon as the revocation feed or a back-channel logout reports it.
///
/// ```swift
/// let rp = RelyingParty(configuration: configuration, issuer: metadata.issuer,
///                       authorizationEndpoint: metadata.authorizationEndpoint,
///                       tokenEndpoint: metadata.tokenEndpoint, endSessionEndpoint: metadata.endSessionEndpoint,
///                       httpClient: .shared, keys: { try await cache.keys(forKeyID: $0) }, revocations: list)
/// let login = rp.startLogin(returnTo: "/notices")       // redirect to login.location, set login.setCookies
/// let done = try await rp.finishLogin(query: callbackQuery, cookieHeader: cookies)
/// let session = rp.session(cookieHeader: cookies)       // on every request
/// ```
public final class RelyingParty: Sendable {
    public let configuration: RelyingPartyConfiguration
    public let issuer: String
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let endSessionEndpoint: String?
    private let httpClient: HTTPClient
    private let keys: @Sendable (String?) async throws -> VerificationKeySet
    private let revocations: RevocationList
    private let loginCookie: SignedCookie<LoginTransaction>
    private let sessionCookie: SignedCookie<SessionCookie>

    /// Token responses larger than this are refused.
    static let maximumTokenResponseBytes = 256 * 1024

    public init(configuration: RelyingPartyConfiguration, issuer: String, authorizationEndpoint: String, tokenEndpoint: String,
                endSessionEndpoint: String?, httpClient: HTTPClient,
                keys: @escaping @Sendable (String?) async throws -> VerificationKeySet, revocations: RevocationList) {
        precondition(configuration.cookieKey.count >= 32, "the relying party's cookie key must have at least 32 bytes")
        self.configuration = configuration
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.endSessionEndpoint = endSessionEndpoint
        self.httpClient = httpClient
        self.keys = keys
        self.revocations = revocations
        self.loginCookie = SignedCookie(key: configuration.cookieKey, purpose: "login")
        self.sessionCookie = SignedCookie(key: configuration.cookieKey, purpose: "session")
    }

    // MARK: Login

    /// Starts a login: the authorization request to redirect the browser to, and the cookie
    /// that binds its `state`, `nonce` and PKCE verifier to this browser. `returnTo` is where
    /// to go after the callback; anything but a local path becomes `/` (no open redirect).
    public func startLogin(returnTo: String = "/", now: Date = Date()) -> RelyingPartyRedirect {
        let transaction = LoginTransaction(
            state: SecureRandom.token(byteCount: 16), nonce: SecureRandom.token(byteCount: 16),
            verifier: SecureRandom.token(byteCount: 32), returnTo: Self.localPath(returnTo),
            expires: Int64(now.timeIntervalSince1970 + configuration.loginTimeout))
        let challenge = Base64URL.encode(Digest.sha256(transaction.verifier))
        var scopes = configuration.scopes
        if !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", configuration.clientID), ("redirect_uri", configuration.redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", transaction.state), ("nonce", transaction.nonce),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        let separator = authorizationEndpoint.contains("?") ? "&" : "?"
        let cookie = CookieHeader.set(configuration.loginCookieName, loginCookie.seal(transaction),
                                      maxAge: Int(configuration.loginTimeout), secure: configuration.secure)
        return RelyingPartyRedirect(location: authorizationEndpoint + separator + query, setCookies: [cookie])
    }

    /// Completes a login from the callback's query string: checks `state` against the login
    /// cookie, `iss` (RFC 9207 §2.4), redeems the code with the PKCE verifier, and validates
    /// the ID token (OpenID Connect Core §3.1.3.7: signature, `iss`, `aud`, `azp`, `exp`,
    /// `iat`, `nonce`). Returns the session and the cookies to set (session set, login cleared).
    public func finishLogin(query: String, cookieHeader: String?, now: Date = Date()) async throws(RelyingPartyError) -> RelyingPartyLogin {
        let parameters = Dictionary(FormEncoding.decode(Substring(query)), uniquingKeysWith: { first, _ in first })
        guard let raw = CookieHeader.value(named: configuration.loginCookieName, in: cookieHeader),
              let transaction = loginCookie.open(raw), Double(transaction.expires) > now.timeIntervalSince1970 else {
            throw RelyingPartyError(.loginExpired, "The login took too long or was started in another browser. Please log in again.")
        }
        guard let state = parameters["state"], ConstantTime.equals(state, transaction.state) else {
            throw RelyingPartyError(.stateMismatch, "The login response does not belong to this login. Please log in again.")
        }
        guard parameters["iss"] == issuer else {
            throw RelyingPartyError(.issuerMismatch, "The login response does not come from the expected server.")
        }
        if let error = parameters["error"] {
            let description = parameters["error_description"].map { ": \($0)" } ?? ""
            throw RelyingPartyError(.authorizationFailed, "The login server refused the login (\(error)\(description)).")
        }
        guard let code = parameters["code"], !code.isEmpty else {
            throw RelyingPartyError(.invalidResponse, "The login response carries no code.")
        }
        let idToken = try await redeem(code: code, verifier: transaction.verifier)
        let claims = try await validateIDToken(idToken, nonce: transaction.nonce, now: now)
        let expires = now + configuration.sessionLifetime
        let session = RelyingPartySession(identity: VerifiedIdentity(claims: claims), idToken: idToken, expires: expires)
        let value = sessionCookie.seal(SessionCookie(idToken: idToken, expires: Int64(expires.timeIntervalSince1970)))
        return RelyingPartyLogin(session: session, returnTo: transaction.returnTo, setCookies: [
            CookieHeader.set(configuration.sessionCookieName, value, maxAge: Int(configuration.sessionLifetime), secure: configuration.secure),
            CookieHeader.clear(configuration.loginCookieName, secure: configuration.secure),
        ])
    }

    // MARK: Session

    /// The session the request's cookie carries, or `nil` when there is none, it was altered,
    /// it expired, or its Gatehouse session (`sid`) or subject was revoked.
    public func session(cookieHeader: String?, now: Date = Date()) -> RelyingPartySession? {
        guard let raw = CookieHeader.value(named: configuration.sessionCookieName, in: cookieHeader),
              let cookie = sessionCookie.open(raw), Double(cookie.expires) > now.timeIntervalSince1970,
              let claims = try? Self.unverifiedClaims(cookie.idToken) else { return nil }
        if revocations.isRevoked(subject: claims.subject, sessionID: claims["sid"]?.stringValue, tokenID: nil, grantID: nil,
                                 issuedAt: claims.issuedAt) {
            return nil
        }
        return RelyingPartySession(identity: VerifiedIdentity(claims: claims), idToken: cookie.idToken,
                                   expires: Date(timeIntervalSince1970: TimeInterval(cookie.expires)))
    }

    // MARK: Logout

    /// Logs out: the cookie that removes the session here, and a redirect to Gatehouse's
    /// end-session endpoint with the ID token as `id_token_hint` (so Gatehouse ends the SSO
    /// session without asking, and tells every other application) and the registered
    /// post-logout redirect URI. Without a session, it redirects to the post-logout URI (or `/`).
    public func logout(cookieHeader: String?, now: Date = Date()) -> RelyingPartyRedirect {
        let clear = CookieHeader.clear(configuration.sessionCookieName, secure: configuration.secure)
        let raw = CookieHeader.value(named: configuration.sessionCookieName, in: cookieHeader)
        guard let endSessionEndpoint, let cookie = raw.flatMap(sessionCookie.open) else {
            return RelyingPartyRedirect(location: configuration.postLogoutRedirectURI ?? "/", setCookies: [clear])
        }
        var parameters = [("id_token_hint", cookie.idToken), ("client_id", configuration.clientID)]
        if let uri = configuration.postLogoutRedirectURI { parameters.append(("post_logout_redirect_uri", uri)) }
        let separator = endSessionEndpoint.contains("?") ? "&" : "?"
        return RelyingPartyRedirect(location: endSessionEndpoint + separator + FormEncoding.encode(parameters), setCookies: [clear])
    }

    // MARK: Steps

    /// The token request (OpenID Connect Core §3.1.3.1) with `client_secret_basic`; returns the ID token.
    private func redeem(code: String, verifier: String) async throws(RelyingPartyError) -> String {
        var request = HTTPClientRequest(url: tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: FormEncoding.basicAuthorization(
            clientID: configuration.clientID, clientSecret: configuration.clientSecret))
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", configuration.redirectURI),
            ("code_verifier", verifier),
        ])))
        let status: UInt
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            status = response.status.code
            body = try await response.body.collect(upTo: Self.maximumTokenResponseBytes)
        } catch {
            throw RelyingPartyError(.serverUnavailable, "The login server cannot be reached to complete the login: \(error)")
        }
        let json = (try? JSONValue(json: Array(body.readableBytesView)))?.objectValue
        guard status == 200 else {
            let error = json?["error"]?.stringValue ?? "HTTP \(status)"
            throw RelyingPartyError(.authorizationFailed, "The login server refused the code (\(error)).")
        }
        guard let idToken = json?["id_token"]?.stringValue else {
            throw RelyingPartyError(.invalidResponse, "The login server's token response carries no ID token.")
        }
        return idToken
    }

    /// ID token validation (OpenID Connect Core §3.1.3.7).
    func validateIDToken(_ token: String, nonce: String, now: Date) async throws(RelyingPartyError) -> JWTClaims {
        let keySet: VerificationKeySet
        do {
            keySet = try await keys(try JWS.unverifiedHeader(token).keyID)
        } catch {
            throw RelyingPartyError(.invalidIDToken, "The ID token cannot be checked: \(error)")
        }
        let claims: JWTClaims
        do {
            let validator = JWTValidator(issuer: issuer, audience: configuration.clientID, leeway: configuration.leeway,
                                         requiredClaims: ["exp", "iat", "sub"])
            claims = try JWTVerifier(keys: keySet, allowedAlgorithms: configuration.idTokenAlgorithms, validator: validator)
                .verify(token, now: now).claims
        } catch let error as JOSEError {
            throw RelyingPartyError(.invalidIDToken, "The ID token is not valid: \(error.reason)")
        } catch {
            throw RelyingPartyError(.invalidIDToken, "The ID token is not valid.")
        }
        if case .multiple(let audiences)? = claims.audience, audiences.count > 1 {
            guard claims["azp"]?.stringValue == configuration.clientID else {
                throw RelyingPartyError(.invalidIDToken, "The ID token names several audiences but not this application as azp.")
            }
        }
        guard let presented = claims["nonce"]?.stringValue, ConstantTime.equals(presented, nonce) else {
            throw RelyingPartyError(.invalidIDToken, "The ID token's nonce does not match this login.")
        }
        if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince(now) > configuration.leeway {
            throw RelyingPartyError(.invalidIDToken, "The ID token was issued in the future.")
        }
        return claims
    }

    /// The claims of a JWT this application already verified (the ID token kept in its own
    /// signed cookie).
    static func unverifiedClaims(_ token: String) throws -> JWTClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]) else { throw JOSEError(.malformedToken, "not a compact JWS") }
        return try JWTClaims(json: payload)
    }

    /// `path` when it is a local absolute path (`/x`, not `//host` or `/\host`), else `/`.
    static func localPath(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), path.utf8.count <= 2048,
              !path.contains(where: { $0.isNewline || $0 == "\0" }) else { return "/" }
        return path
    }
}

/// A redirect to send the browser to, with the cookies to set on the same response.
public struct RelyingPartyRedirect: Sendable, Hashable {
    public var location: String
    public var setCookies: [String]
}

/// A logged-in user of the application.
public struct RelyingPartySession: Sendable {
    /// Who: subject, session (`sid`), home unit and role grants, from the ID token.
    public var identity: VerifiedIdentity
    /// The ID token the session was opened with (the `id_token_hint` for logout).
    public var idToken: String
    /// When the session ends at the latest.
    public var expires: Date
}

/// A completed login.
public struct RelyingPartyLogin: Sendable {
    public var session: RelyingPartySession
    /// The local path to go to now.
    public var returnTo: String
    /// `Set-Cookie` values: the session, and the removal of the login cookie.
    public var setCookies: [String]
}

/// Why a login could not be completed; the message can be shown to the user.
public struct RelyingPartyError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case loginExpired, stateMismatch, issuerMismatch, authorizationFailed, invalidResponse, serverUnavailable, invalidIDToken
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (a: RelyingPartyError, b: RelyingPartyError) -> Bool { a.code == b.code }
}

struct LoginTransaction: Codable {
    var state: String
    var nonce: String
    var verifier: String
    var returnTo: String
    var expires: Int64
}

struct SessionCookie: Codable {
    var idToken: String
    var expires: Int64
}
