import Foundation
import GatehouseSCIM
import Testing

/// The JSON of List Responses (RFC 7644 §3.4.2) and Error responses (§3.12).
@Suite struct ResponseTests {
    @Test func listResponseShape() throws {
        let page = SCIMPagination(startIndex: 2, count: 2)
        let response = page.listResponse(of: [["id": "1"], ["id": "2"], ["id": "3"]])
        #expect(response.json.jsonString
            == #"{"Resources":[{"id":"2"},{"id":"3"}],"itemsPerPage":2,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":2,"totalResults":3}"#)
    }

    @Test func emptyListStillHasResources() {
        let response = SCIMListResponse(totalResults: 0, resources: [])
        #expect(response.json.jsonString
            == #"{"Resources":[],"itemsPerPage":0,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":0}"#)
    }

    @Test func listResponseThroughJSONEncoder() throws {
        let response = SCIMListResponse(totalResults: 1, resources: [["userName": "nguyễn"]])
        let data = try JSONEncoder().encode(response)
        #expect(try SCIMValue(json: data) == response.json)
    }

    @Test func errorShape() throws {
        let error = scimError { () throws(SCIMError) in try SCIMFilter.parse(#"userName eq "x") or (1 eq 1"#) }
        #expect(error?.json.jsonString
            == #"{"detail":"unexpected \")\" at offset 15, expected \"and\", \"or\" or the end of the filter","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidFilter","status":"400"}"#)
    }

    @Test func errorWithoutScimType() throws {
        let notFound = SCIMError(status: 404, scimType: nil, detail: "Resource 2819c223 not found")
        #expect(notFound.json.jsonString
            == #"{"detail":"Resource 2819c223 not found","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}"#)
        let decoded = try SCIMValue(json: JSONEncoder().encode(notFound))
        #expect(decoded.member("status") == "404")
        #expect(decoded.member("scimType") == nil)
    }

    @Test func uniquenessIsAConflict() {
        #expect(SCIMError(.uniqueness, "userName is taken").json.member("status") == "409")
    }
}
