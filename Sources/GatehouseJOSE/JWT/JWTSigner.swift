/// Produces signed JWTs (RFC 7519 §7.1) with one key and header `typ`.
///
/// ```swift
/// let signer = JWTSigner(key: ringKey, type: "at+jwt")      // RFC 9068 §2.1
/// let token = try signer.sign(claims)
/// ```
public struct JWTSigner: Sendable {
    /// The signing key; its algorithm and `kid` go into the header.
    public let key: SigningKey
    /// Header `typ`: `JWT` by default, `at+jwt` for access tokens (RFC 9068 §2.1).
    public let type: String?
    private let encodedHeader: [UInt8]

    /// Creates a signer. The header (`alg`, `kid`, `typ`) is encoded once here.
    public init(key: SigningKey, type: String? = "JWT") {
        self.key = key
        self.type = type
        self.encodedHeader = JWSHeader(algorithm: key.algorithm, keyID: key.keyID, type: type).encoded()
    }

    /// Signs `claims` and returns the compact JWT.
    public func sign(_ claims: JWTClaims) throws -> String {
        try JWS.sign(encodedHeader: encodedHeader, algorithm: key.algorithm, payload: claims.encoded(), key: key)
    }

    /// Signs `claims` under a header with extra members (e.g. an application's own parameters).
    public func sign(_ claims: JWTClaims, additionalHeader: [String: JSONValue]) throws -> String {
        let header = JWSHeader(algorithm: key.algorithm, keyID: key.keyID, type: type, additional: additionalHeader)
        return try JWS.sign(payload: claims.encoded(), header: header, key: key)
    }
}
