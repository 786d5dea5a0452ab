import GatehouseSCIM
import Testing

/// PATCH paths (RFC 7644 §3.5.2, Figure 7: `PATH = attrPath / valuePath [subAttr]`).
@Suite struct PatchPathTests {
    @Test func attributePaths() throws {
        #expect(try SCIMPatchPath.parse("members") == SCIMPatchPath(attribute: Tree.path("members")))
        #expect(try SCIMPatchPath.parse("name.familyName") == SCIMPatchPath(attribute: Tree.path("name", "familyName")))
        #expect(try SCIMPatchPath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")
            == SCIMPatchPath(attribute: Tree.path("employeeNumber", schema: SCIMSchema.enterpriseUser)))
        #expect(try SCIMPatchPath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")
            == SCIMPatchPath(attribute: Tree.path("manager", "value", schema: SCIMSchema.enterpriseUser)))
    }

    @Test func valuePaths() throws {
        let member = try SCIMPatchPath.parse(#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#)
        #expect(member == SCIMPatchPath(attribute: Tree.path("members"),
                                        filter: Tree.cmp("value", .eq, "2819c223-7f76-453a-919d-413861904646")))
        let street = try SCIMPatchPath.parse(#"addresses[type eq "work"].streetAddress"#)
        #expect(street == SCIMPatchPath(attribute: Tree.path("addresses"), filter: Tree.cmp("type", .eq, "work"), subAttribute: "streetAddress"))
        let both = try SCIMPatchPath.parse(#"emails[type eq "work" and value ew "@hue.gov.vn"].display"#)
        #expect(both.filter == .and(Tree.cmp("type", .eq, "work"), Tree.cmp("value", .ew, "@hue.gov.vn")))
        #expect(both.subAttribute == "display")
        #expect(both.description == #"emails[type eq "work" and value ew "@hue.gov.vn"].display"#)
    }

    @Test func malformedPathsAreInvalidPath() {
        let cases: [(String, String)] = [
            (#"emails[type eq "work""#, #"unexpected end of the path at offset 21, expected "]" to close the "[" at offset 6"#),
            (#"emails[type eq "work"] .value"#, #"unexpected ".value" at offset 23, expected "." and a sub-attribute, or the end of the path"#),
            (#"emails[type eq "work"]x"#, #"unexpected "x" at offset 22, expected "." and a sub-attribute, or the end of the path"#),
            (#"emails[type eq "work"]."#, #"invalid sub-attribute "." at offset 22: an attribute name starts with a letter and holds only letters, digits, "-" and "_""#),
            (#"emails[type eq "work"].a.b"#, #"invalid sub-attribute ".a.b" at offset 22: an attribute name starts with a letter and holds only letters, digits, "-" and "_""#),
            (#"emails.value[type eq "work"]"#, #"a [filter] cannot follow the sub-attribute "emails.value" at offset 12: put it after the attribute, as in emails[type eq "work"].value"#),
            ("members value", #"unexpected "value" at offset 8, expected "[" or the end of the path"#),
            ("", "the path is empty"),
            ("9lives", "missing space after number 9 at offset 1"),
            (#"emails[bogus]"#, #"unexpected "]" at offset 12, expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)"#),
        ]
        for (text, detail) in cases {
            let error = scimError { () throws(SCIMError) in try SCIMPatchPath.parse(text) }
            #expect(error?.scimType == .invalidPath, "\(text)")
            #expect(error?.detail == detail, "\(text)")
        }
    }
}
