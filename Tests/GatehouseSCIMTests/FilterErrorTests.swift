import GatehouseSCIM
import Testing

/// Every rejected filter is a 400 `invalidFilter` (RFC 7644 §3.4.2.2, §3.12 Table 9) whose
/// detail says what is wrong and where.
@Suite struct FilterErrorTests {
    func failure(_ text: String, limits: SCIMFilterLimits = .default) -> SCIMError? {
        scimError { () throws(SCIMError) in try SCIMFilter.parse(text, limits: limits) }
    }

    func expectFailure(_ text: String, _ detail: String, offset: Int?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = failure(text) else {
            Issue.record("\(text) parsed", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == 400, sourceLocation: sourceLocation)
        #expect(error.scimType == .invalidFilter, sourceLocation: sourceLocation)
        #expect(error.detail == detail, sourceLocation: sourceLocation)
        #expect(error.offset == offset, sourceLocation: sourceLocation)
    }

    @Test func unbalancedParentheses() {
        expectFailure(#"(userName eq "x""#, #"unexpected end of the filter at offset 16, expected ")" to close the "(" at offset 0"#, offset: 16)
        expectFailure(#"userName eq "x")"#, #"unexpected ")" at offset 15, expected "and", "or" or the end of the filter"#, offset: 15)
        expectFailure(#"(a pr or (b pr)"#, #"unexpected end of the filter at offset 15, expected ")" to close the "(" at offset 0"#, offset: 15)
        expectFailure(#"emails[type eq "work""#, #"unexpected end of the filter at offset 21, expected "]" to close the "[" at offset 6"#, offset: 21)
        expectFailure(#"(a pr]"#, #"unexpected "]" at offset 5, expected "and", "or" or ")""#, offset: 5)
    }

    @Test func unknownOperator() {
        expectFailure(#"userName regex "x""#, #"unknown operator "regex" at offset 9, expected eq, ne, co, sw, ew, gt, ge, lt, le or pr"#, offset: 9)
        expectFailure(#"userName == "x""#, #"unexpected character "=" at offset 9"#, offset: 9)
        expectFailure("userName", #"missing operator after "userName" at offset 8, expected eq, ne, co, sw, ew, gt, ge, lt, le or pr"#, offset: 8)
    }

    @Test func missingValue() {
        expectFailure("userName eq", #"missing value after "eq" at offset 11, expected a value (a "quoted string", a number, true, false or null)"#, offset: 11)
        expectFailure("userName eq bjensen", #"unexpected "bjensen" at offset 12, expected a value (a "quoted string", a number, true, false or null)"#, offset: 12)
        expectFailure(#"userName eq "x" or"#, "unexpected end of the filter at offset 18, expected an attribute name", offset: 18)
        expectFailure(#"title pr and or x pr"#, #"unexpected "or" at offset 13, expected an attribute name"#, offset: 13)
    }

    @Test func trailingGarbage() {
        expectFailure("title pr garbage", #"unexpected "garbage" at offset 9, expected "and", "or" or the end of the filter"#, offset: 9)
        expectFailure(#"userName eq "x"; DROP TABLE users"#, #"unexpected character ";" at offset 15"#, offset: 15)
        expectFailure(#"userName eq"x""#, #"missing space after "eq" at offset 11"#, offset: 11)
        expectFailure(#"emails[type eq "work"].value eq "x""#, #"unexpected ".value" at offset 22, expected "and", "or" or the end of the filter"#, offset: 22)
    }

    @Test func strings() {
        expectFailure(#"userName eq "bjensen"#, #"unterminated string at offset 12, expected a closing ""#, offset: 12)
        expectFailure(#"userName eq "a\qb""#, #"invalid escape "\q" in a string at offset 14"#, offset: 14)
        expectFailure(#"userName eq "\u12""#, #"invalid escape "\u" (it needs four hex digits) in a string at offset 13"#, offset: 13)
        expectFailure(#"userName eq "\uD800x""#, #"invalid escape "\uD800" (a lone surrogate) in a string at offset 13"#, offset: 13)
        expectFailure(#"userName eq "\uDC00""#, #"invalid escape "\uDC00" (a lone surrogate) in a string at offset 13"#, offset: 13)
        expectFailure(#"userName eq "\u0000""#, "a string must not contain U+0000 at offset 13", offset: 13)
        expectFailure("userName eq \"a\tb\"", #"control character U+0009 in a string (write it as \u0009) at offset 14"#, offset: 14)
    }

    @Test func numbersAndLiterals() {
        expectFailure("age eq 01", #"invalid number "01" at offset 7"#, offset: 7)
        expectFailure("age eq 1.", #"invalid number "1." at offset 7"#, offset: 7)
        expectFailure("age eq --1", #"invalid number "--1" at offset 7"#, offset: 7)
        expectFailure("age eq 1e999", #"number "1e999" is out of range at offset 7"#, offset: 7)
        expectFailure("active gt true", "operator \"gt\" does not apply to booleans at offset 10: only eq and ne do", offset: 10)
        expectFailure("manager le null", "operator \"le\" does not apply to null at offset 11: only eq and ne do", offset: 11)
        expectFailure("userName co 5", #"operator "co" needs a string value at offset 12"#, offset: 12)
    }

    @Test func pathsAndStructure() {
        expectFailure("1abc pr", "missing space after number 1 at offset 1", offset: 1)
        expectFailure("42 pr", "unexpected number 42 at offset 0, expected an attribute name", offset: 0)
        expectFailure("name..x pr", #"invalid attribute path "name..x" at offset 0: an attribute name starts with a letter and holds only letters, digits, "-" and "_""#, offset: 0)
        expectFailure("a.b.c pr", #"invalid attribute path "a.b.c" at offset 0: an attribute path has at most one sub-attribute (name.familyName)"#, offset: 0)
        expectFailure("foo:bar pr", #"invalid attribute path "foo:bar" at offset 0: a schema prefix must be a URN such as urn:ietf:params:scim:schemas:core:2.0:User"#, offset: 0)
        expectFailure("not title pr", #"expected "(" after "not" at offset 4: write not (…)"#, offset: 4)
        expectFailure(#"emails[type[value eq "x"]]"#, "a [filter] cannot contain another [filter] at offset 11", offset: 11)
        expectFailure(#"emails.value[type eq "x"]"#, #"a [filter] cannot follow the sub-attribute "emails.value" at offset 12: put it after the attribute, as in emails[type eq "work"].value"#, offset: 12)
        expectFailure("()", #"unexpected ")" at offset 1, expected an attribute name"#, offset: 1)
        expectFailure("", "the filter is empty", offset: 0)
        expectFailure("   ", "the filter is empty", offset: 0)
    }

    @Test func offsetsCountCharactersNotBytes() {
        expectFailure(#"displayName eq "Nguyễn Văn An" or"#, "unexpected end of the filter at offset 33, expected an attribute name", offset: 33)
        expectFailure("userName eq Nguyễn", #"unexpected character "ễ" at offset 16"#, offset: 16)
    }

    @Test func limits() {
        let long = "userName eq \"" + String(repeating: "a", count: 5000) + "\""
        expectFailure(long, "the filter is 5014 bytes long; at most 4096 are accepted", offset: nil)
        expectFailure(String(repeating: "(", count: 40) + "a pr" + String(repeating: ")", count: 40),
                      "the filter nests deeper than 32 levels at offset 32", offset: 32)
        expectFailure(String(repeating: "not (", count: 33) + "a pr" + String(repeating: ")", count: 33),
                      "the filter nests deeper than 32 levels at offset 164", offset: 164)
        let many = (0...100).map { "a\($0) pr" }.joined(separator: " or ")
        #expect(failure(many)?.detail.hasPrefix("the filter has more than 100 comparisons at offset") == true)
        let small = SCIMFilterLimits(maxLength: 13, maxDepth: 1, maxComparisons: 1)
        #expect(failure("((a pr))", limits: small)?.detail == "the filter nests deeper than 1 levels at offset 1")
        #expect(failure("a pr or b pr", limits: small)?.detail == "the filter has more than 1 comparisons at offset 8")
        #expect(failure("abcdefghijk pr", limits: small)?.detail == "the filter is 14 bytes long; at most 13 are accepted")
    }

    @Test func injectionAttemptsAreRejected() {
        expectFailure(#"userName eq "x") or (1 eq 1"#, #"unexpected ")" at offset 15, expected "and", "or" or the end of the filter"#, offset: 15)
        expectFailure(#"userName eq "x" or 1 eq 1"#, "unexpected number 1 at offset 19, expected an attribute name", offset: 19)
        expectFailure("userName eq x' OR '1'='1", #"unexpected character "'" at offset 13"#, offset: 13)
        expectFailure(#"userName eq "x" -- comment"#, #"invalid number "--" at offset 16"#, offset: 16)
        expectFailure("userName eq \"x\" /* c */", #"unexpected character "/" at offset 16"#, offset: 16)
    }

    @Test func sqlLookingTextIsJustAString() throws {
        let filter = try SCIMFilter.parse(#"userName eq "x' OR '1'='1""#)
        #expect(filter == Tree.cmp("userName", .eq, "x' OR '1'='1"))
        #expect(try SCIMFilterEvaluator().select(SampleUsers.all, matching: filter).isEmpty)
        let drop = try SCIMFilter.parse(#"displayName co "'; DROP TABLE accounts; --""#)
        #expect(try SCIMFilterEvaluator().select(SampleUsers.all, matching: drop).isEmpty)
    }

    @Test func errorsCompareByStatusAndType() {
        #expect(throws: SCIMError(.invalidFilter)) { try SCIMFilter.parse("(") }
        #expect(SCIMError(.uniqueness).status == 409)
    }
}
