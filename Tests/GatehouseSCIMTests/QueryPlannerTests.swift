import GatehouseSCIM
import Testing

/// Filters turned into store queries (data with parameters, never SQL text).
@Suite struct QueryPlannerTests {
    let planner = SCIMQueryPlanner()

    func plan(_ text: String) throws -> SCIMQueryPlan { try planner.plan(SCIMFilter.parse(text)) }

    @Test func prefixAndExactUsernames() throws {
        #expect(try plan(#"userName sw "Nguyen""#) == .store(.startsWith(.username, "nguyen")))
        #expect(try plan(#"userName eq "Le.Van.Cuong""#) == .store(.equals(.username, .text("le.van.cuong"))))
        #expect(try plan(#"urn:ietf:params:scim:schemas:core:2.0:User:userName ew ".an""#) == .store(.endsWith(.username, ".an")))
        #expect(try plan(#"displayName co "VĂN""#) == .store(.contains(.displayName, "văn")))
    }

    @Test func caseExactFieldsKeepTheirCase() throws {
        #expect(try plan(#"externalId eq "HN-001""#) == .store(.equals(.externalID, .text("HN-001"))))
        #expect(try plan(#"id eq "2819c223-7f76-453a-919d-413861904646""#)
            == .store(.equals(.id, .text("2819c223-7f76-453a-919d-413861904646"))))
    }

    @Test func activeAndUnit() throws {
        #expect(try plan("active eq true") == .store(.equals(.active, .bool(true))))
        #expect(try plan("active ne true") == .store(.not(.equals(.active, .bool(true)))))
        #expect(try plan(#"urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit sw "/ha-noi/""#)
            == .store(.startsWith(.unitPath, "/ha-noi/")))
        let department = SCIMQueryPlanner(mapping: .gatehouseUsers(unitAttribute: Tree.path("department", schema: SCIMSchema.enterpriseUser)))
        #expect(try department.plan(SCIMFilter.parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "/Hue""#))
            == .store(.equals(.unitPath, .text("/hue"))))
    }

    @Test func emailsByValueOrValuePath() throws {
        #expect(try plan(#"emails[value eq "An.Nguyen@Hanoi.gov.vn"]"#) == .store(.equals(.email, .text("an.nguyen@hanoi.gov.vn"))))
        #expect(try plan(#"emails.value ew "@hue.gov.vn""#) == .store(.endsWith(.email, "@hue.gov.vn")))
        #expect(try plan(#"emails co "gov.vn""#) == .store(.contains(.email, "gov.vn")))
        #expect(try plan("emails pr") == .store(.present(.email)))
        #expect(try plan(#"emails[type eq "work"]"#) == .inMemory(try SCIMFilter.parse(#"emails[type eq "work"]"#)))
    }

    @Test func logicComposes() throws {
        #expect(try plan(#"userName sw "a" and active eq true and displayName co "b""#)
            == .store(.and([.startsWith(.username, "a"), .equals(.active, .bool(true)), .contains(.displayName, "b")])))
        #expect(try plan(#"not (userName eq "x" or (displayName co "Văn" or emails pr))"#)
            == .store(.not(.or([.equals(.username, .text("x")), .contains(.displayName, "văn"), .present(.email)]))))
        #expect(try plan("title eq null") == .inMemory(try SCIMFilter.parse("title eq null")))
        #expect(try plan("displayName eq null") == .store(.not(.present(.displayName))))
        #expect(try plan("externalId ne null") == .store(.present(.externalID)))
    }

    @Test func theRestOfAnAndStaysInMemory() throws {
        #expect(try plan(#"userName sw "ng" and title pr"#) == .storeThenFilter(.startsWith(.username, "ng"), residual: Tree.pr("title")))
        let mixed = try plan(#"title pr and userName sw "ng" and (nickName eq "x" and active eq false)"#)
        #expect(mixed == .storeThenFilter(.and([.startsWith(.username, "ng"), .equals(.active, .bool(false))]),
                                          residual: .and(Tree.pr("title"), Tree.cmp("nickName", .eq, "x"))))
    }

    @Test func whatTheStoreCannotDoStaysInMemory() throws {
        for text in [#"title pr or userName eq "x""#, #"userName gt "m""#, "not (title pr)", #"meta.lastModified gt "2024-01-01T00:00:00Z""#,
                     #"userName eq "2024-01-01T00:00:00Z""#, #"active eq "true""#, "userName eq 5",
                     #"emails[value eq "a" and type eq "work"]"#] {
            let filter = try SCIMFilter.parse(text)
            #expect(try planner.plan(filter) == .inMemory(filter), "\(text)")
        }
    }

    @Test func noFilterMeansEverything() throws {
        #expect(try planner.plan(nil) == .store(.everything))
        #expect(SCIMQueryPlan.store(.everything).residual == nil)
        #expect(SCIMQueryPlan.inMemory(Tree.pr("a")).storeQuery == .everything)
    }

    @Test func booleanMisuseIsInvalidFilter() {
        #expect(throws: SCIMError(.invalidFilter)) { try plan("active gt 1") }
        #expect(throws: SCIMError(.invalidFilter)) { try plan(#"active co "t""#) }
    }

    @Test func injectionTextIsOnlyAParameter() throws {
        #expect(try plan(#"userName eq "x' OR '1'='1""#) == .store(.equals(.username, .text("x' or '1'='1"))))
        #expect(try plan(#"displayName sw "%""#) == .store(.startsWith(.displayName, "%")))
    }
}
