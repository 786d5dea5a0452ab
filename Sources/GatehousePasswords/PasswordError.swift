/// Why a password could not be hashed or a stored hash could not be checked.
///
/// No case ever carries the password, and none carries the stored hash either: a hash is a
/// verifier an attacker could brute-force offline, so it stays out of logs too. The message
/// names the scheme and the rule that was broken.
public enum PasswordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stored hash belongs to a scheme Gatehouse does not verify (`scheme` is its
    /// prefix, e.g. `$1$` or `{MD5}`, or `unknown`).
    case unsupportedScheme(String)
    /// The stored hash claims a known scheme but is not well formed.
    case malformedHash(scheme: String, reason: String)
    /// The stored hash asks for more work or memory than Gatehouse agrees to spend on
    /// one verification (a hostile or corrupted hash must not exhaust the server).
    case costOutOfBounds(scheme: String, reason: String)
    /// Hashing parameters that Argon2 or Gatehouse rejects.
    case invalidParameters(String)
    /// A password longer than `maxBytes` UTF-8 bytes after NFC normalisation.
    case passwordTooLong(maxBytes: Int)
    /// The hashing library failed (out of memory, thread creation failed).
    case hashingFailed(String)
    /// The hashing pool's queue is full; the caller should answer 503 and let the client retry.
    case overloaded
    /// The hashing pool has been shut down.
    case shutDown
    /// The calling task was cancelled while its work was still queued.
    case cancelled

    public var description: String {
        switch self {
        case .unsupportedScheme(let s): "unsupported password hash scheme '\(s)'"
        case .malformedHash(let scheme, let why): "malformed \(scheme) hash: \(why)"
        case .costOutOfBounds(let scheme, let why): "\(scheme) hash refused: \(why)"
        case .invalidParameters(let why): "invalid password hashing parameters: \(why)"
        case .passwordTooLong(let max): "password longer than \(max) bytes"
        case .hashingFailed(let why): "password hashing failed: \(why)"
        case .overloaded: "password hashing queue is full"
        case .shutDown: "password hashing pool has been shut down"
        case .cancelled: "password hashing cancelled"
        }
    }
}
