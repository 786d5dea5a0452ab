import GatehouseSCIM
import Testing

@Suite struct FilterGrammarTests {
    let a = Tree.cmp("a", .eq, 1)
    let b = Tree.cmp("b", .eq, 2)
    let c = Tree.cmp("c", .eq, 3)

    @Test func andBindsTighterThanOr() throws {
        #expect(try SCIMFilter.parse("a eq 1 or b eq 2 and c eq 3") == .or(a, .and(b, c)))
        #expect(try SCIMFilter.parse("a eq 1 and b eq 2 or c eq 3") == .or(.and(a, b), c))
    }

    @Test func sameOperatorsGroupFromTheLeft() throws {
        #expect(try SCIMFilter.parse("a eq 1 or b eq 2 or c eq 3") == .or(.or(a, b), c))
        #expect(try SCIMFilter.parse("a eq 1 and b eq 2 and c eq 3") == .and(.and(a, b), c))
    }

    @Test func parenthesesOverridePrecedence() throws {
        #expect(try SCIMFilter.parse("(a eq 1 or b eq 2) and c eq 3") == .and(.or(a, b), c))
        #expect(try SCIMFilter.parse("a eq 1 or (b eq 2 or c eq 3)") == .or(a, .or(b, c)))
        #expect(try SCIMFilter.parse("((a eq 1))") == a)
        #expect(try SCIMFilter.parse("((a eq 1 or (b eq 2)) and (c eq 3))") == .and(.or(a, b), c))
    }

    @Test func notTakesAParenthesisedFilter() throws {
        #expect(try SCIMFilter.parse("not (a pr)") == .not(Tree.pr("a")))
        #expect(try SCIMFilter.parse("not(a pr)") == .not(Tree.pr("a")))
        #expect(try SCIMFilter.parse("not (not (a pr))") == .not(.not(Tree.pr("a"))))
        #expect(try SCIMFilter.parse("not (a eq 1) and b eq 2") == .and(.not(a), b))
        #expect(try SCIMFilter.parse("b eq 2 or not (a eq 1 or c eq 3)") == .or(b, .not(.or(a, c))))
    }

    @Test func keywordsAndOperatorsAreCaseInsensitive() throws {
        #expect(try SCIMFilter.parse("a EQ 1 OR b Eq 2 AnD c eQ 3") == .or(a, .and(b, c)))
        #expect(try SCIMFilter.parse("NOT (title PR)") == .not(Tree.pr("title")))
        #expect(try SCIMFilter.parse("active eq TRUE") == Tree.cmp("active", .eq, true))
        #expect(try SCIMFilter.parse("manager eq Null") == Tree.cmp("manager", .eq, nil))
    }

    @Test func everyComparisonOperator() throws {
        for op in SCIMComparisonOperator.allCases {
            #expect(try SCIMFilter.parse(#"userName \#(op.rawValue) "x""#) == Tree.cmp("userName", op, "x"))
        }
    }

    @Test func valuesFollowJSON() throws {
        func value(_ literal: String) throws -> SCIMValue? {
            guard case .comparison(_, _, let v) = try SCIMFilter.parse("x eq \(literal)") else { return nil }
            return v
        }
        #expect(try value("true") == true)
        #expect(try value("false") == false)
        #expect(try value("null") == .some(.null))
        #expect(try value("0") == 0)
        #expect(try value("-42") == -42)
        #expect(try value("3.25") == 3.25)
        #expect(try value("-1.5e3") == -1500.0)
        #expect(try value("2E-2") == 0.02)
        #expect(try value("12345678901234567890") == .double(1.2345678901234567e19))
        #expect(try value(#""a\"b\\c\/d""#) == #"a"b\c/d"#)
        #expect(try value(#""\b\f\n\r\t""#) == "\u{08}\u{0C}\n\r\t")
        #expect(try value(#""Nguy\u1ec5n""#) == "Nguyễn")
        #expect(try value(#""\uD83D\uDE00""#) == "😀")
        #expect(try value(#""Nguyễn Văn An""#) == "Nguyễn Văn An")
        #expect(try value(#""""#) == "")
    }

    @Test func decomposedStringsAreStoredComposed() throws {
        let nfd = "Nguye\u{0302}\u{0303}n"
        guard case .comparison(_, _, .string(let s)) = try SCIMFilter.parse("x eq \"\(nfd)\"") else {
            Issue.record("not a comparison")
            return
        }
        #expect(Array(s.unicodeScalars) == Array("Nguy\u{1EC5}n".unicodeScalars))
    }

    @Test func whiteSpaceIsFlexibleBetweenTokens() throws {
        #expect(try SCIMFilter.parse("  a eq 1\n\tor\r\nb eq 2  ") == .or(a, b))
        #expect(try SCIMFilter.parse("( a eq 1 )") == a)
        #expect(try SCIMFilter.parse(#"emails[ type eq "work" ]"#) == .valuePath(Tree.path("emails"), Tree.cmp("type", .eq, "work")))
    }

    @Test func attributePathsAcceptDashUnderscoreAndRef() throws {
        #expect(try SCIMFilter.parse("x-y_z pr") == Tree.pr("x-y_z"))
        #expect(try SCIMFilter.parse(#"members.$ref eq "https://example.com/v2/Users/1""#)
            == Tree.cmp("members.$ref", .eq, "https://example.com/v2/Users/1"))
    }

    @Test func attributeNamesCompareCaseInsensitively() throws {
        #expect(try SCIMFilter.parse("USERNAME PR") == Tree.pr("userName"))
        #expect(SCIMAttributePath("Name.FamilyName") == SCIMAttributePath("name.familyName"))
        #expect(Set([SCIMAttributePath("userName"), SCIMAttributePath("USERNAME")]).count == 1)
    }

    @Test func valuePathInsideLogic() throws {
        let parsed = try SCIMFilter.parse(#"not (emails[type eq "work"]) and (members[value eq "1"] or title pr)"#)
        #expect(parsed == .and(
            .not(.valuePath(Tree.path("emails"), Tree.cmp("type", .eq, "work"))),
            .or(.valuePath(Tree.path("members"), Tree.cmp("value", .eq, "1")), Tree.pr("title"))))
    }

    @Test func parenthesesAndNotInsideValuePath() throws {
        let parsed = try SCIMFilter.parse(#"emails[not (type eq "home") and (value ew ".vn" or primary eq true)]"#)
        #expect(parsed == .valuePath(Tree.path("emails"), .and(
            .not(Tree.cmp("type", .eq, "home")),
            .or(Tree.cmp("value", .ew, ".vn"), Tree.cmp("primary", .eq, true)))))
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let depth = SCIMFilterLimits.default.maxDepth
        let text = String(repeating: "(", count: depth) + "a pr" + String(repeating: ")", count: depth)
        #expect(try SCIMFilter.parse(text) == Tree.pr("a"))
    }

    @Test func descriptionParenthesisesOnlyWhereNeeded() throws {
        #expect(SCIMFilter.or(a, .and(b, c)).description == "a eq 1 or b eq 2 and c eq 3")
        #expect(SCIMFilter.and(.or(a, b), c).description == "(a eq 1 or b eq 2) and c eq 3")
        #expect(SCIMFilter.or(a, .or(b, c)).description == "a eq 1 or (b eq 2 or c eq 3)")
        #expect(SCIMFilter.comparison(Tree.path("x"), .eq, "tab\there \"q\" \u{01}").description == #"x eq "tab\there \"q\" \u0001""#)
    }
}
