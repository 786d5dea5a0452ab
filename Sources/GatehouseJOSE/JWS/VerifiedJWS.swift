/// The result of a successful JWS verification (RFC 7515 §5.2).
public struct VerifiedJWS: Sendable {
    /// The protected header.
    public let header: JWSHeader
    /// The payload bytes, base64url-decoded.
    public let payload: [UInt8]
    /// The key whose signature matched.
    public let key: VerificationKey
}
