import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseStore

extension Audit {
    /// `gatehouse audit export [--since TIME] [--unit PATH] [--output FILE]`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write audit events as JSON lines, in sequence order, with their chain hashes.",
            discussion: """
            One event a line: sequence, time (RFC 3339 UTC, milliseconds), action, actor, target, unit, client_id, \
            source_ip, result, detail, previous_hash and hash, so that an inspector can re-verify the exported events. \
            The log is read a page at a time, never whole.
            """
        )
        @Option(help: "Only events at or after this time: RFC 3339 (2026-05-01T08:00:00+07:00) or a date (2026-05-01, midnight UTC).")
        var since: String?
        @Option(help: "Only events whose unit lies in this subtree (/hue keeps /hue/x, not /hue-2).") var unit: String?
        @Option(help: "Write to this file instead of standard output.") var output: String?
        @OptionGroup var data: DataOptions

        /// Events read per transaction.
        static let pageSize = 1_000

        func run() async throws {
            let filter = try AuditExportFilter(since: since, unit: unit)
            let sink = try AuditExportSink(path: output)
            let (written, read) = try await withStore(data) { store in
                var after: Int64 = 0, written = 0, read = 0
                while true {
                    let from = after
                    let page = try await store.read { tx in try tx.auditEvents(after: from, limit: Self.pageSize) }
                    guard let last = page.last else { break }
                    let kept = page.filter(filter.keeps)
                    try sink.write(kept.map { AuditExportLine.json($0) + "\n" }.joined())
                    written += kept.count
                    read += page.count
                    after = last.sequence
                }
                return (written, read)
            }
            try sink.close()
            if let output { FileHandle.standardError.write(Data("exported \(written) of \(read) event(s) to \(output)\n".utf8)) }
        }
    }
}
