import Foundation
import Testing

/// `gatehouse accounts mfa-reset`, run as an administrator would, against a database whose
/// account has a second factor and a live session.
@Suite struct MFAResetCLITests {
    /// Runs SQL on the scratch folder's SQLite database with the `sqlite3` tool.
    func sql(_ cli: CLI, _ statement: String) async throws -> String {
        let r = try await CLI.runProcess("/usr/bin/env", ["sqlite3", "\(cli.directory.path)/gatehouse.sqlite", statement])
        #expect(r.status == 0, "sqlite3: \(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func resetClearsTheSecondFactorEndsSessionsAndIsAudited() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        var r = try await cli.run(["keys", "generate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("generated the second-factor key"), "\(r.stdout)")
        var info = stat()
        #expect(stat(cli.directory.appendingPathComponent("Keys/mfa.key").path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        r = try await cli.run(["keys", "generate"])
        #expect(!r.stdout.contains("second-factor key"), "kept, not replaced")

        r = try await cli.run(["units", "add", "/hue", "--name", "Huế", "--level", "province"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try await cli.run(["accounts", "add", "vo.thi.g", "--unit", "/hue", "--grant", "province-admin@/hue"])
        #expect(r.status == 0, "\(r.stderr)")

        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await sql(cli, """
            UPDATE accounts SET mfa_secret = CAST('v1.sealed.secret' AS BLOB), mfa_recovery_codes = '["aa","bb"]', mfa_last_step = 60000000,
                mfa_failures = 2 WHERE username = 'vo.thi.g';
            INSERT INTO sessions (id_hash, account_id, auth_time, last_seen_at, expires_at, acr, amr, clients, revoked_at)
                SELECT 'session-of-g', id, \(now), \(now), \(now + 3_600_000), 'urn:gatehouse:acr:mfa', '["pwd","otp"]', '[]', NULL
                FROM accounts WHERE username = 'vo.thi.g';
            """)

        r = try await cli.run(["accounts", "mfa-reset", "VO.THI.G"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "reset the second factor of vo.thi.g; ended 1 session(s), revoked 0 refresh token families\n", "\(r.stdout)")
        #expect(try await sql(cli, "SELECT mfa_secret IS NULL, mfa_recovery_codes, mfa_last_step IS NULL, mfa_failures FROM accounts WHERE username = 'vo.thi.g'")
                == "1|[]|1|0")
        #expect(try await sql(cli, "SELECT revoked_at IS NOT NULL FROM sessions WHERE id_hash = 'session-of-g'") == "1")
        #expect(try await sql(cli, "SELECT kind FROM revocation_events ORDER BY sequence DESC LIMIT 1") == "sub")
        let audited = try await sql(cli, "SELECT actor, result, detail FROM audit_events WHERE action = 'account.mfa.reset'")
        #expect(audited.hasPrefix("cli|success|"), "\(audited)")
        #expect(audited.contains("\"was_enrolled\":\"true\"") && audited.contains("\"sessions_ended\":\"1\""), "\(audited)")
        #expect(try await cli.run(["audit", "verify"]).status == 0)

        // Again: nothing left to reset, said so.
        r = try await cli.run(["accounts", "mfa-reset", "vo.thi.g"])
        #expect(r.stdout.hasPrefix("vo.thi.g had no second factor; ended 0 session(s)"), "\(r.stdout)")
        // An unknown account: one line, non-zero.
        r = try await cli.run(["accounts", "mfa-reset", "khong.ton.tai"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
    }
}
