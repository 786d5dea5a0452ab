import Foundation
import GatehouseCore
import GatehousePasswords
import GatehousePolicy
@testable import GatehouseServer
import GatehouseStore
import Testing

/// Password guessing and credential stuffing against the login form, each rule attacked and
/// holding (``LoginThrottle``, `password.yaml` `lockout:` at its defaults).
@Suite("Brute force and credential stuffing")
struct ThrottleLoginTests {
    static let wrong = "sai mật khẩu rồi nhé"
    let policy = LockoutPolicy.defaults

    @Test("wrong passwords bring delays, then a lock; the right password is refused alike until the lock ends")
    func delaysThenLock() async throws {
        try await OIDCHarness.withServer { h, browser in
            let authorize = OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge)
            let user = OIDCHarness.User.official
            // The free failures.
            for _ in 0..<policy.freeFailures {
                let page = try await browser.openLogin(authorize)
                let reply = try await browser.submitLogin(page, username: user, password: Self.wrong)
                #expect(reply.status == .ok && reply.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            }
            // One more, then the right password at once: within the delay, refused as a wrong one.
            var page = try await browser.openLogin(authorize)
            let fourth = try await browser.submitLogin(page, username: user, password: Self.wrong)
            let early = try await browser.submitLogin(page, username: user, password: OIDCHarness.password)
            #expect(early.status == .ok && early.location == nil && browser.cookies["__Host-gh_session"] == nil)
            #expect(early.body == fourth.body, "the same page as a wrong password")
            #expect(try await h.failureReasons().suffix(2) == ["invalid_password", "throttled"])

            // Past each delay, more wrong passwords until the lock (the refused one counted too).
            for _ in (policy.freeFailures + 2)..<policy.lockAfter {
                h.clock.advance(by: policy.maxDelay + 1)
                page = try await browser.openLogin(authorize)
                _ = try await browser.submitLogin(page, username: user, password: Self.wrong)
            }
            h.clock.advance(by: policy.maxDelay + 1)
            page = try await browser.openLogin(authorize)
            let lockedWrong = try await browser.submitLogin(page, username: user, password: Self.wrong)
            let lockedRight = try await browser.submitLogin(page, username: user, password: OIDCHarness.password)
            #expect(lockedRight.status == lockedWrong.status && lockedRight.body == lockedWrong.body)
            #expect(lockedRight.location == nil && browser.cookies["__Host-gh_session"] == nil)
            // Ten minutes later still locked.
            h.clock.advance(by: 10 * 60)
            page = try await browser.openLogin(authorize)
            let stillLocked = try await browser.submitLogin(page, username: user, password: OIDCHarness.password)
            #expect(stillLocked.location == nil)
            #expect(try await h.failureReasons().suffix(2) == ["locked", "locked"])

            // Once the lock has run out, the right password works.
            h.clock.advance(by: policy.lockDuration)
            let done = try await browser.login(authorize)
            #expect(done.status == .seeOther && done.redirectParameters["code"] != nil)
            // The successful login cleared this network's count: a typo now costs no delay.
            let again = Browser(client: browser.client)
            page = try await again.openLogin(authorize)
            _ = try await again.submitLogin(page, username: user, password: Self.wrong)
            #expect(try await again.login(authorize).redirectParameters["code"] != nil)
        }
    }

    @Test("changing the username's case or Unicode form does not get round a lock")
    func caseAndUnicodeVariants() async throws {
        try await OIDCHarness.withServer { h, _ in
            let ip = "198.51.100.20"
            await h.lockForNetwork(OIDCHarness.User.official, from: ip)
            for variant in ["NGUYEN.VAN.A", "Nguyen.Van.A", "nguyen.van.A"] {
                #expect(await !h.tryLogin(variant, OIDCHarness.password, from: ip), "\(variant)")
            }
            // A Vietnamese username: locked in NFC lowercase, tried in NFD and upper case.
            let unit = try await h.store.read { try $0.unit(path: try UnitPath("/hue")) }
            let hash = try await h.passwords.hash(OIDCHarness.password)
            let name = "trần.thị.ánh"
            try await h.store.write { [now = h.clock.now()] tx in
                try tx.insertAccount(Account(id: UUID(), username: try Username(name), displayName: "Trần Thị Ánh", email: nil,
                                             unitID: unit.id, status: .active, passwordHash: hash, createdAt: now))
            }
            #expect(await h.tryLogin(name.uppercased().decomposedStringWithCanonicalMapping, OIDCHarness.password, from: ip),
                    "the variants reach the same account")
            await h.lockForNetwork(name, from: ip)
            for variant in [name.decomposedStringWithCanonicalMapping, name.uppercased(), "Trần.Thị.Ánh".decomposedStringWithCanonicalMapping] {
                #expect(await !h.tryLogin(variant, OIDCHarness.password, from: ip), "\(variant.unicodeScalars.count) scalars")
            }
            #expect(try await h.failureReasons().suffix(3) == ["locked", "locked", "locked"])
        }
    }

    @Test("credential stuffing over 1,000 accounts from one address is cut off, and the leaked password is never let in")
    func stuffingFromOneAddress() async throws {
        try await OIDCHarness.withServer { h, browser in
            let hash = try await h.passwords.hash(OIDCHarness.password)
            let accounts = try await h.insertAccounts(prefix: "stuffed", count: 1_000, passwordHash: hash)
            // The attacker's list has the right password for some accounts, past the limit.
            let leaked = Set([40, 500, 999])
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            var statuses: Set<Int> = []
            for (i, account) in accounts.enumerated() {
                let reply = try await browser.submitLogin(page, username: account.username.value,
                                                          password: leaked.contains(i) ? OIDCHarness.password : Self.wrong)
                statuses.insert(Int(reply.status.code))
                #expect(reply.location == nil, "attempt \(i) let in")
            }
            #expect(statuses == [200], "one answer for all")
            #expect(browser.cookies["__Host-gh_session"] == nil)
            let reasons = try await h.failureReasons()
            #expect(reasons.count == 1_000)
            #expect(reasons.prefix(policy.addressLimit).allSatisfy { $0 == "invalid_password" })
            #expect(reasons.dropFirst(policy.addressLimit).allSatisfy { $0 == "throttled" })
            // Another network is not held back: an owner logs in.
            #expect(await h.tryLogin(accounts[500].username.value, OIDCHarness.password, from: "198.51.100.30"))
        }
    }

    @Test("stuffing that rotates through the addresses of one network is cut off at the network's limit (IPv4 /24, IPv6 /64)")
    func stuffingAcrossANetwork() async throws {
        try await OIDCHarness.withServer { h, _ in
            let hash = try await h.passwords.hash(OIDCHarness.password)
            let accounts = try await h.insertAccounts(prefix: "rotated", count: 300, passwordHash: hash)
            // A new address for each attempt, so no address comes near its own limit.
            for (i, account) in accounts.prefix(150).enumerated() {
                #expect(await !h.tryLogin(account.username.value, Self.wrong, from: "203.0.113.\(i + 1)"))
            }
            #expect(try await h.failureReasons().filter { $0 == "throttled" }.count == 150 - policy.networkLimit)
            #expect(await !h.tryLogin(accounts[0].username.value, OIDCHarness.password, from: "203.0.113.251"), "a fresh address of the blocked /24")
            #expect(await h.tryLogin(accounts[0].username.value, OIDCHarness.password, from: "203.0.114.1"), "the next /24 is another network")

            for (i, account) in accounts[150...].enumerated() {
                #expect(await !h.tryLogin(account.username.value, Self.wrong, from: "2001:db8:7:9:\(String(i, radix: 16)):1:2:3"))
            }
            #expect(await !h.tryLogin(accounts[150].username.value, OIDCHarness.password, from: "2001:DB8:7:9:ffff::2"), "a fresh address of the blocked /64")
            #expect(await h.tryLogin(accounts[150].username.value, OIDCHarness.password, from: "2001:db8:7:a::1"), "the next /64 is another network")
        }
    }

    @Test("the owner's successful login does not wipe what an attacker built up from other networks")
    func ownerSuccessKeepsAttackerCounts() async throws {
        try await OIDCHarness.withServer { h, _ in
            let user = OIDCHarness.User.official
            let owner = "10.20.30.40"
            // An attacker locks the account for their network; the owner, elsewhere, still logs in.
            await h.lockForNetwork(user, from: "198.51.100.9")
            #expect(await h.tryLogin(user, OIDCHarness.password, from: owner))
            // The owner's success did not unlock the attacker's network.
            h.clock.advance(by: policy.maxDelay + 1)
            #expect(await !h.tryLogin(user, OIDCHarness.password, from: "198.51.100.9"))
            // Guessing spread over more networks, the owner logging in between: the account-wide
            // count keeps growing and locks the account everywhere at `account_lock_after`.
            var network = 0
            var failures = policy.lockAfter + 1
            while failures < policy.accountLockAfter {
                network += 1
                for _ in 0..<min(policy.freeFailures, policy.accountLockAfter - failures) {
                    #expect(await !h.tryLogin(user, ThrottleLoginTests.wrong, from: "192.0.\(network).1"))
                    failures += 1
                }
                #expect(await h.tryLogin(user, OIDCHarness.password, from: owner) == (failures < policy.accountLockAfter),
                        "the owner logs in until the account-wide lock, after \(failures) failures")
            }
            #expect(await !h.tryLogin(user, OIDCHarness.password, from: "192.0.2.200"), "locked everywhere")
            let last = try await h.failureReasons().last
            #expect(last == "locked")
            // And the lock ends.
            h.clock.advance(by: policy.lockDuration + 1)
            #expect(await h.tryLogin(user, OIDCHarness.password, from: owner))
        }
    }

    @Test("a locked account, an unknown one and a wrong password take about the same time")
    func timing() async throws {
        try await OIDCHarness.withServer { h, _ in
            // Argon2id heavy enough to dominate, as in production; no source limit in the way.
            let passwords = try PasswordService(parameters: Argon2Parameters(memoryKiB: 8_192, iterations: 2, parallelism: 1), threads: 2, maxQueued: 64)
            defer { passwords.shutdown() }
            var lockout = LockoutPolicy.defaults
            lockout.addressLimit = 1_000
            lockout.networkLimit = 1_000
            let services = OIDCServices(engine: h.services.engine, passwords: passwords, passwordPolicy: .defaults,
                                        logoutNotifier: h.notifier, lockout: lockout)
            let hash = try await passwords.hash(OIDCHarness.password)
            let accounts = try await h.insertAccounts(prefix: "timed", count: 2, passwordHash: hash)
            let locked = accounts[0].username.value, wrong = accounts[1].username.value
            for _ in 0..<lockout.lockAfter {
                h.clock.advance(by: lockout.maxDelay + 1)
                _ = await h.tryLogin(locked, ThrottleLoginTests.wrong, from: "198.51.100.50", services: services)
            }
            func time(_ username: String, _ password: String, from ip: String) async -> Duration {
                let start = ContinuousClock.now
                _ = await h.tryLogin(username, password, from: ip, services: services)
                return ContinuousClock.now - start
            }
            var samples: [String: [Duration]] = [:]
            for i in 0..<15 {
                // Interleaved, so load from other work on the machine falls on all three alike.
                samples["locked", default: []].append(await time(locked, OIDCHarness.password, from: "198.51.100.50"))
                samples["unknown", default: []].append(await time("khong.ton.tai.\(i)", OIDCHarness.password, from: "198.51.100.51"))
                samples["wrong", default: []].append(await time(wrong, ThrottleLoginTests.wrong, from: "198.51.\(i).52"))
            }
            let medians = samples.mapValues { $0.sorted()[$0.count / 2] }
            let slowest = try #require(medians.values.max()), fastest = try #require(medians.values.min())
            // Generous: a path that skipped the hash would take well under half of the others.
            #expect(fastest * 10 >= slowest * 6, "medians \(medians)")
            #expect(try await h.failureReasons().suffix(3).contains("locked"))
        }
    }
}
