public import GatehouseLDAP

/// The directories the login form checks passwords at, by name: an account whose source is
/// `.directory(name:…)` logs in by search-then-bind at the directory of that name.
public struct DirectoryLogins: Sendable {
    /// One directory's login.
    public struct Directory: Sendable {
        public let name: String
        public let authenticator: LDAPAuthenticator
        /// The attribute accounts are keyed by; the entry that binds must carry the account's value.
        public let externalIDAttribute: String
        /// `cached_password_fallback`: keep an Argon2id verifier of the password that last bound,
        /// and accept it while the directory is unreachable.
        public let cachedPasswordFallback: Bool

        public init(name: String, authenticator: LDAPAuthenticator, externalIDAttribute: String = "entryUUID", cachedPasswordFallback: Bool = false) {
            self.name = name
            self.authenticator = authenticator
            self.externalIDAttribute = externalIDAttribute
            self.cachedPasswordFallback = cachedPasswordFallback
        }
    }

    private let byName: [String: Directory]

    public init(_ directories: [Directory] = []) {
        byName = Dictionary(directories.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public subscript(name: String) -> Directory? { byName[name] }
}
