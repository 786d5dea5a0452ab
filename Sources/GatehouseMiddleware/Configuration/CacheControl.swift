import Foundation

/// The part of a `Cache-Control` response header (RFC 9111 §5.2) that decides how long a JWK
/// Set may be reused.
enum CacheControl: Hashable {
    /// `no-store` or `no-cache`: reuse as briefly as allowed.
    case noCache
    /// `max-age=N` (the smallest, when repeated).
    case maxAge(TimeInterval)
    /// Absent, or without either directive.
    case unspecified

    /// Parses directives case-insensitively; `max-age` may be quoted (RFC 9111 §5.2). A
    /// malformed `max-age` counts as absent.
    init(_ header: String?) {
        guard let header else { self = .unspecified; return }
        var maxAge: TimeInterval?
        for directive in header.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "no-store" || name == "no-cache" { self = .noCache; return }
            guard name == "max-age", parts.count == 2 else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { continue }
            let seconds = TimeInterval(value) ?? .greatestFiniteMagnitude
            maxAge = min(maxAge ?? seconds, seconds)
        }
        self = maxAge.map(CacheControl.maxAge) ?? .unspecified
    }
}
