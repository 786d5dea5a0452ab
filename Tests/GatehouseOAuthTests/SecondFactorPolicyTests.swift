import Foundation
import GatehouseCore
import GatehouseOAuth
import Testing

/// Who must complete a second factor, and the `acr` / `amr` values that say who did.
@Suite("Second-factor policy")
struct SecondFactorPolicyTests {
    static let roles = [
        Role(name: "clerk", permissions: ["documents.read"], grantableAt: [.commune]),
        Role(name: "province-admin", permissions: ["accounts.create"], grantableAt: [.province], mfaRequired: true),
    ]

    func account(enrolled: Bool = false) throws -> Account {
        Account(id: UUID(), username: try Username("le.thi.hoa"), displayName: "Lê Thị Hoa", unitID: UUID(),
                mfaSecret: enrolled ? Array("v1.sealed".utf8) : nil, createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("enrolment, a required role, a required unit subtree and acr_values each require it; nothing else does")
    func reasons() throws {
        let policy = SecondFactorPolicy(roles: Self.roles, requiredUnits: [try UnitPath("/ha-noi")])
        #expect(policy.requiredRoles == ["province-admin"])
        let commune = try UnitPath("/hue/phuong-phu-xuan"), haNoi = try UnitPath("/ha-noi/phuong-ba-dinh")
        let clerk = [EffectiveGrant(role: "clerk", unit: commune)]
        let admin = [EffectiveGrant(role: "province-admin", unit: try UnitPath("/hue"))]
        #expect(policy.reason(account: try account(), home: commune, grants: clerk, acrValues: []) == nil)
        #expect(policy.reason(account: try account(enrolled: true), home: commune, grants: clerk, acrValues: []) == .enrolled)
        #expect(policy.reason(account: try account(), home: commune, grants: clerk + admin, acrValues: []) == .role)
        #expect(policy.reason(account: try account(), home: haNoi, grants: clerk, acrValues: []) == .unit)
        #expect(policy.reason(account: try account(), home: try UnitPath("/ha-noi-2"), grants: clerk, acrValues: []) == nil, "a sibling, not the subtree")
        #expect(policy.reason(account: try account(), home: commune, grants: clerk, acrValues: ["urn:gatehouse:acr:mfa"]) == .requested)
    }

    @Test("acr_values demand a second factor only when they accept nothing less")
    func acrValues() {
        #expect(AuthenticationContext.demandsMultiFactor(["urn:gatehouse:acr:mfa"]))
        #expect(AuthenticationContext.demandsMultiFactor(["urn:example:loa:3", "urn:gatehouse:acr:mfa"]))
        #expect(!AuthenticationContext.demandsMultiFactor(["urn:gatehouse:acr:mfa", "urn:gatehouse:acr:pwd"]))
        #expect(!AuthenticationContext.demandsMultiFactor(["urn:example:loa:3"]), "unknown values are voluntary")
        #expect(!AuthenticationContext.demandsMultiFactor([]))
        #expect(AuthenticationContext.acr(for: ["pwd"]) == "urn:gatehouse:acr:pwd")
        #expect(AuthenticationContext.acr(for: ["pwd", "otp"]) == "urn:gatehouse:acr:mfa")
    }
}
