public import Foundation

/// A public JSON Web Key (RFC 7517 §4) of a type Gatehouse uses: `EC` P-256 (RFC 7518 §6.2),
/// `OKP` Ed25519 (RFC 8037 §2) or `RSA` (RFC 7518 §6.3).
///
/// Decoding never fails because private members are present; instead it records them in
/// ``privateMemberNames`` and never re-encodes them, and ``VerificationKey/init(jwk:)`` refuses
/// such a key. Turn a JWK into a usable key with ``VerificationKey/init(jwk:)``.
///
/// ```swift
/// let jwk = try JSONDecoder().decode(JWK.self, from: data)
/// let key = try VerificationKey(jwk: jwk)      // validates lengths, curve membership, RSA size
/// print(try jwk.thumbprint())                  // RFC 7638
/// ```
public struct JWK: Codable, Sendable, Hashable {
    /// Key type, `kty` (RFC 7517 §4.1): `EC`, `OKP` or `RSA`.
    public var keyType: String
    /// Curve, `crv` (RFC 7518 §6.2.1.1, RFC 8037 §2): `P-256` or `Ed25519`.
    public var curve: String?
    /// `x` coordinate (EC) or public key (OKP), base64url (RFC 7518 §6.2.1.2, RFC 8037 §2).
    public var x: String?
    /// `y` coordinate (EC), base64url (RFC 7518 §6.2.1.3).
    public var y: String?
    /// RSA modulus `n`, base64url (RFC 7518 §6.3.1.1).
    public var n: String?
    /// RSA exponent `e`, base64url (RFC 7518 §6.3.1.2).
    public var e: String?
    /// Key ID, `kid` (RFC 7517 §4.5). Gatehouse sets it to the RFC 7638 thumbprint.
    public var keyID: String?
    /// Intended algorithm, `alg` (RFC 7517 §4.4). Kept as text: a set may name algorithms Gatehouse does not use.
    public var algorithm: String?
    /// Intended use, `use` (RFC 7517 §4.2): `sig` or `enc`.
    public var use: String?
    /// Permitted operations, `key_ops` (RFC 7517 §4.3).
    public var keyOperations: [String]?
    /// Names of private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`) seen when decoding.
    /// They are never stored or re-encoded.
    public private(set) var privateMemberNames: [String] = []

    /// The members RFC 7517/7518/8037 define as private (or secret, for `oct`).
    static let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "r", "t", "k"]

    /// Creates a JWK from its members.
    public init(
        keyType: String, curve: String? = nil, x: String? = nil, y: String? = nil, n: String? = nil, e: String? = nil,
        keyID: String? = nil, algorithm: String? = nil, use: String? = nil, keyOperations: [String]? = nil
    ) {
        self.keyType = keyType
        self.curve = curve
        self.x = x
        self.y = y
        self.n = n
        self.e = e
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
        self.keyOperations = keyOperations
    }

    enum CodingKeys: String, CodingKey {
        case keyType = "kty", curve = "crv", x, y, n, e, keyID = "kid", algorithm = "alg", use, keyOperations = "key_ops"
    }

    /// Decodes the public members and notes any private ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyType = try c.decode(String.self, forKey: .keyType)
        curve = try c.decodeIfPresent(String.self, forKey: .curve)
        x = try c.decodeIfPresent(String.self, forKey: .x)
        y = try c.decodeIfPresent(String.self, forKey: .y)
        n = try c.decodeIfPresent(String.self, forKey: .n)
        e = try c.decodeIfPresent(String.self, forKey: .e)
        keyID = try c.decodeIfPresent(String.self, forKey: .keyID)
        algorithm = try c.decodeIfPresent(String.self, forKey: .algorithm)
        use = try c.decodeIfPresent(String.self, forKey: .use)
        keyOperations = try c.decodeIfPresent([String].self, forKey: .keyOperations)
        let all = try decoder.container(keyedBy: AnyKey.self)
        privateMemberNames = all.allKeys.map(\.stringValue).filter(JWK.privateMembers.contains).sorted()
    }

    /// Encodes the public members only.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keyType, forKey: .keyType)
        try c.encodeIfPresent(curve, forKey: .curve)
        try c.encodeIfPresent(x, forKey: .x)
        try c.encodeIfPresent(y, forKey: .y)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(e, forKey: .e)
        try c.encodeIfPresent(keyID, forKey: .keyID)
        try c.encodeIfPresent(algorithm, forKey: .algorithm)
        try c.encodeIfPresent(use, forKey: .use)
        try c.encodeIfPresent(keyOperations, forKey: .keyOperations)
    }

    /// Parses one JWK from JSON.
    /// - Throws: ``JOSEError/Code/invalidKey`` when the document is not a JWK object.
    public init(json: Data) throws {
        do { self = try JSONDecoder().decode(JWK.self, from: json) } catch let error as JOSEError { throw error } catch {
            throw JOSEError(.invalidKey, "not a JWK: \(error)")
        }
    }

    /// Compact JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
