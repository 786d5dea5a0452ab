import Foundation
import GatehouseCore
import HTTPTypes
import Testing

/// SCIM never reaches past the caller's grants: a Hà Nội province administrator neither sees
/// nor changes the accounts of Huế, whatever the filter or the request says.
@Suite("SCIM delegation over HTTP")
struct SCIMDelegationTests {
    typealias T = SCIMUserTests

    @Test("a Hà Nội administrator cannot create, see, patch, replace or delete an account of /hue; filters do not widen the reach")
    func provinceAdministratorStaysInTheProvince() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let hueOfficial = try #require(h.accounts[SCIMHarness.User.phuxuan]).id.uuidString.lowercased()

            let create = try await h.scim(.post, "/Users", token: token, body: T.user("tho.hue", "Thợ Huế", unit: "/hue/phuong-phu-xuan"))
            #expect(create.status == .forbidden, "\(create.reply.body)")
            #expect(create.errorStatus == "403")

            let read = try await h.scim(.get, "/Users/\(hueOfficial)", token: token)
            #expect(read.status == .notFound)
            let patch = try await h.scim(.patch, "/Users/\(hueOfficial)", token: token, body: [
                "schemas": [T.patchOp], "Operations": [["op": "replace", "path": "active", "value": false]],
            ])
            #expect(patch.status == .notFound)
            let put = try await h.scim(.put, "/Users/\(hueOfficial)", token: token, body: T.user(SCIMHarness.User.phuxuan, "Lê Văn C"))
            #expect(put.status == .notFound)
            let delete = try await h.scim(.delete, "/Users/\(hueOfficial)", token: token)
            #expect(delete.status == .notFound)

            // Moving one of Hà Nội's accounts to Huế is refused too.
            let own = try #require(h.accounts[SCIMHarness.User.badinh]).id.uuidString.lowercased()
            let move = try await h.scim(.patch, "/Users/\(own)", token: token, body: [
                "schemas": [T.patchOp], "Operations": [["op": "replace", "path": "\(T.enterprise):department", "value": "/hue"]],
            ])
            #expect(move.status == .forbidden, "\(move.reply.body)")

            for filter in [#"\#(T.enterprise):department sw "/""#, #"\#(T.gatehouse):unit eq "/hue/phuong-phu-xuan""#,
                           #"userName eq "le.van.c""#, #"userName pr or not (userName pr)"#, #"id eq "\#(hueOfficial)""#] {
                let r = try await h.scim(.get, "/Users?" + T.filter(filter), token: token)
                #expect(r.status == .ok, "\(filter): \(r.reply.body)")
                #expect(!r.userNames.contains(SCIMHarness.User.phuxuan), "\(filter)")
                #expect(!r.userNames.contains(SCIMHarness.User.hueAdmin), "\(filter)")
                for resource in r.resources {
                    let unit = (resource[T.gatehouse] as? [String: Any])?["unit"] as? String ?? ""
                    #expect(unit.hasPrefix("/ha-noi"), "\(filter): \(unit)")
                }
            }
            let everything = try await h.scim(.get, "/Users?" + T.filter(#"\#(T.enterprise):department sw "/""#), token: token)
            #expect(everything.totalResults == 4)

            // The Huế administrator sees Huế and not Hà Nội; the central administrator sees both.
            let hue = try await h.scim(.get, "/Users", token: try await h.token(SCIMHarness.User.hueAdmin))
            #expect(hue.userNames == [SCIMHarness.User.hueAdmin, SCIMHarness.User.phuxuan])
            let central = try await h.scim(.get, "/Users", token: try await h.token(SCIMHarness.User.centralAdmin))
            #expect(central.totalResults == 7)
        }
    }
}
