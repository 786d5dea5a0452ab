import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseStore

struct Units: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Manage the unit tree: central /, provinces /ha-noi, communes /ha-noi/phuong-ba-dinh.",
        subcommands: [Add.self, Import.self, List.self]
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

/// Thrown out of a write transaction to roll it back after a dry run.
struct DryRun: Error { var summary: UnitImport.Summary }
