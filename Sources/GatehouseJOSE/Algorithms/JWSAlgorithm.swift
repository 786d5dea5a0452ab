/// The JWS signature algorithms Gatehouse signs and verifies (RFC 7518 §3.1, RFC 8037 §3.1).
///
/// There is deliberately no `none` and no HMAC: parsing either fails with
/// ``JOSEError/Code/unsupportedAlgorithm``, so an attacker cannot downgrade a token to an
/// unsigned one or to a MAC keyed with a public key.
///
/// ```swift
/// let alg = try JWSAlgorithm(parsing: "ES256")   // .es256
/// try JWSAlgorithm(parsing: "none")              // throws unsupportedAlgorithm
/// ```
public enum JWSAlgorithm: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// ECDSA using P-256 and SHA-256, signature `r || s` (RFC 7518 §3.4). The default.
    case es256 = "ES256"
    /// EdDSA with Ed25519 (RFC 8037 §3.1).
    case edDSA = "EdDSA"
    /// RSASSA-PKCS1-v1_5 using SHA-256 (RFC 7518 §3.3). Mandatory for OIDC ID tokens.
    case rs256 = "RS256"
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256, salt of 32 bytes (RFC 7518 §3.5).
    case ps256 = "PS256"

    /// The algorithm Gatehouse uses when nothing else is configured.
    public static let `default`: JWSAlgorithm = .es256

    /// Parses an `alg` header value (RFC 7515 §4.1.1), case-sensitively.
    /// - Throws: ``JOSEError/Code/unsupportedAlgorithm`` for `none`, `HS*`, and anything unknown.
    public init(parsing name: String) throws {
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            let kind = name == "none" ? "unsecured JWS (alg none) is never accepted"
                : name.hasPrefix("HS") ? "HMAC algorithm \(name) is not accepted"
                : "unknown algorithm"
            throw JOSEError(.unsupportedAlgorithm, kind)
        }
        self = algorithm
    }

    /// Decodes like ``init(parsing:)``, so `none` or `HS256` in a JSON document is a typed error.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: name)
    }

    /// The registered name (`ES256`, `EdDSA`, ...).
    public var description: String { rawValue }

    /// The key family this algorithm needs.
    var keyFamily: KeyFamily {
        switch self {
        case .es256: .p256
        case .edDSA: .ed25519
        case .rs256, .ps256: .rsa
        }
    }

    /// Length of a valid signature for fixed-size schemes; `nil` for RSA (the modulus length).
    var fixedSignatureLength: Int? {
        switch self {
        case .es256, .edDSA: 64
        case .rs256, .ps256: nil
        }
    }
}

/// The kinds of key material Gatehouse handles, each with its JWK `kty`/`crv` (RFC 7518 §6, RFC 8037 §2).
enum KeyFamily: Sendable, Hashable {
    case p256, ed25519, rsa

    /// Algorithms a key of this family may be used with.
    var algorithms: [JWSAlgorithm] {
        switch self {
        case .p256: [.es256]
        case .ed25519: [.edDSA]
        case .rsa: [.rs256, .ps256]
        }
    }

    /// The JWK `kty` value.
    var keyType: String {
        switch self {
        case .p256: "EC"
        case .ed25519: "OKP"
        case .rsa: "RSA"
        }
    }
}
