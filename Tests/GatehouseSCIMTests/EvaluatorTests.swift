import GatehouseSCIM
import Testing

/// Filter evaluation (RFC 7644 §3.4.2.2) over the sample officials.
@Suite struct EvaluatorTests {
    let evaluator = SCIMFilterEvaluator()

    func select(_ text: String) throws(SCIMError) -> [String] {
        SampleUsers.names(try evaluator.select(SampleUsers.all, matching: try SCIMFilter.parse(text)))
    }

    @Test func vietnameseNamesMatchCaseInsensitively() throws {
        #expect(try select(#"displayName eq "NGUYỄN VĂN AN""#) == ["nguyen.van.an"])
        #expect(try select(#"name.familyName eq "trần""#) == ["tran.thi.binh"])
        #expect(try select(#"displayName co "văn""#) == ["nguyen.van.an", "le.van.cuong"])
        #expect(try select(#"displayName sw "PHẠM""#) == ["pham.ngoc.dung"])
        #expect(try select(#"displayName ew "cường""#) == ["le.van.cuong"])
        #expect(try select(#"displayName co "Nguyen""#) == [], "ễ is not e")
    }

    @Test func decomposedFilterTextMatchesComposedData() throws {
        let nfd = "Nguye\u{0302}\u{0303}n Va\u{0306}n An"
        #expect(try select("displayName eq \"\(nfd)\"") == ["nguyen.van.an"])
        let escaped = #"displayName sw "L\u00ea V""#
        #expect(try select(escaped) == ["le.van.cuong"])
    }

    @Test func attributeNamesAreCaseInsensitive() throws {
        #expect(try select(#"USERNAME eq "LE.VAN.CUONG""#) == ["le.van.cuong"])
        #expect(try select(#"EMAILS[TYPE EQ "WORK" AND VALUE EW "@HUE.GOV.VN"]"#) == ["tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select(#"Name.FamilyName sw "ph""#) == ["pham.ngoc.dung"])
    }

    @Test func multiValuedAttributesMatchOnAnyValue() throws {
        #expect(try select(#"emails.value ew "@gmail.com""#) == ["nguyen.van.an"])
        #expect(try select(#"emails.type eq "home""#) == ["nguyen.van.an"])
        #expect(try select(#"emails co "gov.vn""#) == ["nguyen.van.an", "tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select(#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#) == ["nguyen.van.an", "tran.thi.binh"])
    }

    @Test func valuePathMatchesWithinOneValue() throws {
        #expect(try select(#"emails.type eq "work" and emails.value co "gmail""#) == ["nguyen.van.an"])
        #expect(try select(#"emails[type eq "work" and value co "gmail"]"#) == [])
        #expect(try select(#"emails[type eq "home" and value co "gmail"]"#) == ["nguyen.van.an"])
        #expect(try select(#"emails[primary eq true]"#) == ["nguyen.van.an", "pham.ngoc.dung"])
        #expect(try select(#"emails[not (primary eq true)]"#) == ["nguyen.van.an", "tran.thi.binh"])
        #expect(try select(#"schemas[value co "enterprise"]"#) == ["nguyen.van.an", "tran.thi.binh"])
    }

    @Test func extensionAttributesByURN() throws {
        #expect(try select(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "văn phòng""#) == ["nguyen.van.an"])
        #expect(try select(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr"#) == ["nguyen.van.an", "tran.thi.binh"])
        #expect(try select(#"urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User:unit sw "/ha-noi""#) == ["nguyen.van.an", "le.van.cuong"])
        #expect(try select(#"department pr"#) == [], "an extension attribute is not a core one")
        #expect(try select(#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "TRAN""#) == ["tran.thi.binh"])
        #expect(try select(#"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName sw "le""#) == ["le.van.cuong"])
    }

    @Test func presence() throws {
        #expect(try select("title pr") == ["nguyen.van.an"], "an empty string is not present")
        #expect(try select("not (title pr)") == ["tran.thi.binh", "le.van.cuong", "pham.ngoc.dung"])
        #expect(try select("emails pr") == ["nguyen.van.an", "tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select("name pr") == ["nguyen.van.an", "tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select("title eq null") == ["tran.thi.binh", "le.van.cuong", "pham.ngoc.dung"])
        #expect(try select("title ne null") == ["nguyen.van.an"])
        let empty: SCIMValue = ["name": ["givenName": nil, "familyName": ""], "emails": [], "x": [:]]
        for attribute in ["name", "emails", "x", "name.givenName", "name.familyName", "missing"] {
            #expect(try !evaluator.matches(SCIMFilter.parse("\(attribute) pr"), empty), "\(attribute)")
        }
    }

    @Test func notEqualMatchesAbsentAttributes() throws {
        #expect(try select(#"title ne "Chuyên viên""#) == ["tran.thi.binh", "le.van.cuong", "pham.ngoc.dung"])
        #expect(try select(#"emails.type ne "work""#) == ["nguyen.van.an", "le.van.cuong"])
    }

    @Test func caseExactAttributes() throws {
        #expect(try select(#"id eq "2819c223-7f76-453a-919d-413861904646""#) == ["nguyen.van.an"])
        #expect(try select(#"id eq "2819C223-7F76-453A-919D-413861904646""#) == [])
        #expect(try select(#"externalId eq "HN-003""#) == [])
        #expect(try select(#"externalId eq "hn-003""#) == ["le.van.cuong"])
        let strict = SCIMFilterEvaluator(caseExactAttributes: [SCIMAttributePath(name: "userName"), SCIMAttributePath(name: "emails", subAttribute: "value")])
        #expect(try strict.select(SampleUsers.all, matching: SCIMFilter.parse(#"userName eq "Le.Van.Cuong""#)).isEmpty)
        #expect(try strict.select(SampleUsers.all, matching: SCIMFilter.parse(#"emails[value sw "AN."]"#)).isEmpty)
        #expect(try strict.select(SampleUsers.all, matching: SCIMFilter.parse(#"emails co "AN.""#)).isEmpty)
        #expect(try strict.select(SampleUsers.all, matching: SCIMFilter.parse(#"externalId eq "hn-001""#)).count == 1)
    }

    @Test func orderingComparesStringsDatesAndNumbers() throws {
        #expect(try select(#"userName gt "p""#) == ["tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select(#"userName le "LE.VAN.CUONG""#) == ["le.van.cuong"])
        #expect(try select("loginCount gt 10") == ["nguyen.van.an"])
        #expect(try select("loginCount le 3.0") == ["tran.thi.binh"])
        #expect(try select("loginCount eq 12.0") == ["nguyen.van.an"])
        // 2024-03-01T09:30:00+07:00 is 02:30 UTC: earlier than 03:00Z although its text sorts later.
        #expect(try select(#"meta.lastModified lt "2024-03-01T03:00:00Z""#) == ["nguyen.van.an", "tran.thi.binh", "le.van.cuong", "pham.ngoc.dung"])
        #expect(try select(#"meta.lastModified gt "2024-03-01T02:30:00Z""#) == [])
        #expect(try select(#"meta.lastModified eq "2024-03-01T02:30:00.000Z""#) == ["nguyen.van.an"])
        #expect(try select(#"meta.lastModified ge "2024-02-01T00:00:00Z""#) == ["nguyen.van.an", "tran.thi.binh"])
        #expect(try select(#"meta.lastModified gt "2024-01-01T00:00:00.4Z""#) == ["nguyen.van.an", "tran.thi.binh", "pham.ngoc.dung"])
        #expect(try select(#"meta.lastModified gt "2024-01-01T00:00:00.6Z""#) == ["nguyen.van.an", "tran.thi.binh"])
    }

    @Test func mismatchedTypesNeverMatch() throws {
        #expect(try select(#"loginCount eq "12""#) == [])
        #expect(try select("userName eq 12") == [])
        #expect(try select(#"active eq "true""#) == [])
        #expect(try select("active eq true") == ["nguyen.van.an", "le.van.cuong", "pham.ngoc.dung"])
        #expect(try select("active ne true") == ["tran.thi.binh"])
    }

    @Test func booleansOnlySupportEqualityOperators() throws {
        let error = scimError { () throws(SCIMError) in try select(#"active sw "t""#) }
        #expect(error == SCIMError(.invalidFilter))
        #expect(error?.detail == #""active" is a boolean attribute; only eq and ne apply to it"#)
        #expect(throws: SCIMError(.invalidFilter)) { try select("active gt 0") }
        #expect(throws: SCIMError(.invalidFilter)) { try select(#"emails[primary co "t"]"#) }
    }

    @Test func complexAttributesNeedASubAttribute() throws {
        let error = scimError { () throws(SCIMError) in try select(#"name eq "Nguyễn""#) }
        #expect(error == SCIMError(.invalidFilter))
        #expect(error?.detail == #""name" is a complex attribute; compare one of its sub-attributes, as in "name.familyName""#)
        #expect(throws: SCIMError(.invalidFilter)) { try select(#"meta gt "2020-01-01T00:00:00Z""#) }
    }

    @Test func multiValuedComplexWithoutValueIsAnError() throws {
        let user: SCIMValue = ["addresses": [["type": "work", "locality": "Huế"]]]
        #expect(throws: SCIMError(.invalidFilter)) { try evaluator.matches(SCIMFilter.parse(#"addresses eq "x""#), user) }
        #expect(try evaluator.matches(SCIMFilter.parse(#"addresses[locality eq "HUẾ"]"#), user))
    }
}
