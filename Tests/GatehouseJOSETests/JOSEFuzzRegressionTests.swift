import Foundation
import Testing
@testable import GatehouseJOSE

/// Inputs found by the `jws` fuzz target (Fuzz/Targets/jws.swift), kept as they crashed.
@Suite("JOSE fuzz regressions")
struct JOSEFuzzRegressionTests {
    /// The claims of the crashing input: `nbf` (and in the second case `exp`) far outside the
    /// range of `Int64` seconds. Validation used to trap while writing the error message.
    static let farNotBefore: [UInt8] = Array(#"{"sub":"","exp":2e9,"nbf":2e99}"#.utf8)
    static let farPastExpiry: [UInt8] = Array(#"{"sub":"","exp":-2e99}"#.utf8)
    static let now = Date(timeIntervalSince1970: 1_300_000_000)

    @Test("nbf of 2e99 seconds is not yet valid, and does not trap")
    func notBeforeOutOfInt64Range() throws {
        let claims = try JWTClaims(json: Self.farNotBefore)
        #expect(throws: JOSEError(.notYetValid)) {
            try JWTValidator().validate(claims: claims, header: JWSHeader(algorithm: .edDSA), now: Self.now)
        }
    }

    @Test("exp of -2e99 seconds has expired, and does not trap")
    func expiryOutOfInt64Range() throws {
        let claims = try JWTClaims(json: Self.farPastExpiry)
        #expect(throws: JOSEError(.expired)) {
            try JWTValidator().validate(claims: claims, header: JWSHeader(algorithm: .edDSA), now: Self.now)
        }
    }

    @Test("a signed token with such an nbf is refused by JWTVerifier")
    func signedTokenOutOfInt64Range() throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWS.sign(payload: Self.farNotBefore, header: JWSHeader(algorithm: .edDSA, keyID: key.keyID), key: key)
        let verifier = JWTVerifier(keys: VerificationKeySet([key.verificationKey]), allowedAlgorithms: [.edDSA], validator: JWTValidator())
        #expect(throws: JOSEError(.notYetValid)) { try verifier.verify(token, now: Self.now) }
    }

    @Test("error messages show whole seconds, or the number when it has no Int64 form")
    func messageSeconds() {
        #expect(JWTValidator.seconds(Date(timeIntervalSince1970: 1_300_819_380.75)) == "1300819380")
        #expect(JWTValidator.seconds(Date(timeIntervalSince1970: 2e99)) == "2e+99")
    }
}
