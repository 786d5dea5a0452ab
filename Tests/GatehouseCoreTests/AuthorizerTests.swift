import Testing
import GatehouseCore

@Suite struct AuthorizerTests {
    static let roles: [Role] = [
        Role(name: "central-admin", permissions: Set(Permission.administrative), grantableAt: [.central], mfaRequired: true),
        Role(name: "province-admin", permissions: [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant, .unitsManage, .auditRead], grantableAt: [.province], mfaRequired: true),
        Role(name: "commune-admin", permissions: [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant], grantableAt: [.commune], mfaRequired: true),
        Role(name: "clerk", permissions: ["documents.read", "documents.write"], grantableAt: [.province, .commune]),
        Role(name: "official", permissions: ["documents.read"], grantableAt: [.central, .province, .commune]),
    ]
    let authz = Authorizer(roles: Self.roles)

    func grant(_ s: String) throws -> EffectiveGrant { try EffectiveGrant(parsing: s) }

    @Test func grantHoldsInTheWholeSubtreeAndNowhereElse() throws {
        let tree = try SampleTree.paths()
        #expect(tree.count >= 3_300)
        let g = [try grant("province-admin@/ha-noi")]
        var allowed = 0
        for path in tree {
            let decision = authz.decide(.accountsCreate, at: path, grants: g)
            let inside = path.segments.first == "ha-noi"
            #expect(decision.isAllowed == inside, "\(path): \(decision)")
            if decision.isAllowed { allowed += 1 }
        }
        #expect(allowed == 1 + 98)
    }

    @Test func provincialAdminOfHaNoiCannotTouchHue() throws {
        let g = [try grant("province-admin@/ha-noi")]
        let d = authz.decide(.accountsDisable, at: try UnitPath("/hue/xa-1"), grants: g)
        #expect(!d.isAllowed)
        #expect(d.description.contains("no role is granted at /hue/xa-1"))
        #expect(!authz.decide(.accountsCreate, at: .root, grants: g).isAllowed)
    }

    @Test func explanationNamesTheMostSpecificGrant() throws {
        let g = [try grant("central-admin@/"), try grant("commune-admin@/hue/xa-2")]
        #expect(authz.decide(.accountsCreate, at: try UnitPath("/hue/xa-2"), grants: g) == .allowed(by: try grant("commune-admin@/hue/xa-2")))
        #expect(authz.decide(.clientsManage, at: try UnitPath("/hue/xa-2"), grants: g) == .allowed(by: try grant("central-admin@/")))
    }

    @Test func permissionNotCarriedByTheRoleIsDenied() throws {
        let g = [try grant("clerk@/hue")]
        let d = authz.decide(.accountsCreate, at: try UnitPath("/hue/xa-1"), grants: g)
        #expect(!d.isAllowed)
        #expect(d.description.contains("clerk@/hue"))
    }

    @Test func communeAdminCannotGrantAProvincialRole() throws {
        let g = [try grant("commune-admin@/hue/xa-1")]
        #expect(!authz.mayGrant("province-admin", at: try UnitPath("/hue"), grants: g).isAllowed)
        // Even at their own commune: the role is not grantable at commune level.
        let d = authz.mayGrant("province-admin", at: try UnitPath("/hue/xa-1"), grants: g)
        #expect(!d.isAllowed)
        #expect(d.description.contains("may be granted only at level province"))
    }

    @Test func adminCannotGrantThemselvesAHigherRole() throws {
        let g = [try grant("province-admin@/hue")]
        // central-admin is grantable only at central, and carries clients.manage they lack.
        #expect(!authz.mayGrant("central-admin", at: .root, grants: g).isAllowed)
        #expect(!authz.mayGrant("central-admin", at: try UnitPath("/hue"), grants: g).isAllowed)
    }

    @Test func grantingARoleWithPermissionsTheGranterLacksIsDenied() throws {
        let g = [try grant("commune-admin@/hue/xa-1")]
        let d = authz.mayGrant("clerk", at: try UnitPath("/hue/xa-1"), grants: g)
        #expect(!d.isAllowed)
        #expect(d.description.contains("documents.read"))
        // With the application permissions held too, the same grant is allowed.
        let both = g + [try grant("clerk@/hue/xa-1")]
        #expect(authz.mayGrant("clerk", at: try UnitPath("/hue/xa-1"), grants: both).isAllowed)
    }

    @Test func provinceAdminMayGrantCommuneAdminInsideTheirProvinceOnly() throws {
        let g = [try grant("province-admin@/hue")]
        #expect(authz.mayGrant("commune-admin", at: try UnitPath("/hue/xa-1"), grants: g).isAllowed)
        #expect(!authz.mayGrant("commune-admin", at: try UnitPath("/ha-noi/xa-1"), grants: g).isAllowed)
    }

    @Test func unknownRoleIsDenied() throws {
        let g = [try grant("central-admin@/")]
        #expect(!authz.mayGrant("emperor", at: .root, grants: g).isAllowed)
    }

    @Test func compactGrantFormRoundTrips() throws {
        let g = try grant("clerk@/ha-noi/phuong-ba-dinh")
        #expect(g.role == "clerk")
        #expect(g.description == "clerk@/ha-noi/phuong-ba-dinh")
        #expect(throws: DomainError.self) { try EffectiveGrant(parsing: "clerk") }
        #expect(throws: DomainError.self) { try EffectiveGrant(parsing: "@/hue") }
        #expect(throws: DomainError.self) { try EffectiveGrant(parsing: "clerk@hue") }
    }
}
