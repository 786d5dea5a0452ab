import ArgumentParser
import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehousePasswords
import GatehouseStore

struct Units: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Manage the unit tree: central /, provinces /ha-noi, communes /ha-noi/phuong-ba-dinh.",
        subcommands: [Add.self, Import.self, List.self, Move.self, Merge.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one unit under an existing parent.")
        @Argument(help: "Unit path, e.g. /ha-noi or /ha-noi/phuong-ba-dinh.") var path: String
        @Option(help: "Official name (UTF-8), e.g. \"Phường Ba Đình\".") var name: String
        @Option(help: "province or commune; must match the depth of PATH.", transform: { raw in
            guard let level = UnitLevel(rawValue: raw), level != .central else { throw ValidationError("--level must be province or commune") }
            return level
        }) var level: UnitLevel
        @Option(help: "Official administrative code.") var code: String?
        @OptionGroup var data: DataOptions

        func run() async throws {
            let path = try UnitPath(self.path)
            guard path.level == level else {
                throw CLIError("\(path) is a \(path.level.rawValue)-level path, not \(level.rawValue)")
            }
            guard let parentPath = path.parent else { throw CLIError("the root unit / exists already") }
            let name = try Text.displayName(self.name)
            let code = self.code
            let unit = try await withStore(data) { store in
                try await store.write { tx in
                    let parent: OrgUnit
                    do { parent = try tx.unit(path: parentPath) } catch StoreError.notFound {
                        throw CLIError("parent unit \(parentPath) does not exist; add it first")
                    }
                    let now = Date()
                    let unit = OrgUnit(id: UUID(), path: path, name: name, parentID: parent.id, code: code, createdAt: now)
                    try tx.insertUnit(unit)
                    try tx.appendAudit(AuditRecord(action: "unit.create", actor: "cli", target: path.description, unit: path, detail: ["name": name], time: now))
                    return unit
                }
            }
            print("added \(unit.path) \(unit.name)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import units from CSV in one transaction: all rows or none.",
            discussion: """
            The first row names the columns. Either `path,name[,code]` with full unit paths, or
            `slug,name` (as in the provinces list), which adds provinces under /. Units already
            present with the same name are left alone, so importing a file twice changes nothing.
            """
        )
        @Argument(help: "CSV file.") var file: String
        @Flag(help: "Report what would change without writing.") var dryRun = false
        @OptionGroup var data: DataOptions

        func run() async throws {
            let rows = try UnitImport.parse(file: file)
            let dryRun = self.dryRun
            let source = URL(fileURLWithPath: file).lastPathComponent
            do {
                let summary = try await withStore(data) { store in
                    try await store.write { tx in
                        let summary = try UnitImport.apply(rows, to: tx, now: Date())
                        if dryRun { throw DryRun(summary: summary) }
                        try tx.appendAudit(AuditRecord(action: "unit.import", actor: "cli", target: source, detail: summary.detail, time: Date()))
                        return summary
                    }
                }
                print("created \(summary.created), renamed \(summary.renamed), unchanged \(summary.unchanged)")
            } catch let dry as DryRun {
                print("dry run, nothing written: would create \(dry.summary.created), rename \(dry.summary.renamed); \(dry.summary.unchanged) unchanged")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List units, a parent before its children.")
        @Option(help: "Only this subtree.") var under: String = "/"
        @OptionGroup var data: DataOptions

        func run() async throws {
            let subtree = try UnitPath(under)
            let units = try await withStore(data) { store in
                try await store.read { tx in try tx.units(in: subtree, page: Page(limit: 10_000)) }.sorted { $0.path < $1.path }
            }
            for unit in units {
                print("\(unit.path.description.padding(toLength: 40, withPad: " ", startingAt: 0)) \(unit.level.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(unit.name)")
            }
        }
    }
}

extension Units {
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a unit and its subtree under another parent of the same level, in one audited transaction.",
            discussion: """
            Accounts and role grants reference units by id, so they follow the unit; every path in the
            subtree is rewritten at once. A unit keeps its level: a commune moves under another province,
            a province stays under /. With --dry-run the move is made and rolled back, and its outcome printed.
            """
        )
        @Argument(help: "The unit to move, e.g. /ha-tay/xa-son-dong.") var path: String
        @Option(name: .customLong("to"), help: "The new parent, e.g. /ha-noi.") var parent: String
        @Option(help: "A new slug for the moved unit (default: keep it).") var slug: String?
        @Flag(help: "Report what would change without writing.") var dryRun = false
        @OptionGroup var data: DataOptions

        func run() async throws {
            let (path, parent) = (try UnitPath(self.path), try UnitPath(self.parent))
            let (slug, dryRun) = (self.slug, self.dryRun)
            let outcome = try await withAdministration(data) { try await $0.moveUnit(path, under: parent, slug: slug, dryRun: dryRun, by: .commandLine) }
            print(reorganisationSummary(outcome, verb: "move"))
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a unit into another of the same level, in one audited transaction.",
            discussion: """
            The unit's accounts and role grants move to the target (a grant an account already holds there
            is dropped), its child units move under the target, and the unit is deleted. With --dry-run the
            merge is made and rolled back, and its outcome printed.
            """
        )
        @Argument(help: "The unit that disappears, e.g. /ha-tay.") var path: String
        @Option(help: "The unit that takes it in, e.g. /ha-noi.") var into: String
        @Flag(help: "Report what would change without writing.") var dryRun = false
        @OptionGroup var data: DataOptions

        func run() async throws {
            let (path, into) = (try UnitPath(self.path), try UnitPath(self.into))
            let dryRun = self.dryRun
            let outcome = try await withAdministration(data) { try await $0.mergeUnit(path, into: into, dryRun: dryRun, by: .commandLine) }
            print(reorganisationSummary(outcome, verb: "merge"))
        }
    }
}

/// "moved /a → /b: …" or "dry run, nothing written: would move /a → /b: …".
func reorganisationSummary(_ o: UnitReorganisation, verb: String) -> String {
    var counts = "\(o.unitsRepathed) unit path(s), \(o.accounts) account(s), \(o.grants) role grant(s)"
    if o.grantsDropped > 0 { counts += ", \(o.grantsDropped) duplicate grant(s) dropped" }
    if o.clients > 0 { counts += ", \(o.clients) client(s)" }
    let done = verb == "move" ? "moved" : "merged"
    return o.dryRun ? "dry run, nothing written: would \(verb) \(o.from) → \(o.to): \(counts)" : "\(done) \(o.from) → \(o.to): \(counts)"
}

/// Runs `body` with the administration service over the configured store, acting as the
/// command line; refusals become the command's error message.
func withAdministration<T: Sendable>(_ data: DataOptions, _ body: @escaping @Sendable (AdminService) async throws -> T) async throws -> T {
    let policies = try loadPolicies(data)
    let issuer = configuredIssuer(nil)
    return try await withStore(data) { store in
        let engine = try administrativeEngine(data, policies: policies, issuer: issuer, store: store)
        let passwords = try PasswordService(threads: 1)
        defer { passwords.shutdown() }
        do {
            return try await body(AdminService(engine: engine, roles: policies.roles, passwords: passwords))
        } catch let error as AdminError {
            throw CLIError(error.description)
        }
    }
}

/// Thrown out of a write transaction to roll it back after a dry run.
struct DryRun: Error { var summary: UnitImport.Summary }
