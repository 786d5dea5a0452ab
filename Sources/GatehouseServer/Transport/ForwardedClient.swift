import Foundation
import HTTPTypes
public import Hummingbird

/// Who the client is behind reverse proxies, believing forwarding headers only from
/// ``TrustedProxies``:
/// - the TCP peer is not a trusted proxy: the peer is the client, and `Forwarded`,
///   `X-Forwarded-For` and `X-Forwarded-Proto` are ignored, whatever they say;
/// - it is: the hops of `Forwarded` (RFC 7239 §4, `for=` of each element) or, without it,
///   of `X-Forwarded-For` are walked from the right, the nearest hop first, skipping trusted
///   proxies; the first address that is not one is the client. A hop that is not an address
///   (`unknown`, an obfuscated `_name`, garbage) ends the walk at the proxy that wrote it.
///   The scheme is the `proto=` of the client's element, or `X-Forwarded-Proto`.
///
/// Each proxy appends the address it received the request from, so only the part of the list
/// written by trusted proxies can be believed; what the client itself sent sits on the left.
///
/// ```swift
/// let proxies = try TrustedProxies(["10.0.0.0/8"])
/// let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "6.6.6.6, 203.0.113.7, 10.0.0.9"]
/// ForwardedClient.resolve(peer: "10.0.0.5", headers: headers, trusted: proxies)
/// // ForwardedClient(ip: "203.0.113.7", scheme: nil)
/// ```
public struct ForwardedClient: Sendable, Equatable {
    /// The client's address, in canonical form; `nil` when the connection has none.
    public var ip: String?
    /// `http` or `https` as the proxy received the request; `nil` when not forwarded.
    public var scheme: String?

    public init(ip: String?, scheme: String?) {
        self.ip = ip
        self.scheme = scheme
    }

    public static func resolve(peer: String?, headers: HTTPFields, trusted: TrustedProxies) -> ForwardedClient {
        guard let peer, let peerAddress = IPAddress(peer), trusted.contains(peerAddress) else {
            return ForwardedClient(ip: peer, scheme: nil)
        }
        let forwarded = headers[values: .forwarded]
        let hops: [Hop]
        var fallbackScheme: String?
        if !forwarded.isEmpty {
            hops = forwarded.flatMap(parseForwarded)
        } else {
            hops = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.map { Hop(address: IPAddress($0.trimmingSpaces), proto: nil) }
            // The nearest proxy's word: the last value when several were appended.
            fallbackScheme = headers[values: .xForwardedProto].flatMap { $0.split(separator: ",") }.last.flatMap { scheme($0.trimmingSpaces) }
        }
        var client = ForwardedClient(ip: peerAddress.description, scheme: hops.last?.proto ?? fallbackScheme)
        for hop in hops.reversed() {
            guard let address = hop.address else { break }
            client = ForwardedClient(ip: address.description, scheme: hop.proto ?? fallbackScheme)
            if !trusted.contains(address) { break }
        }
        return client
    }

    struct Hop {
        var address: IPAddress?
        var proto: String?
    }

    /// The elements of one `Forwarded` field value (RFC 7239 §4): `for=192.0.2.43;proto=https,
    /// for="[2001:db8:cafe::17]:4711"`. Values may be quoted; a port and IPv6 brackets are taken off.
    static func parseForwarded(_ value: String) -> [Hop] {
        splitOutsideQuotes(value, ",").map { element in
            var hop = Hop(address: nil, proto: nil)
            for pair in splitOutsideQuotes(element, ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingSpaces.lowercased()
                var raw = parts[1].trimmingSpaces
                if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                    raw = String(raw.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                }
                switch name {
                case "for": hop.address = nodeAddress(raw)
                case "proto": hop.proto = scheme(raw)
                default: break
                }
            }
            return hop
        }
    }

    /// `192.0.2.43`, `192.0.2.43:80`, `[2001:db8::17]`, `[2001:db8::17]:4711` → the address.
    static func nodeAddress(_ node: String) -> IPAddress? {
        if node.hasPrefix("[") {
            guard let close = node.firstIndex(of: "]") else { return nil }
            return IPAddress(node[node.index(after: node.startIndex)..<close])
        }
        if let direct = IPAddress(node) { return direct }
        if let colon = node.lastIndex(of: ":"), node.firstIndex(of: ":") == colon { return IPAddress(node[..<colon]) }
        return nil
    }

    static func scheme(_ text: String) -> String? {
        let lowered = text.lowercased()
        return lowered == "http" || lowered == "https" ? lowered : nil
    }

    static func splitOutsideQuotes(_ text: String, _ separator: Character) -> [String] {
        var parts: [String] = [], current = "", quoted = false, escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quoted { escaped = true; current.append(character); continue }
            if character == "\"" { quoted.toggle() }
            if character == separator && !quoted { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        return parts.filter { !$0.trimmingSpaces.isEmpty }
    }
}

/// Sets ``GatehouseRequestContext/clientIP`` (and ``GatehouseRequestContext/clientScheme``)
/// from forwarding headers of trusted proxies (``ForwardedClient``), before any route, rate
/// limit or audit event reads it.
///
/// ```swift
/// router.middlewares.add(ForwardedClientMiddleware(trusted: try TrustedProxies(["10.0.0.0/8"])))
/// ```
public struct ForwardedClientMiddleware: RouterMiddleware {
    public typealias Context = GatehouseRequestContext
    let trusted: TrustedProxies

    public init(trusted: TrustedProxies) { self.trusted = trusted }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        let client = ForwardedClient.resolve(peer: context.peerIP, headers: request.headers, trusted: trusted)
        context.clientIP = client.ip
        context.clientScheme = client.scheme
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// `Forwarded` (RFC 7239 §4).
    static var forwarded: Self { Self("Forwarded")! }
    /// `X-Forwarded-For`, the de-facto list of client and proxy addresses.
    static var xForwardedFor: Self { Self("X-Forwarded-For")! }
    /// `X-Forwarded-Proto`, the scheme the first proxy received.
    static var xForwardedProto: Self { Self("X-Forwarded-Proto")! }
}
