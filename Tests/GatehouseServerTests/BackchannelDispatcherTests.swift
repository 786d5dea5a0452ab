import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer
import GatehouseStore
import Testing

/// Back-channel logout delivery against real HTTP receivers on loopback and a SQLite store.
@Suite struct BackchannelDispatcherTests {
    @Test func deliversTheTokenAsAFormPostAndRecordsIt() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("portal", .statuses([200]))
        receiver.set("mail", .statuses([204]))
        try await receiver.listen { base in
            try await harness.addClient("portal", uri: "\(base)/bc/portal")
            try await harness.addClient("mail", uri: "\(base)/bc/mail")
            let portal = try harness.logout("portal", uri: "\(base)/bc/portal")
            let mail = try harness.logout("mail", uri: "\(base)/bc/mail")
            let dispatcher = harness.dispatcher()
            try await running([dispatcher]) {
                await dispatcher.notify([portal, mail])
                try await eventually("both delivered") { try await harness.deliveries().allSatisfy { $0.status == .delivered } }
            }
            let hit = try #require(receiver.hits("portal").first)
            #expect(receiver.hits("portal").count == 1)
            #expect(hit.contentType == "application/x-www-form-urlencoded")
            #expect(hit.body == "logout_token=\(portal.logoutToken)")
            #expect(receiver.hits("mail").map(\.body) == ["logout_token=\(mail.logoutToken)"], "204 counts as delivered too")

            let record = try await harness.delivery(client: "portal")
            #expect(record.attempts == 1)
            #expect(record.logoutToken == nil, "the token is not kept once delivered")
            #expect(record.deliveredAt != nil && record.lastError == nil)
            #expect(record.subject == harness.account.id.uuidString.lowercased())
            #expect(record.sessionID == "sid-portal")
            #expect(record.uri == "\(base)/bc/portal")

            let queued = try await harness.auditEvents(BackchannelDispatcher.queuedAction)
            #expect(Set(queued.compactMap(\.record.clientID)) == ["portal", "mail"])
            let delivered = try await harness.auditEvents(BackchannelDispatcher.deliveredAction)
            let event = try #require(delivered.first { $0.record.clientID == "portal" })
            #expect(event.record.detail["delivery"] == record.id.uuidString.lowercased())
            #expect(event.record.unit == .root, "the account's home unit, so its administrators see it")
            #expect(event.record.target == harness.account.id.uuidString.lowercased())
            let everything = try await harness.store.read { try $0.auditEvents(after: 0, limit: 1000) }
            #expect(!everything.contains { "\($0)".contains(portal.logoutToken) }, "no token in the audit log")
        }
    }

    @Test func failingApplicationIsRetriedWithBackoffUntilDelivered() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("flaky", .statuses([500, 500, 204]))
        try await receiver.listen { base in
            try await harness.addClient("flaky", uri: "\(base)/bc/flaky")
            let logout = try harness.logout("flaky", uri: "\(base)/bc/flaky")
            let dispatcher = harness.dispatcher()
            try await running([dispatcher]) {
                await dispatcher.notify([logout])
                try await eventually("delivered") { try await harness.delivery(client: "flaky").status == .delivered }
            }
            let hits = receiver.hits("flaky")
            #expect(hits.count == 3)
            #expect(Set(hits.map(\.body)) == ["logout_token=\(logout.logoutToken)"], "the same token each time")
            // The schedule is 50 ms then 100 ms: each retry waits at least that long after the
            // previous answer (less 1 ms for the store's millisecond rounding).
            #expect(hits[1].at - hits[0].at >= .milliseconds(49))
            #expect(hits[2].at - hits[1].at >= .milliseconds(99))
            let record = try await harness.delivery(client: "flaky")
            #expect(record.attempts == 3)
            #expect(record.logoutToken == nil)
            #expect(try await harness.auditEvents(BackchannelDispatcher.failedAction).isEmpty)
        }
    }

    @Test func slowApplicationDoesNotHoldUpNotify() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("slow", .slow(.seconds(3)))
        try await receiver.listen { base in
            try await harness.addClient("slow", uri: "\(base)/bc/slow")
            let logout = try harness.logout("slow", uri: "\(base)/bc/slow")
            let dispatcher = harness.dispatcher()
            try await running([dispatcher]) {
                await dispatcher.notify([logout])
                receiver.event("notify returned")
                #expect(try await harness.delivery(client: "slow").status == .pending, "recorded before notify returned")
                try await eventually("delivered") { try await harness.delivery(client: "slow").status == .delivered }
            }
            let events = receiver.events
            let returned = try #require(events.firstIndex(of: "notify returned"))
            let answered = try #require(events.firstIndex(of: "answered"))
            #expect(returned < answered, "notify returned before the application answered: \(events)")
        }
    }

    @Test func redirectIsNotFollowedAndCountsAsAFailure() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("elsewhere", .statuses([200]))
        try await receiver.listen { base in
            receiver.set("moved", .redirect(to: "\(base)/bc/elsewhere"))
            try await harness.addClient("moved", uri: "\(base)/bc/moved")
            let logout = try harness.logout("moved", uri: "\(base)/bc/moved")
            let dispatcher = harness.dispatcher(retry: BackchannelRetryPolicy(initialDelay: 0.05, maximumAttempts: 2, jitter: 0))
            try await running([dispatcher]) {
                await dispatcher.notify([logout])
                try await eventually("given up") { try await harness.delivery(client: "moved").status == .failed }
            }
            #expect(receiver.hits("moved").count == 2, "tried twice")
            #expect(receiver.hits("elsewhere").isEmpty, "the redirect was never followed")
            let record = try await harness.delivery(client: "moved")
            #expect(record.lastError?.hasPrefix("HTTP 307") == true)
            #expect(record.logoutToken == nil)
        }
    }

    @Test func twoNodesOnOneStoreDeliverEachLogoutExactlyOnce() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let otherStore = try await harness.secondNode()
        let receiver = LogoutReceiver()
        let clients = (0..<6).map { "app\($0)" }
        for client in clients { receiver.set(client, .statuses([200])) }
        try await receiver.listen { base in
            for client in clients { try await harness.addClient(client, uri: "\(base)/bc/\(client)") }
            let nodeA = harness.dispatcher(concurrency: 3)
            let nodeB = harness.dispatcher(store: otherStore, concurrency: 3)

            // Queued on node A while only node B runs: B finds them by polling.
            let first = try clients.map { try harness.logout($0, uri: "\(base)/bc/\($0)") }
            try await running([nodeB]) {
                await nodeA.notify(first)
                try await eventually("node B delivered what node A queued") {
                    try await harness.deliveries().allSatisfy { $0.status == .delivered }
                }
            }

            // Both run; logouts arrive on either node, several at a time.
            var batches: [[BackchannelLogout]] = []
            for _ in 0..<8 { batches.append(try clients.map { try harness.logout($0, uri: "\(base)/bc/\($0)") }) }
            let all = first + batches.flatMap { $0 }
            try await running([nodeA, nodeB]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (i, batch) in batches.enumerated() {
                        group.addTask { await (i % 2 == 0 ? nodeA : nodeB).notify(batch) }
                    }
                    try await group.waitForAll()
                }
                try await eventually("every logout delivered") {
                    let deliveries = try await harness.deliveries()
                    return deliveries.count == all.count && deliveries.allSatisfy { $0.status == .delivered }
                }
            }
            let received = receiver.hits.map(\.body)
            #expect(received.count == all.count, "one request per logout")
            #expect(Set(received) == Set(all.map { "logout_token=\($0.logoutToken)" }), "each logout exactly once")
            #expect(try await harness.deliveries().allSatisfy { $0.attempts == 1 })
        }
        await otherStore.close()
    }

    @Test func givesUpAfterTheMaximumAttemptsAndAuditsIt() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("down", .statuses([500]))
        try await receiver.listen { base in
            try await harness.addClient("down", uri: "\(base)/bc/down")
            let logout = try harness.logout("down", uri: "\(base)/bc/down")
            let dispatcher = harness.dispatcher(retry: BackchannelRetryPolicy(initialDelay: 0.02, maximumAttempts: 3, jitter: 0))
            try await running([dispatcher]) {
                await dispatcher.notify([logout])
                try await eventually("given up") { try await harness.delivery(client: "down").status == .failed }
                // Another poll or two: nothing more is sent.
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(receiver.hits("down").count == 3)
            let record = try await harness.delivery(client: "down")
            #expect(record.attempts == 3)
            #expect(record.lastError == "HTTP 500")
            #expect(record.logoutToken == nil, "the token is not kept once abandoned")
            let failed = try await harness.auditEvents(BackchannelDispatcher.failedAction)
            let event = try #require(failed.first)
            #expect(failed.count == 1)
            #expect(event.record.result == .failure)
            #expect(event.record.clientID == "down")
            #expect(event.record.actor == BackchannelDispatcher.auditActor)
            #expect(event.record.detail == ["delivery": record.id.uuidString.lowercased(), "attempts": "3", "error": "HTTP 500"])
        }
    }

    @Test func expiredLogoutTokenIsAbandonedWithoutSending() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let harness = try await BackchannelHarness.make(clock: clock)
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("down", .statuses([503]))
        try await receiver.listen { base in
            try await harness.addClient("down", uri: "\(base)/bc/down")
            let logout = try harness.logout("down", uri: "\(base)/bc/down", lifetime: 120)
            // The real schedule (5 s, 10 s, …) on the manual clock.
            let dispatcher = harness.dispatcher(retry: BackchannelRetryPolicy(jitter: 0))
            try await running([dispatcher]) {
                await dispatcher.notify([logout])
                try await eventually("first attempt recorded") { try await harness.delivery(client: "down").attempts == 1 }
                var record = try await harness.delivery(client: "down")
                #expect(record.status == .pending)
                #expect(record.nextAttemptAt == (record.lastAttemptAt ?? .distantPast) + 5)
                #expect(record.expiresAt == logout.expiry, "abandoned when the token expires")
                clock.advance(by: 121)
                dispatcher.wake()
                try await eventually("abandoned") { try await harness.delivery(client: "down").status == .failed }
                record = try await harness.delivery(client: "down")
                #expect(record.attempts == 1, "no request with an expired token")
                #expect(record.lastError?.contains("expired") == true)
            }
            #expect(receiver.hits("down").count == 1)
        }
    }

    @Test func onlyRegisteredHTTPURIsAreCalled() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("portal", .statuses([200]))
        try await receiver.listen { base in
            try await harness.addClient("portal", uri: "\(base)/bc/portal")
            try await harness.addClient("files", uri: "ftp://localhost/bc/files")
            try await harness.addClient("changed", uri: "\(base)/bc/changed")
            let dispatcher = harness.dispatcher()
            // Recorded as failed at once: a non-http scheme, a URI the client does not register,
            // and a client that does not exist.
            await dispatcher.notify([
                try harness.logout("files", uri: "ftp://localhost/bc/files"),
                try harness.logout("portal", uri: "\(base)/bc/other"),
                try harness.logout("ghost", uri: "\(base)/bc/ghost"),
            ])
            let refused = try await harness.deliveries()
            #expect(refused.count == 3 && refused.allSatisfy { $0.status == .failed && $0.logoutToken == nil && $0.attempts == 0 })
            #expect(refused.compactMap(\.lastError).allSatisfy { $0.hasPrefix("refused") })
            #expect(try await harness.auditEvents(BackchannelDispatcher.failedAction).count == 3)
            #expect(try await harness.auditEvents(BackchannelDispatcher.queuedAction).isEmpty)

            // Queued while registered, then the client's URI changed before the attempt.
            await dispatcher.notify([try harness.logout("changed", uri: "\(base)/bc/changed")])
            try await harness.store.write { tx in
                var client = try tx.client(id: "changed")
                client.backchannelLogoutURI = "\(base)/bc/new"
                try tx.updateClient(client)
            }
            try await running([dispatcher]) {
                try await eventually("abandoned") { try await harness.delivery(client: "changed").status == .failed }
            }
            #expect(try await harness.delivery(client: "changed").lastError?.contains("no longer registers") == true)
            #expect(receiver.hits.isEmpty, "nothing was sent anywhere")
        }
    }

    @Test func gracefulStopFinishesTheRequestInFlightAndTakesNoMore() async throws {
        let harness = try await BackchannelHarness.make()
        defer { Task { await harness.close() } }
        let receiver = LogoutReceiver()
        receiver.set("slow", .slow(.seconds(1)))
        receiver.set("later", .statuses([200]))
        try await receiver.listen { base in
            try await harness.addClient("slow", uri: "\(base)/bc/slow")
            try await harness.addClient("later", uri: "\(base)/bc/later")
            let dispatcher = harness.dispatcher()
            let worker = Task { try await dispatcher.run() }
            await dispatcher.notify([try harness.logout("slow", uri: "\(base)/bc/slow")])
            try await eventually("request in flight") { receiver.events.contains("received") }
            dispatcher.stop()
            await dispatcher.notify([try harness.logout("later", uri: "\(base)/bc/later")])
            try await worker.value
            #expect(receiver.events == ["received", "answered"])
            #expect(try await harness.delivery(client: "slow").status == .delivered, "the request in flight finished and was recorded")
            #expect(try await harness.delivery(client: "later").status == .pending, "queued after the stop: left for the next start")
            #expect(receiver.hits("later").isEmpty)
        }
    }
}

extension BackchannelLogout {
    /// The token's `exp`, as the dispatcher reads it, at the store's millisecond precision.
    var expiry: Date? {
        let parts = logoutToken.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let exp = object["exp"] as? NSNumber
        else { return nil }
        return Date(timeIntervalSince1970: (exp.doubleValue * 1000).rounded() / 1000)
    }
}
