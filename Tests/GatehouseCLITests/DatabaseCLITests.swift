import Foundation
import Testing

@Suite struct DatabaseCLITests {
    @Test func unsupportedDatabaseURLIsOneClearLine() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let r = try await cli.run(["units", "list", "--database", "mysql://x"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("use sqlite:PATH or postgres://"))
    }

    @Test func unreachablePostgresIsOneClearLineWithoutThePassword() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        // Port 1 on loopback: nothing listens there.
        let r = try await cli.run(["units", "list", "--database", "postgres://gatehouse:s3cr3t-pw@127.0.0.1:1/gatehouse"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("127.0.0.1"))
        #expect(!r.stderr.contains("s3cr3t-pw"))
    }

    @Test func postgresBackendWorksFromTheCommandLine() async throws {
        guard let url = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "GATEHOUSE_TEST_POSTGRES_URL must be set in CI")
            return
        }
        let cli = try CLI(); defer { cli.cleanUp() }
        let admin = try await cli.run(["units", "list", "--database", url])
        #expect(admin.status == 0, "\(admin.stderr)")
        let slug = "t-\(UUID().uuidString.prefix(8).lowercased())"
        let r = try await cli.run(["units", "add", "/\(slug)", "--name", "Tỉnh thử", "--level", "province", "--database", url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await cli.run(["units", "list", "--database", url]).stdout.contains("/\(slug)"))
    }
}
