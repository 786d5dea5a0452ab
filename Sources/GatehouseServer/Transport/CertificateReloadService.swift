public import Logging
public import ServiceLifecycle
import UnixSignals

/// Re-reads the TLS certificate and key on SIGHUP, the usual signal after a renewal
/// (`certbot --deploy-hook 'kill -HUP …'`), until graceful shutdown. A pair that cannot be
/// used is logged as an error and the certificate in use stays (``TLSCertificate/reload()``).
///
/// ```swift
/// let services: [any Service] = [CertificateReloadService(certificate: certificate, logger: logger)]
/// ```
public struct CertificateReloadService: Service {
    let certificate: TLSCertificate
    let logger: Logger

    public init(certificate: TLSCertificate, logger: Logger) {
        self.certificate = certificate
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// What SIGHUP does: reload, and log the outcome. Returns whether the new pair is in use.
    @discardableResult
    public func reload() -> Bool {
        do {
            try certificate.reload()
            logger.notice("TLS certificate reloaded", metadata: [
                "certificate": .string(certificate.certificatePath),
                "serial": .string(certificate.leaf.serialNumber.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()),
            ])
            return true
        } catch {
            logger.error("TLS certificate not reloaded; the previous one stays in use", metadata: ["error": .string("\(error)")])
            return false
        }
    }
}
