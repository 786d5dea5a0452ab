import Foundation

/// The rule for every URL the middleware fetches or hands on: `https`, or plain `http` only to
/// a loopback address (a provider on the same machine, as in development and tests).
/// OpenID Connect Discovery 1.0 §4 and §3 require TLS for the issuer and its endpoints.
enum ProviderURL {
    /// Checks `string`; `what` names it in the error.
    /// - Throws: ``ProviderError/Code/insecureURL``.
    static func check(_ string: String, _ what: String) throws(ProviderError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw ProviderError(.insecureURL, "\(what) is not an absolute URL: \(string)")
        }
        if scheme == "https" { return }
        guard scheme == "http", isLoopback(host) else {
            throw ProviderError(.insecureURL, "\(what) must use https: \(string)")
        }
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
