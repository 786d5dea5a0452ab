import Testing
import GatehouseCore

@Suite struct CSVTests {
    @Test func parsesQuotedFieldsAndLineNumbers() throws {
        let text = "\u{FEFF}path,name\r\n/ha-noi,\"Hà Nội, thủ đô\"\n\n/hue,\"Huế \"\"cố đô\"\"\"\n/x,\"two\nlines\"\n/y,z"
        let records = try CSV.parse(text)
        #expect(records.map(\.line) == [1, 2, 4, 5, 7])
        #expect(records[1].fields == ["/ha-noi", "Hà Nội, thủ đô"])
        #expect(records[2].fields == ["/hue", "Huế \"cố đô\""])
        #expect(records[3].fields == ["/x", "two\nlines"])
        #expect(records[4].fields == ["/y", "z"])
    }

    @Test func reportsMalformedInputWithItsLine() {
        #expect(throws: CSV.ParseError(line: 2, reason: "a quoted field is not closed")) { try CSV.parse("a,b\n\"open,c\n") }
        #expect(throws: CSV.ParseError(line: 1, reason: "a quote inside an unquoted field")) { try CSV.parse("ab\"c\n") }
        #expect(throws: CSV.ParseError(line: 1, reason: "text after a closing quote")) { try CSV.parse("\"ab\"c\n") }
    }

    @Test func emptyFieldsArePreserved() throws {
        #expect(try CSV.parse("a,,c\n,\n").map(\.fields) == [["a", "", "c"], ["", ""]])
    }
}
