/// Every rejection GatehouseJOSE makes: a machine-readable ``Code`` plus a human-readable reason.
///
/// Two errors compare equal when their codes are equal, so tests read
/// `#expect(throws: JOSEError(.expired)) { ... }`. The reason is for logs and operators; it never
/// contains key material or a whole token.
///
/// ```swift
/// do { _ = try verifier.verify(token, now: now) }
/// catch let error as JOSEError where error.code == .expired { ... }
/// ```
public struct JOSEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, grouped by the layer that noticed.
    public enum Code: String, Sendable, CaseIterable {
        // MARK: Compact serialization (RFC 7515 §7.1)
        /// The token exceeds the configured size limit.
        case tokenTooLarge
        /// Not exactly three dot-separated segments, or an empty header/signature segment.
        case malformedToken
        /// A segment holds characters outside the base64url alphabet, padding, or non-zero trailing bits (RFC 7515 §2).
        case invalidBase64URL
        /// A header or payload is not valid, duplicate-free JSON (RFC 8259, RFC 7515 §5.2 step 4).
        case invalidJSON
        /// The protected header is not a JSON object or a header parameter has the wrong type (RFC 7515 §4).
        case invalidHeader

        // MARK: Algorithms and keys (RFC 7515 §4.1.1, RFC 7518 §3.1)
        /// `alg` is `none`, an HMAC algorithm, or unknown to Gatehouse.
        case unsupportedAlgorithm
        /// `alg` is a known algorithm but not in the verifier's allow-list.
        case algorithmNotAllowed
        /// `alg` does not fit the key's type, curve or declared `alg` (RFC 7517 §4.4).
        case algorithmKeyMismatch
        /// `crit` names an extension this verifier does not understand, or is malformed (RFC 7515 §4.1.11).
        case unsupportedCriticalHeader
        /// No key in the set matches the header's `kid` and `alg`.
        case keyNotFound
        /// The signature has the wrong length, encoding, or does not verify.
        case invalidSignature

        // MARK: Key material (RFC 7517, RFC 7518 §6, RFC 8037 §2)
        /// A JWK or PEM is structurally wrong: bad lengths, point not on the curve, unknown `kty`/`crv`.
        case invalidKey
        /// An RSA modulus shorter than 2048 bits (RFC 7518 §3.3).
        case weakKey
        /// Private members (`d`, `p`, `q`, ...) where only a public key may appear.
        case privateKeyMaterial
        /// OpenSSL failed an operation that should not fail (key generation, encoding).
        case cryptoFailure

        // MARK: JWT claims (RFC 7519 §4.1, RFC 9068 §4)
        /// The payload is not a JSON object or a registered claim has the wrong type.
        case invalidClaims
        /// `exp` is in the past, beyond the leeway.
        case expired
        /// `nbf` (or `iat`, when checked) is in the future, beyond the leeway.
        case notYetValid
        /// `iss` differs from the expected issuer.
        case wrongIssuer
        /// `aud` does not contain the expected audience.
        case wrongAudience
        /// The header `typ` differs from the expected media type (RFC 7515 §4.1.9, RFC 9068 §2.1).
        case wrongType
        /// A claim the validator requires is absent.
        case missingClaim
    }

    /// What went wrong.
    public let code: Code
    /// Why, for humans. Never compared.
    public let reason: String
    /// Where the error was raised, for debugging. Never compared.
    public let location: String

    /// Creates an error; `reason` defaults to the code's name.
    public init(_ code: Code, _ reason: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason ?? code.rawValue
        self.location = "\(file):\(line)"
    }

    /// Equal when the codes are equal; the message and location are not compared.
    public static func == (lhs: JOSEError, rhs: JOSEError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `code: reason`.
    public var description: String { "\(code.rawValue): \(reason)" }
}
