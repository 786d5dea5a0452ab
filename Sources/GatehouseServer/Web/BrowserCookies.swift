import GatehouseCrypto
import Hummingbird

/// The provider's two cookies and how they are set:
/// - the SSO session, `__Host-gh_session` (`gh_session` over plain http): the random value of
///   `SessionCookie.generate()`, stored only as its SHA-256;
/// - the CSRF token, `__Host-gh_csrf` (`gh_csrf`): random, sent back in every form
///   (double submit) and bound into the flow state's MAC.
///
/// Both are `HttpOnly; SameSite=Lax; Path=/` and end with the browser session; over https they
/// are `Secure` and carry the `__Host-` prefix (RFC 6265bis §4.1.3.2), so no other host of the
/// domain and no plain-http page can set or overwrite them.
///
/// ```swift
/// let cookies = BrowserCookies(secure: true)
/// response.headers.append(HTTPField(name: .setCookie, value: cookies.setSession(value)))
/// ```
struct BrowserCookies: Sendable {
    let secure: Bool

    var sessionName: String { secure ? "__Host-gh_session" : "gh_session" }
    var csrfName: String { secure ? "__Host-gh_csrf" : "gh_csrf" }

    /// The session cookie's value, if the request carries a plausible one.
    func session(in request: Request) -> String? { value(sessionName, in: request) }

    /// The CSRF cookie's value, if the request carries a well-formed one.
    func csrf(in request: Request) -> String? { value(csrfName, in: request) }

    func setSession(_ value: String) -> String { header(sessionName, value) }
    func clearSession() -> String { header(sessionName, "", maxAge: 0) }
    func setCSRF(_ value: String) -> String { header(csrfName, value) }

    /// A fresh CSRF token: 32 random bytes, base64url.
    static func newCSRFToken() -> String { SecureRandom.token(byteCount: 32) }

    private func header(_ name: String, _ value: String, maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value)", "Path=/"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if secure { parts.append("Secure") }
        parts += ["HttpOnly", "SameSite=Lax"]
        return parts.joined(separator: "; ")
    }

    /// Values are 43 base64url characters (256 bits); anything else is ignored, never parsed.
    private func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard trimmed.hasPrefix(name + "=") else { continue }
                let value = trimmed.dropFirst(name.count + 1)
                if value.utf8.count == 43, Base64URL.decode(value)?.count == 32 { return String(value) }
            }
        }
        return nil
    }
}
