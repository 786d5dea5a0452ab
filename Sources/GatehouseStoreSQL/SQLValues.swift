import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseStore

// How domain values are written to and read from columns: UUIDs as lowercase text, times
// as Int64 milliseconds since the epoch, booleans as 0/1, sets and lists as JSON text.

extension UUID {
    /// The lowercase text form stored in id columns.
    var lowercasedString: String { uuidString.lowercased() }
}

extension Date {
    /// Milliseconds since the epoch, rounded.
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millisecondsSince1970 ms: Int64) { self.init(timeIntervalSince1970: Double(ms) / 1000) }

    /// This time as the store keeps it (to the millisecond).
    var storedPrecision: Date { Date(millisecondsSince1970: millisecondsSince1970) }
}

extension SQLValue {
    static func uuid(_ id: UUID) -> SQLValue { .text(id.lowercasedString) }
    static func uuid(_ id: UUID?) -> SQLValue { id.map(uuid) ?? .null }
    static func time(_ date: Date) -> SQLValue { .int(date.millisecondsSince1970) }
    static func time(_ date: Date?) -> SQLValue { date.map(time) ?? .null }
    static func textOrNull(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    static func bool(_ b: Bool) -> SQLValue { .int(b ? 1 : 0) }
    static func blobOrNull(_ bytes: [UInt8]?) -> SQLValue { bytes.map { .blob($0) } ?? .null }

    /// A list as a JSON array, in its order.
    static func json(_ list: [String]) -> SQLValue { .text(JSONText.encode(list)) }
    /// A set as a JSON array, sorted, so equal sets store equal text.
    static func json(_ set: Set<String>) -> SQLValue { .text(JSONText.encode(set.sorted())) }
    static func json(_ map: [String: String]) -> SQLValue { .text(JSONText.encode(map)) }
}

enum JSONText {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding [String] or [String: String] cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

/// Reads the columns of one row of `table`, throwing `StoreError.invalid` naming the table
/// and column when a stored value cannot be read as what the store wrote.
struct RowReader {
    let row: SQLRow
    let table: String

    init(_ row: SQLRow, _ table: String) {
        self.row = row
        self.table = table
    }

    func unreadable(_ column: String) -> StoreError {
        .invalid("a stored \(table) row has an unreadable \(column)")
    }

    func isNull(_ column: String) -> Bool { row[column] == .null }

    func text(_ column: String) throws(StoreError) -> String {
        guard let value = optionalText(column) else { throw unreadable(column) }
        return value
    }

    func optionalText(_ column: String) -> String? {
        switch row[column] {
        case .text(let s): s
        case .int(let i): String(i)
        case .blob(let b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }

    func int(_ column: String) throws(StoreError) -> Int64 {
        guard let value = optionalInt(column) else { throw unreadable(column) }
        return value
    }

    func optionalInt(_ column: String) -> Int64? {
        switch row[column] {
        case .int(let i): i
        case .double(let d): Int64(exactly: d)
        case .text(let s): Int64(s)
        default: nil
        }
    }

    func bool(_ column: String) throws(StoreError) -> Bool { try int(column) != 0 }

    func uuid(_ column: String) throws(StoreError) -> UUID {
        guard let value = try optionalUUID(column) else { throw unreadable(column) }
        return value
    }

    func optionalUUID(_ column: String) throws(StoreError) -> UUID? {
        guard let text = optionalText(column) else { return nil }
        guard let id = UUID(uuidString: text) else { throw unreadable(column) }
        return id
    }

    func time(_ column: String) throws(StoreError) -> Date { Date(millisecondsSince1970: try int(column)) }

    func optionalTime(_ column: String) -> Date? { optionalInt(column).map(Date.init(millisecondsSince1970:)) }

    func optionalBlob(_ column: String) throws(StoreError) -> [UInt8]? {
        switch row[column] {
        case .null: return nil
        case .blob(let b): return b
        case .text(let s):
            // PostgreSQL's text form of bytea: \x followed by hex digits.
            guard s.hasPrefix("\\x"), let bytes = [UInt8](hexString: s.dropFirst(2)) else { throw unreadable(column) }
            return bytes
        default: throw unreadable(column)
        }
    }

    func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T {
        guard let value = JSONText.decode(T.self, try text(column)) else { throw unreadable(column) }
        return value
    }

    func username(_ column: String) throws(StoreError) -> Username {
        do { return try Username(try text(column)) } catch { throw unreadable(column) }
    }

    func path(_ column: String) throws(StoreError) -> UnitPath {
        guard let value = try optionalPath(column) else { throw unreadable(column) }
        return value
    }

    func optionalPath(_ column: String) throws(StoreError) -> UnitPath? {
        guard let text = optionalText(column) else { return nil }
        do { return try UnitPath(text) } catch { throw unreadable(column) }
    }

    func enumeration<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws(StoreError) -> E where E.RawValue == String {
        guard let value = E(rawValue: try text(column)) else { throw unreadable(column) }
        return value
    }
}
