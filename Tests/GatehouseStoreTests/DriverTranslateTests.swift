import GatehouseStoreSQL
import Testing

@Suite("Driver: $N → ?N placeholder translation")
struct DriverTranslateTests {
    @Test("translates each placeholder", arguments: [
        ("SELECT $1", "SELECT ?1"),
        ("INSERT INTO t (a, b) VALUES ($1,$2)", "INSERT INTO t (a, b) VALUES (?1,?2)"),
        ("SELECT * FROM t WHERE a = $1 AND b = $1", "SELECT * FROM t WHERE a = ?1 AND b = ?1"),
        ("WHERE x IN ($3, $2, $1)", "WHERE x IN (?3, ?2, ?1)"),
    ])
    func simple(sql: String, expected: String) {
        #expect(SQLTranslate.sqlitePlaceholders(sql) == expected)
    }

    @Test("keeps every digit: $10 is not $1 followed by 0")
    func multiDigit() {
        let sql = "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $123)"
        #expect(SQLTranslate.sqlitePlaceholders(sql)
            == "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?123)")
        #expect(SQLTranslate.sqlitePlaceholders("$10=$1") == "?10=?1")
    }

    @Test("leaves string literals alone, including escaped quotes")
    func stringLiterals() {
        #expect(SQLTranslate.sqlitePlaceholders("SELECT '$1', $1") == "SELECT '$1', ?1")
        #expect(SQLTranslate.sqlitePlaceholders("SELECT 'it''s $2 or $3' || $4") == "SELECT 'it''s $2 or $3' || ?4")
        #expect(SQLTranslate.sqlitePlaceholders("SELECT '', $1, ''''") == "SELECT '', ?1, ''''")
        #expect(SQLTranslate.sqlitePlaceholders("SELECT 'Giá $1 đồng', $1") == "SELECT 'Giá $1 đồng', ?1")
    }

    @Test("leaves double-quoted identifiers alone")
    func quotedIdentifiers() {
        #expect(SQLTranslate.sqlitePlaceholders(#"SELECT "col$1", "a""$2" FROM t WHERE x = $1"#)
            == #"SELECT "col$1", "a""$2" FROM t WHERE x = ?1"#)
        #expect(SQLTranslate.sqlitePlaceholders(#"SELECT "it's", $1"#) == #"SELECT "it's", ?1"#)
    }

    @Test("leaves comments alone; an apostrophe in a comment starts no literal")
    func comments() {
        #expect(SQLTranslate.sqlitePlaceholders("SELECT $1 -- don't use $2\n, $3") == "SELECT ?1 -- don't use $2\n, ?3")
        #expect(SQLTranslate.sqlitePlaceholders("SELECT /* it's $1 */ $2") == "SELECT /* it's $1 */ ?2")
        #expect(SQLTranslate.sqlitePlaceholders("SELECT 5-$1, 6/$2") == "SELECT 5-?1, 6/?2")
    }

    @Test("leaves text without placeholders unchanged", arguments: [
        "SELECT 1",
        "SELECT $ FROM t",
        "SELECT $a, $_x",
        "SELECT 'unterminated $1",
        "SELECT \"unterminated $1",
        "SELECT /* unterminated $1",
        "",
        "$",
    ])
    func unchanged(sql: String) {
        #expect(SQLTranslate.sqlitePlaceholders(sql) == sql)
    }

    @Test("keeps non-ASCII text byte for byte")
    func unicode() {
        let sql = "SELECT 'Phường Bà Đình 🇻🇳' AS \"tên\", $1 -- Hà Nội\n"
        let translated = SQLTranslate.sqlitePlaceholders(sql)
        #expect(Array(translated.utf8) == Array(sql.replacingOccurrences(of: ", $1", with: ", ?1").utf8))
    }
}
