internal import GatehouseCrypto

/// Stores recovery codes as HMAC-SHA-256 (RFC 2104, RFC 4231) of the normalised code
/// under a server key, in lowercase hex. With 50-bit codes a plain hash could be brute
/// forced from a stolen database; without the key the stored values are useless.
///
/// ```swift
/// let hasher = try RecoveryCodeHasher(key: recoveryKey)
/// let stored = codes.map(hasher.hash)                  // save these
/// if let used = hasher.verify(typed, against: stored) {
///     stored.remove(at: used)                          // single use: drop it at once
/// }
/// ```
public struct RecoveryCodeHasher: Sendable {
    /// Shortest key accepted: 32 bytes, the output size of SHA-256 (RFC 2104 §3).
    public static let minimumKeyLength = 32

    private let key: [UInt8]

    /// Wraps the server key; it must be at least 32 bytes and should serve only this purpose.
    public init(key: [UInt8]) throws(RecoveryCodeError) {
        guard key.count >= Self.minimumKeyLength else { throw .keyTooShort }
        self.key = key
    }

    /// The value to store for `code`.
    public func hash(_ code: RecoveryCode) -> String {
        Digest.hmacSHA256(key: key, message: Array(code.normalized.utf8)).hexString
    }

    /// The index in `stored` of the code the person typed, or `nil`. Input that is not a
    /// well-formed code is refused before any comparison; otherwise every stored value is
    /// compared in constant time, with no early exit, so timing does not reveal which
    /// entry matched. The caller removes the returned entry so the code works only once.
    public func verify(_ input: String, against stored: [String]) -> Int? {
        guard let code = RecoveryCode(input) else { return nil }
        let candidate = Array(hash(code).utf8)
        var found: Int?
        for (index, value) in stored.enumerated() {
            let equal = ConstantTime.equals(candidate, Array(value.utf8))
            if equal && found == nil { found = index }
        }
        return found
    }
}

/// Why recovery codes cannot be hashed.
public enum RecoveryCodeError: Error, Sendable, Equatable {
    /// The key is shorter than ``RecoveryCodeHasher/minimumKeyLength``.
    case keyTooShort
}
