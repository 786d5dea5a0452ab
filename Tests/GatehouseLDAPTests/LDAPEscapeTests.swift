import GatehouseLDAP
import Testing

@Suite("LDAPEscape: filter values (RFC 4515 §3) and DN values (RFC 4514 §2.4)")
struct LDAPEscapeTests {
    @Test("filter metacharacters become hex escapes", arguments: [
        ("*", #"\2a"#),
        ("(", #"\28"#),
        (")", #"\29"#),
        (#"\"#, #"\5c"#),
        ("\u{0}", #"\00"#),
        ("a*b", #"a\2ab"#),
    ])
    func filterMetacharacters(input: String, expected: String) {
        #expect(LDAPEscape.filterValue(input) == expected)
    }

    @Test("injection attempts become literal values")
    func filterInjection() {
        #expect(LDAPEscape.filterValue("*)(uid=*") == #"\2a\29\28uid=\2a"#)
        #expect(LDAPEscape.filterValue("admin)(|(uid=*") == #"admin\29\28|\28uid=\2a"#)
        #expect(LDAPEscape.filterValue("admin\u{0}") == #"admin\00"#)
        #expect(LDAPEscape.filterValue(#"\2a"#) == #"\5c2a"#)
        // Whatever goes in, the result holds no unescaped metacharacter.
        for attempt in ["*)(uid=*", "admin)(|(uid=*", "*", "x)(objectClass=*", "\u{0}*"] {
            let escaped = LDAPEscape.filterValue(attempt)
            #expect(!escaped.contains("*") && !escaped.contains("(") && !escaped.contains(")") && !escaped.contains("\u{0}"))
        }
    }

    @Test("Vietnamese text passes through unchanged, byte for byte")
    func filterVietnamese() {
        for name in ["Nguyễn Văn An", "Trần Thị Bình", "Đỗ Thị Hà", "Phường Ba Đình"] {
            #expect(Array(LDAPEscape.filterValue(name).utf8) == Array(name.utf8))
        }
        #expect(LDAPEscape.filterValue("Lê (Huế)*") == #"Lê \28Huế\29\2a"#)
    }

    @Test("DN specials are escaped", arguments: [
        ("a,b", #"a\,b"#),
        ("a+b", #"a\+b"#),
        (#"a"b"#, #"a\"b"#),
        (#"a\b"#, #"a\\b"#),
        ("a;b", #"a\;b"#),
        ("a<b>", #"a\<b\>"#),
        ("a=b", #"a\=b"#),
        ("a\u{0}b", #"a\00b"#),
        ("#1", ##"\#1"##),
        ("a#1", "a#1"),
        (" lead", #"\ lead"#),
        ("trail ", #"trail\ "#),
        ("in side", "in side"),
        (" ", #"\ "#),
    ])
    func dnSpecials(input: String, expected: String) {
        #expect(LDAPEscape.dnValue(input) == expected)
    }

    @Test("an escaped DN value parses back to the original value")
    func dnRoundTrip() throws {
        for value in ["#Ngô Bảo Châu, PGS.", " Lê+Văn; <x> ", #"a\b"c"#, "Trần Thị Bình", "=x=", "a\u{0}b"] {
            let dn = try DistinguishedName("cn=\(LDAPEscape.dnValue(value)),ou=hue,dc=gatehouse,dc=test")
            #expect(dn.rdns.count == 4)
            #expect(dn.rdns[0].attributes[0].value == value)
        }
    }

    @Test("a DN injection attempt stays one RDN")
    func dnInjection() throws {
        let dn = try DistinguishedName("uid=\(LDAPEscape.dnValue("x,ou=admins")),ou=hue,dc=gatehouse,dc=test")
        #expect(dn.rdns.count == 4)
        #expect(dn.rdns[0].value(of: "uid") == "x,ou=admins")
    }
}
