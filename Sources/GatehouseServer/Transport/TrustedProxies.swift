#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16). An IPv4-mapped IPv6 address
/// (`::ffff:10.0.0.1`, RFC 4291 §2.5.5.2) is its IPv4 address.
///
/// ```swift
/// IPAddress("10.1.2.3")?.bytes.count   // 4
/// IPAddress("[2001:db8::1]")           // nil: brackets belong to URIs and Forwarded, not here
/// ```
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses the textual form (`inet_pton`); `nil` for anything else: host names, ports, zones.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            self.bytes = Array(bytes[12...])
        } else {
            self.bytes = bytes
        }
    }

    /// The canonical text (`inet_ntop`): `10.1.2.3`, `2001:db8::1`.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address block in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3): `10.0.0.0/8`,
/// `2001:db8::/32`; a bare address is the block of that one address.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    /// Parses `ADDRESS[/PREFIX]`; `nil` when the address or the prefix length is not valid.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        let length: Int
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCII), let parsed = Int(parts[1]), (0...bits).contains(parsed) else { return nil }
            length = parsed
        } else {
            length = bits
        }
        self.prefixLength = length
        self.network = address
    }

    /// Whether `address` lies in this block (an IPv4 address never lies in an IPv6 block).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

/// The reverse proxies whose forwarding headers are believed (`serve --trusted-proxy CIDR`,
/// `GATEHOUSE_TRUSTED_PROXIES`). Empty by default: then every request's client is its TCP peer
/// and `X-Forwarded-For`, `X-Forwarded-Proto` and `Forwarded` are ignored.
///
/// ```swift
/// let proxies = try TrustedProxies(["10.0.0.0/8", "::1"])
/// proxies.contains(IPAddress("10.2.3.4")!)   // true
/// ```
public struct TrustedProxies: Sendable, Equatable {
    public let blocks: [CIDRBlock]

    /// No trusted proxy.
    public init() { self.blocks = [] }

    /// Parses each CIDR; throws ``InvalidCIDR`` naming the first that is not one.
    public init(_ cidrs: [String]) throws {
        self.blocks = try cidrs.map { text in
            guard let block = CIDRBlock(text.trimmingSpaces) else { throw InvalidCIDR(text: text) }
            return block
        }
    }

    /// The list of an environment variable: CIDRs separated by commas or spaces.
    public static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    public var isEmpty: Bool { blocks.isEmpty }

    public func contains(_ address: IPAddress) -> Bool { blocks.contains { $0.contains(address) } }

    /// A trusted-proxy entry that is not an address or CIDR block.
    public struct InvalidCIDR: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "invalid trusted proxy '\(text)': use an IPv4 or IPv6 address or CIDR block (10.0.0.0/8, fd00::/8)" }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
