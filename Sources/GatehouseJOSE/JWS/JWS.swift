/// JWS Compact Serialization: signing (RFC 7515 §5.1) and verification (RFC 7515 §5.2).
///
/// ```swift
/// let token = try JWS.sign(payload: Array("hello".utf8), header: JWSHeader(algorithm: .es256, keyID: key.keyID), key: key)
/// let verified = try JWS.verify(token, keys: VerificationKeySet([key.verificationKey]),
///                               options: JWSVerificationOptions(allowedAlgorithms: [.es256]))
/// ```
public enum JWS {
    /// Signs `payload` and returns `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)`.
    /// - Throws: ``JOSEError/Code/algorithmKeyMismatch`` when `header.algorithm` is not the key's algorithm.
    public static func sign(payload: [UInt8], header: JWSHeader, key: SigningKey) throws -> String {
        try sign(encodedHeader: header.encoded(), algorithm: header.algorithm, payload: payload, key: key)
    }

    /// Signs an already-encoded header; used by ``JWTSigner`` to avoid re-encoding.
    static func sign(encodedHeader: [UInt8], algorithm: JWSAlgorithm, payload: [UInt8], key: SigningKey) throws -> String {
        guard algorithm == key.algorithm else {
            throw JOSEError(.algorithmKeyMismatch, "header alg \(algorithm) differs from the key's \(key.algorithm)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Base64URLCodec.encodedLength(encodedHeader.count) + Base64URLCodec.encodedLength(payload.count) + 360)
        encodedHeader.withUnsafeBytes { Base64URLCodec.encode($0, into: &out) }
        out.append(UInt8(ascii: "."))
        payload.withUnsafeBytes { Base64URLCodec.encode($0, into: &out) }
        let signature = try out.withUnsafeBytes { try key.sign(rawMessage: $0) }
        out.append(UInt8(ascii: "."))
        signature.withUnsafeBytes { Base64URLCodec.encode($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Verifies a compact JWS against `keys` (RFC 7515 §5.2) and returns its header and payload.
    ///
    /// Checks, in order: size limit; three segments; canonical base64url; header is a
    /// duplicate-free JSON object; `alg` is known (never `none` or HMAC) and allowed; `crit` is
    /// understood; a key matches `kid` and fits `alg`; the signature has the exact length and
    /// verifies. Embedded keys (`jwk`, `jku`, `x5u`, `x5c`) are never used.
    /// - Throws: ``JOSEError`` naming the first check that failed.
    public static func verify(_ token: String, keys: VerificationKeySet, options: JWSVerificationOptions) throws -> VerifiedJWS {
        guard token.utf8.count <= options.maximumTokenLength else {
            throw JOSEError(.tokenTooLarge, "token exceeds \(options.maximumTokenLength) bytes")
        }
        var token = token
        return try token.withUTF8 { try verify(bytes: $0, keys: keys, options: options) }
    }

    /// The protected header of a compact JWS, read without verifying anything, for choosing
    /// the key set before ``verify(_:keys:options:)`` (e.g. refreshing a cache on an unknown
    /// `kid`). Nothing in it may be trusted until the JWS verifies.
    /// - Throws: ``JOSEError`` for an oversized token, a wrong segment count, non-canonical
    ///   base64url or a header that is not a valid JOSE header.
    public static func unverifiedHeader(_ token: String, maximumLength: Int = JWSVerificationOptions.defaultMaximumTokenLength) throws -> JWSHeader {
        guard token.utf8.count <= maximumLength else { throw JOSEError(.tokenTooLarge, "token exceeds \(maximumLength) bytes") }
        var token = token
        return try token.withUTF8 { bytes in
            let segments = try CompactSegments(bytes)
            guard let headerBytes = Base64URLCodec.decode(segments.header) else {
                throw JOSEError(.invalidBase64URL, "header segment is not canonical base64url")
            }
            return try JWSHeader(parsing: try JSONParser.parse(headerBytes))
        }
    }

    static func verify(bytes: UnsafeBufferPointer<UInt8>, keys: VerificationKeySet, options: JWSVerificationOptions) throws -> VerifiedJWS {
        guard bytes.count <= options.maximumTokenLength else {
            throw JOSEError(.tokenTooLarge, "token exceeds \(options.maximumTokenLength) bytes")
        }
        let segments = try CompactSegments(bytes)
        guard let headerBytes = Base64URLCodec.decode(segments.header) else {
            throw JOSEError(.invalidBase64URL, "header segment is not canonical base64url")
        }
        let header = try JWSHeader(parsing: try JSONParser.parse(headerBytes))
        guard options.allowedAlgorithms.contains(header.algorithm) else {
            throw JOSEError(.algorithmNotAllowed, "alg \(header.algorithm) is not allowed here")
        }
        try header.checkCritical(understood: options.understoodCriticalHeaders)
        let candidates = try keys.candidates(keyID: header.keyID, algorithm: header.algorithm)
        guard let signature = Base64URLCodec.decode(segments.signature) else {
            throw JOSEError(.invalidBase64URL, "signature segment is not canonical base64url")
        }
        guard let payload = Base64URLCodec.decode(segments.payload) else {
            throw JOSEError(.invalidBase64URL, "payload segment is not canonical base64url")
        }
        guard candidates.contains(where: { $0.signatureLength == signature.count }) else {
            throw JOSEError(.invalidSignature, "a \(header.algorithm) signature cannot be \(signature.count) bytes")
        }
        let message = UnsafeRawBufferPointer(segments.signingInput)
        let matched = signature.withUnsafeBytes { sig in
            candidates.first { $0.verify(rawSignature: sig, message: message, algorithm: header.algorithm) }
        }
        guard let matched else { throw JOSEError(.invalidSignature, "signature does not verify") }
        return VerifiedJWS(header: header, payload: payload, key: matched)
    }
}
