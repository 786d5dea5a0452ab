#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a request comes from, as the throttles count it: the address in one canonical
/// spelling, and its network — the IPv4 /24 or the IPv6 /64 around it.
///
/// A /64 is what one IPv6 subscriber or LAN usually gets (RFC 6177), so an attacker who rotates
/// through the addresses of that prefix stays in one network; a /24 is the IPv4 equivalent of a
/// small site or a cloud subnet.
///
/// ```swift
/// SourceNetwork("203.0.113.77")          // address "203.0.113.77", network "203.0.113.0/24"
/// SourceNetwork("2001:DB8::1")           // address "2001:db8::1",  network "2001:db8:0:0::/64"
/// SourceNetwork("::ffff:203.0.113.77")   // the IPv4 address it maps
/// ```
struct SourceNetwork: Hashable, Sendable {
    /// The address, canonical; `unknown` when the request had none or it does not parse.
    let address: String
    /// The /24 or /64 holding `address`; `unknown` likewise.
    let network: String

    init(_ ip: String?) {
        guard var text = ip?.trimmingASCIIWhitespace, !text.isEmpty, text.utf8.count <= 64 else {
            (address, network) = ("unknown", "unknown")
            return
        }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }   // fe80::1%eth0
        if let v4 = Self.parseIPv4(text) {
            (address, network) = Self.describe(v4: v4)
        } else if let v6 = Self.parseIPv6(text) {
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff {
                (address, network) = Self.describe(v4: Array(v6[12..<16]))   // IPv4-mapped: the IPv4 host's network
            } else {
                let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(v6[$0]) << 8 | UInt16(v6[$0 + 1]), radix: 16) }
                address = Self.formatIPv6(v6) ?? groups.joined(separator: ":")
                network = groups[0..<4].joined(separator: ":") + "::/64"
            }
        } else {
            (address, network) = ("unknown", "unknown")
        }
    }

    private static func describe(v4: [UInt8]) -> (String, String) {
        (v4.map(String.init).joined(separator: "."), v4[0..<3].map(String.init).joined(separator: ".") + ".0/24")
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        var raw = in_addr()
        guard inet_pton(AF_INET, text, &raw) == 1 else { return nil }
        return withUnsafeBytes(of: &raw) { Array($0) }
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var raw = in6_addr()
        guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
        return withUnsafeBytes(of: &raw) { Array($0) }
    }

    /// The RFC 5952 spelling (lowercase, longest zero run as `::`), as `inet_ntop` writes it.
    private static func formatIPv6(_ bytes: [UInt8]) -> String? {
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingASCIIWhitespace: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
