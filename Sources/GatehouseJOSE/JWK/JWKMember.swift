/// Reading the base64url members of a JWK (RFC 7517 §4, RFC 7518 §6), public or private.
enum JWKMember {
    /// The bytes of member `name`; `invalidKey` when it is missing or not canonical base64url.
    static func decode(_ value: String?, _ name: String) throws -> [UInt8] {
        guard let value else { throw JOSEError(.invalidKey, "JWK lacks \(name)") }
        guard let bytes = Base64URLCodec.decode(value) else { throw JOSEError(.invalidKey, "JWK \(name) is not canonical base64url") }
        return bytes
    }
}
