import Foundation
public import NIOSSL
import Synchronization

/// The server's certificate chain and private key, read from two PEM files and re-read on
/// ``reload()`` (SIGHUP, see ``CertificateReloadService``) without a restart.
///
/// Each new TLS connection picks the current pair during its handshake (NIOSSL's
/// `sslContextCallback`), so a reload reaches every later connection at once; connections
/// already open keep the certificate they were set up with and are never dropped. A pair that
/// cannot be read, or whose key does not match the certificate, is refused and the previous
/// one stays in use.
///
/// The TLS configuration allows TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1; RFC
/// 9325 §3.1), and offers HTTP/2 and HTTP/1.1 by ALPN (RFC 7301).
///
/// ```swift
/// let certificate = try TLSCertificate(certificatePath: "/etc/gatehouse/tls.crt", keyPath: "/etc/gatehouse/tls.key")
/// let tls = certificate.tlsConfiguration()
/// try certificate.reload()   // after the files were replaced
/// ```
public final class TLSCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    struct Pair: Sendable {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    private let current: Mutex<Pair>

    /// Reads and checks both files; throws ``TLSFileError`` with a one-line reason.
    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.current = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// Re-reads both files. On success later handshakes use the new pair; on failure it throws
    /// and the pair in use stays.
    public func reload() throws {
        let pair = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
        current.withLock { $0 = pair }
    }

    /// The leaf certificate in use, for logs and tests.
    public var leaf: NIOSSLCertificate { current.withLock { $0.chain[0] } }

    /// The server configuration: the current pair, TLS 1.2 at least, and the callback that hands
    /// each handshake the pair current at that moment.
    public func tlsConfiguration() -> TLSConfiguration {
        let pair = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) }, privateKey: .privateKey(pair.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let pair = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    static func load(certificatePath: String, keyPath: String) throws -> Pair {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificatePath) } catch {
            throw TLSFileError("cannot read the TLS certificate \(certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw TLSFileError("no certificate in \(certificatePath)") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyPath, format: .pem) } catch {
            throw TLSFileError("cannot read the TLS private key \(keyPath): \(error)")
        }
        // A context refuses a key that is not the certificate's (BoringSSL compares them).
        do {
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                          privateKey: .privateKey(key)))
        } catch {
            throw TLSFileError("the TLS private key \(keyPath) does not belong to the certificate \(certificatePath)")
        }
        return Pair(chain: chain, key: key)
    }
}

/// A certificate or key file that cannot be used, with the reason.
public struct TLSFileError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
