import Foundation
import GatehouseServer
import Testing

@Suite struct BackchannelRetryPolicyTests {
    let policy = BackchannelRetryPolicy()

    @Test func delaysDoubleFromFiveSecondsUpToTenMinutes() {
        let delays = (1...10).map { policy.delay(afterAttempt: $0, random: 0) }
        #expect(delays == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600])
        #expect(policy.delay(afterAttempt: 1_000, random: 0) == 600)
        #expect(policy.delay(afterAttempt: 0, random: 0) == 5)
    }

    @Test func jitterOnlyShortensUpToItsShare() {
        #expect(policy.delay(afterAttempt: 3, random: 0) == 20)
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == 18)
        #expect(abs(policy.delay(afterAttempt: 3, random: 0.999_999) - 16) < 0.001)
        #expect(policy.delay(afterAttempt: 8, random: 1) == 480)
        #expect(policy.delay(afterAttempt: 3, random: 7) == 16, "random is clamped to 0...1")
        let noJitter = BackchannelRetryPolicy(jitter: 0)
        #expect(noJitter.delay(afterAttempt: 2, random: 0.9) == 10)
    }

    @Test func nextAttemptUntilTheLimitOrTheExpiry() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let far = start + 86400
        #expect(policy.nextAttempt(afterAttempt: 1, failedAt: start, expiresAt: far, random: 0) == start + 5)
        #expect(policy.nextAttempt(afterAttempt: 19, failedAt: start, expiresAt: far, random: 0) == start + 600)
        #expect(policy.nextAttempt(afterAttempt: 20, failedAt: start, expiresAt: far, random: 0) == nil, "20 attempts by default")
        #expect(policy.nextAttempt(afterAttempt: 4, failedAt: start, expiresAt: start + 40, random: 0) == nil, "the next try would come at the expiry")
        #expect(policy.nextAttempt(afterAttempt: 4, failedAt: start, expiresAt: start + 40.001, random: 0) == start + 40)
        let three = BackchannelRetryPolicy(maximumAttempts: 3)
        #expect(three.nextAttempt(afterAttempt: 2, failedAt: start, expiresAt: far, random: 0) == start + 10)
        #expect(three.nextAttempt(afterAttempt: 3, failedAt: start, expiresAt: far, random: 0) == nil)
    }

    @Test func expiryIsTheTokenExpiryOrTheMaximumAge() {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(policy.expiry(createdAt: created, tokenExpiry: created + 120) == created + 120)
        #expect(policy.expiry(createdAt: created, tokenExpiry: created + 3 * 86400) == created + 86400)
        #expect(policy.expiry(createdAt: created, tokenExpiry: nil) == created + 86400)
    }

    @Test func fullScheduleFitsTheDefaults() {
        // 5+10+20+40+80+160+320 then 600 s for the remaining 12 waits: about 2 h 10 min.
        let total = (1..<policy.maximumAttempts).map { policy.delay(afterAttempt: $0, random: 0) }.reduce(0, +)
        #expect(total == 635 + 12 * 600)
    }

    @Test func settingsAreClampedToUsableValues() {
        let odd = BackchannelRetryPolicy(initialDelay: -1, maximumDelay: -5, maximumAttempts: 0, maximumAge: -1, jitter: 3)
        #expect(odd.initialDelay == 0 && odd.maximumDelay == 0 && odd.maximumAttempts == 1 && odd.maximumAge == 0 && odd.jitter == 1)
    }
}
