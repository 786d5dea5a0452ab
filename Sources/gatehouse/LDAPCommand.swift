import ArgumentParser
import Foundation
import GatehouseLDAP
import GatehousePolicy
import GatehouseServer
import GatehouseStore

#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse ldap …`: the LDAP directories of `Policies/ldap.yaml`.
struct LDAP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldap", abstract: "Work with the LDAP directories of ldap.yaml.", subcommands: [Sync.self])

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Synchronise accounts and grants from the LDAP directories of ldap.yaml.",
            discussion: """
                Creates, updates, moves, disables and enables again the accounts of each directory, and adds and removes \
                the grants its group rules give (never grants given by hand). The first run, and any run with --full, reads \
                every entry (paged); later runs read only what changed (RFC 4533 content synchronisation where the server \
                offers it, else modifyTimestamp). A node running `serve` synchronises on its own; a lease keeps two runs \
                from writing at once. The bind password comes from the variable or file ldap.yaml names.
                """)

        @Option(help: "Only this directory (default: every directory of ldap.yaml).") var directory: String?
        @Flag(help: "Read and compare every entry, even when an incremental run would do.") var full = false
        @Flag(help: "Print the changes, one a line, and write nothing.") var dryRun = false
        @Option(help: "Issuer URL the back-channel logout tokens of disabled accounts name (env GATEHOUSE_ISSUER; default as serve).")
        var issuer: String?
        @OptionGroup var data: DataOptions

        func run() async throws {
            let policies = try loadPolicies(data)
            let declared = policies.ldap.directories.map(\.name)
            guard !declared.isEmpty else { throw CLIError("\(data.policiesPath)/ldap.yaml declares no directory") }
            if let directory, !declared.contains(directory) {
                throw CLIError("ldap.yaml declares no directory '\(directory)' (it declares \(declared.joined(separator: ", ")))")
            }
            let bridges: [DirectoryBridge]
            do { bridges = try DirectoryBridge.open(policies.ldap, only: directory) } catch { throw CLIError(error.description) }
            defer { for bridge in bridges { bridge.shutDown() } }
            try await withStore(data) { store in try await synchronise(bridges, policies: policies, store: store) }
        }

        private func synchronise(_ bridges: [DirectoryBridge], policies: PolicySet, store: any Store) async throws {
            let disabler: any DirectoryAccountDisabler
            if dryRun {
                disabler = DryRunDisabler()
            } else {
                let engine = try administrativeEngine(data, policies: policies, issuer: configuredIssuer(issuer), store: store)
                disabler = EngineAccountDisabler(engine: engine, notifier: BackchannelDispatcher(store: store))
            }
            for bridge in bridges {
                let progress = SyncProgressLine(directory: bridge.directory.name)
                let observer = DirectorySyncObserver(progress: { progress.update($0) }, change: dryRun ? progress.printChange : nil)
                let engine = bridge.syncEngine(store: store, disabler: disabler, node: DirectoryBridge.nodeName)
                let report: DirectorySyncReport
                do {
                    report = try await engine.run(full: full, dryRun: dryRun, observer: observer)
                } catch let error as DirectorySyncError {
                    progress.clear()
                    throw CLIError(error.description)
                }
                progress.clear()
                Self.printSummary(report)
            }
        }

        static func printSummary(_ report: DirectorySyncReport) {
            let seconds = Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Int((Double(report.entriesRead) / seconds).rounded()) : report.entriesRead
            let mode = "\(report.kind.rawValue) synchronisation (\(report.method.rawValue))" + (report.dryRun ? ", dry run: nothing written" : "")
            print("directory \(report.directory): \(mode)")
            print(report.counts.table(extra: [
                ("entries read", DirectorySyncCounts.grouped(report.entriesRead)),
                ("time", String(format: "%.1f s", seconds)),
                ("rate", "\(DirectorySyncCounts.grouped(rate)) entries/s"),
            ]))
            for warning in report.warnings {
                FileHandle.standardError.write(Data("gatehouse: warning: directory \(report.directory): \(warning)\n".utf8))
            }
        }
    }
}

/// A dry run disables nothing; the engine never calls this then.
private struct DryRunDisabler: DirectoryAccountDisabler {
    func disableAccount(id: UUID, actor: String) async throws {
        throw CLIError("a dry run writes nothing")
    }
}

/// The progress of a synchronisation on standard error: `ha-noi: 42,000 entries · 7,900/s ·
/// 1,234 changes`, rewritten in place on a terminal (at most ten times a second), else a plain
/// line every five seconds.
private final class SyncProgressLine: @unchecked Sendable {
    private let directory: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastShown: Date?
    private var shown = false

    init(directory: String) { self.directory = directory }

    func update(_ progress: DirectorySyncProgress) {
        lock.withLock {
            let now = Date()
            if let last = lastShown, now.timeIntervalSince(last) < (interactive ? 0.1 : 5) { return }
            lastShown = now
            shown = true
            let seconds = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Int((Double(progress.entriesRead) / seconds).rounded()) : 0
            let c = progress.counts
            let changes = c.created + c.updated + c.moved + c.disabled + c.reenabled + c.grantsAdded + c.grantsRemoved
            let line = "\(directory): \(DirectorySyncCounts.grouped(progress.entriesRead)) entries · \(DirectorySyncCounts.grouped(rate))/s · "
                + "\(DirectorySyncCounts.grouped(changes)) changes"
            FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
        }
    }

    /// Prints a change on standard output, clearing the progress line first.
    var printChange: @Sendable (String) -> Void {
        { [self] line in
            clear()
            Swift.print(line)
        }
    }

    /// Clears the rewritten line on a terminal, before other output.
    func clear() {
        lock.withLock {
            if interactive && shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }
}
