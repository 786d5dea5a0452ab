import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// RFC 6750 §2.1 (reading the header) and §3 (answering), independent of any framework.
@Suite struct BearerTests {
    @Test func theAuthorizationHeaderIsReadAsRFC6750Says() {
        #expect(BearerCredentials("Bearer abc.DEF-_~+/=") == .token("abc.DEF-_~+/="))
        #expect(BearerCredentials("bearer abc") == .token("abc"))
        #expect(BearerCredentials("BEARER   abc  ") == .token("abc"))
        #expect(BearerCredentials(nil) == .absent)
        #expect(BearerCredentials("") == .absent)
        #expect(BearerCredentials("Basic dXNlcjpwYXNz") == .absent)
        #expect(BearerCredentials("eyJhbGciOi.x.y") == .absent)
        for malformed in ["Bearer", "Bearer ", "Bearer a b", "Bearer a\"b", "Bearer a,b", "Bearer ===", "Bearer\tabc", "Bearer ä"] {
            guard case .malformed = BearerCredentials(malformed) else {
                Issue.record("\(malformed.debugDescription) was not refused as malformed")
                continue
            }
        }
    }

    @Test func challengesCarryTheRightAttributes() {
        #expect(BearerError.missingCredentials(realm: "cong-van").challenge == #"Bearer realm="cong-van""#)
        #expect(BearerError.missingCredentials(realm: "cong-van").statusCode == 401)
        #expect(BearerError.missingCredentials(realm: "cong-van").body == nil)
        let invalid = BearerError.invalidToken(realm: "cong-van", TokenRejection(.expired))
        #expect(invalid.statusCode == 401)
        #expect(invalid.challenge ==
            #"Bearer realm="cong-van", error="invalid_token", error_description="The access token has expired. Sign in again or refresh it.""#)
        #expect(invalid.body == #"{"error":"invalid_token","error_description":"The access token has expired. Sign in again or refresh it."}"#)
        #expect(BearerError.invalidRequest(realm: "r", "bad").statusCode == 400)
        let scope = BearerError.insufficientScope(realm: "r", "no", scope: "notices.write")
        #expect(scope.statusCode == 403)
        #expect(scope.challenge == #"Bearer realm="r", error="insufficient_scope", error_description="no", scope="notices.write""#)
    }

    /// A hostile value (a configured realm, a role name in a message) cannot break out of its
    /// quoted-string or split the header.
    @Test func valuesAreEscapedForQuotedString() {
        let error = BearerError.insufficientScope(realm: #"a"b\c"#, "x\r\nSet-Cookie: y\u{0}ñ")
        #expect(error.challenge == #"Bearer realm="a\"b\\c", error="insufficient_scope", error_description="x??Set-Cookie: y??""#)
        #expect(!error.challenge.contains("\n") && !error.challenge.contains("\r"))
        #expect(error.body == #"{"error":"insufficient_scope","error_description":"x\r\nSet-Cookie: y\u0000ñ"}"#)
    }

    @Test func authenticateAnswersEachCase() async throws {
        let provider = try await LocalProvider(.es256, clock: TestClock(Date()))
        let verifier = provider.verifier
        let token = try provider.token()

        guard case .success(let identity) = await verifier.authenticate(authorizationHeader: "bearer " + token) else {
            Issue.record("a valid token was refused")
            return
        }
        #expect(identity.subject == TokenMinting.subject)
        #expect(await verifier.authenticate(authorizationHeader: nil).failure?.code == .missingCredentials)
        #expect(await verifier.authenticate(authorizationHeader: "Basic dXNlcjpw").failure?.code == .missingCredentials)
        #expect(await verifier.authenticate(authorizationHeader: "Bearer").failure?.code == .invalidRequest)
        #expect(await verifier.authenticate(authorizationHeaders: ["Bearer " + token, "Bearer " + token]).failure?.code == .invalidRequest)
        let refused = await verifier.authenticate(authorizationHeader: "Bearer " + TokenMinting.tampered(token)).failure
        #expect(refused?.code == .invalidToken)
        #expect(refused?.rejection == TokenRejection(.invalidSignature))
        #expect(refused.map { !$0.challenge.contains(token.prefix(20)) } == true)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
