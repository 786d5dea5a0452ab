import GatehouseSCIM
import Testing

/// PATCH paths that name a whole extension (RFC 7644 §3.5.2), as scim2-tester and other
/// clients send them.
@Suite struct PatchExtensionPathTests {
    static let enterprise = SCIMSchema.enterpriseUser
    static let user: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser), .string(SCIMSchema.enterpriseUser)],
        "userName": "lan.nguyen",
        SCIMSchema.enterpriseUser: ["department": "/ha-noi", "costCenter": "4130"],
    ]

    @Test func replaceOfTheExtensionSetsItsAttributes() throws {
        let result = try PatchFixture.patch(Self.user, #"{"op":"replace","path":"\#(Self.enterprise)","value":{"department":"/hue","schemas":["x"]}}"#)
        #expect(result.member(Self.enterprise)?.member("department") == "/hue")
        #expect(result.member(Self.enterprise)?.member("costCenter") == "4130")
        #expect(result.member(Self.enterprise)?.member("schemas") == nil)
    }

    @Test func addToAMissingExtensionCreatesItAndListsItsSchema() throws {
        let bare: SCIMValue = ["schemas": [.string(SCIMSchema.coreUser)], "userName": "lan.nguyen"]
        let result = try PatchFixture.patch(bare, #"{"op":"add","path":"\#(Self.enterprise)","value":{"department":"/hue"}}"#)
        #expect(result.member(Self.enterprise)?.member("department") == "/hue")
        #expect(result.member("schemas")?.items.contains(.string(Self.enterprise)) == true)
    }

    @Test func removeDropsTheExtensionButNotReadOnlyAttributes() throws {
        let result = try PatchFixture.patch(Self.user, #"{"op":"remove","path":"\#(Self.enterprise)"}"#)
        #expect(result.member(Self.enterprise) == nil)
        let guarded = SCIMPatcher(readOnlyAttributes: [SCIMAttributePath(schema: Self.enterprise, name: "costCenter")])
        let request = try SCIMPatchRequest(operations: [SCIMPatchOperation(op: .remove, path: SCIMPatchPath.parse(Self.enterprise))])
        #expect(throws: SCIMError(.mutability)) { try guarded.apply(request, to: Self.user) }
    }

    @Test func aValueThatIsNotAnObjectIsInvalid() {
        #expect(throws: SCIMError(.invalidValue)) {
            try PatchFixture.patch(Self.user, #"{"op":"replace","path":"\#(Self.enterprise)","value":"/hue"}"#)
        }
    }
}
