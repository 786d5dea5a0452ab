/// A `scope` value (RFC 6749 §3.3): space-delimited, case-sensitive tokens, order kept,
/// duplicates dropped.
struct Scope: Hashable, Sendable, CustomStringConvertible {
    let tokens: [String]

    init(_ tokens: [String]) {
        var seen = Set<String>()
        self.tokens = tokens.filter { seen.insert($0).inserted }
    }

    /// Parses a scope value. `nil` when a token holds a character outside
    /// `%x21 / %x23-5B / %x5D-7E` or the value has no token.
    init?(parsing value: String) {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy(Scope.isToken) else { return nil }
        self.init(parts)
    }

    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { v in
            v.value == 0x21 || (0x23...0x5B).contains(v.value) || (0x5D...0x7E).contains(v.value)
        }
    }

    var set: Set<String> { Set(tokens) }
    func contains(_ token: String) -> Bool { tokens.contains(token) }
    func isSubset(of other: some Sequence<String>) -> Bool { set.isSubset(of: Set(other)) }

    /// The space-separated form.
    var description: String { tokens.joined(separator: " ") }

    /// Scopes that name OpenID Connect requests for claims about the user; meaningless for a
    /// client acting on its own behalf.
    static let userScopes: Set<String> = ["openid", "profile", "email", "offline_access"]
}
