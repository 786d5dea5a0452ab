import Foundation
import Testing

/// `gatehouse audit export`, run as an inspector would.
@Suite struct AuditExportCLITests {
    static let fields: Set<String> = [
        "sequence", "time", "action", "actor", "target", "unit", "client_id", "source_ip", "result", "detail", "previous_hash", "hash",
    ]

    /// Events on two provinces, /hue (and a commune of it) and /ha-noi, plus /hue-2, which is
    /// not in /hue's subtree.
    func cliWithEvents() async throws -> CLI {
        let cli = try CLI()
        for (path, name, level) in [("/hue", "Huế", "province"), ("/hue/xa-1", "Xã Tân Phước 1", "commune"),
                                    ("/hue-2", "Huế 2", "province"), ("/ha-noi", "Hà Nội", "province")] {
            let r = try await cli.run(["units", "add", path, "--name", name, "--level", level])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for (username, unit) in [("le.thi.hoa", "/hue/xa-1"), ("tran.van.b", "/ha-noi"), ("pham.van.c", "/hue-2")] {
            let r = try await cli.run(["accounts", "add", username, "--unit", unit, "--name", "Cán bộ \"\(username)\"", "--grant", "clerk@\(unit)"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        return cli
    }

    @Test func everyEventIsOneLineOfJSONWithItsChainHashesInSequenceOrder() async throws {
        let cli = try await cliWithEvents(); defer { cli.cleanUp() }
        let r = try await cli.run(["audit", "export"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = try parse(r.stdout)
        #expect(events.count == 7)
        #expect(events.map { $0["sequence"] as? Int } == Array(1...7))
        #expect(events.map { $0["action"] as? String } == Array(repeating: "unit.create", count: 4) + Array(repeating: "account.create", count: 3))
        var previous = String(repeating: "0", count: 64)
        for event in events {
            #expect(Set(event.keys) == Self.fields, "\(event.keys.sorted())")
            #expect((event["time"] as? String)?.hasSuffix("Z") == true)
            #expect(event["previous_hash"] as? String == previous, "the exported events chain")
            let hash = try #require(event["hash"] as? String)
            #expect(try await recomputedHash(event) == hash, "the hash is recomputed from the exported members")
            previous = hash
        }
        let verify = try await cli.run(["audit", "verify"])
        #expect(verify.stdout.contains("7 event(s)"), "\(verify.stdout)")
    }

    @Test func unitKeepsOnlyThatSubtreeSegmentWise() async throws {
        let cli = try await cliWithEvents(); defer { cli.cleanUp() }
        let r = try await cli.run(["audit", "export", "--unit", "/hue"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = try parse(r.stdout)
        #expect(events.map { $0["unit"] as? String } == ["/hue", "/hue/xa-1", "/hue/xa-1"], "\(r.stdout)")
        #expect(events.map { $0["sequence"] as? Int } == [1, 2, 5])
        let hanoi = try parse(try await cli.run(["audit", "export", "--unit", "/ha-noi"]).stdout)
        #expect(hanoi.map { $0["action"] as? String } == ["unit.create", "account.create"])
    }

    @Test func sinceSelectsByTime() async throws {
        let cli = try await cliWithEvents(); defer { cli.cleanUp() }
        var r = try await cli.run(["audit", "export", "--since", "2999-01-01"])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stdout) \(r.stderr)")
        r = try await cli.run(["audit", "export", "--since", "2999-01-01T00:00:00+07:00"])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stdout) \(r.stderr)")
        r = try await cli.run(["audit", "export", "--since", "2000-01-01"])
        #expect(try parse(r.stdout).count == 7)
        // From the time of the fifth event on.
        let all = try parse(try await cli.run(["audit", "export"]).stdout)
        let fifth = try #require(all[4]["time"] as? String)
        r = try await cli.run(["audit", "export", "--since", fifth])
        #expect(try parse(r.stdout).compactMap { $0["sequence"] as? Int }.first ?? 0 <= 5, "\(r.stdout)")
        #expect(try parse(r.stdout).compactMap { $0["sequence"] as? Int }.last == 7)
    }

    @Test func badOptionsAreOneClearLine() async throws {
        let cli = try await cliWithEvents(); defer { cli.cleanUp() }
        for arguments in [["--since", "yesterday"], ["--since", "2025-02-30"], ["--unit", "/Hue"], ["--unit", "hue"]] {
            let r = try await cli.run(["audit", "export"] + arguments)
            #expect(r.isOneLineFailure, "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func outputWritesTheFile() async throws {
        let cli = try await cliWithEvents(); defer { cli.cleanUp() }
        let r = try await cli.run(["audit", "export", "--output", "audit.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("exported 7 of 7 event(s) to audit.jsonl"))
        let written = try String(contentsOf: cli.directory.appendingPathComponent("audit.jsonl"), encoding: .utf8)
        #expect(written == (try await cli.run(["audit", "export"])).stdout)
    }

    // MARK: - Helpers

    func parse(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    /// SHA-256 over `previous_hash` and the canonical bytes of the event (AuditRecord.canonicalBytes),
    /// rebuilt from the exported members only and hashed by sha256sum.
    func recomputedHash(_ event: [String: Any]) async throws -> String {
        func field(_ value: Any?) -> String {
            let s = (value as? String) ?? "\u{0}"
            return "\(s.utf8.count):\(s)"
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = try #require(event["time"] as? String)
        let time = try #require(formatter.date(from: text))
        let detail = try #require(event["detail"] as? [String: String])
        var input = try #require(event["previous_hash"] as? String)
        input += field(String(try #require(event["sequence"] as? Int)))
        for key in ["action", "actor", "target", "unit", "client_id", "source_ip", "result"] { input += field(event[key]) }
        input += field(String(Int64((time.timeIntervalSince1970 * 1000).rounded())))
        for key in detail.keys.sorted() { input += field(key) + field(detail[key]) }
        let r = try await CLI.runProcess("/usr/bin/env", ["sha256sum"], stdin: input)
        return String(r.stdout.prefix(64))
    }
}
