import Foundation
import GatehouseCore

/// Client-assertion `jti`s (RFC 7523 §3 item 7) and revoked access-token `jti`s (RFC 7009).
enum ReplayCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("client-assertions.replay-refused-until-expiry", assertionReplay),
        ConformanceCase("client-assertions.replay-keeps-transaction", assertionReplayKeepsTransaction),
        ConformanceCase("client-assertions.purge-and-cascade", assertionPurge),
        ConformanceCase("access-token-revocations.revoke-and-purge", accessTokenRevocations),
    ]

    static func clients(_ store: any Store, clock: ManualClock) async throws -> (Client, Client) {
        let a = Fixture.client("portal", clock: clock), b = Fixture.client("mail", clock: clock)
        try await store.write { tx in
            try tx.insertClient(a)
            try tx.insertClient(b)
        }
        return (a, b)
    }

    static func assertionReplay(store: any Store, clock: ManualClock) async throws {
        let (a, b) = try await clients(store, clock: clock)
        let expiry = clock.now() + 120
        let first = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: expiry, at: clock.now()) }
        try check(first, "a new jti is recorded")
        clock.advance(by: 30)
        let again = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: expiry + 30, at: clock.now()) }
        try check(!again, "the same jti from the same client is a replay")
        let otherClient = try await store.write { try $0.recordClientAssertion(clientID: b.id, jti: "j-1", expiresAt: expiry, at: clock.now()) }
        try check(otherClient, "jti is unique per client: another client may use the same value")
        let otherJTI = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "j-2", expiresAt: expiry, at: clock.now()) }
        try check(otherJTI, "another jti of the same client")
        clock.set(expiry)
        let afterExpiry = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: expiry + 120, at: clock.now()) }
        try check(afterExpiry, "once the record has expired the jti may be recorded again")
        let replayOfNew = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: expiry + 240, at: clock.now()) }
        try check(!replayOfNew, "and is then guarded until its new expiry")
        try await expectError(.invalid, "assertion of a missing client") {
            try await store.write { try $0.recordClientAssertion(clientID: "no-such-client", jti: "j-1", expiresAt: expiry, at: clock.now()) }
        }
    }

    static func assertionReplayKeepsTransaction(store: any Store, clock: ManualClock) async throws {
        let (a, _) = try await clients(store, clock: clock)
        try await store.write { _ = try $0.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: clock.now() + 60, at: clock.now()) }
        let event = try await store.write { tx in
            let fresh = try tx.recordClientAssertion(clientID: a.id, jti: "j-1", expiresAt: clock.now() + 60, at: clock.now())
            try check(!fresh, "replay inside a transaction")
            return try tx.appendAudit(Fixture.audit("client.auth.failure", clock: clock))
        }
        try checkEqual(try await store.read { try $0.lastAuditEvent() }, Optional(event), "the audit event written after the replay is kept")
    }

    static func assertionPurge(store: any Store, clock: ManualClock) async throws {
        let (a, b) = try await clients(store, clock: clock)
        try await store.write { tx in
            _ = try tx.recordClientAssertion(clientID: a.id, jti: "short", expiresAt: clock.now() + 10, at: clock.now())
            _ = try tx.recordClientAssertion(clientID: a.id, jti: "long", expiresAt: clock.now() + 100, at: clock.now())
            _ = try tx.recordClientAssertion(clientID: b.id, jti: "other", expiresAt: clock.now() + 100, at: clock.now())
        }
        clock.advance(by: 11)
        try checkEqual(try await store.write { try $0.deleteExpiredClientAssertions(before: clock.now()) }, 1, "expired assertion records deleted")
        let long = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "long", expiresAt: clock.now() + 100, at: clock.now()) }
        try check(!long, "live record kept")
        try await store.write { try $0.deleteClient(id: a.id) }
        let recreated = Fixture.client("portal", clock: clock)
        try await store.write { try $0.insertClient(recreated) }
        let fresh = try await store.write { try $0.recordClientAssertion(clientID: a.id, jti: "long", expiresAt: clock.now() + 100, at: clock.now()) }
        try check(fresh, "records go with their client")
        let other = try await store.write { try $0.recordClientAssertion(clientID: b.id, jti: "other", expiresAt: clock.now() + 100, at: clock.now()) }
        try check(!other, "another client's records stay")
    }

    static func accessTokenRevocations(store: any Store, clock: ManualClock) async throws {
        try check(!(try await store.read { try $0.isAccessTokenRevoked(jti: "at-1") }), "unknown jti is not revoked")
        try await store.write { try $0.revokeAccessToken(jti: "at-1", expiresAt: clock.now() + 300) }
        try await store.write { try $0.revokeAccessToken(jti: "at-2", expiresAt: clock.now() + 60) }
        try check(try await store.read { try $0.isAccessTokenRevoked(jti: "at-1") }, "revoked jti")
        try await store.write { try $0.revokeAccessToken(jti: "at-1", expiresAt: clock.now() + 30) }
        clock.advance(by: 61)
        try checkEqual(try await store.write { try $0.deleteExpiredAccessTokenRevocations(before: clock.now()) }, 1, "expired revocations deleted")
        try check(!(try await store.read { try $0.isAccessTokenRevoked(jti: "at-2") }), "purged revocation")
        try check(try await store.read { try $0.isAccessTokenRevoked(jti: "at-1") }, "revoking again kept the later expiry")
    }
}
