/// What a JWS verifier accepts (RFC 7515 §5.2, RFC 8725 §3.1).
///
/// ```swift
/// let options = JWSVerificationOptions(allowedAlgorithms: [.es256, .rs256])
/// ```
public struct JWSVerificationOptions: Sendable, Hashable {
    /// The default size limit: 16 KiB.
    public static let defaultMaximumTokenLength = 16 * 1024

    /// Algorithms accepted in `alg`. Anything else is ``JOSEError/Code/algorithmNotAllowed``.
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// Longest token accepted, in bytes; longer input is refused before any decoding.
    public var maximumTokenLength: Int
    /// Extension names this application understands and accepts in `crit` (RFC 7515 §4.1.11).
    public var understoodCriticalHeaders: Set<String>

    /// Creates options. There is no default algorithm list: say which ones you expect.
    public init(
        allowedAlgorithms: Set<JWSAlgorithm>,
        maximumTokenLength: Int = JWSVerificationOptions.defaultMaximumTokenLength,
        understoodCriticalHeaders: Set<String> = []
    ) {
        self.allowedAlgorithms = allowedAlgorithms
        self.maximumTokenLength = maximumTokenLength
        self.understoodCriticalHeaders = understoodCriticalHeaders
    }
}
