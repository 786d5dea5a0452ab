import Foundation
import GatehouseCrypto

/// A cookie value that the application wrote and can prove it wrote: `payload.mac`, where
/// the payload is base64url JSON and the MAC is HMAC-SHA256 under the application's cookie
/// key and a purpose label (so a login-transaction cookie can never pass as a session).
///
/// It is signed, not encrypted: it only ever carries what its own browser's user may read
/// (their ID token, the login's `state` and PKCE verifier).
struct SignedCookie<Payload: Codable>: Sendable {
    let key: [UInt8]
    let purpose: String

    /// Values longer than this are refused unread (a browser keeps 4 KB per cookie).
    static var maximumLength: Int { 4096 }

    func seal(_ payload: Payload) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Base64URL.encode((try? encoder.encode(payload)) ?? Data())
        return body + "." + Base64URL.encode(mac(body))
    }

    func open(_ value: String) -> Payload? {
        guard value.utf8.count <= Self.maximumLength else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let presented = Base64URL.decode(parts[1]) else { return nil }
        let body = String(parts[0])
        guard ConstantTime.equals(presented, mac(body)), let json = Base64URL.decode(body) else { return nil }
        return try? JSONDecoder().decode(Payload.self, from: Data(json))
    }

    private func mac(_ body: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array("gatehouse.rp.\(purpose).v1|\(body)".utf8))
    }
}

/// Reading and writing `Cookie` / `Set-Cookie` headers (RFC 6265).
enum CookieHeader {
    /// The value of the cookie `name` in a `Cookie` header, if present exactly once.
    static func value(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        var found: [String] = []
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            found.append(pair[1].trimmingCharacters(in: .whitespaces))
        }
        return found.count == 1 ? found[0] : nil
    }

    /// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax` (the callback arrives as a top-level
    /// navigation from the issuer), `Path=/`, `Secure` when served over TLS.
    static func set(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "Max-Age=\(maxAge)", "HttpOnly", "SameSite=Lax"]
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// A `Set-Cookie` value that removes `name`.
    static func clear(_ name: String, secure: Bool) -> String {
        set(name, "", maxAge: 0, secure: secure)
    }
}
