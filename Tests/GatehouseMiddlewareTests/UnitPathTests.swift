import GatehouseMiddleware
import Testing

@Suite struct UnitPathTests {
    @Test func containmentIsBySegments() {
        let hanoi: UnitPath = "/ha-noi"
        #expect(hanoi.contains("/ha-noi"))
        #expect(hanoi.contains("/ha-noi/phuong-ba-dinh"))
        #expect(!hanoi.contains("/ha-noi-2"))
        #expect(!hanoi.contains("/ha-noi-2/x"))
        #expect(!hanoi.contains("/hue"))
        #expect(!hanoi.contains("/"))
        let ward: UnitPath = "/ha-noi/phuong-ba-dinh"
        #expect(!ward.contains(hanoi))
        #expect(UnitPath.root.contains("/hue/phu-hoi"))
        #expect(UnitPath.root.contains(.root))
    }

    @Test func malformedPathsDoNotParse() {
        for bad in ["", "ha-noi", "/ha-noi/", "//ha-noi", "/ha-noi//x", "/ha-noi/..", "/./x", "/ha noi", "/ha-noi\n", "/a@b", "/x/\u{7F}"] {
            #expect(UnitPath(bad) == nil, "\(bad.debugDescription) parsed")
        }
        for good in ["/", "/ha-noi", "/ha-noi/phuong-ba-dinh", "/hà-nội", "/a.b/c_d"] {
            #expect(UnitPath(good)?.rawValue == good)
        }
    }

    @Test func parentsAndSegments() {
        let ward: UnitPath = "/ha-noi/phuong-ba-dinh"
        #expect(ward.parent == "/ha-noi")
        #expect(ward.parent?.parent == .root)
        #expect(UnitPath.root.parent == nil)
        #expect(ward.segments == ["ha-noi", "phuong-ba-dinh"])
    }

    @Test func roleGrantsParseStrictly() {
        #expect(RoleGrant("clerk@/ha-noi") == RoleGrant(role: "clerk", unit: "/ha-noi"))
        #expect(RoleGrant("clerk@/") == RoleGrant(role: "clerk", unit: .root))
        for bad in ["clerk", "clerk@", "@/ha-noi", "clerk@ha-noi", "clerk@/ha-noi/", "cl erk@/ha-noi", "clerk@/a@b"] {
            #expect(RoleGrant(bad) == nil, "\(bad) parsed")
        }
        #expect(RoleGrant("clerk@/ha-noi")!.holds("clerk", at: "/ha-noi/x"))
        #expect(!RoleGrant("clerk@/ha-noi")!.holds("admin", at: "/ha-noi/x"))
        #expect(RoleGrant("clerk@/ha-noi")!.description == "clerk@/ha-noi")
    }
}
