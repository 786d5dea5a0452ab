import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// Tokens signed by joserfc, an independent JOSE implementation (Tests/Interop/sign_access_token.py),
/// verified through the whole middleware path: discovery, JWK Set, verifier.
@Suite struct InteropTests {
    static var python: String? { ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/sign_access_token.py")
    }

    /// Runs the script and returns its JSON, reading its output off the cooperative pool.
    static func sign(issuer: String, audience: String) async throws -> [String: JSONValue] {
        let python = try #require(python)
        let output: Data = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script.path, "--issuer", issuer, "--audience", audience]
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
        return try #require(try JSONValue(json: Array(output)).objectValue)
    }

    @Test(.enabled(if: python != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"))
    func joserfcTokensVerifyAndAStrangersDoNot() async throws {
        try await TestIssuer.withRunning { issuer in
            let signed = try await Self.sign(issuer: issuer.issuer, audience: issuer.audience)
            let jwks = try #require(signed["jwks"])
            let tokens = try #require(signed["tokens"]?.objectValue)
            issuer.serveRawJWKS(try JSONEncoder().encode(jwks))
            let gatehouse = try await GatehouseApplicationVerifier.discover(issuer.configuration, httpClient: .shared)
            #expect(gatehouse.keys.status.keyCount == 2)
            for algorithm in ["ES256", "EdDSA"] {
                let token = try #require(tokens[algorithm]?.stringValue)
                let identity = try await gatehouse.verifier.verify(token)
                #expect(identity.subject == "interop-subject")
                #expect(identity.hasRole("clerk", at: "/ha-noi/phuong-ba-dinh"))
            }
            let unpublished = try #require(tokens["unpublished_kid"]?.stringValue)
            await #expect(throws: TokenRejection(.unknownKey)) { try await gatehouse.verifier.verify(unpublished) }
            let borrowed = try #require(tokens["borrowed_kid"]?.stringValue)
            await #expect(throws: TokenRejection(.invalidSignature)) { try await gatehouse.verifier.verify(borrowed) }
        }
    }
}
