import GatehouseSCIM
import Testing

/// Random input never crashes the parser: it either parses (and then writes back to the same
/// tree, evaluates and plans without crashing) or fails with `invalidFilter` at an offset
/// inside the text. Seeds are fixed so that a failure repeats.
@Suite struct FilterFuzzTests {
    static let tokens = [
        "(", ")", "[", "]", "and", "or", "not", "AND", "Or", "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr",
        "userName", "emails", "emails.value", "name.familyName", "type", "value", "active", "meta.lastModified",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        #""x""#, #""Nguyễn""#, #""a\"b""#, #""\u00e9""#, #""\uD83D\uDE00""#, #""\q""#, #""open"#, "\"", "\\",
        "1", "-2.5e3", "0", "01", "1e999", "true", "false", "null", ".", ":", "$ref", "'", "=", ";", "--", "ễ", "\u{0}", "\t", "\n",
        #"userName eq "x""#, "title pr", #"emails[type eq "work"]"#, "active eq true", #"name.familyName co "Trần""#,
    ]

    static let alphabet = Array("()[]\"\\.:-_$ aeoqrtnpwslgdcu01259ENOTRAU\u{0}\t\nễ'=;".utf8)

    func check(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        do {
            let filter = try SCIMFilter.parse(text)
            let again = try? SCIMFilter.parse(filter.description)
            #expect(again == filter, "\(text) -> \(filter.description)", sourceLocation: sourceLocation)
            for user in SampleUsers.all {
                do { _ = try SCIMFilterEvaluator().matches(filter, user) } catch {
                    #expect(error.scimType == .invalidFilter, sourceLocation: sourceLocation)
                }
            }
            do { _ = try SCIMQueryPlanner().plan(filter) } catch {
                #expect(error.scimType == .invalidFilter, sourceLocation: sourceLocation)
            }
            return true
        } catch {
            #expect(error.scimType == .invalidFilter && error.status == 400, "\(text)", sourceLocation: sourceLocation)
            #expect(!error.detail.isEmpty, sourceLocation: sourceLocation)
            if let offset = error.offset {
                #expect((0...text.count).contains(offset), "\(text): offset \(offset)", sourceLocation: sourceLocation)
            }
        }
        do { _ = try SCIMPatchPath.parse(text) } catch {
            #expect(error.scimType == .invalidPath, sourceLocation: sourceLocation)
        }
        return false
    }

    @Test func randomBytes() {
        var rng = SeededGenerator(state: 7644)
        for round in 0..<3000 {
            let length = Int.random(in: 0...80, using: &rng)
            let bytes: [UInt8] = (0..<length).map { _ in
                round % 3 == 0 ? UInt8.random(in: 0...255, using: &rng) : Self.alphabet.randomElement(using: &rng)!
            }
            _ = check(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func randomTokenSoup() {
        var rng = SeededGenerator(state: 7643)
        var parsed = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 1...25, using: &rng)
            let text = (0..<count).map { _ in Self.tokens.randomElement(using: &rng)! }
                .joined(separator: Bool.random(using: &rng) ? " " : "")
            if check(text) { parsed += 1 }
        }
        #expect(parsed > 0)
    }

    @Test func grammaticalSoupParsesAndRoundTrips() {
        var rng = SeededGenerator(state: 2015)
        func expression(_ depth: Int) -> String {
            let paths = ["userName", "emails.value", "name.familyName", "active", "urn:ietf:params:scim:schemas:core:2.0:User:title"]
            let values = [#""Nguyễn""#, #""a\"b""#, "12", "-0.5", "true", "null", #""2024-01-01T00:00:00Z""#]
            switch depth > 3 ? 0 : Int.random(in: 0...5, using: &rng) {
            case 0: return "\(paths.randomElement(using: &rng)!) eq \(values.randomElement(using: &rng)!)"
            case 1: return "\(paths.randomElement(using: &rng)!) pr"
            case 2: return "\(expression(depth + 1)) and \(expression(depth + 1))"
            case 3: return "\(expression(depth + 1)) or \(expression(depth + 1))"
            case 4: return "not (\(expression(depth + 1)))"
            default: return #"emails[type eq "work" or \#(["value", "primary"].randomElement(using: &rng)!) pr]"#
            }
        }
        for _ in 0..<1000 {
            let text = expression(0)
            #expect(check(text), "\(text)")
        }
    }

    @Test func hostileNestingStopsAtTheLimit() {
        let roomy = SCIMFilterLimits(maxLength: 1_000_000, maxDepth: 32, maxComparisons: 100)
        for text in [String(repeating: "(", count: 200_000), String(repeating: "not (", count: 100_000),
                     String(repeating: "emails[", count: 100_000), String(repeating: "(", count: 100_000) + "a pr" + String(repeating: ")", count: 100_000)] {
            let error = scimError { () throws(SCIMError) in try SCIMFilter.parse(text, limits: roomy) }
            #expect(error?.detail.contains("nests deeper than 32 levels") == true || error?.detail.contains("cannot contain another") == true)
        }
        let long = String(repeating: "a pr and ", count: 100_000) + "a pr"
        #expect(scimError { () throws(SCIMError) in try SCIMFilter.parse(long, limits: roomy) }?.detail.hasPrefix("the filter has more than 100 comparisons") == true)
        #expect(scimError { () throws(SCIMError) in try SCIMFilter.parse(long) }?.detail == "the filter is 900004 bytes long; at most 4096 are accepted")
    }
}
