// Fuzz target: JWK and JWK Set decoding (GatehouseJOSE, RFC 7517), and building OpenSSL keys
// from them: `JWKSet(json:)`, `VerificationKeySet(_:)`, `JWK(json:)`, `VerificationKey(jwk:)`,
// `JWK.thumbprint()` and the private-key import `SigningKey(jwk:)`.
//
// Invariants:
// - a decoded set, encoded and decoded again, encodes to the same bytes and has no private
//   members (they are never re-encoded);
// - a set that builds a `VerificationKeySet` holds no private members, and every key in it has
//   a `kid`, supports some algorithm and verifies nothing it should not: the RFC 8037 example
//   token verifies exactly when the RFC 8037 public key is in the set;
// - a JWK's thumbprint is 43 characters of base64url (SHA-256).
import Foundation
@testable import GatehouseJOSE

enum Fixture {
    /// RFC 8037 Appendix A.4 and A.2: an EdDSA token and the public key that verifies it.
    static let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    static let tokenKeyX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let options = JWSVerificationOptions(allowedAlgorithms: Set(JWSAlgorithm.allCases))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Data(bytes: data, count: size)
    checkSet(json)
    checkSingleKey(json)
    _ = try? SigningKey(jwk: json)
    return 0
}

func checkSet(_ json: Data) {
    guard let set = try? JWKSet(json: json) else { return }
    do {
        let encoded = try set.jsonData()
        let again = try JWKSet(json: encoded)
        invariant(again.keys.allSatisfy { $0.privateMemberNames.isEmpty }, "a re-encoded JWK Set carries private members")
        let reencoded = try again.jsonData()
        invariant(reencoded == encoded, "a JWK Set encodes differently after a round trip")
    } catch {
        invariant(false, "a decoded JWK Set does not survive a round trip: \(error)")
    }
    guard let keys = try? VerificationKeySet(set) else { return }
    invariant(set.keys.allSatisfy { $0.privateMemberNames.isEmpty }, "a key set was built from private members")
    for key in keys.keys {
        invariant(!key.keyID.isEmpty, "a verification key has no kid")
        invariant(JWSAlgorithm.allCases.contains(where: key.supports), "a verification key supports no algorithm")
    }
    let holdsTokenKey = keys.keys.contains { $0.jwk.keyType == "OKP" && $0.jwk.x == Fixture.tokenKeyX }
    let verified = (try? JWS.verify(Fixture.token, keys: keys, options: Fixture.options)) != nil
    // A set that holds the key verifies the token, unless a kid-less token meets several keys
    // and the right one is among them: then it still verifies. Without the key it never does.
    invariant(verified == holdsTokenKey, "the RFC 8037 token \(verified ? "verifies" : "does not verify") against a set \(holdsTokenKey ? "with" : "without") its key")
}

func checkSingleKey(_ json: Data) {
    guard let jwk = try? JWK(json: json) else { return }
    if let thumbprint = try? jwk.thumbprint() {
        invariant(thumbprint.utf8.count == 43 && Base64URLCodec.decode(thumbprint)?.count == 32,
                  "a thumbprint is not 32 bytes of base64url: \(thumbprint)")
    }
    _ = try? VerificationKey(jwk: jwk)
}
