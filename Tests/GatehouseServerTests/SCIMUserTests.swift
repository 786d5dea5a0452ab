import Foundation
import GatehouseCore
import GatehouseServer
import HTTPTypes
import Hummingbird
import Testing

/// `/scim/v2/Users` over HTTP (RFC 7644 §3.3–§3.6), as the Hà Nội province administrator.
@Suite("SCIM Users over HTTP")
struct SCIMUserTests {
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let gatehouse = "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User"
    static let coreUser = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

    static func user(_ userName: String, _ displayName: String, unit: String? = nil, email: String? = nil) -> [String: Any] {
        var user: [String: Any] = ["schemas": [coreUser, enterprise], "userName": userName, "displayName": displayName]
        if let unit { user[enterprise] = ["department": unit] }
        if let email { user["emails"] = [["value": email, "primary": true]] }
        return user
    }

    static func filter(_ text: String) -> String {
        "filter=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test("create, read, ETag and If-None-Match, PUT, PATCH replace/add/remove, If-Match 412, DELETE then 404")
    func lifecycle() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)

            let created = try await h.scim(.post, "/Users", token: token,
                                           body: Self.user("Pham.Minh.D", "Phạm Minh D", unit: "/ha-noi/phuong-ba-dinh", email: "d@hanoi.gov.vn"))
            #expect(created.status == .created, "\(created.reply.body)")
            #expect(created.reply.headers[.contentType] == "application/scim+json")
            let id = try #require(created.id)
            let json = created.json
            #expect(json["userName"] as? String == "pham.minh.d")
            #expect((json["schemas"] as? [String])?.contains(Self.gatehouse) == true)
            #expect((json[Self.enterprise] as? [String: Any])?["department"] as? String == "/ha-noi/phuong-ba-dinh")
            #expect((json[Self.gatehouse] as? [String: Any])?["unit"] as? String == "/ha-noi/phuong-ba-dinh")
            #expect((json["name"] as? [String: Any])?["formatted"] as? String == "Phạm Minh D")
            let emails = try #require(json["emails"] as? [[String: Any]])
            #expect(emails.first?["value"] as? String == "d@hanoi.gov.vn")
            #expect(emails.first?["primary"] as? Bool == true)
            #expect(json["active"] as? Bool == true)
            #expect(json["password"] == nil)
            let meta = try #require(json["meta"] as? [String: Any])
            #expect(meta["resourceType"] as? String == "User")
            #expect(meta["location"] as? String == "\(OIDCHarness.issuer)/scim/v2/Users/\(id)")
            #expect(created.reply.headers[.location] == meta["location"] as? String)
            let etag = try #require(created.etag)
            #expect(etag == meta["version"] as? String)
            #expect(etag.hasPrefix("W/\""))

            let read = try await h.scim(.get, "/Users/\(id)", token: token)
            #expect(read.status == .ok)
            #expect(read.etag == etag)
            let unchanged = try await h.scim(.get, "/Users/\(id)", token: token, headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)

            // PUT replaces: no emails means no address.
            var replacement = Self.user("pham.minh.d", "Phạm Minh Đức", unit: "/ha-noi/phuong-hoan-kiem")
            replacement["active"] = true
            let put = try await h.scim(.put, "/Users/\(id)", token: token, body: replacement, headers: [.ifMatch: etag])
            #expect(put.status == .ok, "\(put.reply.body)")
            #expect(put.json["displayName"] as? String == "Phạm Minh Đức")
            #expect(put.json["emails"] == nil)
            #expect((put.json[Self.enterprise] as? [String: Any])?["department"] as? String == "/ha-noi/phuong-hoan-kiem")
            let putTag = try #require(put.etag)
            #expect(putTag != etag)

            // The old version is stale now.
            let stale = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "replace", "path": "displayName", "value": "X"]],
            ], headers: [.ifMatch: etag])
            #expect(stale.status == .preconditionFailed)
            #expect((stale.json["schemas"] as? [String]) == [Self.errorSchema])
            #expect(stale.errorStatus == "412")
            let staleDelete = try await h.scim(.delete, "/Users/\(id)", token: token, headers: [.ifMatch: etag])
            #expect(staleDelete.status == .preconditionFailed)

            // PATCH: replace, add, remove; the unit through the Gatehouse extension.
            let patched = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp],
                "Operations": [
                    ["op": "replace", "path": "displayName", "value": "Phạm Minh Đạt"],
                    ["op": "add", "path": "emails", "value": [["value": "dat@hanoi.gov.vn", "primary": true]]],
                    ["op": "replace", "path": "active", "value": false],
                    ["op": "replace", "path": "\(Self.gatehouse):unit", "value": "/ha-noi/phuong-ba-dinh"],
                ],
            ], headers: [.ifMatch: putTag])
            #expect(patched.status == .ok, "\(patched.reply.body)")
            #expect(patched.json["displayName"] as? String == "Phạm Minh Đạt")
            #expect((patched.json["emails"] as? [[String: Any]])?.first?["value"] as? String == "dat@hanoi.gov.vn")
            #expect(patched.json["active"] as? Bool == false)
            #expect((patched.json[Self.enterprise] as? [String: Any])?["department"] as? String == "/ha-noi/phuong-ba-dinh")

            let removed = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "remove", "path": "emails"], ["op": "replace", "value": ["active": true]]],
            ])
            #expect(removed.status == .ok, "\(removed.reply.body)")
            #expect(removed.json["emails"] == nil)
            #expect(removed.json["active"] as? Bool == true)

            // userName and the derived attributes cannot change.
            let rename = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "replace", "path": "userName", "value": "someone.else"]],
            ])
            #expect(rename.status == .badRequest)
            #expect(rename.scimType == "mutability")
            let readOnly = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "replace", "path": "\(Self.gatehouse):status", "value": "locked"]],
            ])
            #expect(readOnly.scimType == "mutability")
            let badPath = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "replace", "path": "emails[value eq", "value": "x"]],
            ])
            #expect(badPath.status == .badRequest)
            #expect(badPath.scimType == "invalidPath" || badPath.scimType == "invalidFilter")
            let noTarget = try await h.scim(.patch, "/Users/\(id)", token: token, body: [
                "schemas": [Self.patchOp], "Operations": [["op": "remove"]],
            ])
            #expect(noTarget.scimType == "noTarget")

            let deleted = try await h.scim(.delete, "/Users/\(id)", token: token)
            #expect(deleted.status == .noContent)
            let gone = try await h.scim(.get, "/Users/\(id)", token: token)
            #expect(gone.status == .notFound)
            #expect(gone.errorStatus == "404")
            let again = try await h.scim(.delete, "/Users/\(id)", token: token)
            #expect(again.status == .notFound)
        }
    }

    @Test("duplicate userName is 409 uniqueness; missing userName and a bad unit are 400 invalidValue; bad JSON is invalidSyntax")
    func creationErrors() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let duplicate = try await h.scim(.post, "/Users", token: token, body: Self.user("NGUYEN.VAN.A", "Nguyễn Văn A", unit: "/ha-noi/phuong-ba-dinh"))
            #expect(duplicate.status == .conflict)
            #expect(duplicate.scimType == "uniqueness")
            #expect(duplicate.errorStatus == "409")
            #expect((duplicate.json["schemas"] as? [String]) == [Self.errorSchema])

            let nameless = try await h.scim(.post, "/Users", token: token, body: ["schemas": [Self.coreUser], "displayName": "Không tên"])
            #expect(nameless.status == .badRequest)
            #expect(nameless.scimType == "invalidValue")
            let badUnit = try await h.scim(.post, "/Users", token: token, body: Self.user("x.y", "X Y", unit: "Sales"))
            #expect(badUnit.scimType == "invalidValue")
            let garbage = try await h.scim(.post, "/Users", token: token, body: "{not json")
            #expect(garbage.scimType == "invalidSyntax")
            let weakPassword = try await h.scim(.post, "/Users", token: token,
                                                body: Self.user("p.q", "P Q", unit: "/ha-noi").merging(["password": "123"]) { $1 })
            #expect(weakPassword.scimType == "invalidValue")

            // Without a unit: the one subtree where the administrator may create accounts.
            let defaulted = try await h.scim(.post, "/Users", token: token, body: ["schemas": [Self.coreUser], "userName": "mac.dinh"])
            #expect(defaulted.status == .created, "\(defaulted.reply.body)")
            #expect((defaulted.json[Self.gatehouse] as? [String: Any])?["unit"] as? String == "/ha-noi")
            #expect(defaulted.json["displayName"] as? String == "mac.dinh")
        }
    }

    @Test("filters go to the store with bound values; sort and pagination; residual filters; bad filters are invalidFilter")
    func listing() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            for (name, unit) in [("hn.a1", "/ha-noi/phuong-ba-dinh"), ("hn.a2", "/ha-noi/phuong-ba-dinh"), ("hn.b1", "/ha-noi/phuong-hoan-kiem")] {
                let r = try await h.scim(.post, "/Users", token: token, body: Self.user(name, "Cán bộ \(name)", unit: unit))
                #expect(r.status == .created)
            }
            let all = try await h.scim(.get, "/Users", token: token)
            #expect(all.status == .ok)
            #expect((all.json["schemas"] as? [String]) == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
            // Hà Nội: the admin, the clerk, two officials, three new ones; sorted by userName.
            #expect(all.userNames == ["admin.hanoi", "clerk.badinh", "hn.a1", "hn.a2", "hn.b1", "nguyen.van.a", "tran.thi.b"])
            #expect(all.totalResults == 7)

            let prefix = try await h.scim(.get, "/Users?" + Self.filter(#"userName sw "HN.A""#), token: token)
            #expect(prefix.userNames == ["hn.a1", "hn.a2"])
            let department = try await h.scim(.get, "/Users?" + Self.filter(#"\#(Self.enterprise):department eq "/ha-noi/phuong-ba-dinh""#), token: token)
            #expect(department.userNames == ["clerk.badinh", "hn.a1", "hn.a2", "nguyen.van.a"])
            let unit = try await h.scim(.get, "/Users?" + Self.filter(#"\#(Self.gatehouse):unit sw "/ha-noi/phuong-hoan""#), token: token)
            #expect(unit.userNames == ["hn.b1", "tran.thi.b"])

            let sorted = try await h.scim(.get, "/Users?" + Self.filter(#"userName sw "hn""#) + "&sortBy=userName&sortOrder=descending", token: token)
            #expect(sorted.userNames == ["hn.b1", "hn.a2", "hn.a1"])
            let page = try await h.scim(.get, "/Users?startIndex=2&count=3", token: token)
            #expect(page.totalResults == 7)
            #expect(page.json["startIndex"] as? Int == 2)
            #expect(page.json["itemsPerPage"] as? Int == 3)
            #expect(page.userNames == ["clerk.badinh", "hn.a1", "hn.a2"])
            let countOnly = try await h.scim(.get, "/Users?count=0", token: token)
            #expect(countOnly.totalResults == 7)
            #expect(countOnly.resources.isEmpty)

            // A residual (name.formatted is not a store field) is evaluated on the store's answer.
            let residual = try await h.scim(.get, "/Users?" + Self.filter(#"userName sw "hn" and name.formatted co "b1""#), token: token)
            #expect(residual.status == .ok, "\(residual.reply.body)")
            #expect(residual.userNames == ["hn.b1"])
            #expect(residual.totalResults == 1)
            let residualSort = try await h.scim(.get, "/Users?" + Self.filter(#"userName sw "hn""#) + "&sortBy=name.formatted&sortOrder=descending",
                                                token: token)
            #expect(residualSort.userNames == ["hn.b1", "hn.a2", "hn.a1"])

            // attributes / excludedAttributes.
            let projected = try await h.scim(.get, "/Users?" + Self.filter(#"userName eq "hn.a1""#) + "&attributes=userName,emails.value", token: token)
            let only = try #require(projected.resources.first)
            #expect(Set(only.keys) == ["schemas", "id", "userName"])
            let excluded = try await h.scim(.get, "/Users?" + Self.filter(#"userName eq "hn.a1""#) + "&excludedAttributes=\(Self.gatehouse),meta",
                                            token: token)
            #expect(excluded.resources.first?[Self.gatehouse] == nil)
            #expect(excluded.resources.first?["meta"] == nil)
            #expect(excluded.resources.first?["userName"] as? String == "hn.a1")

            for bad in [#"userName eq"#, #"userName xx "a""#, #"(userName eq "a""#, #"active gt true"#] {
                let r = try await h.scim(.get, "/Users?" + Self.filter(bad), token: token)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.scimType == "invalidFilter", "\(bad): \(r.reply.body)")
                #expect((r.json["schemas"] as? [String]) == [Self.errorSchema])
            }

            // Injection-looking values are values: nothing matches, nothing breaks.
            for hostile in [#"userName eq "x' OR '1'='1""#, #"userName sw "%""#, #"userName co "_""#, #"displayName eq "'); DROP TABLE accounts; --""#] {
                let r = try await h.scim(.get, "/Users?" + Self.filter(hostile), token: token)
                #expect(r.status == .ok, "\(hostile)")
                #expect(r.totalResults == 0, "\(hostile): \(r.userNames)")
            }
            let still = try await h.scim(.get, "/Users", token: token)
            #expect(still.totalResults == 7)

            // POST /.search takes the same query in a body (RFC 7644 §3.4.3).
            let search = try await h.scim(.post, "/Users/.search", token: token, body: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": #"userName sw "hn.a""#, "count": 1,
            ])
            #expect(search.totalResults == 2)
            #expect(search.userNames == ["hn.a1"])
        }
    }

    @Test("no token is 401 with a Bearer challenge; a token without gatehouse:admin is 403; no administrative role is 403")
    func authentication() async throws {
        try await SCIMHarness.withServer { h in
            let anonymous = try await h.scim(.get, "/Users", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(anonymous.errorStatus == "401")
            let forged = try await h.scim(.get, "/Users", token: "not-a-token")
            #expect(forged.status == .unauthorized)

            let narrow = try await h.token(SCIMHarness.User.hanoiAdmin, scope: "openid profile")
            let insufficient = try await h.scim(.get, "/Users", token: narrow)
            #expect(insufficient.status == .forbidden)

            let clerk = try await h.token(SCIMHarness.User.clerk)
            let refused = try await h.scim(.get, "/Users", token: clerk)
            #expect(refused.status == .forbidden)
            #expect(refused.errorStatus == "403")

            // Discovery needs no token.
            let config = try await h.scim(.get, "/ServiceProviderConfig", token: nil)
            #expect(config.status == .ok)
        }
    }
}
