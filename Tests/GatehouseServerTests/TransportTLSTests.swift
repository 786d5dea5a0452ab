import AsyncHTTPClient
import Foundation
import GatehouseServer
import Hummingbird
import Logging
import NIOHTTP1
import NIOSSL
import Testing

/// TLS terminated by Gatehouse itself: HTTP/2 by ALPN, TLS 1.2 at least, and the certificate
/// reloaded without dropping a connection.
@Suite("TLS termination")
struct TransportTLSTests {
    /// Self-signed certificates made by the `openssl` command in a temporary folder.
    final class Certificates: Sendable {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        var certificatePath: String { folder.appendingPathComponent("tls.crt").path }
        var keyPath: String { folder.appendingPathComponent("tls.key").path }

        /// Writes a new self-signed P-256 certificate for 127.0.0.1 named `name` as tls.crt/tls.key
        /// (through temporary files and a rename, as a renewal would) and returns it.
        @discardableResult
        func issue(_ name: String) throws -> NIOSSLCertificate {
            let certificate = folder.appendingPathComponent("\(name).crt").path, key = folder.appendingPathComponent("\(name).key").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(name)",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext", "keyUsage=digitalSignature,keyCertSign",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
            _ = try? FileManager.default.removeItem(atPath: certificatePath)
            _ = try? FileManager.default.removeItem(atPath: keyPath)
            try FileManager.default.copyItem(atPath: certificate, toPath: certificatePath)
            try FileManager.default.copyItem(atPath: key, toPath: keyPath)
            return try NIOSSLCertificate.fromPEMFile(certificate)[0]
        }
    }

    /// A client that trusts exactly `roots`, within `versions`.
    static func clientTLS(trusting roots: [NIOSSLCertificate], maximum: TLSVersion? = nil, minimum: TLSVersion = .tlsv1) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(roots)
        configuration.minimumTLSVersion = minimum
        configuration.maximumTLSVersion = maximum
        return configuration
    }

    static var router: Router<GatehouseRequestContext> { GatehouseServer.router(readiness: []) }

    @Test("HTTP/2 when the client offers it, HTTP/1.1 otherwise")
    func alpn() async throws {
        let files = try Certificates()
        let root = try files.issue("gatehouse-a")
        let certificate = try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath)
        try await TransportServer.run(router: Self.router, tls: certificate) { port in
            let url = "https://127.0.0.1:\(port)/health/live"
            let h2 = TransportServer.client(tls: Self.clientTLS(trusting: [root]))
            defer { _ = h2.shutdown() }
            let (status, version, body) = try await TransportServer.get(h2, url)
            #expect(status == .ok && body.contains("live"))
            #expect(version == .http2)

            let h1 = TransportServer.client(tls: Self.clientTLS(trusting: [root]), http1Only: true)
            defer { _ = h1.shutdown() }
            let (status1, version1, _) = try await TransportServer.get(h1, url)
            #expect(status1 == .ok)
            #expect(version1 == .http1_1)
        }
    }

    @Test("TLS 1.1 and older are refused; TLS 1.2 and 1.3 are served")
    func versions() async throws {
        let files = try Certificates()
        let root = try files.issue("gatehouse-a")
        let certificate = try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath)
        try await TransportServer.run(router: Self.router, tls: certificate) { port in
            let url = "https://127.0.0.1:\(port)/health/live"
            for old in [TLSVersion.tlsv11, .tlsv1] {
                let client = TransportServer.client(tls: Self.clientTLS(trusting: [root], maximum: old))
                defer { _ = client.shutdown() }
                await #expect(throws: (any Error).self, "\(old) must be refused") { _ = try await TransportServer.get(client, url) }
            }
            let tls12 = TransportServer.client(tls: Self.clientTLS(trusting: [root], maximum: .tlsv12))
            defer { _ = tls12.shutdown() }
            let reply1 = try await TransportServer.get(tls12, url)
            #expect(reply1.0 == .ok)
            let tls13 = TransportServer.client(tls: Self.clientTLS(trusting: [root], minimum: .tlsv13))
            defer { _ = tls13.shutdown() }
            let reply2 = try await TransportServer.get(tls13, url)
            #expect(reply2.0 == .ok)
        }
    }

    @Test("reload: new connections get the new certificate, an open keep-alive connection carries on")
    func reload() async throws {
        let files = try Certificates()
        let first = try files.issue("gatehouse-a")
        let certificate = try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath)
        var logger = Logger(label: "tls-reload-test")
        logger.logLevel = .critical
        let reloader = CertificateReloadService(certificate: certificate, logger: logger)
        try await TransportServer.run(router: Self.router, tls: certificate) { port in
            let url = "https://127.0.0.1:\(port)/health/live"
            // Trusts only the first certificate: it can only go on over the connection it has.
            let old = TransportServer.client(tls: Self.clientTLS(trusting: [first]), http1Only: true)
            defer { _ = old.shutdown() }
            let reply3 = try await TransportServer.get(old, url)
            #expect(reply3.0 == .ok)

            let second = try files.issue("gatehouse-b")
            #expect(reloader.reload())
            #expect(certificate.leaf == second)

            // A new client that trusts only the second certificate connects.
            let new = TransportServer.client(tls: Self.clientTLS(trusting: [second]))
            defer { _ = new.shutdown() }
            let reply4 = try await TransportServer.get(new, url)
            #expect(reply4.0 == .ok)
            // A new client that trusts only the first one no longer does.
            let stale = TransportServer.client(tls: Self.clientTLS(trusting: [first]))
            defer { _ = stale.shutdown() }
            await #expect(throws: (any Error).self) { _ = try await TransportServer.get(stale, url) }
            // The first client's pooled connection still works: it was never dropped.
            let reply5 = try await TransportServer.get(old, url)
            #expect(reply5.0 == .ok)

            // A broken file at reload: refused, and the certificate in use stays.
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: files.certificatePath))
            #expect(!reloader.reload())
            #expect(certificate.leaf == second)
            let reply6 = try await TransportServer.get(new, url)
            #expect(reply6.0 == .ok)
            let again = TransportServer.client(tls: Self.clientTLS(trusting: [second]))
            defer { _ = again.shutdown() }
            let reply7 = try await TransportServer.get(again, url)
            #expect(reply7.0 == .ok)
        }
    }

    @Test("a key that is not the certificate's is refused at start and at reload")
    func mismatchedKey() throws {
        let files = try Certificates()
        try files.issue("gatehouse-a")
        let certificate = try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath)
        let keyOfA = try Data(contentsOf: URL(fileURLWithPath: files.keyPath))
        try files.issue("gatehouse-b")
        try keyOfA.write(to: URL(fileURLWithPath: files.keyPath))
        #expect(throws: TLSFileError.self) { try certificate.reload() }
        #expect(throws: TLSFileError.self) { try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath) }
        #expect(throws: TLSFileError.self) { try TLSCertificate(certificatePath: files.folder.appendingPathComponent("missing.crt").path, keyPath: files.keyPath) }
    }

    @Test("a client that never finishes its TLS handshake is closed after the header timeout")
    func stalledHandshake() async throws {
        let files = try Certificates()
        try files.issue("gatehouse-a")
        let certificate = try TLSCertificate(certificatePath: files.certificatePath, keyPath: files.keyPath)
        var limits = HTTPLimits()
        limits.headerTimeout = .seconds(1)
        try await TransportServer.run(router: Self.router, limits: limits, tls: certificate) { port in
            let silent = try await RawConnection.open(port: port)
            let partial = try await RawConnection.open(port: port)
            try await partial.send("\u{16}\u{03}\u{01}")  // the first bytes of a ClientHello, and no more
            #expect(await silent.waitForClose(timeout: .seconds(4)))
            #expect(await partial.waitForClose(timeout: .seconds(4)))
        }
    }
}
