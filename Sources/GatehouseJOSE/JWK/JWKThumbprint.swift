import GatehouseCrypto

extension JWK {
    /// The JWK Thumbprint (RFC 7638 §3): SHA-256 over the required members in lexicographic
    /// order with no whitespace, base64url-encoded. Gatehouse uses it as the `kid`.
    ///
    /// Required members: `EC` → `crv`, `kty`, `x`, `y` (RFC 7638 §3.2); `OKP` → `crv`, `kty`, `x`
    /// (RFC 8037 §2); `RSA` → `e`, `kty`, `n` (RFC 7638 §3.2).
    /// - Throws: ``JOSEError/Code/invalidKey`` when a required member is missing or `kty` is unknown.
    public func thumbprint() throws -> String {
        func required(_ value: String?, _ name: String) throws -> (String, String) {
            guard let value else { throw JOSEError(.invalidKey, "JWK member \(name) is required for kty \(keyType)") }
            return (name, value)
        }
        let members: [(String, String)]
        switch keyType {
        case "EC": members = [try required(curve, "crv"), ("kty", "EC"), try required(x, "x"), try required(y, "y")]
        case "OKP": members = [try required(curve, "crv"), ("kty", "OKP"), try required(x, "x")]
        case "RSA": members = [try required(e, "e"), ("kty", "RSA"), try required(n, "n")]
        default: throw JOSEError(.invalidKey, "unsupported kty \(keyType)")
        }
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (i, (name, value)) in members.enumerated() {
            JSONWriter.writeKey(name, first: i == 0, into: &json)
            JSONWriter.writeString(value, into: &json)
        }
        json.append(UInt8(ascii: "}"))
        return Base64URLCodec.encode(Digest.sha256(json))
    }
}
