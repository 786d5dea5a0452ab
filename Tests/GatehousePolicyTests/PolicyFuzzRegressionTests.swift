import GatehousePolicy
import Testing

/// Inputs for the `policy` fuzz target (Fuzz/Targets/policy.swift) that crashed the loader.
@Suite struct PolicyFuzzRegressionTests {
    /// A whole number written in YAML 1.1 base 60 with eleven parts: Yams multiplies the place
    /// value by 60 past `Int.max` and traps. The loader refused nothing before reaching it.
    static let base60Overflow: [UInt8] = Array("min_length: 1:0:0:0:0:0:0:0:0:0:0\n".utf8)

    func issues(_ name: String, _ bytes: [UInt8]) -> [PolicyIssue] {
        do {
            _ = try PolicySet.parse([name: String(decoding: bytes, as: UTF8.self)])
            return []
        } catch {
            return error.issues
        }
    }

    @Test func base60NumberOverflowingIntIsAnIssueNotATrap() throws {
        let found = issues("password.yaml", Self.base60Overflow)
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.line == 1 && issue.column == 13)
        #expect(issue.message == "'min_length' must be a whole number, found '1:0:0:0:0:0:0:0:0:0:0'")
    }

    @Test func base60NumbersAreRefusedInEveryWholeNumberField() {
        let text = "argon2id:\n  memory_kib: 5:24:16\n  iterations: 0:2\n  parallelism: 1:0:0:0:0:0:0:0:0:0:0:0\nmax_length: 2:8\nexpiry_days: 1:0\n"
        let messages = issues("password.yaml", Array(text.utf8)).map(\.message)
        #expect(messages.count == 5)
        #expect(messages.allSatisfy { $0.contains("must be a whole number") })
    }
}
