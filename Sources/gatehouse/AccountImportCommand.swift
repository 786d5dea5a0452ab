import ArgumentParser
import Foundation
import GatehouseCore
import GatehousePolicy
import GatehouseStore

extension Accounts {
    /// `gatehouse accounts import FILE.csv [--batch-size N] [--dry-run]`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update accounts from CSV, in batches of one transaction each; importing a file again changes nothing.",
            discussion: """
            Header row, then one account a line: username,display_name,email,unit,password_hash,grants,status. \
            email, password_hash, grants and status may be empty. grants is space-separated ROLE@PATH; status is \
            active (the default) or disabled. password_hash is stored as it is and upgraded to Argon2id at the next \
            login: $argon2id$, {SSHA}, {SSHA512}, {CRYPT}$6$ or $6$, $5$, bcrypt $2b$/$2a$/$2y$, $pbkdf2-sha256$ \
            (passlib) or pbkdf2_sha256$ (Django). Rejected rows are listed as FILE:LINE: reason and the exit status \
            is then 1; the other rows are imported. Each batch is one transaction with one account.import audit \
            event, kept whole or not at all; a batch that changes nothing writes nothing.
            """
        )
        @Argument(help: "CSV file.") var file: String
        @Option(help: "Rows per transaction (1-10000).") var batchSize = 1_000
        @Flag(help: "Report what would change without writing.") var dryRun = false
        @Option(help: "Issuer URL the logout tokens name when a row disables an account (as accounts disable).")
        var issuer: String?
        @OptionGroup var data: DataOptions

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
        }

        func run() async throws {
            let started = Date()
            let policies = try loadPolicies(data)
            let roles = Dictionary(policies.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let counts = try await withStore(data) { store in
                let units = try await AccountImportFile.units(in: store)
                let validator = AccountImportValidator(units: units, roles: roles, rolesFile: "\(data.policiesPath)/roles.yaml")
                let file = try AccountImportFile.read(self.file, validator: validator)
                report(file.rejections)
                FileHandle.standardError.write(Data(
                    "checked \(ProgressLine.grouped(file.records)) records in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, \(file.rejections.count) rejected\n".utf8))
                var counts = AccountImportCounts(rejected: file.rejections.count)
                do {
                    try await importRows(file.rows, into: store, policies: policies, counts: &counts)
                } catch {
                    print(counts.table(seconds: Date().timeIntervalSince(started), dryRun: dryRun))
                    throw error
                }
                return counts
            }
            if dryRun { print("dry run, nothing written") }
            print(counts.table(seconds: Date().timeIntervalSince(started), dryRun: dryRun))
            if counts.rejected > 0 {
                throw CLIError("\(counts.rejected) row(s) rejected; \(dryRun ? "the other rows would be" : "the other rows were") imported")
            }
        }

        /// Writes `rows` batch by batch, reporting progress; stops at the first batch that fails.
        private func importRows(_ rows: [AccountImportRow], into store: any Store, policies: PolicySet, counts: inout AccountImportCounts) async throws {
            let source = URL(fileURLWithPath: file).lastPathComponent
            var progress = ProgressLine(total: rows.count, unit: "rows")
            var disabler: AccountImportDisabler?
            defer { progress.finish() }
            var done = 0
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let batch = AccountImportBatch(rows: Array(rows[start..<min(start + batchSize, rows.count)]), source: source)
                let outcome: AccountImportBatch.Outcome
                do {
                    outcome = dryRun ? try await batch.dryRun(on: store) : try await batch.write(to: store)
                } catch {
                    let lines = "\(batch.rows.first!.line)-\(batch.rows.last!.line)"
                    throw CLIError("\(file):\(lines): batch not imported (\(error)); the batches before it were. Run the import again to continue")
                }
                counts += outcome.counts
                if !outcome.rejections.isEmpty {
                    progress.clear()
                    report(outcome.rejections)
                }
                if !outcome.toDisable.isEmpty && !dryRun {
                    if disabler == nil { disabler = try AccountImportDisabler(data: data, policies: policies, issuer: configuredIssuer(issuer), store: store) }
                    try await disabler!.disable(outcome.toDisable, file: file)
                }
                done += batch.rows.count
                progress.advance(to: done)
            }
        }

        /// `FILE:LINE: reason`, one a line, on standard error.
        private func report(_ rejections: [AccountImportRejection]) {
            guard !rejections.isEmpty else { return }
            let text = rejections.map { "\(file):\($0.line): \($0.reason)\n" }.joined()
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
