import GatehouseSCIM
import Testing

/// The sample filters listed in RFC 7644 §3.4.2.2 ("Filtering"), copied as printed there
/// (line breaks included), each with the tree it must parse to.
@Suite struct FilterRFCExampleTests {
    static let employee: SCIMFilter = Tree.cmp("userType", .eq, "Employee")
    static let emailsOr: SCIMFilter = .or(Tree.cmp("emails", .co, "example.com"), Tree.cmp("emails.value", .co, "example.org"))
    static let workEmail: SCIMFilter = .and(Tree.cmp("type", .eq, "work"), Tree.cmp("value", .co, "@example.com"))
    static let stamp: SCIMValue = "2011-05-13T04:42:34Z"

    static let examples: [(String, SCIMFilter)] = [
        (#"userName eq "bjensen""#, Tree.cmp("userName", .eq, "bjensen")),
        (#"name.familyName co "O'Malley""#, Tree.cmp("name.familyName", .co, "O'Malley")),
        (#"userName sw "J""#, Tree.cmp("userName", .sw, "J")),
        (#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
         .comparison(Tree.path("userName", schema: SCIMSchema.coreUser), .sw, "J")),
        ("title pr", Tree.pr("title")),
        (#"meta.lastModified gt "2011-05-13T04:42:34Z""#, Tree.cmp("meta.lastModified", .gt, stamp)),
        (#"meta.lastModified ge "2011-05-13T04:42:34Z""#, Tree.cmp("meta.lastModified", .ge, stamp)),
        (#"meta.lastModified lt "2011-05-13T04:42:34Z""#, Tree.cmp("meta.lastModified", .lt, stamp)),
        (#"meta.lastModified le "2011-05-13T04:42:34Z""#, Tree.cmp("meta.lastModified", .le, stamp)),
        (#"title pr and userType eq "Employee""#, .and(Tree.pr("title"), employee)),
        (#"title pr or userType eq "Intern""#, .or(Tree.pr("title"), Tree.cmp("userType", .eq, "Intern"))),
        ("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
         Tree.cmp("schemas", .eq, .string(SCIMSchema.enterpriseUser))),
        ("userType eq \"Employee\" and (emails co \"example.com\" or\n  emails.value co \"example.org\")",
         .and(employee, emailsOr)),
        ("userType ne \"Employee\" and not (emails co \"example.com\" or\n  emails.value co \"example.org\")",
         .and(Tree.cmp("userType", .ne, "Employee"), .not(emailsOr))),
        (#"userType eq "Employee" and (emails.type eq "work")"#, .and(employee, Tree.cmp("emails.type", .eq, "work"))),
        ("userType eq \"Employee\" and emails[type eq \"work\" and\n  value co \"@example.com\"]",
         .and(employee, .valuePath(Tree.path("emails"), workEmail))),
        ("emails[type eq \"work\" and value co \"@example.com\"] or\n  ims[type eq \"xmpp\" and value co \"@foo.com\"]",
         .or(.valuePath(Tree.path("emails"), workEmail),
             .valuePath(Tree.path("ims"), .and(Tree.cmp("type", .eq, "xmpp"), Tree.cmp("value", .co, "@foo.com"))))),
    ]

    @Test func everyExampleParsesToItsTree() throws {
        #expect(Self.examples.count == 17)
        for (text, expected) in Self.examples {
            let parsed = try SCIMFilter.parse(text)
            #expect(parsed == expected, "\(text)")
        }
    }

    @Test func everyExampleSurvivesWritingBack() throws {
        for (text, expected) in Self.examples {
            let written = expected.description
            #expect(try SCIMFilter.parse(written) == expected, "\(text) -> \(written)")
        }
    }

    @Test func writtenFormIsCanonical() throws {
        #expect(Self.examples[13].1.description
            == #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#)
        #expect(Self.examples[16].1.description
            == #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#)
    }

    @Test func schemaPrefixedAttributesKeepTheirURN() throws {
        let filter = try SCIMFilter.parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Tài chính""#)
        guard case .comparison(let path, .eq, .string("Tài chính")) = filter else {
            Issue.record("unexpected tree \(filter)")
            return
        }
        #expect(path.schema == SCIMSchema.enterpriseUser)
        #expect(path.name == "department")
        #expect(path.subAttribute == nil)
        let manager = try SCIMFilter.parse(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x""#)
        #expect(manager == .comparison(Tree.path("manager", "value", schema: SCIMSchema.enterpriseUser), .eq, "x"))
    }
}
