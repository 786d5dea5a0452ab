import Foundation
import GatehousePasswords
import Testing

@Suite struct PasswordServiceTests {
    @Test func hashAndVerifyOnThePool() async throws {
        let service = try PasswordService(parameters: fastParameters, threads: 2)
        defer { service.shutdown() }
        let phc = try await service.hash("Mật khẩu")
        #expect(try await service.verify("Mật khẩu".decomposedStringWithCanonicalMapping, against: phc) == .valid(needsRehash: false))
        #expect(try await service.verify("mật khẩu", against: phc) == .invalid)
        await service.dummyVerify("anything")
        await #expect(throws: PasswordError.self) { try await service.verify("x", against: "$argon2id$broken") }
    }

    @Test func shutdownRefusesNewWork() async throws {
        let service = try PasswordService(parameters: fastParameters, threads: 1)
        service.shutdown()
        await #expect(throws: PasswordError.shutDown) { try await service.hash("pw") }
    }
}
