import GatehouseCore
@testable import GatehouseStoreSQL
import Testing

/// The dialect type table, the subtree filter and the username-prefix range.
@Suite("SQL schema and query building")
struct SQLSchemaTests {
    @Test func typeTokensRenderPerDialect() {
        let ddl = "CREATE TABLE t (a {INT64}, b {BYTES}, c {KEY}, d TEXT)"
        #expect(SQLSchema.render(ddl, for: .sqlite) == "CREATE TABLE t (a INTEGER, b BLOB, c TEXT, d TEXT)")
        #expect(SQLSchema.render(ddl, for: .postgres) == "CREATE TABLE t (a BIGINT, b BYTEA, c TEXT COLLATE \"C\", d TEXT)")
    }

    @Test(arguments: [SQLDialect.sqlite, .postgres])
    func everyMigrationRendersWithoutTokens(_ dialect: SQLDialect) {
        for migration in SQLSchema.migrations {
            let sql = SQLSchema.render(migration.ddl, for: dialect)
            #expect(!sql.contains("{"), "migration \(migration.version) keeps a token")
        }
        #expect(SQLSchema.migrations.map(\.version) == Array(1...SQLSchema.latestVersion))
    }

    @Test func subtreeFilterIsARangeWithPlaceholdersOnly() throws {
        var filter = SQLFilter()
        filter.add("a.status = \(filter.bind(.text("active")))")
        filter.subtree("u.path", try UnitPath("/ha-noi"))
        #expect(filter.whereClause == " WHERE a.status = $1 AND (u.path = $2 OR (u.path >= $3 AND u.path < $4))")
        #expect(filter.parameters == [.text("active"), .text("/ha-noi"), .text("/ha-noi/"), .text("/ha-noi0")])

        var root = SQLFilter()
        root.subtree("path", .root)
        #expect(root.whereClause == "")
        #expect(root.parameters.isEmpty)
    }

    @Test func prefixUpperBoundIncrementsTheLastScalar() {
        #expect(SQLTransaction.prefixUpperBound("abc") == "abd")
        #expect(SQLTransaction.prefixUpperBound("a_") == "a`")
        #expect(SQLTransaction.prefixUpperBound("a%") == "a&")
        #expect(SQLTransaction.prefixUpperBound("đ") == "\u{112}")
        #expect(SQLTransaction.prefixUpperBound("x\u{D7FF}") == "x\u{E000}")
        #expect(SQLTransaction.prefixUpperBound("x\u{10FFFF}") == "y")
        #expect(SQLTransaction.prefixUpperBound("\u{10FFFF}") == nil)
        #expect(SQLTransaction.prefixUpperBound("") == nil)
    }

    @Test func prefixIsFoldedLikeUsernames() {
        #expect(SQLTransaction.foldPrefix("NGUYE\u{0302}\u{0303}N") == "nguyễn")
    }
}
