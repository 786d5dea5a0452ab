import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the tamper-evident audit log.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the SHA-256 chain over every event; name the first edited, deleted or reordered one."
        )
        @OptionGroup var data: DataOptions

        func run() async throws {
            let started = Date()
            let checked = try await withStore(data) { store in
                var verifier = AuditChainVerifier()
                var after: Int64 = 0
                while true {
                    let from = after
                    let batch = try await store.read { tx in try tx.auditEvents(after: from, limit: 10_000) }
                    if let fault = verifier.check(batch) { throw CLIError("audit chain broken: \(fault)") }
                    guard let last = batch.last else { break }
                    after = last.sequence
                }
                if let fault = verifier.finish() { throw CLIError("audit chain broken: \(fault)") }
                return verifier.checked
            }
            let seconds = Date().timeIntervalSince(started)
            print("audit chain intact: \(checked) event(s) verified in \(String(format: "%.2f", seconds)) s")
        }
    }
}
