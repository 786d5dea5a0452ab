/// Why the provider's discovery document or key set could not be used.
///
/// Two errors compare equal when their codes are equal, so tests read
/// `#expect(throws: ProviderError(.issuerMismatch)) { … }`. The reason is for logs.
///
/// ```swift
/// do { _ = try await ProviderMetadata.discover(configuration, httpClient: .shared) }
/// catch where error.code == .issuerMismatch { … }
/// ```
public struct ProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, CaseIterable {
        /// A provider URL is neither `https` nor `http` on a loopback address (OpenID Connect Discovery 1.0 §4).
        case insecureURL
        /// The request failed: refused connection, timeout, DNS.
        case unreachable
        /// The provider answered with a status other than 200.
        case httpStatus
        /// The response exceeds the configured size limit.
        case responseTooLarge
        /// The body is not the expected JSON document or lacks a required member.
        case invalidDocument
        /// The discovery document's `issuer` differs from the configured issuer (OpenID Connect Discovery 1.0 §4.3).
        case issuerMismatch
        /// The JWK Set publishes private key members (RFC 7517 §5): a misconfiguration never trusted.
        case privateKeyMaterial
        /// The JWK Set holds no key this library can verify with.
        case noUsableKeys
    }

    /// What went wrong.
    public let code: Code
    /// Why, for logs. Never compared.
    public let reason: String

    /// Creates an error; `reason` defaults to the code's name.
    public init(_ code: Code, _ reason: String? = nil) {
        self.code = code
        self.reason = reason ?? code.rawValue
    }

    /// Equal when the codes are equal.
    public static func == (lhs: ProviderError, rhs: ProviderError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `code: reason`.
    public var description: String { "\(code.rawValue): \(reason)" }
}
