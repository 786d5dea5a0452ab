import Foundation
import GatehouseCore
import GatehousePolicy
import Testing

/// `roles.yaml` `mfa_required_units`: the units whose every account must use a second factor.
@Suite struct SecondFactorUnitsTests {
    static let roles = """
        roles:
          - name: clerk
            permissions: [documents.read]
            levels: [province, commune]
            mfa: optional
          - name: province-admin
            permissions: [accounts.create]
            levels: [province]
            mfa: required
        """

    @Test func unitsAreReadBesideTheRoles() throws {
        let set = try PolicySet.parse(["roles.yaml": "mfa_required_units: [/ha-noi, /hue/phuong-phu-xuan]\n" + Self.roles])
        #expect(set.mfaRequiredUnits == [try UnitPath("/ha-noi"), try UnitPath("/hue/phuong-phu-xuan")])
        #expect(set.roles.filter(\.mfaRequired).map(\.name) == ["province-admin"])
        #expect(try PolicySet.parse(["roles.yaml": Self.roles]).mfaRequiredUnits.isEmpty, "absent: none")
        #expect(PolicySet.defaults.mfaRequiredUnits.isEmpty)
        #expect(try PolicySet.load(directory: shippedPolicies).mfaRequiredUnits.isEmpty, "the shipped file lists none")
    }

    @Test func badPathsAreErrorsWithTheirPositions() {
        let text = """
            mfa_required_units:
              - /ha-noi
              - ha-noi/ba-dinh
              - /Hà-Nội
              - /ha-noi
              - /ha-noi/phuong-ba-dinh
              - /hue/phuong-phu-xuan
              - /hue
            """ + "\n" + Self.roles
        let found = issues(["roles.yaml": text]).map(\.description)
        #expect(found.count == 5, "\(found)")
        #expect(found[0].hasPrefix("Policies/roles.yaml:3:5: mfa_required_units: 'ha-noi/ba-dinh' is not a unit path"))
        #expect(found[1].hasPrefix("Policies/roles.yaml:4:5: mfa_required_units: '/Hà-Nội' is not a unit path"))
        #expect(found[2] == "Policies/roles.yaml:5:5: mfa_required_units: /ha-noi is listed twice (line 2); a path covers its whole subtree")
        #expect(found[3] == "Policies/roles.yaml:6:5: mfa_required_units: /ha-noi/phuong-ba-dinh is inside /ha-noi (line 2); a path covers its whole subtree")
        #expect(found[4] == "Policies/roles.yaml:8:5: mfa_required_units: /hue contains /hue/phuong-phu-xuan (line 7); a path covers its whole subtree")
    }

    @Test func wrongTypeAndTyposAreErrors() {
        let notAList = issues(["roles.yaml": "mfa_required_units: /ha-noi\n" + Self.roles]).map(\.description)
        #expect(notAList == ["Policies/roles.yaml:1:21: 'mfa_required_units' must be a list, found '/ha-noi'"])
        let typo = issues(["roles.yaml": "mfa_required_unit: [/ha-noi]\n" + Self.roles]).map(\.message)
        #expect(typo.count == 1 && typo[0].contains("unknown key 'mfa_required_unit' (did you mean 'mfa_required_units'?)"), "\(typo)")
    }
}
