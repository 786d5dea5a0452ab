import GatehouseSCIM
import Testing

/// `sortBy` and `sortOrder` (RFC 7644 §3.4.2.3).
@Suite struct SortTests {
    func order(_ sortBy: String, _ sortOrder: String? = nil, _ resources: [SCIMValue] = SampleUsers.all) throws -> [String] {
        let sort = try #require(try SCIMSort.parse(sortBy: sortBy, sortOrder: sortOrder))
        return SampleUsers.names(sort.sorted(resources))
    }

    @Test func byUserName() throws {
        #expect(try order("userName") == ["le.van.cuong", "nguyen.van.an", "pham.ngoc.dung", "tran.thi.binh"])
        #expect(try order("userName", "descending") == ["tran.thi.binh", "pham.ngoc.dung", "nguyen.van.an", "le.van.cuong"])
        #expect(try order("USERNAME", "Ascending") == ["le.van.cuong", "nguyen.van.an", "pham.ngoc.dung", "tran.thi.binh"])
    }

    @Test func missingValuesGoLastAscendingAndFirstDescending() throws {
        #expect(try order("name.familyName") == ["nguyen.van.an", "pham.ngoc.dung", "tran.thi.binh", "le.van.cuong"])
        #expect(try order("name.familyName", "descending") == ["le.van.cuong", "tran.thi.binh", "pham.ngoc.dung", "nguyen.van.an"])
        #expect(try order("title") == ["nguyen.van.an", "tran.thi.binh", "le.van.cuong", "pham.ngoc.dung"], "ties keep their order")
    }

    @Test func stringsIgnoreCaseUnlessCaseExact() throws {
        let people: [SCIMValue] = [["userName": "b", "externalId": "b"], ["userName": "A", "externalId": "A"], ["userName": "c", "externalId": "c"]]
        #expect(try order("userName", nil, people) == ["A", "b", "c"])
        #expect(try order("externalId", nil, people) == ["A", "b", "c"])
        let lower: [SCIMValue] = [["userName": "x", "externalId": "a"], ["userName": "y", "externalId": "B"]]
        #expect(try order("externalId", nil, lower) == ["y", "x"], "case-exact: \"B\" sorts before \"a\"")
        #expect(try order("externalId", nil, lower.map { $0 }) != order("userName", nil, lower))
    }

    @Test func datesSortChronologicallyAndNumbersNumerically() throws {
        #expect(try order("meta.lastModified") == ["le.van.cuong", "pham.ngoc.dung", "tran.thi.binh", "nguyen.van.an"])
        let counts: [SCIMValue] = [["userName": "ten", "n": 10], ["userName": "nine", "n": 9], ["userName": "half", "n": 9.5]]
        #expect(try order("n", nil, counts) == ["nine", "half", "ten"])
    }

    @Test func multiValuedAttributesSortByThePrimaryValue() throws {
        let people: [SCIMValue] = [
            ["userName": "p", "emails": [["value": "z@x.vn"], ["value": "a@x.vn", "primary": true]]],
            ["userName": "q", "emails": [["value": "m@x.vn"], ["value": "b@x.vn"]]],
            ["userName": "r"],
        ]
        #expect(try order("emails", nil, people) == ["p", "q", "r"])
        #expect(try order("emails.value", nil, people) == ["p", "q", "r"])
        #expect(try order("emails.value", "descending", people) == ["r", "q", "p"])
    }

    @Test func vietnameseNamesSortByTheirComposedForm() throws {
        #expect(try order("displayName") == ["le.van.cuong", "nguyen.van.an", "pham.ngoc.dung", "tran.thi.binh"])
    }

    @Test func parameters() throws {
        #expect(try SCIMSort.parse(sortBy: nil, sortOrder: "descending") == nil)
        #expect(try SCIMSort.parse(sortBy: "name.givenName", sortOrder: nil) == SCIMSort(by: Tree.path("name", "givenName")))
        let badOrder = scimError { () throws(SCIMError) in try SCIMSort.parse(sortBy: "userName", sortOrder: "up") }
        #expect(badOrder?.scimType == .invalidValue)
        #expect(badOrder?.detail == #"sortOrder must be "ascending" or "descending", not "up""#)
        let badPath = scimError { () throws(SCIMError) in try SCIMSort.parse(sortBy: "user name", sortOrder: nil) }
        #expect(badPath?.detail == #"sortBy "user name" is not an attribute path"#)
    }
}
