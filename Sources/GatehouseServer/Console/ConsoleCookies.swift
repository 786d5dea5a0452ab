import Foundation
import GatehouseCrypto
import Hummingbird
import HTTPTypes

/// The console's cookies, all `HttpOnly; SameSite=Lax; Path=/console` (plus `Secure` and the
/// `__Secure-` prefix over https, RFC 6265bis §4.1.3.1), their values sealed with AES-256-GCM
/// under a key derived from the server secret every node shares, the cookie's name
/// authenticated with them, so a value can be neither read, altered nor moved to another cookie:
/// - the session (``ConsoleSession``): the access token and the random id CSRF tokens are bound to;
/// - the login in progress (``ConsoleLogin``): state, nonce and PKCE verifier, ten minutes;
/// - the notice after a change (``ConsoleNotice``), read once by the next page;
/// - the language chosen with the switch link (not sealed: `vi` or `en`).
///
/// ```swift
/// let cookies = ConsoleCookies(key: key, secure: true, path: "/console")
/// headers.append(HTTPField(name: .setCookie, value: cookies.set(.session, session)))
/// let back: ConsoleSession? = cookies.read(.session, in: request)
/// ```
struct ConsoleCookies: Sendable {
    let key: [UInt8]
    let secure: Bool
    let path: String

    enum Name: String, Sendable {
        case session = "gh_console"
        case login = "gh_console_login"
        case notice = "gh_console_notice"
        case language = "gh_console_lang"
    }

    /// The largest cookie value read.
    static let maximumLength = 4096

    /// A key for the console's cookies derived from a server secret with a label.
    static func deriveKey(from secret: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: secret, message: Array("gatehouse console cookie key v1".utf8))
    }

    func name(_ name: Name) -> String { secure ? "__Secure-" + name.rawValue : name.rawValue }

    /// `Set-Cookie` for `value` sealed; `maxAge` `nil` for a cookie of the browser session.
    func set<T: Encodable>(_ name: Name, _ value: T, maxAge: Int? = nil) -> String {
        header(self.name(name), seal(value, name: name), maxAge: maxAge)
    }

    /// `Set-Cookie` for the language cookie.
    func setLanguage(_ language: Language) -> String { header(name(.language), language.rawValue, maxAge: 365 * 86_400) }

    /// `Set-Cookie` that removes the cookie.
    func clear(_ name: Name) -> String { header(self.name(name), "", maxAge: 0) }

    /// The opened value of cookie `name`, or `nil` when absent, altered or unreadable.
    func read<T: Decodable>(_ name: Name, as type: T.Type = T.self, in request: Request) -> T? {
        raw(self.name(name), in: request).flatMap { open($0, name: name) }
    }

    /// The CSRF token of a session's forms: HMAC-SHA-256 of the session id under the cookie key,
    /// so it needs no storage and dies with the session.
    func csrfToken(for session: ConsoleSession) -> String {
        Base64URL.encode(Digest.hmacSHA256(key: key, message: Array("gatehouse.console.csrf|\(session.id)".utf8)))
    }

    /// The language cookie's value, if valid.
    func language(in request: Request) -> Language? { raw(name(.language), in: request).flatMap(Language.init(rawValue:)) }

    // MARK: Sealing

    func seal<T: Encodable>(_ value: T, name: Name) -> String {
        let nonce = AESGCM.randomNonce()
        guard let plaintext = try? JSONEncoder().encode(value),
              let box = try? AESGCM.seal(Array(plaintext), key: key, nonce: nonce, authenticating: Array(name.rawValue.utf8)) else { return "" }
        return Base64URL.encode(nonce + box.ciphertext + box.tag)
    }

    func open<T: Decodable>(_ value: String, name: Name) -> T? {
        guard value.utf8.count <= Self.maximumLength, let bytes = Base64URL.decode(value), bytes.count > 12 + 16 else { return nil }
        let nonce = Array(bytes.prefix(12)), tag = Array(bytes.suffix(16)), ciphertext = Array(bytes.dropFirst(12).dropLast(16))
        guard let plaintext = try? AESGCM.open(.init(ciphertext: ciphertext, tag: tag), key: key, nonce: nonce,
                                               authenticating: Array(name.rawValue.utf8)) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(plaintext))
    }

    private func header(_ name: String, _ value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=\(path)"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if secure { parts.append("Secure") }
        parts += ["HttpOnly", "SameSite=Lax"]
        return parts.joined(separator: "; ")
    }

    private func raw(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard trimmed.hasPrefix(name + "=") else { continue }
                let value = trimmed.dropFirst(name.count + 1)
                if !value.isEmpty { return String(value) }
            }
        }
        return nil
    }
}

/// The console session: the access token of the administrator's login, and a random id the
/// CSRF token of every form is derived from.
struct ConsoleSession: Codable, Sendable {
    var accessToken: String
    var id: String
}

/// A login in progress: what the callback checks and needs (RFC 6749 §10.12 state, OIDC Core
/// §3.1.2.1 nonce, RFC 7636 verifier), and the console page to return to.
struct ConsoleLogin: Codable, Sendable {
    var state: String
    var nonce: String
    var verifier: String
    var returnTo: String
    /// Unix time after which the callback refuses it.
    var expires: Int64
    /// How long a login may take.
    static let lifetime = 600
}

/// A message for the next page after a change (post-redirect-get), and the temporary password
/// an administrator must see once.
struct ConsoleNotice: Codable, Sendable {
    var message: String
    var temporaryPassword: String?
    /// The account the password belongs to: shown only on that account's page.
    var accountID: String?
}
