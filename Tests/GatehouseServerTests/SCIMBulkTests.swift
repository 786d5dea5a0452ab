import Foundation
import GatehouseCore
import HTTPTypes
import Testing

/// `/scim/v2/Bulk` (RFC 7644 §3.7) and the discovery documents.
@Suite("SCIM Bulk and discovery over HTTP")
struct SCIMBulkTests {
    typealias T = SCIMUserTests
    static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

    @Test("bulkId references, per-operation status, failOnErrors, limits")
    func bulk() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            // The PATCH refers to the POST after it: it waits for it.
            let reply = try await h.scim(.post, "/Bulk", token: token, body: [
                "schemas": [Self.bulkRequest],
                "Operations": [
                    ["method": "PATCH", "path": "/Users/bulkId:lan",
                     "data": ["schemas": [T.patchOp], "Operations": [["op": "replace", "path": "displayName", "value": "Nguyễn Thị Lan"]]]],
                    ["method": "POST", "path": "/Users", "bulkId": "lan", "data": T.user("lan.nguyen", "Lan", unit: "/ha-noi/phuong-ba-dinh")],
                    ["method": "POST", "path": "/Users", "bulkId": "dup", "data": T.user("nguyen.van.a", "Trùng tên", unit: "/ha-noi")],
                    ["method": "POST", "path": "/Users", "bulkId": "hue", "data": T.user("tho.hue", "Thợ Huế", unit: "/hue")],
                    ["method": "DELETE", "path": "/Users/bulkId:nowhere"],
                ],
            ])
            #expect(reply.status == .ok, "\(reply.reply.body)")
            #expect((reply.json["schemas"] as? [String]) == ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"])
            let operations = try #require(reply.json["Operations"] as? [[String: Any]])
            #expect(operations.count == 5)
            #expect(operations.map { $0["status"] as? String } == ["200", "201", "409", "403", "409"])
            let location = try #require(operations[1]["location"] as? String)
            #expect(operations[0]["location"] as? String == location)
            #expect(operations[1]["bulkId"] as? String == "lan")
            #expect((operations[1]["version"] as? String)?.hasPrefix("W/") == true)
            #expect(((operations[2]["response"] as? [String: Any])?["scimType"]) as? String == "uniqueness")
            #expect(((operations[4]["response"] as? [String: Any])?["scimType"]) as? String == "invalidValue")
            let id = String(location.split(separator: "/").last!)
            let lan = try await h.scim(.get, "/Users/\(id)", token: token)
            #expect(lan.json["displayName"] as? String == "Nguyễn Thị Lan")

            // failOnErrors: 1 stops after the first failure; what follows is not attempted.
            let stopped = try await h.scim(.post, "/Bulk", token: token, body: [
                "schemas": [Self.bulkRequest], "failOnErrors": 1,
                "Operations": [
                    ["method": "POST", "path": "/Users", "bulkId": "a", "data": T.user("nguyen.van.a", "Trùng", unit: "/ha-noi")],
                    ["method": "POST", "path": "/Users", "bulkId": "b", "data": T.user("never.made", "Không", unit: "/ha-noi")],
                ],
            ])
            #expect((stopped.json["Operations"] as? [[String: Any]])?.count == 1)
            let never = try await h.scim(.get, "/Users?" + T.filter(#"userName eq "never.made""#), token: token)
            #expect(never.totalResults == 0)

            // Version as If-Match, PUT, DELETE.
            let stale = try await h.scim(.post, "/Bulk", token: token, body: [
                "schemas": [Self.bulkRequest],
                "Operations": [
                    ["method": "PUT", "path": "/Users/\(id)", "version": "W/\"1\"", "data": T.user("lan.nguyen", "Lan")],
                    ["method": "DELETE", "path": "/Users/\(id)"],
                ],
            ])
            #expect((stale.json["Operations"] as? [[String: Any]])?.map { $0["status"] as? String } == ["412", "204"])

            // maxOperations: 413 for the whole request.
            let tooMany = try await h.scim(.post, "/Bulk", token: token, body: [
                "schemas": [Self.bulkRequest],
                "Operations": Array(repeating: ["method": "DELETE", "path": "/Users/\(id)"], count: 1001),
            ])
            #expect(tooMany.status == .contentTooLarge)
            #expect(tooMany.errorStatus == "413")
            let notBulk = try await h.scim(.post, "/Bulk", token: token, body: ["Operations": []])
            #expect(notBulk.scimType == "invalidSyntax")
        }
    }

    @Test("ServiceProviderConfig, ResourceTypes and Schemas describe what is served; Groups are the read-only role catalogue")
    func discoveryAndGroups() async throws {
        try await SCIMHarness.withServer { h in
            let config = try await h.scim(.get, "/ServiceProviderConfig", token: nil).json
            #expect((config["patch"] as? [String: Any])?["supported"] as? Bool == true)
            #expect((config["bulk"] as? [String: Any])?["maxOperations"] as? Int == 1000)
            #expect((config["bulk"] as? [String: Any])?["maxPayloadSize"] as? Int == 1_048_576)
            #expect((config["filter"] as? [String: Any])?["maxResults"] as? Int == 1000)
            #expect((config["changePassword"] as? [String: Any])?["supported"] as? Bool == true)
            #expect((config["etag"] as? [String: Any])?["supported"] as? Bool == true)
            #expect((config["authenticationSchemes"] as? [[String: Any]])?.first?["type"] as? String == "oauthbearertoken")

            let types = try await h.scim(.get, "/ResourceTypes", token: nil)
            #expect(types.totalResults == 2)
            let user = try await h.scim(.get, "/ResourceTypes/User", token: nil)
            #expect(user.json["endpoint"] as? String == "/Users")
            let schemas = try await h.scim(.get, "/Schemas", token: nil)
            #expect(Set(schemas.resources.compactMap { $0["id"] as? String })
                    == [T.coreUser, T.enterprise, T.gatehouse, "urn:ietf:params:scim:schemas:core:2.0:Group"])
            let enterprise = try await h.scim(.get, "/Schemas/\(T.enterprise)", token: nil)
            #expect(enterprise.status == .ok)
            #expect(try await h.scim(.get, "/Schemas/urn:nothing", token: nil).status == .notFound)

            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let groups = try await h.scim(.get, "/Groups", token: token)
            #expect(groups.resources.compactMap { $0["displayName"] as? String } == ["central-admin", "clerk", "province-admin"])
            let filtered = try await h.scim(.get, "/Groups?" + T.filter(#"displayName eq "clerk""#), token: token)
            #expect(filtered.totalResults == 1)
            let create = try await h.scim(.post, "/Groups", token: token, body: ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "x"])
            #expect(create.status == .notImplemented)
            #expect(create.errorStatus == "501")
        }
    }
}
