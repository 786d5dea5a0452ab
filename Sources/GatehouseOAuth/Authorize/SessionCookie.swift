import GatehouseCrypto

/// The SSO session cookie's value and its stored form. The browser holds a random 256-bit
/// value; the store keeps only its SHA-256 (`SSOSession.idHash`), which is also the `sid`
/// claim: a stolen database or token reveals no cookie.
///
/// ```swift
/// let cookie = SessionCookie.generate()
/// let session = SSOSession(idHash: SessionCookie.idHash(of: cookie), accountID: account.id, …)
/// ```
public enum SessionCookie {
    /// A new cookie value: 32 random bytes, base64url.
    public static func generate() -> String { SecureRandom.token(byteCount: 32) }

    /// The stored id of the session the cookie names: lowercase hex SHA-256.
    public static func idHash(of cookie: String) -> String { Digest.sha256(cookie).hexString }
}
