import GatehouseSCIM
import Testing

/// PATCH behaviour beyond the RFC's examples: noTarget, atomicity, value filters, extensions,
/// read-only attributes and paths that do not fit the data (RFC 7644 §3.5.2).
@Suite struct PatchApplyTests {
    @Test func filterMatchingNothingIsNoTarget() {
        let error = scimError { () throws(SCIMError) in
            try PatchFixture.patch(PatchFixture.group, #"{"op":"remove","path":"members[value eq \"nobody\"]"}"#)
        }
        #expect(error?.scimType == .noTarget)
        #expect(error?.detail == #"Operations[0]: no value of "members" matches [value eq "nobody"]"#)
        #expect(throws: SCIMError(.noTarget)) { try PatchFixture.patch(["userName": "x"], #"{"op":"replace","path":"emails[type eq \"work\"].value","value":"a@b.vn"}"#) }
    }

    @Test func aFailingOperationLeavesTheResourceAlone() throws {
        let error = scimError { () throws(SCIMError) in
            try PatchFixture.patch(PatchFixture.group, """
                {"op":"replace","path":"displayName","value":"Changed"},
                {"op":"remove","path":"members[value eq \\"nobody\\"]"}
                """)
        }
        #expect(error?.detail.hasPrefix("Operations[1]: ") == true)
        #expect(PatchFixture.group.member("displayName") == "Tour Guides")
    }

    @Test func removeWithValuesTakesOnlyThoseEntries() throws {
        let result = try PatchFixture.patch(PatchFixture.group, #"{"op":"Remove","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"}]}"#)
        #expect(PatchFixture.memberIDs(result) == [PatchFixture.mandy])
    }

    @Test func filteredSubAttributeEdits() throws {
        let user = SampleUsers.an
        let added = try PatchFixture.patch(user, #"{"op":"add","path":"emails[type eq \"home\"].display","value":"Gmail"}"#)
        #expect(added.member("emails")?.items[1].member("display") == "Gmail")
        let removed = try PatchFixture.patch(user, #"{"op":"remove","path":"emails[type eq \"work\"].primary"}"#)
        #expect(removed.member("emails")?.items[0] == ["value": "an.nguyen@hanoi.gov.vn", "type": "work"])
        let merged = try PatchFixture.patch(user, #"{"op":"add","path":"emails[value ew \"gmail.com\"]","value":{"display":"cá nhân"}}"#)
        #expect(merged.member("emails")?.items[1] == ["value": "an.nguyen@gmail.com", "type": "home", "display": "cá nhân"])
    }

    @Test func addThroughAFilterThatMatchesNothingAddsAnEntry() throws {
        let result = try PatchFixture.patch(SampleUsers.cuong, """
            {"op":"add","path":"emails[type eq \\"work\\"].value","value":"cuong.le@hanoi.gov.vn"},
            {"op":"add","path":"phoneNumbers[type eq \\"mobile\\" and primary eq true]","value":{"value":"+84 912 345 678"}},
            {"op":"add","path":"emails[type eq \\"work\\"].display","value":"Công vụ"}
            """)
        #expect(result.member("emails") == [["type": "work", "value": "cuong.le@hanoi.gov.vn", "display": "Công vụ"]])
        #expect(result.member("phoneNumbers") == [["type": "mobile", "primary": true, "value": "+84 912 345 678"]])
        #expect(throws: SCIMError(.noTarget)) {
            try PatchFixture.patch(SampleUsers.cuong, #"{"op":"add","path":"emails[value co \"@\"].type","value":"work"}"#)
        }
        #expect(throws: SCIMError(.noTarget)) {
            try PatchFixture.patch(SampleUsers.cuong, #"{"op":"add","path":"emails[type eq \"work\" and type eq \"home\"].value","value":"x"}"#)
        }
    }

    @Test func onlyOnePrimaryValueRemains() throws {
        let result = try PatchFixture.patch(SampleUsers.an, #"{"op":"add","path":"emails","value":[{"value":"an@hanoi.gov.vn","type":"work","primary":true}]}"#)
        let flags = result.member("emails")?.items.map { $0.member("primary") }
        #expect(flags == [false, nil, true])
        let switched = try PatchFixture.patch(SampleUsers.an, #"{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}"#)
        #expect(switched.member("emails")?.items.map { $0.member("primary") } == [false, true])
    }

    @Test func attributesAndSubAttributesAreCreatedWhenMissing() throws {
        let result = try PatchFixture.patch(SampleUsers.cuong, """
            {"op":"add","path":"name.givenName","value":"Cường"},
            {"op":"replace","path":"name.familyName","value":"Lê"},
            {"op":"replace","path":"title","value":"Phó trưởng phòng"},
            {"op":"add","path":"emails","value":{"value":"cuong.le@hanoi.gov.vn"}}
            """)
        #expect(result.member("name") == ["givenName": "Cường", "familyName": "Lê"])
        #expect(result.member("title") == "Phó trưởng phòng")
        #expect(result.member("emails") == [["value": "cuong.le@hanoi.gov.vn"]])
    }

    @Test func extensionAttributesByURNPath() throws {
        let result = try PatchFixture.patch(SampleUsers.dung, """
            {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Nội vụ"},
            {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"a1b2"}
            """)
        #expect(result.member(SCIMSchema.enterpriseUser) == ["department": "Nội vụ", "manager": ["value": "a1b2"]])
        #expect(result.member("schemas") == [.string(SCIMSchema.coreUser), .string(SCIMSchema.enterpriseUser)])
        let removed = try PatchFixture.patch(SampleUsers.binh, #"{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}"#)
        #expect(removed.member(SCIMSchema.enterpriseUser) == nil, "an emptied extension goes away")
    }

    @Test func pathlessValuesMayHoldExtensionsAndQualifiedNames() throws {
        let result = try PatchFixture.patch(SampleUsers.binh, """
            {"op":"replace","value":{
              "active":true,
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Kế hoạch","division":"Phòng 2"},
              "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit":"/hue/phuong-thuan-hoa",
              "name.givenName":"Bình An"}}
            """)
        #expect(result.member("active") == true)
        #expect(result.member(SCIMSchema.enterpriseUser) == ["department": "Kế hoạch", "division": "Phòng 2"])
        #expect(result.member(SCIMSchema.gatehouseUser) == ["unit": "/hue/phuong-thuan-hoa"])
        #expect(result.member("name") == ["familyName": "Trần", "givenName": "Bình An"])
    }

    @Test func attributeNamesMatchCaseInsensitivelyAndKeepTheirSpelling() throws {
        let result = try PatchFixture.patch(SampleUsers.an, #"{"op":"replace","path":"DISPLAYNAME","value":"Nguyễn Văn Ân"}"#)
        guard case .object(let members) = result else { return }
        #expect(members["displayName"] == "Nguyễn Văn Ân")
        #expect(members["DISPLAYNAME"] == nil)
    }

    @Test func readOnlyAttributesAreRefused() {
        for operation in [#"{"op":"replace","path":"id","value":"x"}"#, #"{"op":"remove","path":"meta.lastModified"}"#,
                          #"{"op":"replace","value":{"ID":"x"}}"#] {
            let error = scimError { () throws(SCIMError) in try PatchFixture.patch(SampleUsers.an, operation) }
            #expect(error?.scimType == .mutability, "\(operation)")
        }
    }

    @Test func pathsThatDoNotFitTheDataAreInvalidPath() {
        let cases = [
            #"{"op":"replace","path":"emails.value","value":"x@y.vn"}"#,
            #"{"op":"add","path":"userName.first","value":"x"}"#,
            #"{"op":"remove","path":"name[givenName eq \"An\"]"}"#,
        ]
        for operation in cases {
            let error = scimError { () throws(SCIMError) in try PatchFixture.patch(SampleUsers.an, operation) }
            #expect(error?.scimType == .invalidPath, "\(operation)")
        }
    }

    @Test func removingWhatIsNotThereChangesNothing() throws {
        #expect(try PatchFixture.patch(SampleUsers.dung, #"{"op":"remove","path":"title"}"#) == SampleUsers.dung)
        #expect(try PatchFixture.patch(SampleUsers.dung, #"{"op":"remove","path":"name.middleName"}"#) == SampleUsers.dung)
    }
}
