import Foundation
import GatehouseSCIM
import Testing

@Suite struct SCIMValueTests {
    @Test func decodesEveryJSONType() throws {
        let value = try SCIMValue(json: Data(#"{"a":null,"b":true,"c":12,"d":1.5,"e":"Hà Nội","f":[1,"x"],"g":{"h":false}}"#.utf8))
        #expect(value == ["a": nil, "b": true, "c": 12, "d": 1.5, "e": "Hà Nội", "f": [1, "x"], "g": ["h": false]])
        #expect(try SCIMValue(json: Data("[0,1,true,false,-3,2.5e3]".utf8)) == [0, 1, true, false, -3, 2500])
    }

    @Test func malformedJSONIsInvalidSyntax() {
        #expect(throws: SCIMError(.invalidSyntax)) { try SCIMValue(json: Data("{".utf8)) }
    }

    @Test func writesCompactSortedJSON() {
        let value: SCIMValue = ["b": [1, 2.5, true, nil], "a": "quote \" backslash \\ newline \n bell \u{07} Đà Nẵng"]
        #expect(value.jsonString == #"{"a":"quote \" backslash \\ newline \n bell \u0007 Đà Nẵng","b":[1,2.5,true,null]}"#)
        #expect(SCIMValue.double(.nan).jsonString == "null")
    }

    @Test func writtenJSONReadsBack() throws {
        #expect(try SCIMValue(json: SampleUsers.an.jsonData) == SampleUsers.an)
        #expect(try SCIMValue(json: JSONEncoder().encode(SampleUsers.binh)) == SampleUsers.binh)
    }

    @Test func membersAreFoundIgnoringCase() {
        #expect(SampleUsers.an.member("USERNAME") == "nguyen.van.an")
        #expect(SampleUsers.an.member(SCIMSchema.enterpriseUser.uppercased())?.member("Department") == "Văn phòng")
        #expect(SCIMValue.string("x").member("x") == nil)
    }

    @Test func hasValue() {
        #expect(!SCIMValue.null.hasValue)
        #expect(!SCIMValue.string("").hasValue)
        #expect(!SCIMValue.array([nil, ""]).hasValue)
        #expect(!SCIMValue.object(["a": nil]).hasValue)
        #expect(SCIMValue.bool(false).hasValue)
        #expect(SCIMValue.int(0).hasValue)
        #expect(SCIMValue.object(["a": ["b": "c"]]).hasValue)
    }
}
