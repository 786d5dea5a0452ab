import GatehouseLDAP
import Testing

@Suite("DistinguishedName: RFC 4514 parsing and equality")
struct DistinguishedNameTests {
    @Test("RDNs are read in order, entry first")
    func simple() throws {
        let dn = try DistinguishedName("uid=nguyen.van.an,ou=central,dc=gatehouse,dc=test")
        #expect(dn.rdns.map(\.description) == ["uid=nguyen.van.an", "ou=central", "dc=gatehouse", "dc=test"])
        #expect(dn.parent == (try DistinguishedName("ou=central,dc=gatehouse,dc=test")))
        #expect(dn.description == "uid=nguyen.van.an,ou=central,dc=gatehouse,dc=test")
    }

    @Test("backslash escapes and hex escapes decode to the same value (RFC 4514 §3, examples of §4)")
    func escapes() throws {
        let written = try DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,dc=gatehouse,dc=test"##)
        let fromSlapd = try DistinguishedName(#"cn=\23Ngô Bảo Châu\2C PGS.,ou=hue,dc=gatehouse,dc=test"#)
        #expect(written.rdns[0].attributes[0].value == "#Ngô Bảo Châu, PGS.")
        #expect(written == fromSlapd)
        #expect(written.hashValue == fromSlapd.hashValue)
        // RFC 4514 §4 examples.
        #expect(try DistinguishedName(#"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#).rdns[0].attributes[0].value
            == #"James "Jim" Smith, III"#)
        #expect(try DistinguishedName(#"CN=Before\0dAfter,DC=example,DC=net"#).rdns[0].attributes[0].value == "Before\rAfter")
        #expect(try DistinguishedName(#"CN=Lu\C4\8Di\C4\87"#).rdns[0].attributes[0].value == "Lučić")
        #expect(try DistinguishedName(#"cn=\22quoted\22"#) == DistinguishedName(#"cn=\"quoted\""#))
    }

    @Test("UTF-8 written as hex escapes equals the same text written plainly")
    func hexUTF8() throws {
        // "Huế": u+1EBF is E1 BA BF.
        #expect(try DistinguishedName(#"ou=Hu\E1\BA\BF,dc=test"#) == DistinguishedName("ou=Huế,dc=test"))
    }

    @Test("multi-valued RDNs compare as sets (RFC 4514 §2.2)")
    func multiValued() throws {
        let a = try DistinguishedName("cn=Đỗ Thị Hà+uid=do.thi.ha,ou=phuong-hoan-kiem,ou=ha-noi,dc=gatehouse,dc=test")
        let b = try DistinguishedName("UID=do.thi.ha+CN=Đỗ Thị Hà,ou=phuong-hoan-kiem,ou=ha-noi,dc=gatehouse,dc=test")
        #expect(a.rdns[0].attributes.count == 2)
        #expect(a.rdns[0].value(of: "uid") == "do.thi.ha")
        #expect(a.rdns[0].value(of: "CN") == "Đỗ Thị Hà")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != (try DistinguishedName("cn=Đỗ Thị Hà,ou=phuong-hoan-kiem,ou=ha-noi,dc=gatehouse,dc=test")))
    }

    @Test("attribute types compare case-insensitively, and by OID")
    func typeMatching() throws {
        let dn = try DistinguishedName("cn=An,ou=hue,dc=gatehouse,dc=test")
        #expect(dn == (try DistinguishedName("CN=An,OU=hue,DC=gatehouse,DC=test")))
        #expect(dn == (try DistinguishedName("2.5.4.3=An,2.5.4.11=hue,0.9.2342.19200300.100.1.25=gatehouse,dc=test")))
        #expect(dn == (try DistinguishedName("OID.2.5.4.3=An,ou=hue,dc=gatehouse,dc=test")))
        #expect(dn != (try DistinguishedName("sn=An,ou=hue,dc=gatehouse,dc=test")))
    }

    @Test("values compare like caseIgnoreMatch: case, NFC, insignificant spaces")
    func valueMatching() throws {
        let nfc = "Nguyễn Văn An"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        #expect(try DistinguishedName("cn=\(nfc),dc=test") == DistinguishedName("cn=\(nfd),dc=test"))
        #expect(try DistinguishedName("cn=NGUYỄN VĂN AN,dc=test") == DistinguishedName("cn=nguyễn văn an,dc=test"))
        #expect(try DistinguishedName("cn=Nguyễn  Văn   An,dc=test") == DistinguishedName("cn=Nguyễn Văn An,dc=test"))
        #expect(try DistinguishedName("cn=An,dc=test") != DistinguishedName("cn=Anh,dc=test"))
    }

    @Test("spaces around separators are ignored; escaped edge spaces are kept")
    func spaces() throws {
        let loose = try DistinguishedName("  cn = An , ou = hue ;dc=test ")
        #expect(loose == (try DistinguishedName("cn=An,ou=hue,dc=test")))
        #expect(loose.rdns[0].attributes[0].value == "An")
        let kept = try DistinguishedName(#"cn=\ An\ ,dc=test"#)
        #expect(kept.rdns[0].attributes[0].value == " An ")
        #expect(kept.description == #"cn=\ An\ ,dc=test"#)
    }

    @Test("the # form keeps its hex and compares by it")
    func hexString() throws {
        let dn = try DistinguishedName("1.3.6.1.4.1.1466.0=#04024869,dc=test")
        #expect(dn.rdns[0].attributes[0].isHexEncoded)
        #expect(dn.rdns[0].attributes[0].value == "#04024869")
        #expect(dn == (try DistinguishedName("1.3.6.1.4.1.1466.0=#04024869,DC=test")))
        #expect(dn.description == "1.3.6.1.4.1.1466.0=#04024869,dc=test")
    }

    @Test("the empty DN has no RDNs")
    func empty() throws {
        #expect(try DistinguishedName("").isEmpty)
        #expect(try DistinguishedName("   ").isEmpty)
        #expect(try DistinguishedName("").parent == nil)
    }

    @Test("descendants")
    func descendants() throws {
        let base = try DistinguishedName("ou=ha-noi,dc=gatehouse,dc=test")
        let commune = try DistinguishedName("ou=phuong-ba-dinh,OU=Ha-Noi,dc=gatehouse,dc=test")
        #expect(commune.isDescendant(of: base))
        #expect(!base.isDescendant(of: base))
        #expect(!base.isDescendant(of: commune))
        #expect(!(try DistinguishedName("ou=hue,dc=gatehouse,dc=test")).isDescendant(of: base))
    }

    @Test("malformed DNs are refused with invalidDNSyntax", arguments: [
        "cn",
        "cn=a,",
        "=a",
        "cn=a,,dc=test",
        #"cn=a\"#,
        #"cn=a\x"#,
        #"cn=a\4"#,
        #"cn=a\zz"#,
        #"cn=a"b"#,
        "cn=a<b",
        "cn=#",
        "cn=#0",
        "cn=#zz",
        "1..2=a",
        "01.2=a",
        "c n=a",
        "cn=a+",
        #"cn=\C3"#,
        "cn=a\u{0}b",
    ])
    func malformed(input: String) {
        #expect(throws: LDAPError(.invalidDNSyntax)) { try DistinguishedName(input) }
    }

    @Test("oversized DNs are refused")
    func oversized() {
        let long = "cn=" + String(repeating: "a", count: DistinguishedName.maximumLength)
        #expect(throws: LDAPError(.invalidDNSyntax)) { try DistinguishedName(long) }
    }
}
