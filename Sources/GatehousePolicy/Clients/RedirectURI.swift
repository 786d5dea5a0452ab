import Foundation

/// The rules redirect and logout URIs must follow (RFC 6749 §3.1.2, RFC 9700 §2.1, RFC 8252 §7.3):
/// absolute, no fragment, `https`, or `http` only on the loopback interface.
public enum RedirectURI {
    /// `nil` when `uri` is acceptable, otherwise why not.
    public static func problem(with uri: String) -> String? {
        guard uri.utf8.count <= 2048 else { return "is longer than 2048 characters" }
        guard let c = URLComponents(string: uri), let scheme = c.scheme?.lowercased() else { return "is not an absolute URI" }
        guard let host = c.host, !host.isEmpty else { return "has no host" }
        if c.fragment != nil || uri.contains("#") { return "must not contain a fragment (#…)" }
        if c.user != nil || c.password != nil { return "must not contain user information" }
        switch scheme {
        case "https":
            return nil
        case "http":
            return isLoopback(host) ? nil : "uses http on '\(host)'; http is allowed only on localhost, 127.0.0.1 or [::1]"
        default:
            return "uses scheme '\(scheme)'; expected https (or http on localhost)"
        }
    }

    public static func isLoopback(_ host: String) -> Bool {
        ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
    }
}
