import Testing
import GatehouseCore

@Suite struct UsernameTests {
    @Test func foldsCaseAndNormalisesToNFC() throws {
        let nfd = "Nguye\u{0302}\u{0303}n.Va\u{0306}n"   // "Nguyễn.Văn" typed decomposed
        let nfc = "nguyễn.văn"
        #expect(try Username(nfd) == (try Username(nfc)))
        #expect(try Username("Nguyen.Van.A").value == "nguyen.van.a")
    }

    @Test(arguments: ["", " ", "a b", "a\tb", "a*", "a)(uid=*", "a,b", "a=b", "a/b", "a\u{0}b", String(repeating: "x", count: 129)])
    func rejects(_ raw: String) {
        #expect(throws: DomainError.self) { try Username(raw) }
    }

    @Test func displayNamesAreTrimmedNFCAndBounded() throws {
        let name = try Text.displayName("  Tra\u{0302}\u{0300}n Thi\u{0323} B ")
        #expect(Array(name.unicodeScalars) == Array("Tr\u{1EA7}n Th\u{1ECB} B".unicodeScalars))
        #expect(throws: DomainError.self) { try Text.displayName("   ") }
        #expect(throws: DomainError.self) { try Text.displayName("a\u{7}b") }
    }
}
