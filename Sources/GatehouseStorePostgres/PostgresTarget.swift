internal import CPostgres
internal import Foundation
internal import GatehouseStoreSQL

/// A validated PostgreSQL URL, what to show of it in messages, and what must never be shown.
///
/// libpq itself parses the URL (`PQconninfoParse`), so every form libpq accepts works:
/// `postgres://user:password@host:port/database?sslmode=require`, several hosts, a socket
/// folder as `host`, and so on. Messages name the server as `host:port` and pass through
/// `redact`, which removes the password in every spelling the URL gave it.
struct PostgresTarget: Sendable {
    let url: String
    /// `host:port` for messages, e.g. `127.0.0.1:5432`.
    let display: String
    /// Seconds libpq waits for each connection attempt; a `connect_timeout` in the URL wins.
    let connectTimeout: Int
    private let secrets: [String]

    init(url: String, connectTimeout: Int) throws(SQLError) {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else {
            throw SQLError(.other, "invalid PostgreSQL URL: it must start with postgres:// or postgresql://")
        }
        var secrets = Self.userInfoPassword(url)
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let detail = error.map { String(cString: $0) } ?? "cannot parse it"
            PQfreemem(error)
            throw SQLError(.other, Self.redact("invalid PostgreSQL URL: \(Self.oneLine(detail))", secrets))
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        if let password = values["password"], !password.isEmpty { secrets.append(password) }
        self.url = url
        self.secrets = secrets
        self.connectTimeout = connectTimeout
        self.display = Self.display(host: values["host"] ?? values["hostaddr"], port: values["port"])
    }

    /// Removes every spelling of the password from `message`.
    func redact(_ message: String) -> String {
        Self.redact(message, secrets)
    }

    private static func redact(_ message: String, _ secrets: [String]) -> String {
        secrets.reduce(message) { $1.isEmpty ? $0 : $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// A libpq message (often several lines with tabs) as one line.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: { $0.isNewline || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The password between `user:` and `@`, raw and percent-decoded, as libpq reads it:
    /// the user-info part ends at the first `@` or `/` after the scheme.
    private static func userInfoPassword(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [] }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[at] == "@" else { return [] }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return [] }
        let raw = String(userInfo[userInfo.index(after: colon)...])
        return [raw, raw.removingPercentEncoding ?? raw].filter { !$0.isEmpty }
    }

    /// `host:port` pairs as libpq pairs them (a single port applies to every host).
    private static func display(host: String?, port: String?) -> String {
        let hosts = (host?.isEmpty == false ? host! : "default socket").split(separator: ",", omittingEmptySubsequences: false)
        let ports = (port?.isEmpty == false ? port! : "5432").split(separator: ",", omittingEmptySubsequences: false)
        return hosts.enumerated().map { index, host in
            let port = ports.count == hosts.count ? ports[index] : ports[0]
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }.joined(separator: ",")
    }
}
