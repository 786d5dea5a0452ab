// Fuzz target: JWS compact serialization, JOSE headers, JWT claims and the strict JSON parser
// (GatehouseJOSE). Each input is tried two ways:
//
// - as a compact token: `JWS.unverifiedHeader`, `JWS.verify` and `JWTVerifier.verify` against
//   a fixed key set (the RFC 7515 A.2 RSA, A.3 P-256 and RFC 8037 Ed25519 public keys), so the
//   RFC example tokens in the seed corpus verify and reach the claims checks;
// - as JSON: `JSONValue(json:)`, `JWTClaims(json:)` and the header reader, with round trips
//   through the writers. A header that parses with `alg: EdDSA` is signed, as written, with the
//   RFC 8037 private key and must then verify.
//
// Invariants (a broken one traps, and libFuzzer keeps the input):
// - a token that verifies has the header `unverifiedHeader` reads;
// - JSON written back from a parsed value parses to the same value;
// - encoded claims and headers parse back to what was encoded (NumericDates rounded down);
// - a token signed over a valid EdDSA header verifies, unless its `kid` names no key, its
//   `crit` is refused or it is too long.
import Foundation
@testable import GatehouseJOSE

enum Fixture {
    static let publicKeys = #"""
    {"keys":[
     {"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"},
     {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
     {"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k","use":"sig","alg":"EdDSA"}
    ]}
    """#

    /// RFC 8037 Appendix A.1.
    static let ed25519PrivateKey = #"""
    {"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    """#

    static let keys: VerificationKeySet = try! VerificationKeySet(JWKSet(json: Data(publicKeys.utf8)))
    static let signer: SigningKey = try! SigningKey(jwk: Data(ed25519PrivateKey.utf8))
    static let understood: Set<String> = ["urn:gatehouse:fuzz"]
    static let options = JWSVerificationOptions(allowedAlgorithms: Set(JWSAlgorithm.allCases), understoodCriticalHeaders: understood)
    static let validator = JWTValidator(issuer: "https://sso.gatehouse.test", audience: "cong-thong-tin", requiredClaims: ["exp", "sub"])
    static let verifier = JWTVerifier(keys: keys, options: options, validator: validator)
    /// 2011-03-22, before the RFC 7515 examples expire, so their claims are checked in full.
    static let now = Date(timeIntervalSince1970: 1_300_000_000)
    static let payload = Array(#"{"iss":"https://sso.gatehouse.test","sub":"nguyen.van.an","exp":1300819380}"#.utf8)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    checkCompact(String(decoding: bytes, as: UTF8.self))
    checkJSON(bytes)
    return 0
}

func checkCompact(_ token: String) {
    let header = try? JWS.unverifiedHeader(token)
    if let verified = try? JWS.verify(token, keys: Fixture.keys, options: Fixture.options) {
        invariant(header == verified.header, "a verified token's header differs from its unverified header")
        if let claims = try? JWTClaims(json: verified.payload) {
            try? Fixture.validator.validate(claims: claims, header: verified.header, now: Fixture.now)
        }
    }
    _ = try? Fixture.verifier.verify(token, now: Fixture.now)
}

func checkJSON(_ bytes: [UInt8]) {
    guard let value = try? JSONValue(json: bytes) else { return }
    var written: [UInt8] = []
    JSONWriter.write(value, into: &written)
    let reparsed = try? JSONValue(json: written)
    invariant(reparsed == value, "written JSON parses to another value: \(String(decoding: written, as: UTF8.self))")

    if let claims = try? JWTClaims(json: bytes) {
        checkClaimsRoundTrip(claims)
        try? Fixture.validator.validate(claims: claims, header: JWSHeader(algorithm: .edDSA, type: "JWT"), now: Fixture.now)
    }
    if let header = try? JWSHeader(parsing: value) {
        let again = try? JWSHeader(parsing: JSONValue(json: header.encoded()))
        invariant(again == header, "an encoded header parses to another header")
        if header.algorithm == .edDSA { checkSigned(encodedHeader: bytes, header: header) }
    }
}

/// Encoding drops nothing but the fractions of NumericDates.
func checkClaimsRoundTrip(_ claims: JWTClaims) {
    let encoded = claims.encoded()
    guard let again = try? JWTClaims(json: encoded) else {
        invariant(false, "encoded claims do not parse: \(String(decoding: encoded, as: UTF8.self))")
        return
    }
    invariant(again.issuer == claims.issuer && again.subject == claims.subject && again.audience == claims.audience
        && again.jwtID == claims.jwtID, "encoded claims lose a registered string claim")
    let unregistered = claims.additional.filter { !JWTClaims.registeredNames.contains($0.key) }
    invariant(again.additional == unregistered, "encoded claims lose an unregistered claim")
    for (name, before, after) in [("exp", claims.expiresAt, again.expiresAt), ("nbf", claims.notBefore, again.notBefore),
                                  ("iat", claims.issuedAt, again.issuedAt)] {
        guard let before else { invariant(after == nil, "\(name) appears"); continue }
        guard let after else { invariant(false, "\(name) disappears"); continue }
        let expected = before.timeIntervalSince1970.rounded(.down), actual = after.timeIntervalSince1970
        invariant(abs(expected - actual) <= max(1, abs(expected) * 1e-12), "\(name) \(before.timeIntervalSince1970) comes back as \(actual)")
    }
}

/// A header that parses is signed as written; the token must verify.
func checkSigned(encodedHeader: [UInt8], header: JWSHeader) {
    guard let token = try? JWS.sign(encodedHeader: encodedHeader, algorithm: .edDSA, payload: Fixture.payload, key: Fixture.signer)
    else {
        invariant(false, "an EdDSA header that parses cannot be signed")
        return
    }
    let expectFailure = (header.keyID != nil && header.keyID != Fixture.signer.keyID)
        || (try? header.checkCritical(understood: Fixture.understood)) == nil
        || token.utf8.count > Fixture.options.maximumTokenLength
    do {
        let verified = try JWS.verify(token, keys: Fixture.keys, options: Fixture.options)
        invariant(!expectFailure, "a token verifies that should not (kid \(header.keyID ?? "none"), crit \(header.critical ?? []))")
        invariant(verified.payload == Fixture.payload && verified.header == header, "a verified token changed on the way")
    } catch {
        invariant(expectFailure, "a freshly signed token does not verify: \(error)")
    }
}
