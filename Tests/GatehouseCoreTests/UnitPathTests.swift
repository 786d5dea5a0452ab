import Testing
import GatehouseCore

@Suite struct UnitPathTests {
    @Test func parsesRootProvinceAndCommune() throws {
        #expect(try UnitPath("/").isRoot)
        let commune = try UnitPath("/ha-noi/phuong-ba-dinh")
        #expect(commune.segments == ["ha-noi", "phuong-ba-dinh"])
        #expect(commune.level == .commune)
        #expect(commune.parent == (try UnitPath("/ha-noi")))
        #expect(commune.parent?.parent == .root)
        #expect(commune.description == "/ha-noi/phuong-ba-dinh")
        #expect(commune.lineage.map(\.description) == ["/", "/ha-noi", "/ha-noi/phuong-ba-dinh"])
    }

    @Test(arguments: ["", "ha-noi", "/ha-noi/", "//", "/Ha-Noi", "/ha noi", "/hà-nội", "/-ha", "/ha-", "/a/b/c", "/ha_noi", "/ha-noi//x", String(repeating: "a", count: 64).prefixed])
    func rejectsMalformedPaths(_ raw: String) {
        #expect(throws: DomainError.self) { try UnitPath(raw) }
    }

    @Test func subtreeIsSegmentWiseNotStringPrefix() throws {
        let haNoi = try UnitPath("/ha-noi")
        #expect(haNoi.contains(try UnitPath("/ha-noi")))
        #expect(haNoi.contains(try UnitPath("/ha-noi/phuong-ba-dinh")))
        #expect(!haNoi.contains(try UnitPath("/ha-noi-2")))
        #expect(!haNoi.contains(try UnitPath("/ha-noi-2/x")))
        #expect(!haNoi.contains(.root))
        #expect(UnitPath.root.contains(haNoi))
    }

    @Test func rebasingMovesASubtree() throws {
        let old = try UnitPath("/ha-tay"), new = try UnitPath("/ha-noi")
        #expect(try UnitPath("/ha-tay/xa-1").rebased(from: old, to: new) == (try UnitPath("/ha-noi/xa-1")))
        #expect(try UnitPath("/hue/xa-1").rebased(from: old, to: new) == nil)
    }

    @Test func sortsParentsBeforeChildren() throws {
        let paths = try ["/hue", "/ha-noi/xa-1", "/", "/ha-noi"].map { try UnitPath($0) }
        #expect(paths.sorted().map(\.description) == ["/", "/ha-noi", "/ha-noi/xa-1", "/hue"])
    }

    @Test func codableRoundTripValidates() throws {
        let data = try JSONEncoder().encode([try UnitPath("/hue")])
        #expect(String(decoding: data, as: UTF8.self) == #"["\/hue"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UnitPath].self, from: Data(#"["hue"]"#.utf8)) }
    }
}

private extension String { var prefixed: String { "/" + self } }

import Foundation
