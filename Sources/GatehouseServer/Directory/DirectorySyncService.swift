import Foundation
public import GatehouseLDAP
public import Logging
public import ServiceLifecycle

/// Synchronises one directory at start and then every `sync_interval`, until graceful shutdown.
/// Every node runs one; the directory's lease lets one of them write at a time, and a node that
/// finds the lease taken waits for its next turn.
public struct DirectorySyncService: Service {
    let engine: DirectorySyncEngine
    let interval: Duration
    let logger: Logger

    public init(engine: DirectorySyncEngine, every interval: Duration, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    /// One run, logged; failures are logged (and audited by the engine) and the next run goes ahead.
    func runOnce() async {
        let directory = engine.configuration.name
        do {
            let report = try await engine.run()
            var metadata: Logger.Metadata = ["directory": .string(directory), "kind": .string(report.kind.rawValue),
                                             "method": .string(report.method.rawValue), "entries": .stringConvertible(report.entriesRead),
                                             "seconds": .string(String(format: "%.1f", Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18))]
            for (name, value) in report.counts.figures { metadata[name.replacingOccurrences(of: " ", with: "_")] = .stringConvertible(value) }
            if !report.disabledAccounts.isEmpty { metadata["disabled_accounts"] = .string(report.disabledAccounts.joined(separator: " ")) }
            logger.info("directory synchronised", metadata: metadata)
            for warning in report.warnings { logger.warning("directory sync: \(warning)", metadata: ["directory": .string(directory)]) }
        } catch let error as DirectorySyncError {
            if case .leaseHeld = error {
                logger.debug("directory sync skipped: another node holds the lease", metadata: ["directory": .string(directory), "detail": .string(error.description)])
            } else {
                logger.error("directory sync failed", metadata: ["directory": .string(directory), "error": .string(error.description)])
            }
        } catch {
            logger.error("directory sync failed", metadata: ["directory": .string(directory), "error": .string(String(describing: error))])
        }
    }
}
