import Foundation
import GatehouseCore
import GatehouseStore

/// An accounts CSV read and checked: the valid rows in file order and the rejected ones.
struct AccountImportFile {
    var rows: [AccountImportRow]
    var rejections: [AccountImportRejection]
    /// Data records in the file (valid and rejected).
    var records: Int

    /// Reads `path` (RFC 4180, UTF-8, header row first) and checks every record. A file that
    /// cannot be read or parsed, or whose header is wrong, is one error naming the line.
    static func read(_ path: String, validator: AccountImportValidator) throws -> AccountImportFile {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)")
        }
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch { throw CLIError("\(path):\(error.line): \(error.reason)") }
        guard let header = records.first else { throw CLIError("\(path) is empty: the first row must name the columns") }
        let columns: AccountImportColumns
        do { columns = try AccountImportColumns(header: header.fields) } catch { throw CLIError("\(path):\(header.line): \(error.message)") }
        let data = Array(records.dropFirst())
        let usernames = validator.usernames(data, columns: columns)
        let checked = ParallelMap.map(Array(zip(data, usernames))) { record, username in
            username.flatMap { validator.row(record, username: $0, columns: columns) }
        }
        var file = AccountImportFile(rows: [], rejections: [], records: data.count)
        file.rows.reserveCapacity(data.count)
        for result in checked {
            switch result {
            case .success(let row): file.rows.append(row)
            case .failure(let rejection): file.rejections.append(rejection)
            }
        }
        return file
    }

    /// Every unit in the store, by path, read page by page.
    static func units(in store: any Store) async throws -> [UnitPath: UUID] {
        try await store.read { tx in
            var out: [UnitPath: UUID] = [:]
            let limit = 10_000
            var offset = 0
            while true {
                let page = try tx.units(in: .root, page: Page(limit: limit, offset: offset))
                for unit in page { out[unit.path] = unit.id }
                guard page.count == limit else { return out }
                offset += limit
            }
        }
    }
}
