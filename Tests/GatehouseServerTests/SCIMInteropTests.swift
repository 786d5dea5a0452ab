import Foundation
import Testing

/// Gatehouse's SCIM endpoints driven by python-scim2 (scim2-client, scim2-models and
/// scim2-tester; Tests/Interop/scim_check.py) over a real socket.
@Suite("SCIM interoperability")
struct SCIMInteropTests {
    static var python: String? { ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/scim_check.py")
    }

    /// Runs the script and returns its JSON, reading its output off the cooperative pool.
    static func run(_ arguments: [String]) async throws -> [String: Any] {
        let python = try #require(python)
        let output: Data = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script.path] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.terminationHandler = { process in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if process.terminationStatus == 0 { continuation.resume(returning: data) } else {
                    continuation.resume(throwing: CocoaError(.executableLoad))
                }
            }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    @Test(.enabled(if: python != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"))
    func scim2ClientAndTester() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let port = try #require(h.port)
            let result = try await Self.run(["--base", "http://127.0.0.1:\(port)/scim/v2", "--token", token,
                                             "--unit", "/ha-noi/phuong-ba-dinh"])
            let client = try #require(result["client"] as? [String: String])
            for check in ["discover", "create", "read", "list_filtered", "replace", "patch", "bad_filter", "delete"] {
                #expect(client[check] == "ok", "scim2-client \(check): \(client[check] ?? "not run")")
            }
            let tester = try #require(result["tester"] as? [[String: Any]], "scim2-tester: \(result["tester_error"] ?? "no results")")
            let counts = Dictionary(grouping: tester) { $0["status"] as? String ?? "?" }.mapValues(\.count)
            print("scim2-tester: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            let failures = tester.filter { ["ERROR", "CRITICAL"].contains($0["status"] as? String) }
            for failure in failures {
                let reason = failure["reason"] as? String ?? ""
                if SCIMInteropTests.knownTesterFailures.contains(where: { words in words.allSatisfy { reason.contains($0) } }) { continue }
                Issue.record("scim2-tester \(failure["title"] ?? ""): \(failure["reason"] ?? "")")
            }
            #expect(tester.contains { $0["status"] as? String == "SUCCESS" })
        }
    }

    /// scim2-tester failures that follow from documented choices, matched by the words of
    /// their reason: an account has one email address, which is always the primary (the tester
    /// sends a random `primary`, and compares it after a PATCH); and the Gatehouse extension
    /// also holds read-only attributes (status, source…), which the tester's whole-object
    /// comparison after a PATCH of the extension does not expect.
    static let knownTesterFailures: [[String]] = [
        ["unexpected value for 'emails'", "primary=False)]", "primary=True)]"],
        ["unexpected value for 'urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User'"],
    ]
}
