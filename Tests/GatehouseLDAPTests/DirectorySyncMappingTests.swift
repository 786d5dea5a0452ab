import Foundation
import GatehouseCore
@testable import GatehouseLDAP
import Testing

/// DN keys, unit rules and member lists: how entries are matched without comparing strings.
@Suite struct DirectorySyncMappingTests {
    @Test func spellingsOfOneDNShareAKey() throws {
        let written = try DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,dc=gatehouse,dc=test"##)
        let returned = try DistinguishedName(#"CN=\23Ngô Bảo Châu\2C PGS.,OU=Hue,DC=gatehouse,DC=test"#)
        let nfd = try DistinguishedName(##"CN=\#Ngô Bảo Châu\, PGS.,2.5.4.11=HUE,dc=gatehouse,dc=test"##.decomposedStringWithCanonicalMapping)
        let longer = try DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,ou=x,dc=gatehouse,dc=test"##)
        #expect(written.canonicalKey == returned.canonicalKey)
        #expect(nfd.canonicalKey == written.canonicalKey, "NFD values and numeric OIDs too")
        #expect(written.canonicalKey == ##"cn=\#ngô bảo châu\, pgs.,ou=hue,dc=gatehouse,dc=test"##)
        #expect(longer.canonicalKey != written.canonicalKey, "one more RDN is another DN")
        let multi = try DistinguishedName("uid=do.thi.ha+cn=Đỗ Thị Hà,ou=hn,dc=test")
        #expect(multi.canonicalKey == (try DistinguishedName("CN=đỗ thị hà+UID=do.thi.ha,ou=hn,dc=test")).canonicalKey, "RDN parts in any order")
    }

    /// Escaping keeps keys unambiguous: a comma inside a value is not an RDN boundary.
    @Test func escapedSeparatorsStayDistinct() throws {
        let one = try DistinguishedName(#"cn=a\,ou=b,dc=test"#)
        let two = try DistinguishedName("cn=a,ou=b,dc=test")
        #expect(one.canonicalKey != two.canonicalKey)
        #expect(try DistinguishedName(#"cn=a\+b,dc=test"#).canonicalKey != (try DistinguishedName("cn=a+cn=b,dc=test")).canonicalKey)
    }

    @Test func unitRulesFirstMatchWins() throws {
        let mapper = UnitMapper(rules: [
            .init(match: .dnSuffix(try DistinguishedName("ou=phuong-ba-dinh,ou=people,dc=hanoi")), unit: try UnitPath("/ha-noi/phuong-ba-dinh")),
            .init(match: .organizationalUnit("Phường Hoàn Kiếm"), unit: try UnitPath("/ha-noi/phuong-hoan-kiem")),
            .init(match: .dnSuffix(try DistinguishedName("ou=people,dc=hanoi")), unit: try UnitPath("/ha-noi")),
        ])
        #expect(mapper.unit(for: try DistinguishedName("uid=a,OU=Phuong-Ba-Dinh,ou=People,DC=hanoi")) == (try UnitPath("/ha-noi/phuong-ba-dinh")))
        #expect(mapper.unit(for: try DistinguishedName("uid=b,ou=PHƯỜNG HOÀN KIẾM,ou=people,dc=hanoi")) == (try UnitPath("/ha-noi/phuong-hoan-kiem")))
        #expect(mapper.unit(for: try DistinguishedName("uid=c,ou=khac,ou=people,dc=hanoi")) == (try UnitPath("/ha-noi")))
        #expect(mapper.unit(for: try DistinguishedName("ou=people,dc=hanoi")) == nil, "the base itself is not below the suffix")
        #expect(mapper.unit(for: try DistinguishedName("uid=d,ou=people,dc=hue")) == nil)
        #expect(mapper.unit(for: try DistinguishedName("uid=e,cn=Phường Hoàn Kiếm,dc=x")) == nil, "only ou RDNs count")
    }

    @Test func memberListsAreParsed() {
        let entry = LDAPEntry(dn: "cn=g,dc=test", attributes: [
            LDAPAttribute("member", [#"UID=A\2CB,DC=Test"#, "not a dn"]),
            LDAPAttribute("uniqueMember", ["uid=c,dc=test#'0101'B"]),
        ])
        let read = GroupMembership.memberKeys(entry)
        #expect(read.keys == [#"uid=a\,b,dc=test"#, "uid=c,dc=test"])
        #expect(read.unparsable == 1)
    }

    @Test func digestsAreStableAndFollowMembers() throws {
        let rule = DirectorySyncConfiguration.GroupRule(group: try DistinguishedName("cn=g,dc=test"), role: "clerk", unit: try UnitPath("/hue"))
        let a = GroupMembership(members: [["uid=a,dc=test", "uid=b,dc=test"]]).digests([rule])
        let b = GroupMembership(members: [["uid=b,dc=test", "uid=a,dc=test"]]).digests([rule])
        let c = GroupMembership(members: [["uid=a,dc=test"]]).digests([rule])
        #expect(a == b)
        #expect(a != c)
        #expect(StableDigest.hex(["a"]) == "45540418180aba49", "FNV-1a 64 of \"1:a\", the same in every process")
    }
}
