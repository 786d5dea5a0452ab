import Foundation
import GatehousePolicy
import Testing

@Suite struct LockoutPolicyTests {
    @Test func shippedFileSpellsOutTheDefaults() throws {
        let set = try PolicySet.load(directory: shippedPolicies)
        #expect(set.password.lockout == .defaults)
        #expect(set.password.clientRateLimit == .defaults)
        #expect(PolicySet.defaults.password.lockout == .defaults)
    }

    @Test func sectionsLoad() throws {
        let set = try PolicySet.parse(["password.yaml": """
            lockout:
              free_failures: 5
              first_delay: 2s
              max_delay: 5m
              lock_after: 20
              lock_duration: 1h
              account_lock_after: 80
              address_limit: 40
              network_limit: 400
              source_block: 30m
              window: 2h
            client_rate_limit:
              per_second: 10
              burst: 30
            """])
        #expect(set.password.lockout == LockoutPolicy(
            freeFailures: 5, firstDelay: 2, maxDelay: 300, lockAfter: 20, lockDuration: 3600, accountLockAfter: 80,
            addressLimit: 40, networkLimit: 400, sourceBlock: 1800, window: 7200))
        #expect(set.password.clientRateLimit == ClientRateLimitPolicy(perSecond: 10, burst: 30))
        let partial = try PolicySet.parse(["password.yaml": "lockout:\n  lock_after: 5\n"])
        var expected = LockoutPolicy.defaults
        expected.lockAfter = 5
        #expect(partial.password.lockout == expected, "keys left out keep their defaults")
    }

    @Test func inconsistentOrOutOfRangeValuesAreErrors() {
        func messages(_ text: String) -> [String] { issues(["password.yaml": text]).map(\.message) }
        #expect(messages("lockout:\n  lock_after: 101\n").contains { $0.contains("'lock_after' is 101") }, "NIST: at most 100")
        #expect(messages("lockout:\n  free_failures: 10\n  lock_after: 10\n").contains { $0.contains("must be below lock_after") })
        #expect(messages("lockout:\n  first_delay: 2m\n  max_delay: 1m\n").contains { $0.contains("exceeds max_delay") })
        #expect(messages("lockout:\n  account_lock_after: 5\n").contains { $0.contains("account_lock_after (5) is below lock_after (10)") })
        #expect(messages("lockout:\n  network_limit: 10\n").contains { $0.contains("network_limit (10) is below address_limit (30)") })
        #expect(messages("lockout:\n  lock_duration: 10s\n").contains { $0.contains("'lock_duration'") })
        #expect(messages("lockout:\n  lock_afer: 5\n").contains { $0.contains("did you mean 'lock_after'") })
        #expect(messages("client_rate_limit:\n  burst: 0\n").contains { $0.contains("'burst' is 0") })
        let located = issues(["password.yaml": "min_length: 12\nlockout:\n  max_delay: 1x\n"])
        #expect(located.first?.line == 3, "the issue points at the value")
    }
}
