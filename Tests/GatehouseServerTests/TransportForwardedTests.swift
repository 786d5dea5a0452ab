import AsyncHTTPClient
import GatehouseServer
import HTTPTypes
import Hummingbird
import NIOHTTP1
import Testing

/// The client's address behind reverse proxies: forwarding headers count only from trusted
/// proxies, and are walked from the right.
@Suite("Client address behind trusted proxies")
struct TransportForwardedTests {
    static func proxies(_ list: [String]) -> TrustedProxies { try! TrustedProxies(list) }

    static func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    @Test("CIDR blocks: IPv4, IPv6, single addresses, IPv4-mapped IPv6, and refusals")
    func cidr() throws {
        let trusted = try TrustedProxies(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "fd00::1/128"])
        for inside in ["10.255.3.4", "192.168.1.7", "2001:db8:1::9", "fd00::1", "::ffff:10.1.1.1"] {
            #expect(trusted.contains(try #require(IPAddress(inside))), "\(inside)")
        }
        for outside in ["11.0.0.1", "192.168.1.8", "2001:db9::1", "fd00::2", "::1"] {
            #expect(!trusted.contains(try #require(IPAddress(outside))), "\(outside)")
        }
        #expect(CIDRBlock("172.16.0.0/12")?.contains(IPAddress("172.31.255.255")!) == true)
        #expect(CIDRBlock("172.16.0.0/12")?.contains(IPAddress("172.32.0.0")!) == false)
        #expect(CIDRBlock("0.0.0.0/0")?.contains(IPAddress("8.8.8.8")!) == true)
        #expect(CIDRBlock("0.0.0.0/0")?.contains(IPAddress("::1")!) == false, "an IPv4 block holds no IPv6 address")
        for invalid in ["10.0.0.0/33", "::/129", "example.com", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", ""] {
            #expect(throws: TrustedProxies.InvalidCIDR.self, "\(invalid)") { try TrustedProxies([invalid]) }
        }
        #expect(TrustedProxies.list("10.0.0.0/8, ::1 fd00::/8") == ["10.0.0.0/8", "::1", "fd00::/8"])
    }

    @Test("X-Forwarded-For is walked from the right, skipping trusted proxies")
    func xForwardedFor() {
        let trusted = Self.proxies(["10.0.0.0/8"])
        func resolve(_ peer: String?, _ pairs: [(String, String)]) -> ForwardedClient {
            ForwardedClient.resolve(peer: peer, headers: Self.headers(pairs), trusted: trusted)
        }
        // The client prepended a lie; the proxies' own entries are on the right.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "6.6.6.6, 203.0.113.7, 10.0.0.9")]).ip == "203.0.113.7")
        // Several header lines are one list.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "203.0.113.8")]).ip == "203.0.113.8")
        // Every hop trusted: the leftmost.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "10.9.9.9, 10.0.0.9")]).ip == "10.9.9.9")
        // A hop that is no address ends the walk at the proxy that wrote it.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "203.0.113.7, unknown, 10.0.0.9")]).ip == "10.0.0.9")
        // No header: the proxy itself.
        #expect(resolve("10.0.0.5", []) == ForwardedClient(ip: "10.0.0.5", scheme: nil))
        // IPv6 clients, canonical form.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "2001:DB8:0::1")]).ip == "2001:db8::1")
        // The scheme: the nearest proxy's word, http or https only.
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")]).scheme == "https")
        #expect(resolve("10.0.0.5", [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "gopher")]).scheme == nil)
    }

    @Test("an untrusted peer's forwarding headers are ignored")
    func untrustedPeer() {
        let trusted = Self.proxies(["10.0.0.0/8"])
        let spoofed = Self.headers([("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https"), ("Forwarded", "for=198.51.100.1;proto=https")])
        #expect(ForwardedClient.resolve(peer: "198.18.0.1", headers: spoofed, trusted: trusted) == ForwardedClient(ip: "198.18.0.1", scheme: nil))
        #expect(ForwardedClient.resolve(peer: "10.0.0.5", headers: spoofed, trusted: TrustedProxies()).ip == "10.0.0.5")
        #expect(ForwardedClient.resolve(peer: nil, headers: spoofed, trusted: trusted).ip == nil)
    }

    @Test("RFC 7239 Forwarded: quoted values, ports, IPv6 brackets, proto per element")
    func forwarded() {
        let trusted = Self.proxies(["10.0.0.0/8", "fd00::/8"])
        func resolve(_ value: String) -> ForwardedClient {
            ForwardedClient.resolve(peer: "10.0.0.5", headers: Self.headers([("Forwarded", value)]), trusted: trusted)
        }
        #expect(resolve("for=192.0.2.60;proto=https;by=203.0.113.43") == ForwardedClient(ip: "192.0.2.60", scheme: "https"))
        #expect(resolve(#"for="[2001:db8:cafe::17]:4711";proto=http"#) == ForwardedClient(ip: "2001:db8:cafe::17", scheme: "http"))
        #expect(resolve("for=6.6.6.6, for=192.0.2.43:8080;proto=https, for=\"[fd00::3]\"") == ForwardedClient(ip: "192.0.2.43", scheme: "https"))
        #expect(resolve("for=unknown, for=10.0.0.7").ip == "10.0.0.7")
        #expect(resolve("for=_hidden;proto=https").ip == "10.0.0.5")
        // Forwarded wins over X-Forwarded-For when both come.
        let both = Self.headers([("Forwarded", "for=192.0.2.1"), ("X-Forwarded-For", "192.0.2.2")])
        #expect(ForwardedClient.resolve(peer: "10.0.0.5", headers: both, trusted: trusted).ip == "192.0.2.1")
    }

    static func whoami(trusted: TrustedProxies) -> Router<GatehouseRequestContext> {
        let router = GatehouseServer.router(readiness: [], trustedProxies: trusted)
        router.get("/whoami") { _, context -> String in
            "\(context.clientIP ?? "-") \(context.peerIP ?? "-") \(context.clientScheme ?? "-")"
        }
        return router
    }

    @Test("over a real socket: a trusted proxy's X-Forwarded-For sets clientIP; a spoofed one from an untrusted peer does not")
    func live() async throws {
        let spoof = [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")]
        // The loopback peer is not trusted: the header changes nothing.
        try await TransportServer.run(router: Self.whoami(trusted: Self.proxies(["10.0.0.0/8"]))) { port in
            let client = TransportServer.client()
            defer { _ = client.shutdown() }
            let (_, _, body) = try await TransportServer.get(client, "http://127.0.0.1:\(port)/whoami", headers: spoof)
            #expect(body == "127.0.0.1 127.0.0.1 -")
        }
        // The loopback peer is the trusted proxy: the client is the address it names.
        try await TransportServer.run(router: Self.whoami(trusted: Self.proxies(["127.0.0.0/8"]))) { port in
            let client = TransportServer.client()
            defer { _ = client.shutdown() }
            let (_, _, body) = try await TransportServer.get(client, "http://127.0.0.1:\(port)/whoami", headers: spoof)
            #expect(body == "203.0.113.7 127.0.0.1 https")
        }
    }
}
