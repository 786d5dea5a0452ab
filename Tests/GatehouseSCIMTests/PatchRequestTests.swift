import Foundation
import GatehouseSCIM
import Testing

/// Decoding PATCH bodies (RFC 7644 §3.5.2) and the `scimType` of each failure (§3.12).
@Suite struct PatchRequestTests {
    func decode(_ json: String) throws(SCIMError) -> SCIMPatchRequest { try SCIMPatchRequest(json: Data(json.utf8)) }

    func failure(_ json: String) -> SCIMError? { scimError { () throws(SCIMError) in try decode(json) } }

    static let schemas = #""schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#

    @Test func decodesTheRFCAddMembersRequest() throws {
        let request = try decode("""
            { \(Self.schemas),
              "Operations":[{
                "op":"add",
                "path":"members",
                "value":[{"display": "Babs Jensen",
                          "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                          "value": "2819c223-7f76-453a-919d-413861904646"}]}]}
            """)
        #expect(request.operations.count == 1)
        #expect(request.operations[0].op == .add)
        #expect(request.operations[0].path == SCIMPatchPath(attribute: Tree.path("members")))
        #expect(request.operations[0].value == [[
            "display": "Babs Jensen",
            "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "value": "2819c223-7f76-453a-919d-413861904646",
        ]])
    }

    @Test func opAndMemberNamesAreCaseInsensitive() throws {
        let request = try decode("""
            {"Schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],
             "operations":[{"OP":"Replace","Path":"active","Value":false},
                           {"op":"REMOVE","path":"title"},
                           {"op":"Add","value":{"nickName":"Bình"}}]}
            """)
        #expect(request.operations.map(\.op) == [.replace, .remove, .add])
        #expect(request.operations[0].value == false)
        #expect(request.operations[1].value == nil)
        #expect(request.operations[2].path == nil)
    }

    @Test func messageShapeErrorsAreInvalidSyntax() {
        let cases: [(String, String)] = [
            ("not json", "the request body is not valid JSON"),
            ("[1]", "the request body must be a JSON object"),
            (#"{"Operations":[]}"#, #""schemas" must be ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#),
            (#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[]}"#, #""schemas" must be ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]"#),
            ("{\(Self.schemas)}", #""Operations" must be an array of operations"#),
            ("{\(Self.schemas),\"Operations\":[]}", #""Operations" is empty"#),
            ("{\(Self.schemas),\"Operations\":[1]}", "Operations[0] must be a JSON object"),
            ("{\(Self.schemas),\"Operations\":[{\"path\":\"x\"}]}", #"Operations[0].op must be "add", "remove" or "replace""#),
            ("{\(Self.schemas),\"Operations\":[{\"op\":\"add\",\"path\":\"x\",\"value\":1},{\"op\":\"delete\",\"path\":\"x\"}]}",
             #"Operations[1].op must be "add", "remove" or "replace", not "delete""#),
        ]
        for (json, detail) in cases {
            let error = failure(json)
            #expect(error?.scimType == .invalidSyntax, "\(json)")
            #expect(error?.status == 400)
            #expect(error?.detail == detail, "\(json)")
        }
    }

    @Test func removeWithoutPathIsNoTarget() {
        let error = failure("{\(Self.schemas),\"Operations\":[{\"op\":\"remove\"}]}")
        #expect(error?.scimType == .noTarget)
        #expect(error?.detail == "Operations[0]: remove needs a path (RFC 7644 §3.5.2.2)")
    }

    @Test func missingOrUnsuitableValuesAreInvalidValue() {
        let cases: [(String, String)] = [
            (#"{"op":"add","path":"title"}"#, "Operations[0]: add needs a value"),
            (#"{"op":"replace","path":"title","value":null}"#, "Operations[0]: replace needs a value"),
            (#"{"op":"add","value":"x"}"#, "Operations[0]: add without a path needs a JSON object of attributes as its value"),
            (#"{"op":"replace","value":[{"title":"x"}]}"#, "Operations[0]: replace without a path needs a JSON object of attributes as its value"),
        ]
        for (operation, detail) in cases {
            let error = failure("{\(Self.schemas),\"Operations\":[\(operation)]}")
            #expect(error?.scimType == .invalidValue, "\(operation)")
            #expect(error?.detail == detail, "\(operation)")
        }
    }

    @Test func malformedPathsAreInvalidPath() {
        let error = failure(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"1\""}]}"#)
        #expect(error?.scimType == .invalidPath)
        #expect(error?.detail == #"Operations[0].path: unexpected end of the path at offset 20, expected "]" to close the "[" at offset 7"#)
        #expect(error?.offset == 20)
        let notString = failure("{\(Self.schemas),\"Operations\":[{\"op\":\"remove\",\"path\":5}]}")
        #expect(notString?.scimType == .invalidPath)
        #expect(notString?.detail == "Operations[0].path must be a string")
    }

    @Test func tooManyOperationsAreRefused() {
        let one = #"{"op":"remove","path":"title"}"#
        let body = "{\(Self.schemas),\"Operations\":[\(Array(repeating: one, count: 1001).joined(separator: ","))]}"
        #expect(failure(body)?.detail == #""Operations" holds 1001 operations; at most 1000 are accepted"#)
    }
}
