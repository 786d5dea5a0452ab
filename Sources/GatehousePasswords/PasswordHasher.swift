import Foundation
import GatehouseCrypto
import Synchronization

/// Hashes passwords with Argon2id and verifies them against Argon2id or legacy hashes:
/// the synchronous core. Every call is CPU-heavy; servers go through ``PasswordService``.
///
/// ```swift
/// let hasher = try PasswordHasher(parameters: .default)
/// let phc = try hasher.hash("Mật khẩu mạnh 2025")
/// try hasher.verify("Mật khẩu mạnh 2025", against: phc)   // .valid(needsRehash: false)
/// hasher.dummyVerify(attempt)                              // unknown user: same cost, no answer
/// ```
public struct PasswordHasher: Sendable {
    /// The parameters new hashes are made with.
    public let parameters: Argon2Parameters
    private let dummy = DummyHash()

    /// Throws when `parameters` are invalid (see ``Argon2Parameters/validate(limits:)``).
    public init(parameters: Argon2Parameters = .default) throws(PasswordError) {
        try parameters.validate()
        self.parameters = parameters
    }

    /// An Argon2id PHC string for `password` (NFC-normalised), with a fresh salt.
    public func hash(_ password: String) throws(PasswordError) -> String {
        try Argon2id.hash(password: password, parameters: parameters)
    }

    /// Checks `password` against `stored`, whatever its supported scheme.
    ///
    /// Throws ``PasswordError`` when `stored` is of an unsupported scheme, malformed, or too
    /// costly to verify: a broken hash is never taken as a match.
    public func verify(_ password: String, against stored: String) throws(PasswordError) -> PasswordVerification {
        guard let (scheme, body) = PasswordScheme.identify(Substring(stored)) else {
            throw .unsupportedScheme(PasswordScheme.label(ofUnsupported: stored))
        }
        let nfc = PasswordText.bytes(password)
        if scheme == .argon2id {
            let phc = try Argon2PHC(parsing: stored)
            guard try Argon2id.verify(passwordBytes: nfc, phc: phc) else { return .invalid }
            return .valid(needsRehash: phc.parameters != parameters)
        }
        guard nfc.count <= PasswordText.maxBytes else {
            try LegacyVerifier.validate(scheme, body)
            return .invalid
        }
        let matched = try LegacyVerifier.verify(scheme, body, candidates: LegacyVerifier.candidates(password, nfc: nfc))
        return matched ? .valid(needsRehash: true) : .invalid
    }

    /// True when `stored` should be replaced by a fresh hash at the next successful login:
    /// it is a legacy scheme, or Argon2id with parameters other than ``parameters``.
    public func needsRehash(_ stored: String) -> Bool {
        Argon2id.needsRehash(stored, current: parameters)
    }

    /// Spends the same work as verifying a real Argon2id hash at the current parameters, and
    /// discards the answer. Call it when the account does not exist, so that the response time
    /// does not reveal which usernames are taken (NIST SP 800-63B §5.2.2; OWASP Authentication
    /// Cheat Sheet). The reference hash is computed once, on first use.
    public func dummyVerify(_ password: String) {
        let reference = dummy.phc(parameters: parameters)
        _ = try? Argon2id.verify(passwordBytes: PasswordText.bytes(password), phc: reference)
    }
}

extension Argon2id {
    /// True for anything but an Argon2id hash made with exactly `current` (memory, passes,
    /// lanes, salt and tag length). Legacy and unparsable hashes need rehashing too.
    public static func needsRehash(_ phc: String, current: Argon2Parameters) -> Bool {
        guard let parsed = try? Argon2PHC(parsing: phc) else { return true }
        return parsed.parameters != current
    }
}

/// The reference hash ``PasswordHasher/dummyVerify(_:)`` verifies against: a random password
/// hashed once, lazily, with the current parameters.
private final class DummyHash: Sendable {
    private let cached = Mutex<Argon2PHC?>(nil)

    func phc(parameters: Argon2Parameters) -> Argon2PHC {
        if let hit = cached.withLock({ $0 }), hit.parameters == parameters { return hit }
        let salt = SecureRandom.bytes(parameters.saltLength)
        // Parameters were validated by PasswordHasher.init, so derivation cannot fail short of
        // running out of memory; a zero tag still costs the same to verify against.
        let tag = (try? Argon2id.derive(password: SecureRandom.bytes(32), salt: salt, parameters: parameters))
            ?? [UInt8](repeating: 0, count: parameters.hashLength)
        let made = Argon2PHC(parameters: parameters, salt: salt, tag: tag)
        return cached.withLock { value in
            if value == nil { value = made }
            return value!
        }
    }
}
