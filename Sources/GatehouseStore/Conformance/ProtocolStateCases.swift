import Foundation
import GatehouseCore

/// Authorization codes, SSO sessions, refresh-token families and consents.
enum ProtocolStateCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("codes.crud-and-expiry", codes),
        ConformanceCase("codes.consumed-twice-conflict", codeReplay),
        ConformanceCase("sessions.crud-and-expiry", sessions),
        ConformanceCase("sessions.revoke-by-account", revokeSessions),
        ConformanceCase("refresh-families.crud", families),
        ConformanceCase("refresh-families.revoke-by-session-and-account", revokeFamilies),
        ConformanceCase("consents.upsert-and-delete", consents),
    ]

    /// An account, a client and a session to hang protocol state on.
    struct Party {
        let account: Account
        let other: Account
        let client: Client
        let session: SSOSession

        static func create(in store: any Store, clock: ManualClock) async throws -> Party {
            let root = try await store.read { try $0.unit(path: .root) }
            let account = Fixture.account("holder", unit: root, clock: clock)
            let other = Fixture.account("bystander", unit: root, clock: clock)
            let client = Fixture.client("portal", clock: clock)
            let session = Fixture.session("cookie-1", account: account, clock: clock)
            try await store.write { tx in
                try tx.insertAccount(account)
                try tx.insertAccount(other)
                try tx.insertClient(client)
                try tx.insertSession(session)
            }
            return Party(account: account, other: other, client: client, session: session)
        }
    }

    static func codes(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        let code = Fixture.code("code-1", client: p.client, account: p.account, session: p.session, clock: clock)
        var bare = Fixture.code("code-2", client: p.client, account: p.account, session: p.session, clock: clock)
        bare.nonce = nil
        bare.amr = []
        bare.expiresAt = clock.now() + 600
        try await store.write { [bare] tx in
            try tx.insertAuthorizationCode(code)
            try tx.insertAuthorizationCode(bare)
        }
        try checkEqual(try await store.read { try $0.authorizationCode(hash: code.codeHash) }, code, "code by hash")
        try checkEqual(try await store.read { [bare] in try $0.authorizationCode(hash: bare.codeHash) }, bare, "code without optional fields")
        try await expectError(.alreadyExists, "same code hash") { try await store.write { try $0.insertAuthorizationCode(code) } }
        var orphan = Fixture.code("code-3", client: p.client, account: p.account, session: p.session, clock: clock)
        orphan.clientID = "no-such-client"
        try await expectError(.invalid, "code for a missing client") { try await store.write { [orphan] in try $0.insertAuthorizationCode(orphan) } }
        let e = try await expectError(.notFound, "unknown code") { try await store.read { try $0.authorizationCode(hash: Fixture.hash("nope")) } }
        try checkMentions(e, "authorization code")

        clock.advance(by: 61)
        let deleted = try await store.write { try $0.deleteExpiredAuthorizationCodes(before: clock.now()) }
        try checkEqual(deleted, 1, "expired codes deleted")
        try await expectError(.notFound, "expired code gone") { try await store.read { try $0.authorizationCode(hash: code.codeHash) } }
        try checkEqual(try await store.read { [bare] in try $0.authorizationCode(hash: bare.codeHash) }, bare, "live code kept")
    }

    static func codeReplay(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        let code = Fixture.code("code-1", client: p.client, account: p.account, session: p.session, clock: clock)
        try await store.write { try $0.insertAuthorizationCode(code) }
        clock.advance(by: 2)
        let consumed = try await store.write { try $0.consumeAuthorizationCode(hash: code.codeHash, at: clock.now()) }
        var expected = code
        expected.consumedAt = clock.now()
        try checkEqual(consumed, expected, "first redemption returns the code, consumed")
        clock.advance(by: 1)
        let e = try await expectError(.conflict, "second redemption") { try await store.write { try $0.consumeAuthorizationCode(hash: code.codeHash, at: clock.now()) } }
        try checkMentions(e, "authorization code")
        try checkEqual(try await store.read { try $0.authorizationCode(hash: code.codeHash) }.consumedAt, expected.consumedAt, "first consumption time kept")
        try await expectError(.notFound, "unknown code") { try await store.write { try $0.consumeAuthorizationCode(hash: Fixture.hash("nope"), at: clock.now()) } }
    }

    static func sessions(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        try checkEqual(try await store.read { try $0.session(idHash: p.session.idHash) }, p.session, "session by id hash")
        try await expectError(.alreadyExists, "same session id") { try await store.write { try $0.insertSession(p.session) } }
        var short = Fixture.session("cookie-2", account: p.account, clock: clock, lifetime: 60)
        short.acr = nil
        short.amr = []
        short.clients = []
        try await store.write { [short] in try $0.insertSession(short) }
        try checkEqual(try await store.read { try $0.sessions(accountID: p.account.id) }.count, 2, "sessions of the account")

        clock.advance(by: 30)
        var touched = p.session
        touched.lastSeenAt = clock.now()
        touched.clients.insert("mail")
        touched.amr.append("hwk")
        try await store.write { [touched] in try $0.updateSession(touched) }
        try checkEqual(try await store.read { try $0.session(idHash: p.session.idHash) }, touched, "session after update")
        var ghost = touched
        ghost.idHash = Fixture.hash("ghost")
        try await expectError(.notFound, "update of a missing session") { try await store.write { [ghost] in try $0.updateSession(ghost) } }
        var orphan = Fixture.session("cookie-3", account: p.account, clock: clock)
        orphan.accountID = UUID()
        try await expectError(.invalid, "session of a missing account") { try await store.write { [orphan] in try $0.insertSession(orphan) } }

        clock.advance(by: 31)
        try checkEqual(try await store.write { try $0.deleteExpiredSessions(before: clock.now()) }, 1, "one expired session deleted")
        try checkEqual(try await store.read { try $0.sessions(accountID: p.account.id) }, [touched], "live session kept")
        let e = try await expectError(.notFound, "deleted session") { try await store.read { [short] in try $0.session(idHash: short.idHash) } }
        try checkMentions(e, "session")
    }

    static func revokeSessions(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        clock.advance(by: 1)
        let second = Fixture.session("cookie-2", account: p.account, clock: clock)
        let expired = Fixture.session("cookie-3", account: p.account, clock: clock, lifetime: 5)
        let others = Fixture.session("cookie-4", account: p.other, clock: clock)
        try await store.write { tx in
            try tx.insertSession(second)
            try tx.insertSession(expired)
            try tx.insertSession(others)
        }
        clock.advance(by: 10)
        let revokedAt = clock.now()
        let revoked = try await store.write { try $0.revokeSessions(accountID: p.account.id, at: revokedAt) }
        var expected = [p.session, second]
        for i in expected.indices { expected[i].revokedAt = revokedAt }
        try checkEqual(Set(revoked), Set(expected), "live sessions revoked and returned")
        try checkEqual(try await store.read { try $0.session(idHash: p.session.idHash) }.revokedAt, revokedAt, "revocation stored")
        try checkEqual(try await store.read { try $0.session(idHash: expired.idHash) }.revokedAt, nil, "expired session left alone")
        try checkEqual(try await store.read { try $0.session(idHash: others.idHash) }.revokedAt, nil, "other account's session left alone")
        clock.advance(by: 1)
        try checkEqual(try await store.write { try $0.revokeSessions(accountID: p.account.id, at: clock.now()) }, [], "nothing left to revoke")
        try checkEqual(try await store.read { try $0.session(idHash: second.idHash) }.revokedAt, revokedAt, "first revocation time kept")
    }

    static func families(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        let family = Fixture.family(client: p.client, account: p.account, session: p.session, clock: clock)
        let detached = Fixture.family(client: p.client, account: p.account, session: nil, clock: clock)
        try await store.write { tx in
            try tx.insertRefreshFamily(family)
            try tx.insertRefreshFamily(detached)
        }
        try checkEqual(try await store.read { try $0.refreshFamily(id: family.id) }, family, "family by id")
        try checkEqual(try await store.read { try $0.refreshFamily(id: detached.id) }, detached, "family without a session")
        try await expectError(.alreadyExists, "same family id") { try await store.write { try $0.insertRefreshFamily(family) } }

        clock.advance(by: 60)
        var rotated = family
        rotated.currentTokenHash = Fixture.hash("next")
        rotated.generation += 1
        try await store.write { [rotated] in try $0.updateRefreshFamily(rotated) }
        try checkEqual(try await store.read { try $0.refreshFamily(id: family.id) }, rotated, "family after rotation")
        var ghost = rotated
        ghost.id = UUID()
        try await expectError(.notFound, "update of a missing family") { try await store.write { [ghost] in try $0.updateRefreshFamily(ghost) } }
        let e = try await expectError(.notFound, "missing family") { try await store.read { [ghost] in try $0.refreshFamily(id: ghost.id) } }
        try checkMentions(e, "refresh")
        var orphan = Fixture.family(client: p.client, account: p.account, session: nil, clock: clock)
        orphan.clientID = "no-such-client"
        try await expectError(.invalid, "family of a missing client") { try await store.write { [orphan] in try $0.insertRefreshFamily(orphan) } }
    }

    static func revokeFamilies(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        let otherSession = Fixture.session("cookie-2", account: p.account, clock: clock)
        let a = Fixture.family(client: p.client, account: p.account, session: p.session, clock: clock)
        let b = Fixture.family(client: p.client, account: p.account, session: p.session, clock: clock)
        let c = Fixture.family(client: p.client, account: p.account, session: otherSession, clock: clock)
        let d = Fixture.family(client: p.client, account: p.other, session: nil, clock: clock)
        let e = Fixture.family(client: p.client, account: p.account, session: nil, clock: clock)
        try await store.write { tx in
            try tx.insertSession(otherSession)
            for f in [a, b, c, d, e] { try tx.insertRefreshFamily(f) }
        }
        clock.advance(by: 5)
        let t1 = clock.now()
        try checkEqual(Set(try await store.write { try $0.revokeRefreshFamilies(sessionID: p.session.idHash, at: t1) }), [a.id, b.id], "families of the session")
        try checkEqual(try await store.read { try $0.refreshFamily(id: a.id) }.revokedAt, t1, "a revoked")
        try checkEqual(try await store.read { try $0.refreshFamily(id: b.id) }.revokedAt, t1, "b revoked")
        try checkEqual(try await store.read { try $0.refreshFamily(id: c.id) }.revokedAt, nil, "other session's family live")
        try checkEqual(try await store.write { try $0.revokeRefreshFamilies(sessionID: p.session.idHash, at: t1) }, [], "revoking again changes nothing")
        clock.advance(by: 5)
        let t2 = clock.now()
        try checkEqual(Set(try await store.write { try $0.revokeRefreshFamilies(accountID: p.account.id, at: t2) }), [c.id, e.id], "remaining live families of the account")
        try checkEqual(try await store.read { try $0.refreshFamily(id: a.id) }.revokedAt, t1, "first revocation kept")
        try checkEqual(try await store.read { try $0.refreshFamily(id: e.id) }.revokedAt, t2, "detached family revoked by account")
        try checkEqual(try await store.read { try $0.refreshFamily(id: d.id) }.revokedAt, nil, "other account's family live")
    }

    static func consents(store: any Store, clock: ManualClock) async throws {
        let p = try await Party.create(in: store, clock: clock)
        let consent = Consent(accountID: p.account.id, clientID: p.client.id, scopes: ["openid", "profile"], grantedAt: clock.now())
        try await store.write { try $0.upsertConsent(consent) }
        try checkEqual(try await store.read { try $0.consent(accountID: p.account.id, clientID: p.client.id) }, consent, "consent")
        clock.advance(by: 100)
        let wider = Consent(accountID: p.account.id, clientID: p.client.id, scopes: ["openid", "profile", "email"], grantedAt: clock.now())
        try await store.write { try $0.upsertConsent(wider) }
        try checkEqual(try await store.read { try $0.consent(accountID: p.account.id, clientID: p.client.id) }, wider, "consent replaced")
        let missing = try await expectError(.notFound, "no consent for the other account") {
            try await store.read { try $0.consent(accountID: p.other.id, clientID: p.client.id) }
        }
        try checkMentions(missing, "consent")
        let orphan = Consent(accountID: p.account.id, clientID: "no-such-client", scopes: [], grantedAt: clock.now())
        try await expectError(.invalid, "consent for a missing client") { try await store.write { try $0.upsertConsent(orphan) } }
        try await store.write { try $0.deleteConsent(accountID: p.account.id, clientID: p.client.id) }
        try await expectError(.notFound, "deleted consent") { try await store.read { try $0.consent(accountID: p.account.id, clientID: p.client.id) } }
        try await expectError(.notFound, "delete twice") { try await store.write { try $0.deleteConsent(accountID: p.account.id, clientID: p.client.id) } }
    }
}
