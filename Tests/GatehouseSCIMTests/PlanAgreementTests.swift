import Foundation
import GatehouseSCIM
import Testing

/// A plan must select exactly the accounts evaluation selects. A small in-memory "store"
/// runs the plans over account rows; the same accounts as SCIM resources go through
/// ``SCIMFilterEvaluator``.
@Suite struct PlanAgreementTests {
    /// An account as the store holds it; ``resource`` renders it as the server does, with
    /// `emails` only when there is an address.
    struct Row {
        var id: String
        var username: String
        var displayName: String
        var email: String?
        var externalID: String?
        var active: Bool
        var unit: String

        var resource: SCIMValue {
            var members: [String: SCIMValue] = [
                "schemas": [.string(SCIMSchema.coreUser), .string(SCIMSchema.gatehouseUser)],
                "id": .string(id), "userName": .string(username), "displayName": .string(displayName),
                "active": .bool(active), SCIMSchema.gatehouseUser: ["unit": .string(unit)],
            ]
            if let email { members["emails"] = [["value": .string(email), "primary": true]] }
            if let externalID { members["externalId"] = .string(externalID) }
            return .object(members)
        }

        func text(_ field: SCIMStoreField) -> String? {
            switch field {
            case .id: id
            case .username: username
            case .displayName: displayName
            case .email: email
            case .externalID: externalID
            case .unitPath: unit
            case .active: nil
            }
        }
    }

    static let rows = [
        Row(id: "2819c223-7f76-453a-919d-413861904646", username: "nguyen.van.an", displayName: "Nguyễn Văn An",
            email: "an.nguyen@hanoi.gov.vn", externalID: "HN-001", active: true, unit: "/ha-noi/phuong-ba-dinh"),
        Row(id: "902c246b-6245-4190-8e05-00816be7344a", username: "tran.thi.binh", displayName: "Trần Thị Bình",
            email: "binh.tran@hue.gov.vn", externalID: nil, active: false, unit: "/hue"),
        Row(id: "a1b2c3d4-0000-4000-8000-000000000003", username: "le.van.cuong", displayName: "Lê Văn Cường",
            email: nil, externalID: "hn-003", active: true, unit: "/ha-noi"),
        Row(id: "a1b2c3d4-0000-4000-8000-000000000004", username: "pham.ngoc.dung", displayName: "Phạm Ngọc Dũng",
            email: nil, externalID: "x' OR '1'='1", active: true, unit: "/hue/phuong-thuan-hoa"),
        Row(id: "a1b2c3d4-0000-4000-8000-000000000005", username: "do.thu.ha", displayName: "Đỗ Thu Hà",
            email: "HA.DO@HANOI.GOV.VN", externalID: "HN-005", active: false, unit: "/ha-noi-cu"),
    ]

    /// Runs a store query the way a store following the ``SCIMStoreQuery`` contract would.
    static func run(_ query: SCIMStoreQuery, _ row: Row) -> Bool {
        func folded(_ field: SCIMStoreField) -> String? {
            guard let text = row.text(field) else { return nil }
            let nfc = text.precomposedStringWithCanonicalMapping
            return field.isCaseExact ? nfc : nfc.lowercased()
        }
        switch query {
        case .equals(.active, .bool(let b)): return row.active == b
        case .equals(let field, .text(let p)): return folded(field) == p
        case .equals: return false
        case .startsWith(let field, let p): return folded(field)?.hasPrefix(p) ?? false
        case .endsWith(let field, let p): return folded(field)?.hasSuffix(p) ?? false
        case .contains(let field, let p): return folded(field).map { p.isEmpty || $0.contains(p) } ?? false
        case .present(.active): return true
        case .present(let field): return !(row.text(field) ?? "").isEmpty
        case .and(let list): return list.allSatisfy { run($0, row) }
        case .or(let list): return list.contains { run($0, row) }
        case .not(let inner): return !run(inner, row)
        }
    }

    static let filters = [
        #"userName sw "NGUYEN""#, #"userName eq "le.van.cuong""#, #"userName ne "le.van.cuong""#,
        #"displayName co "văn""#, #"displayName sw "đỗ""#, #"displayName ew "HÀ""#, #"displayName eq "Nguye\u0302\u0303n Va\u0306n An""#,
        #"emails.value ew "@hanoi.gov.vn""#, #"emails[value co "HUE"]"#, "emails pr", "not (emails pr)", #"emails co """#,
        #"emails.value ne "binh.tran@hue.gov.vn""#, "emails eq null", "emails.value ne null",
        #"externalId eq "HN-001""#, #"externalId eq "hn-001""#, #"externalId sw "HN""#, "externalId pr",
        #"externalId eq "x' OR '1'='1""#, #"externalId ne "HN-005""#,
        "active eq true", "active eq false", "active ne false", "active pr",
        #"urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit sw "/ha-noi""#,
        #"urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit sw "/ha-noi/""#,
        #"urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit eq "/HUE""#,
        #"id eq "902c246b-6245-4190-8e05-00816be7344a""#, #"id eq "902C246B-6245-4190-8E05-00816BE7344A""#,
        #"userName sw "n" or active eq false"#, #"not (userName sw "n" or active eq false) and displayName co "v""#,
        #"userName eq "x' OR '1'='1""#, #"displayName co "%""#,
    ]

    @Test func plansSelectWhatEvaluationSelects() throws {
        let evaluator = SCIMFilterEvaluator()
        let planner = SCIMQueryPlanner()
        let resources = Self.rows.map(\.resource)
        for text in Self.filters {
            let filter = try SCIMFilter.parse(text)
            let plan = try planner.plan(filter)
            guard case .store(let query) = plan else {
                Issue.record("\(text) did not go to the store: \(plan)")
                continue
            }
            let byStore = Self.rows.filter { Self.run(query, $0) }.map(\.username)
            let byEvaluation = SampleUsers.names(try evaluator.select(resources, matching: filter))
            #expect(byStore == byEvaluation, "\(text)")
        }
    }

    @Test func splitPlansAgreeToo() throws {
        let evaluator = SCIMFilterEvaluator()
        let resources = Self.rows.map(\.resource)
        for text in [#"userName sw "n" and schemas pr"#, #"displayName co "văn" and not (emails pr)"#,
                     #"(userName gt "m" or active eq true) and externalId pr"#] {
            let filter = try SCIMFilter.parse(text)
            let plan = try SCIMQueryPlanner().plan(filter)
            let narrowed = zip(Self.rows, resources).filter { Self.run(plan.storeQuery, $0.0) }.map(\.1)
            let byPlan = SampleUsers.names(try evaluator.select(narrowed, matching: plan.residual))
            #expect(byPlan == SampleUsers.names(try evaluator.select(resources, matching: filter)), "\(text)")
        }
    }
}
