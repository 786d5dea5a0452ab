import Foundation
import GatehouseCore
import GatehouseStore

/// Reading a units CSV and applying it inside one write transaction.
enum UnitImport {
    struct Row { var line: Int; var path: UnitPath; var name: String; var code: String? }

    struct Summary: Sendable {
        var created = 0, renamed = 0, unchanged = 0
        var detail: [String: String] { ["created": "\(created)", "renamed": "\(renamed)", "unchanged": "\(unchanged)"] }
    }

    /// Parses and validates every row; all problems are reported together with their lines.
    static func parse(file: String) throws -> [Row] {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw CLIError("cannot read \(file): \(error.localizedDescription)")
        }
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch { throw CLIError("\(file):\(error.line): \(error.reason)") }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw CLIError("\(file) is empty")
        }
        let pathColumn = header.firstIndex(of: "path"), slugColumn = header.firstIndex(of: "slug")
        guard let nameColumn = header.firstIndex(of: "name"), pathColumn != nil || slugColumn != nil else {
            throw CLIError("\(file):1: the header must name the columns path,name (or slug,name)")
        }
        let codeColumn = header.firstIndex(of: "code")
        var rows: [Row] = [], problems: [String] = [], seen: [UnitPath: Int] = [:]
        for record in records.dropFirst() {
            let f = record.fields
            func field(_ i: Int?) -> String? { i.flatMap { $0 < f.count ? f[$0].trimmingCharacters(in: .whitespaces) : nil } }
            do {
                let raw = field(pathColumn) ?? field(slugColumn).map { "/" + $0 } ?? ""
                let path = try UnitPath(raw)
                guard !path.isRoot else { throw DomainError.invalidUnitPath("/", "the root unit exists already") }
                let name = try Text.displayName(field(nameColumn) ?? "")
                if let first = seen[path] { throw CLIError("\(path) is listed again (first on line \(first))") }
                seen[path] = record.line
                rows.append(Row(line: record.line, path: path, name: name, code: field(codeColumn).flatMap { $0.isEmpty ? nil : $0 }))
            } catch {
                problems.append("\(file):\(record.line): \(error)")
            }
        }
        guard problems.isEmpty else {
            throw CLIError(problems.joined(separator: "\n") + "\n\(problems.count) row(s) rejected; nothing was imported")
        }
        return rows
    }

    /// Applies `rows`, parents first. Units present with the same name are unchanged; with another
    /// name they are renamed. A row whose parent is neither stored nor in the file fails the batch.
    static func apply(_ rows: [Row], to tx: any StoreWriter, now: Date) throws -> Summary {
        var summary = Summary()
        for row in rows.sorted(by: { $0.path.depth < $1.path.depth }) {
            if var existing = try? tx.unit(path: row.path) {
                if existing.name == row.name && (row.code == nil || existing.code == row.code) {
                    summary.unchanged += 1
                } else {
                    existing.name = row.name
                    existing.code = row.code ?? existing.code
                    existing.updatedAt = now
                    try tx.updateUnit(existing)
                    summary.renamed += 1
                }
                continue
            }
            let parentPath = row.path.parent!
            let parent: OrgUnit
            do { parent = try tx.unit(path: parentPath) } catch StoreError.notFound {
                throw CLIError("line \(row.line): parent unit \(parentPath) of \(row.path) is neither in the store nor in the file; nothing was imported")
            }
            try tx.insertUnit(OrgUnit(id: UUID(), path: row.path, name: row.name, parentID: parent.id, code: row.code, createdAt: now))
            summary.created += 1
        }
        return summary
    }
}
