import GatehouseSCIM
import Testing

/// The PATCH examples of RFC 7644 §3.5.2.1–3.5.2.3, on its "Tour Guides" group and on
/// Babs Jensen.
@Suite struct PatchRFCExampleTests {
    @Test func addMembers() throws {
        let empty = try PatchFixture.patch(PatchFixture.group, #"{"op":"remove","path":"members"}"#)
        let result = try PatchFixture.patch(empty, """
            {"op":"add","path":"members","value":[{"display":"Babs Jensen",
              "$ref":"https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646","value":"2819c223-7f76-453a-919d-413861904646"}]}
            """)
        #expect(PatchFixture.memberIDs(result) == [PatchFixture.babs])
        let again = try PatchFixture.patch(result, #"{"op":"add","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"},{"value":"902c246b-6245-4190-8e05-00816be7344a"}]}"#)
        #expect(PatchFixture.memberIDs(again) == [PatchFixture.babs, PatchFixture.mandy], "a member already there is not added twice")
        #expect(again.member("members").map { $0.items[0].member("display") } == "Babs Jensen")
    }

    @Test func addWithoutPathMergesAttributes() throws {
        let user: SCIMValue = ["userName": "bjensen", "emails": [["value": "bjensen@example.com", "type": "work"]]]
        let result = try PatchFixture.patch(user, #"{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}"#)
        #expect(result == [
            "userName": "bjensen",
            "nickname": "Babs",
            "emails": [["value": "bjensen@example.com", "type": "work"], ["value": "babs@jensen.org", "type": "home"]],
        ])
    }

    @Test func removeOneMemberByValuePath() throws {
        let result = try PatchFixture.patch(PatchFixture.group, #"{"op":"remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}"#)
        #expect(PatchFixture.memberIDs(result) == [PatchFixture.mandy])
    }

    @Test func removeTwoMembersOneOperationEach() throws {
        let result = try PatchFixture.patch(PatchFixture.group, """
            {"op":"remove","path":"members[value eq \\"2819c223-7f76-453a-919d-413861904646\\"]"},
            {"op":"remove","path":"members[value eq \\"902c246b-6245-4190-8e05-00816be7344a\\"]"}
            """)
        #expect(result.member("members") == nil, "no values left: the attribute is unassigned")
        #expect(result.member("displayName") == "Tour Guides")
    }

    @Test func removeAllMembers() throws {
        let result = try PatchFixture.patch(PatchFixture.group, #"{"op":"remove","path":"members"}"#)
        #expect(result.member("members") == nil)
        #expect(result.member("id") == PatchFixture.group.member("id"))
    }

    @Test func removeAllThenAddReplacesTheMembers() throws {
        let result = try PatchFixture.patch(PatchFixture.group, """
            {"op":"remove","path":"members"},
            {"op":"add","path":"members","value":[{"display":"James Smith","value":"08e1d05d-121c-4561-8b96-473d93df9210"}]}
            """)
        #expect(PatchFixture.memberIDs(result) == ["08e1d05d-121c-4561-8b96-473d93df9210"])
    }

    @Test func replaceMembers() throws {
        let result = try PatchFixture.patch(PatchFixture.group, """
            {"op":"replace","path":"members","value":[
              {"display":"Babs Jensen","value":"2819c223-7f76-453a-919d-413861904646"},
              {"display":"James Smith","value":"08e1d05d-121c-4561-8b96-473d93df9210"}]}
            """)
        #expect(PatchFixture.memberIDs(result) == [PatchFixture.babs, "08e1d05d-121c-4561-8b96-473d93df9210"])
        #expect(result.member("members").map { $0.items[0].member("$ref") } == .some(nil), "replace drops the old entries")
    }

    @Test func replaceEmailsWithoutPath() throws {
        let user: SCIMValue = [
            "userName": "bjensen",
            "name": ["givenName": "Barbara", "familyName": "Jensen"],
            "emails": [["value": "old@example.com", "type": "work", "primary": true]],
        ]
        let result = try PatchFixture.patch(user, """
            {"op":"replace","value":{
              "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
              "nickname":"Babs",
              "name":{"givenName":"Babs"}}}
            """)
        #expect(result == [
            "userName": "bjensen",
            "nickname": "Babs",
            "name": ["givenName": "Babs", "familyName": "Jensen"],
            "emails": [["value": "bjensen@example.com", "type": "work", "primary": true], ["value": "babs@jensen.org", "type": "home"]],
        ])
    }

    @Test func replaceAFilteredValueAndOneOfItsSubAttributes() throws {
        let user: SCIMValue = ["addresses": [
            ["type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"],
            ["type": "home", "streetAddress": "456 Hollywood Blvd"],
        ]]
        let whole = try PatchFixture.patch(user, """
            {"op":"replace","path":"addresses[type eq \\"work\\"]","value":{"type":"work",
              "streetAddress":"911 Universal City Plaza","locality":"Hollywood","primary":true}}
            """)
        #expect(whole.member("addresses")?.items[0] == ["type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood", "primary": true])
        #expect(whole.member("addresses")?.items[1] == user.member("addresses")?.items[1])
        let street = try PatchFixture.patch(user, #"{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}"#)
        #expect(street.member("addresses")?.items[0] == ["type": "work", "streetAddress": "1010 Broadway Ave", "locality": "Hollywood"])
    }
}
