/// The keys a verifier trusts, indexed by `kid`: built once from a JWK Set (RFC 7517 §5) and
/// shared across requests.
///
/// Keys Gatehouse cannot use are skipped: `use: "enc"`, an unknown `kty`/`crv`, or an `alg`
/// outside ``JWSAlgorithm``. Keys it could use but which are malformed make the whole set fail,
/// as do private members anywhere: a JWKS that leaks a private key is a misconfiguration to
/// stop at once.
///
/// ```swift
/// let keys = try VerificationKeySet(JWKSet(json: jwksBody))
/// ```
public struct VerificationKeySet: Sendable {
    /// The usable keys, in set order.
    public let keys: [VerificationKey]
    private let byKeyID: [String: [VerificationKey]]

    /// A set of already-built keys.
    public init(_ keys: [VerificationKey]) {
        self.keys = keys
        self.byKeyID = Dictionary(grouping: keys, by: \.keyID)
    }

    /// Builds every usable key of `set`.
    /// - Throws: ``JOSEError/Code/privateKeyMaterial`` if any member carries private members;
    ///   the error of ``VerificationKey/init(jwk:)`` for a malformed usable key.
    public init(_ set: JWKSet) throws {
        var keys: [VerificationKey] = []
        for jwk in set.keys {
            guard jwk.privateMemberNames.isEmpty else {
                throw JOSEError(.privateKeyMaterial, "JWK Set member \(jwk.keyID ?? "(no kid)") carries private members")
            }
            guard VerificationKeySet.isUsable(jwk) else { continue }
            keys.append(try VerificationKey(jwk: jwk))
        }
        self.init(keys)
    }

    private static func isUsable(_ jwk: JWK) -> Bool {
        if let use = jwk.use, use != "sig" { return false }
        if let alg = jwk.algorithm, JWSAlgorithm(rawValue: alg) == nil { return false }
        switch (jwk.keyType, jwk.curve) {
        case ("EC", "P-256"), ("OKP", "Ed25519"), ("RSA", nil): return true
        default: return false
        }
    }

    /// The key with `keyID`, if any (the first, when several keys share it).
    public subscript(keyID keyID: String) -> VerificationKey? { byKeyID[keyID]?.first }

    /// The keys to try for a header's `kid` and `alg` (RFC 7515 §6).
    /// - Throws: ``JOSEError/Code/keyNotFound`` when nothing matches `kid` (or the set is empty);
    ///   ``JOSEError/Code/algorithmKeyMismatch`` when keys match but none fits `algorithm`.
    func candidates(keyID: String?, algorithm: JWSAlgorithm) throws -> [VerificationKey] {
        let pool: [VerificationKey]
        if let keyID {
            guard let matching = byKeyID[keyID] else { throw JOSEError(.keyNotFound, "no key with the token's kid") }
            pool = matching
        } else {
            guard !keys.isEmpty else { throw JOSEError(.keyNotFound, "the key set is empty") }
            pool = keys
        }
        if pool.count == 1 {
            guard pool[0].supports(algorithm) else {
                throw JOSEError(.algorithmKeyMismatch, "alg \(algorithm) does not fit the \(pool[0].family.keyType) key")
            }
            return pool
        }
        let fitting = pool.filter { $0.supports(algorithm) }
        guard !fitting.isEmpty else { throw JOSEError(.algorithmKeyMismatch, "no key fits alg \(algorithm)") }
        return fitting
    }
}
