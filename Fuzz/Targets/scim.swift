// Fuzz target: the SCIM filter and PATCH path parsers and PATCH request decoding
// (GatehouseSCIM, RFC 7644 §3.4.2.2 and §3.5.2). Each input is tried as a filter, as a path
// and as a PATCH body; what parses is also evaluated, planned or applied to a sample user.
//
// Invariants (the same the unit tests hold for their fixed random inputs):
// - a filter or path written back with `description` parses to the same tree;
// - a filter that fails is a 400 `invalidFilter` (a path: `invalidPath`) with a detail and an
//   offset inside the text, in characters;
// - evaluating or planning a parsed filter fails, if at all, with `invalidFilter`.
import Foundation
import GatehouseSCIM

enum Fixture {
    static let user: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreUser), .string(SCIMSchema.enterpriseUser), .string(SCIMSchema.gatehouseUser)],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "HN-001",
        "userName": "nguyen.van.an",
        "displayName": "Nguyễn Văn An",
        "name": ["familyName": "Nguyễn", "givenName": "An"],
        "title": "Chuyên viên",
        "active": true,
        "loginCount": 12,
        "score": 7.5,
        "emails": [
            ["value": "an.nguyen@hanoi.gov.vn", "type": "work", "primary": true],
            ["value": "an.nguyen@gmail.com", "type": "home"],
        ],
        "groups": [["value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Văn phòng"]],
        "meta": ["created": "2024-01-10T08:00:00Z", "lastModified": "2024-03-01T09:30:00+07:00"],
        SCIMSchema.enterpriseUser: ["department": "Văn phòng", "organization": "UBND Thành phố Hà Nội"],
        SCIMSchema.gatehouseUser: ["unit": "/ha-noi/phuong-ba-dinh"],
    ]
    static let evaluator = SCIMFilterEvaluator()
    static let planner = SCIMQueryPlanner()
    static let patcher = SCIMPatcher()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    checkFilter(text)
    checkPath(text)
    checkPatch(Data(bytes))
    return 0
}

func checkFilter(_ text: String) {
    let filter: SCIMFilter
    do {
        filter = try SCIMFilter.parse(text)
    } catch {
        invariant(error.scimType == .invalidFilter && error.status == 400 && !error.detail.isEmpty,
                  "a filter fails with \(error.status) \(String(describing: error.scimType)): \(error.detail)")
        if let offset = error.offset {
            invariant((0...text.count).contains(offset), "offset \(offset) outside a filter of \(text.count) characters")
        }
        return
    }
    let written = filter.description
    let again = try? SCIMFilter.parse(written)
    invariant(again == filter, "the filter written back as \(written) parses differently")
    do { _ = try Fixture.evaluator.matches(filter, Fixture.user) } catch {
        invariant(error.scimType == .invalidFilter, "evaluation fails with \(String(describing: error.scimType))")
    }
    do { _ = try Fixture.planner.plan(filter) } catch {
        invariant(error.scimType == .invalidFilter, "planning fails with \(String(describing: error.scimType))")
    }
}

func checkPath(_ text: String) {
    let path: SCIMPatchPath
    do {
        path = try SCIMPatchPath.parse(text)
    } catch {
        invariant(error.scimType == .invalidPath && error.status == 400, "a path fails with \(String(describing: error.scimType))")
        if let offset = error.offset {
            invariant((0...text.count).contains(offset), "offset \(offset) outside a path of \(text.count) characters")
        }
        return
    }
    let written = path.description
    let again = try? SCIMPatchPath.parse(written)
    invariant(again == path, "the path written back as \(written) parses differently")
}

func checkPatch(_ body: Data) {
    guard let request = try? SCIMPatchRequest(json: body) else { return }
    _ = try? Fixture.patcher.apply(request, to: Fixture.user)
}
